"""After finalising: the draft stops taking comments and the adopted plan is public."""

import pytest
from django.test import Client
from django.urls import reverse

from actions import services
from actions.models import DraftComment, DraftPlan
from clp.exceptions import Refused
from plans.models import Plan
from tests.actions.test_finalising import _endorse, finalising  # noqa: F401 (fixture)


@pytest.fixture
def adopted(finalising):  # noqa: F811
    plan = finalising.finalising
    chair = finalising.people["chair"]
    services.draft_publish(plan=plan, publish=True, actor=chair)
    _endorse(finalising)
    services.plan_finalise(plan=Plan.objects.get(pk=plan.pk), actor=chair)
    return finalising


def test_public_draft_says_draft_for_comment_until_the_plan_is_adopted(finalising):  # noqa: F811
    plan = finalising.finalising
    services.draft_publish(plan=plan, publish=True, actor=finalising.people["chair"])
    page = Client().get(reverse("actions:public_draft", args=[plan.pk]))
    assert "draft for comment" in page.text
    assert Client().get(reverse("actions:public_adopted", args=[plan.pk])).status_code == 404


def test_adoption_closes_comments_and_the_draft_link_leads_to_the_adopted_plan(adopted):
    plan = adopted.finalising
    assert not DraftPlan.objects.get(plan=plan).is_published
    draft_url = reverse("actions:public_draft", args=[plan.pk])
    response = Client().post(draft_url, {"body": "Too late?"})
    assert "Comments on the draft are closed" in response.text
    assert "draft for comment" not in response.text
    assert reverse("actions:public_adopted", args=[plan.pk]) in response.text
    assert not DraftComment.objects.filter(plan=plan).exists()
    page = Client().get(reverse("actions:public_adopted", args=[plan.pk])).text
    assert "draft for comment" not in page
    assert "our adopted plan" in page
    assert "Ask for a 20 mph limit" in page
    assert "Comment on the draft" not in page
    with pytest.raises(Refused):
        services.comment_submit(plan=plan, body="Still here?")


def test_adopted_draft_cannot_be_published_again_for_comment(adopted):
    plan = Plan.objects.get(pk=adopted.finalising.pk)
    with pytest.raises(Refused):
        services.draft_publish(plan=plan, publish=True, actor=adopted.people["chair"])
    page = adopted.client("chair").get(reverse("actions:draft", args=[plan.pk])).text
    assert "Publish the draft for residents to comment on" not in page
    assert reverse("actions:public_adopted", args=[plan.pk]) in page


def test_community_page_links_to_the_adopted_plan(adopted):
    plan = adopted.finalising
    page = Client().get(plan.community.get_absolute_url()).text
    assert reverse("actions:public_adopted", args=[plan.pk]) in page
    assert reverse("actions:public_draft", args=[plan.pk]) not in page


def test_checklist_says_chair_or_secretary_and_exactly_they_may_finalise(finalising):  # noqa: F811
    plan = finalising.finalising
    from plans.models import Role
    from tests import factories

    factories.MembershipFactory(plan=plan, user=finalising.people["secretary"], role=Role.SECRETARY)
    detail = finalising.client("chair").get(plan.get_absolute_url()).text
    assert "chair or secretary finalises it" in detail
    assert "The chair finalises" not in detail
    url = reverse("actions:finalise", args=[plan.pk])
    assert finalising.client("member").get(url).status_code == 403
    _endorse(finalising)
    response = finalising.client("secretary").post(url)
    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).versions.filter(number=1).exists()


def test_community_page_queries_do_not_grow_with_adopted_plans(world, django_assert_max_num_queries):
    from actions.models import PlanVersion
    from tests import factories

    def adopt(count):
        for _i in range(count):
            plan = factories.PlanFactory(community=world.community)
            for number in (1, 2):
                PlanVersion.objects.create(plan=plan, number=number, data={"title": "x", "priorities": []})
            drafting = factories.PlanFactory(community=world.community)
            services.draft_publish(plan=drafting, publish=True, actor=world.people["chair"])

    url = world.community.get_absolute_url()
    adopt(2)
    with django_assert_max_num_queries(30) as small:
        Client().get(url)
    adopt(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = Client().get(url).text
    assert page.count("the adopted plan</a>") == 17
    assert page.count("draft for comment</a>") == 17

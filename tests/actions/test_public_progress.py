"""Telling the community: "you said, we did", offers to help (double opt-in), issues raised after
publication, and the community update generator."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import delivery
from actions.models import (
    CommunityUpdate,
    Helper,
    HelpOffer,
    OfferStatus,
    PlanVersion,
    RaisedIssue,
)
from consultation.models import Issue
from plans.models import Plan
from plans.steps import Step
from tests.actions.factories import ActionFactory, PriorityFactory


@pytest.fixture
def plan(world):
    Plan.objects.filter(pk=world.plan.pk).update(step=Step.IMPLEMENTING, vision="A green village")
    PlanVersion.objects.create(plan=world.plan, number=1, data={}, frozen_by=world.people["chair"])
    return Plan.objects.get(pk=world.plan.pk)


@pytest.fixture
def actions(plan):
    speed = PriorityFactory(plan=plan, section=2, title="Speeding")
    paths = PriorityFactory(plan=plan, section=1, title="Footpaths", is_quick_win=True)
    signs = ActionFactory(priority=speed, what="Ask for 20 mph signs", lead_email="jo@vol.test")
    delivery.update_post(action=signs, status="on_track", percent=40,
                         reason="County agreed to survey", note="Survey in May")
    bench = ActionFactory(priority=paths, what="New bench")
    delivery.update_post(action=bench, status="done", percent=100, reason="Installed")
    hut = ActionFactory(priority=paths, what="Bike hut")
    delivery.update_post(action=hut, status="dropped", percent=0,
                         reason="Won't do, because the landowner refused")
    return {"signs": signs, "bench": bench, "hut": hut}


def test_public_page_shows_status_reasons_achievements_and_dropped_items(plan, actions, client):
    page = client.get(reverse("actions:public_progress", kwargs={"pk": plan.pk})).content.decode()
    for text in ("A green village", "Ask for 20 mph signs", "County agreed to survey", "On track",
                 "Achieved", "New bench", "Not going ahead, and why",
                 "Won't do, because the landowner refused"):
        assert text.replace("'", "&#x27;") in page, text
    assert "jo@vol.test" not in page


def test_public_page_is_hidden_until_the_plan_is_finalised(world, client):
    assert client.get(reverse("actions:public_progress", kwargs={"pk": world.plan.pk})).status_code == 404


def test_community_page_links_to_you_said_we_did(plan, actions, client):
    page = client.get(plan.community.get_absolute_url()).content.decode()
    assert "You said, we did" in page and "1 of 3 actions done so far." in page


@pytest.mark.parametrize("size", [1, 8])
def test_public_page_runs_a_fixed_number_of_queries(plan, client, size,
                                                    django_assert_max_num_queries):
    for i in range(size):
        action = ActionFactory(priority=PriorityFactory(plan=plan, section=1 + i % 2))
        delivery.update_post(action=action, status="on_track", percent=10, reason="Started")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("actions:public_progress", kwargs={"pk": plan.pk})).status_code == 200


def test_offer_to_help_is_passed_on_only_after_the_email_is_confirmed(
        world, plan, actions, client, mailoutbox, django_capture_on_commit_callbacks):
    action = actions["signs"]
    url = reverse("actions:offer_new", kwargs={"pk": plan.pk, "aid": action.pk})
    response = client.post(url, {"name": "Pat", "email": "not-an-email", "what": "Leaflets"})
    assert "There is a problem" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"name": "Pat", "email": "pat@test.org", "what": "Leaflets on my road"})
    assert [m.to for m in mailoutbox] == [["pat@test.org"]]
    offer = HelpOffer.objects.get()
    assert offer.status == OfferStatus.UNCONFIRMED
    offers_page = world.client("member").get(reverse("actions:offers", kwargs={"pk": plan.pk}))
    assert "Pat" not in offers_page.content.decode()
    link = re.search(r"http\S+/delivery-links/offers/\S+/", mailoutbox[0].body).group(0)
    link = link.split("8000", 1)[-1]
    assert client.get(link).status_code == 200  # a mail scanner's GET confirms nothing
    assert HelpOffer.objects.get().confirmed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    assert mailoutbox[1].to == ["jo@vol.test"] and "Leaflets on my road" in mailoutbox[1].body
    assert client.post(link).status_code == 400
    member = world.client("member")
    assert "Leaflets on my road" in member.get(reverse("actions:offers", kwargs={"pk": plan.pk})
                                               ).content.decode()
    member.post(reverse("actions:offer_decide", kwargs={"pk": plan.pk, "oid": offer.pk}),
                {"decision": "add"})
    helper = Helper.objects.get()
    assert (helper.name, helper.action) == ("Pat", action)


def test_offer_goes_to_the_chair_when_the_lead_has_no_email(
        world, plan, actions, client, mailoutbox, django_capture_on_commit_callbacks):
    action = actions["bench"]
    offer = HelpOffer.objects.create(action=action, name="Lee", email="lee@test.org", what="Paint",
                                     nonce="n", confirmed_at=timezone.now(),
                                     status=OfferStatus.CONFIRMED)
    assert delivery.offer_lead_email(offer_id=offer.pk) is True
    assert sorted(m.to[0] for m in mailoutbox) == ["chair@test.org", "sec@test.org"]
    assert delivery.offer_lead_email(offer_id=offer.pk) is False


def test_offer_to_help_with_a_priority_is_passed_on_only_after_the_email_is_confirmed(
        world, plan, actions, client, mailoutbox, django_capture_on_commit_callbacks):
    paths = actions["bench"].priority
    public = client.get(reverse("actions:public_progress", kwargs={"pk": plan.pk})).content.decode()
    url = reverse("actions:priority_offer_new", kwargs={"pk": plan.pk, "prid": paths.pk})
    assert f'href="{url}"' in public
    response = client.post(url, {"name": "Pat", "email": "not-an-email", "what": "Leaflets"})
    assert "There is a problem" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"name": "Pat", "email": "pat@test.org", "what": "I can dig on Sundays"})
    assert [m.to for m in mailoutbox] == [["pat@test.org"]] and "Footpaths" in mailoutbox[0].body
    offer = HelpOffer.objects.get()
    assert (offer.priority, offer.action, offer.status) == (paths, None, OfferStatus.UNCONFIRMED)
    member = world.client("member")
    assert "Pat" not in member.get(reverse("actions:offers", kwargs={"pk": plan.pk})).content.decode()
    link = re.search(r"http\S+/delivery-links/offers/\S+/", mailoutbox[0].body).group(0)
    link = link.split("8000", 1)[-1]
    assert client.get(link).status_code == 200  # a mail scanner's GET confirms nothing
    assert HelpOffer.objects.get().confirmed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    # A priority has no lead: the chair and secretary are told.
    assert sorted(m.to[0] for m in mailoutbox[1:]) == ["chair@test.org", "sec@test.org"]
    assert "I can dig on Sundays" in mailoutbox[1].body and "Footpaths" in mailoutbox[1].subject
    assert client.post(link).status_code == 400
    offers = reverse("actions:offers", kwargs={"pk": plan.pk})
    page = member.get(offers).content.decode()
    assert "I can dig on Sundays" in page and "the priority “Footpaths” as a whole" in page
    overview = member.get(reverse("actions:delivery", kwargs={"pk": plan.pk})).content.decode()
    assert "Offers to help (1 waiting)" in overview
    decide = reverse("actions:offer_decide", kwargs={"pk": plan.pk, "oid": offer.pk})
    member.post(decide, {"decision": "add", "action": actions["signs"].pk})  # another priority's
    member.post(decide, {"decision": "add"})
    assert not Helper.objects.exists()
    member.post(decide, {"decision": "add", "action": actions["bench"].pk})
    helper = Helper.objects.get()
    assert (helper.name, helper.action, helper.offer) == ("Pat", actions["bench"], offer)


def test_an_offer_is_on_an_action_or_a_priority_never_both_or_neither(actions):
    from django.db import IntegrityError, transaction

    for subject in ({}, {"action": actions["bench"], "priority": actions["bench"].priority}):
        with pytest.raises(IntegrityError), transaction.atomic():
            HelpOffer.objects.create(name="Pat", email="pat@test.org", what="x", nonce="n",
                                     **subject)


def test_an_offer_on_a_priority_without_actions_can_only_be_closed(world, plan):
    empty = PriorityFactory(plan=plan, title="Broadband")
    offer = HelpOffer.objects.create(priority=empty, name="Lee", email="lee@test.org", what="IT",
                                     nonce="n", confirmed_at=timezone.now(),
                                     status=OfferStatus.CONFIRMED)
    member = world.client("member")
    page = member.get(reverse("actions:offers", kwargs={"pk": plan.pk})).content.decode()
    assert "This priority has no actions yet" in page and "Add as a helper" not in page
    member.post(reverse("actions:offer_decide", kwargs={"pk": plan.pk, "oid": offer.pk}),
                {"decision": "decline"})
    assert HelpOffer.objects.get().status == OfferStatus.DECLINED and not Helper.objects.exists()


def test_offers_on_a_priority_are_rate_limited(plan, actions, client, settings):
    settings.ACTIONS_RATE_PUBLIC = "2/h"
    url = reverse("actions:priority_offer_new", kwargs={"pk": plan.pk,
                                                        "prid": actions["bench"].priority_id})
    codes = [client.post(url, {"name": "Pat", "email": "pat@test.org", "what": "Dig"}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]
    assert HelpOffer.objects.count() == 2


def test_offering_help_on_another_plans_priority_is_not_found(world, plan, actions, client):
    other = PriorityFactory()
    url = reverse("actions:priority_offer_new", kwargs={"pk": plan.pk, "prid": other.pk})
    assert client.get(url).status_code == 404


def test_resident_raises_an_issue_that_lands_in_the_register_after_moderation(
        world, plan, client):
    url = reverse("actions:raise_issue", kwargs={"pk": plan.pk})
    response = client.post(url, {"title": "", "description": "Dog mess on the green"})
    assert "Enter the issue in a few words" in response.content.decode()
    assert "Dog mess on the green" in response.content.decode()
    client.post(url, {"title": "Dog mess", "description": "Dog mess on the green"})
    raised = RaisedIssue.objects.get()
    assert not Issue.objects.filter(plan=plan).exists()
    chair = world.client("chair")
    assert "Dog mess" in chair.get(reverse("actions:raised_issues", kwargs={"pk": plan.pk})
                                   ).content.decode()
    chair.post(reverse("actions:raised_issue_moderate", kwargs={"pk": plan.pk, "rid": raised.pk}),
               {"decision": "accept"})
    issue = Issue.objects.get(plan=plan)
    assert issue.title == "Dog mess" and "Raised after publication" in issue.description
    assert issue.raised_after_publication == RaisedIssue.objects.get()


def test_the_register_marks_issues_raised_after_publication(world, plan):
    raised = delivery.raised_issue_submit(plan=plan, title="Dog mess", description="On the green")
    delivery.raised_issue_moderate(raised=raised, accept=True, actor=world.people["chair"])
    Issue.objects.create(plan=plan, title="Parking", created_by=world.people["chair"])
    chair = world.client("chair")
    page = chair.get(reverse("consultation:issues", kwargs={"pk": plan.pk})).content.decode()
    rows = {m.group(1): m.group(2) for m in re.finditer(r'>([^<]+)</a>(.*?)</td>', page)}
    assert "Raised after publication" in rows["Dog mess"]
    assert "Raised after publication" not in rows["Parking"]
    assert "a resident raised it from the public page after the plan was published" in page
    issue = Issue.objects.get(title="Dog mess")
    detail = chair.get(issue.get_absolute_url()).content.decode()
    assert 'status-new">Raised after publication' in detail
    parking = chair.get(Issue.objects.get(title="Parking").get_absolute_url()).content.decode()
    assert "Raised after publication" not in parking


def test_the_mark_costs_one_query_whatever_the_number_of_issues(world, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consultation.analysis.issues import issues_register

    def queries():
        with CaptureQueriesContext(connection) as captured:
            issues = issues_register(plan)["issues"]
        return len(captured), sum(bool(i.origins) for i in issues)

    raised = delivery.raised_issue_submit(plan=plan, title="Issue 0", description="D")
    delivery.raised_issue_moderate(raised=raised, accept=True, actor=world.people["chair"])
    small = queries()
    for n in range(1, 6):
        raised = delivery.raised_issue_submit(plan=plan, title=f"Issue {n}", description="D")
        delivery.raised_issue_moderate(raised=raised, accept=True, actor=world.people["chair"])
    large = queries()
    assert (small[1], large[1]) == (1, 6)
    assert small[0] == large[0]


def test_raising_issues_is_rate_limited(plan, client, settings):
    settings.ACTIONS_RATE_PUBLIC = "2/h"
    url = reverse("actions:raise_issue", kwargs={"pk": plan.pk})
    codes = [client.post(url, {"title": f"T{i}", "description": "D"}).status_code for i in range(3)]
    assert codes == [302, 302, 429]
    assert RaisedIssue.objects.count() == 2


def test_community_update_is_drafted_from_changes_then_edited_and_published(
        world, plan, actions, client):
    member = world.client("member")
    page = member.get(reverse("actions:community_update_new", kwargs={"pk": plan.pk})).content.decode()
    assert "Done:" in page and "- New bench" in page and "Not going ahead:" in page
    member.post(reverse("actions:community_update_new", kwargs={"pk": plan.pk}),
                {"title": "Spring news", "body": "We put in a bench.", "publish": "0"})
    draft = CommunityUpdate.objects.get()
    assert draft.published_at is None
    assert "Spring news" not in client.get(reverse("actions:public_progress",
                                                   kwargs={"pk": plan.pk})).content.decode()
    member.post(reverse("actions:community_update_edit", kwargs={"pk": plan.pk, "uid": draft.pk}),
                {"title": "Spring news", "body": "We put in a bench!", "publish": "1"})
    public = client.get(reverse("actions:public_progress", kwargs={"pk": plan.pk})).content.decode()
    assert "We put in a bench!" in public
    next_draft = member.get(reverse("actions:community_update_new", kwargs={"pk": plan.pk}))
    assert "No changes have been recorded since" in next_draft.content.decode()

"""The draft plan: what it assembles, publishing it, and residents' moderated comments."""

from django.urls import reverse

from actions.models import CommentStatus, DraftComment, Section
from consultation.models import SurveyStatus
from tests.actions.factories import ActionFactory, PriorityFactory
from tests.consultation.factories import make_survey, submitted_response


def _public(world):
    return reverse("actions:public_draft", kwargs={"pk": world.plan.pk})


def _publish(world, publish="1"):
    return world.client("chair").post(reverse("actions:draft_publish", kwargs={"pk": world.plan.pk}),
                                      {"publish": publish})


def test_draft_assembles_vision_community_consultation_findings_plan_and_monitoring(world):
    plan = world.plan
    plan.vision = "A green, connected village."
    plan.save()
    survey = make_survey(plan, status=SurveyStatus.CLOSED, title="Household questionnaire")
    for _ in range(2):
        submitted_response(survey)
    make_survey(plan, status=SurveyStatus.DRAFT, title="Unopened youth survey")
    speeding = PriorityFactory(plan=plan, section=Section.HELP, title="Speeding", theme="Transport")
    PriorityFactory(plan=plan, title="Litter", theme="Environment")
    ActionFactory(priority=speeding, what="Ask for a 20 mph limit", lead_name="Jo Volunteer",
                  outcome="")
    world.client("member").post(reverse("actions:draft_edit", kwargs={"pk": plan.pk}),
                                {"monitoring": "Reviewed every quarter at the steering group."})
    text = world.client("member").get(reverse("actions:draft", kwargs={"pk": plan.pk})).text
    for expected in ["A green, connected village.", "Wicketby is a parish", "1,200 people",
                     "Household questionnaire", "Transport", "Environment", "Ask for a 20 mph limit",
                     "Jo Volunteer", "Reviewed every quarter at the steering group.",
                     "SMART check: 2 things to fix", "no actions yet", "has no intended outcome"]:
        assert expected in text, expected
    assert "Unopened youth survey" not in text
    row = text[text.index("Household questionnaire"):]
    assert row.index(">2<") < row.index("</tr>")  # its two submitted responses


def test_public_draft_is_404_until_published_and_404_again_when_taken_down(world, client):
    assert client.get(_public(world)).status_code == 404
    _publish(world)
    page = client.get(_public(world))
    assert page.status_code == 200 and "draft for comment" in page.text
    _publish(world, "0")
    assert client.get(_public(world)).status_code == 404


def test_public_draft_never_shows_volunteers_contact_details(world, client):
    ActionFactory(priority=PriorityFactory(plan=world.plan), lead_contact="07700 900123")
    _publish(world)
    text = client.get(_public(world)).text
    assert "Jo Volunteer" in text and "07700 900123" not in text


def test_resident_comment_waits_for_moderation_before_it_shows(world, client):
    priority = PriorityFactory(plan=world.plan, title="Footpaths")
    _publish(world)
    refused = client.post(_public(world), {"body": ""})
    assert refused.status_code == 200 and "Enter your comment" in refused.text
    response = client.post(_public(world), {"body": "Please add the bridleway.", "name": "Ann",
                                             "priority": priority.pk}, follow=True)
    assert "will read your comment before it appears" in response.text
    assert "Please add the bridleway." not in response.text
    comment = DraftComment.objects.get()
    assert comment.status == CommentStatus.PENDING and comment.priority == priority

    moderation = world.client("chair").get(reverse("actions:comments", kwargs={"pk": world.plan.pk}))
    assert "Please add the bridleway." in moderation.text
    world.client("chair").post(reverse("actions:comment_moderate",
                                       kwargs={"pk": world.plan.pk, "cid": comment.pk}),
                               {"decision": "approve"})
    text = client.get(_public(world)).text
    assert "Please add the bridleway." in text and "Ann" in text


def test_rejected_comments_never_show(world, client):
    _publish(world)
    client.post(_public(world), {"body": "My neighbour at number 4 is the problem."})
    comment = DraftComment.objects.get()
    world.client("secretary").post(reverse("actions:comment_moderate",
                                           kwargs={"pk": world.plan.pk, "cid": comment.pk}),
                                   {"decision": "reject"})
    assert DraftComment.objects.get().status == CommentStatus.REJECTED
    assert "number 4" not in client.get(_public(world)).text


def test_comments_are_rate_limited_per_address(world, client, settings):
    settings.ACTIONS_RATE_COMMENT = "2/h"
    _publish(world)
    for n in range(2):
        assert client.post(_public(world), {"body": f"Comment {n}"}).status_code == 302
    limited = client.post(_public(world), {"body": "One more"})
    assert limited.status_code == 429
    assert "several comments in a short time" in limited.text
    assert DraftComment.objects.count() == 2


def test_a_comment_about_another_plans_priority_is_refused(world, client):
    _publish(world)
    elsewhere = PriorityFactory(plan=world.other_plan)
    response = client.post(_public(world), {"body": "Hello", "priority": elsewhere.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert not DraftComment.objects.exists()

"""Councillor endorsements: the group asks, a councillor decides or asks a question, decisions
change with their history kept, support is shown by tier, and the home panel lists what awaits."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Endorsement, EndorsementRequest, Message, Section
from clp.models import CouncilTier
from plans.models import CouncillorLink, PlanEvent
from tests import factories
from tests.actions.factories import PriorityFactory


def _respond(client, plan, priority, **data):
    url = reverse("actions:respond", kwargs={"pk": plan.pk, "prid": priority.pk})
    return client.post(url, data)


def test_group_asks_attached_councillors_by_a_date_and_each_is_emailed_once(world, mailoutbox,
                                                                              django_capture_on_commit_callbacks):
    profile = world.people["councillor"].councillor_profile
    by = timezone.localdate() + timedelta(days=21)
    url = reverse("actions:request_new", kwargs={"pk": world.plan.pk})
    client = world.client("chair")
    assert profile.short_name in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"councillors": [profile.pk], "message": "Please endorse section 2.",
                                     "respond_by": by.isoformat()})
    assert response.status_code == 302
    request = EndorsementRequest.objects.get()
    assert (request.councillor, request.respond_by, request.sent_by) == (profile, by, world.people["chair"])
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["cllr@test.org"]
    assert "Please endorse section 2." in mailoutbox[0].body
    assert reverse("actions:review", kwargs={"pk": world.plan.pk}) in mailoutbox[0].body
    assert services.endorsement_request_email(request_id=request.pk) is False  # already sent
    assert len(mailoutbox) == 1


def test_request_form_refuses_a_past_date_and_councillors_not_on_the_plan(world):
    stranger = factories.CouncillorFactory()
    url = reverse("actions:request_new", kwargs={"pk": world.plan.pk})
    response = world.client("chair").post(url, {"councillors": [stranger.pk], "message": "x",
                                                "respond_by": "2020-01-01"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert "The reply-by date must be in the future" in response.text
    assert not EndorsementRequest.objects.exists()


def test_councillor_endorses_then_changes_their_mind_and_the_history_is_kept(world):
    priority = PriorityFactory(plan=world.plan, section=Section.HELP, title="Speeding")
    client = world.client("councillor")
    assert _respond(client, world.plan, priority, response="endorse", comment="Good idea").status_code == 302
    _respond(client, world.plan, priority, response="support", comment="I will raise it at cabinet.")
    rows = list(Endorsement.objects.order_by("at", "pk"))
    assert [(e.decision, e.is_current) for e in rows] == [("endorse", False), ("support", True)]
    assert rows[1].by == world.people["councillor"] and rows[1].at >= rows[0].at
    page = world.client("member").get(priority.get_absolute_url())
    assert "since changed" in page.text and "I will raise it at cabinet." in page.text
    assert PlanEvent.objects.filter(summary__contains="Actively support “Speeding”").exists()


def test_a_question_needs_text_and_starts_a_thread_the_group_answers(world):
    priority = PriorityFactory(plan=world.plan, section=Section.HELP, title="Buses")
    councillor = world.client("councillor")
    refused = _respond(councillor, world.plan, priority, response="question")
    assert refused.status_code == 200 and "Enter your question for the group" in refused.text
    _respond(councillor, world.plan, priority, response="question", comment="Which routes?")
    assert not Endorsement.objects.exists()
    support = world.client("member").get(reverse("actions:endorsements", kwargs={"pk": world.plan.pk}))
    assert "Which routes?" in support.text
    profile = world.people["councillor"].councillor_profile
    url = reverse("actions:reply", kwargs={"pk": world.plan.pk, "prid": priority.pk, "cid": profile.pk})
    assert "There is a problem" in world.client("member").post(url, {"body": ""}).text
    world.client("member").post(url, {"body": "The 64 and the 67."})
    assert [(m.from_councillor, m.body) for m in Message.objects.order_by("at", "pk")] == [
        (True, "Which routes?"), (False, "The 64 and the 67.")]
    support = world.client("member").get(reverse("actions:endorsements", kwargs={"pk": world.plan.pk}))
    assert "every question has been answered" in support.text
    thread = councillor.get(reverse("actions:respond", kwargs={"pk": world.plan.pk, "prid": priority.pk}))
    assert "The 64 and the 67." in thread.text


def test_a_councillor_may_only_respond_on_plans_they_are_attached_to(world):
    elsewhere = PriorityFactory(plan=world.other_plan, section=Section.HELP)
    response = _respond(world.client("councillor"), world.other_plan, elsewhere, response="endorse")
    assert response.status_code == 404
    # Even naming another plan's priority under their own plan's address does not work.
    url = reverse("actions:respond", kwargs={"pk": world.plan.pk, "prid": elsewhere.pk})
    assert world.client("councillor").post(url, {"response": "endorse"}).status_code == 404
    assert not Endorsement.objects.exists()


def test_support_is_shown_by_tier_with_who_is_still_awaited(world):
    priority = PriorityFactory(plan=world.plan, section=Section.HELP, title="Speeding")
    district = world.people["councillor"].councillor_profile
    county = factories.CouncillorFactory(tier=CouncilTier.COUNTY, user__full_name="Vera County",
                                         council_name="Downshire County Council")
    parish = factories.CouncillorFactory(tier=CouncilTier.PARISH, user__full_name="Pat Parish")
    for profile in (county, parish):
        CouncillorLink.objects.create(plan=world.plan, councillor=profile)
    services.endorsement_requests_send(plan=world.plan, councillors=[district, county, parish],
                                       message="Please", respond_by=timezone.localdate() + timedelta(9),
                                       actor=world.people["chair"])
    services.endorsement_record(priority=priority, councillor=district, decision="endorse", comment="",
                                actor=world.people["councillor"])
    services.endorsement_record(priority=priority, councillor=parish, decision="decline",
                                comment="Not for us", actor=parish.user)
    text = world.client("chair").get(reverse("actions:endorsements", kwargs={"pk": world.plan.pk})).text
    parish_at, district_at, county_at = (text.index(label) for label in (
        "Parish or town council:", "District or borough council:", "County council:"))
    assert parish_at < district_at < county_at
    assert "Cllr Cllr Kim <span class=\"decision decision-endorse\">endorse" in text
    assert "Cllr Pat Parish <span class=\"decision decision-decline\">decline" in text
    assert "Cllr Vera County <span class=\"decision decision-awaited\">awaited" in text


def test_home_panel_lists_plans_awaiting_the_councillors_endorsement(world):
    profile = world.people["councillor"].councillor_profile
    first, _second = (PriorityFactory(plan=world.plan, section=Section.HELP) for _ in range(2))
    PriorityFactory(plan=world.plan, section=Section.COMMUNITY)
    home = world.client("councillor").get(reverse("home"))
    assert "Plans awaiting your endorsement" not in home.text
    services.endorsement_requests_send(plan=world.plan, councillors=[profile], message="Please",
                                       respond_by=timezone.localdate() + timedelta(9),
                                       actor=world.people["chair"])
    services.endorsement_record(priority=first, councillor=profile, decision="endorse", comment="",
                                actor=profile.user)
    home = world.client("councillor").get(reverse("home"))
    assert "Plans awaiting your endorsement" in home.text
    assert "1 section 2 priority awaits your decision" in home.text
    assert reverse("actions:review", kwargs={"pk": world.plan.pk}) in home.text
    review = world.client("councillor").get(reverse("actions:review", kwargs={"pk": world.plan.pk}))
    assert "1 section 2 priority awaits your decision." in review.text
    assert "Please" in review.text
    # A councillor no longer attached to the plan is no longer asked.
    CouncillorLink.objects.filter(plan=world.plan, councillor=profile).delete()
    assert "Plans awaiting your endorsement" not in world.client("councillor").get(reverse("home")).text

"""Progress with a reason, computed health, the delivery overview and the Deliver gate items."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from actions import delivery, gates, health, tokens
from actions.models import (
    Action,
    Cadence,
    CommunityUpdate,
    OwnerStatus,
    ProgressUpdate,
    Section,
    UpdateLink,
    UpdateStatus,
)
from plans.models import Plan
from plans.steps import Step
from tests.actions.factories import ActionFactory, PriorityFactory


@pytest.fixture
def plan(world):
    Plan.objects.filter(pk=world.plan.pk).update(step=Step.IMPLEMENTING)
    return Plan.objects.get(pk=world.plan.pk)


@pytest.fixture
def action(plan):
    return ActionFactory(priority=PriorityFactory(plan=plan, title="Footpaths"), what="Clear path",
                         lead_email="jo@vol.test")


def _update_url(action):
    return reverse("actions:update_new", kwargs={"pk": action.priority.plan_id,
                                                 "prid": action.priority_id, "aid": action.pk})


def test_a_change_of_status_needs_a_public_reason(world, action):
    client = world.client("member")
    response = client.post(_update_url(action), {"status": "at_risk", "percent": "30",
                                                 "note": "Volunteers are short"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Give a short reason for the change of status" in page
    assert "Volunteers are short" in page  # nothing typed is lost
    assert not ProgressUpdate.objects.exists()
    client.post(_update_url(action), {"status": "at_risk", "percent": "30",
                                      "reason": "Only two volunteers so far"})
    action = Action.objects.get(pk=action.pk)
    assert (action.progress, action.percent, action.status) == ("at_risk", 30, "in_progress")
    assert action.latest_update.reason == "Only two volunteers so far"
    assert action.latest_update.by == world.people["member"]


def test_same_status_needs_no_reason_and_done_means_100(world, action):
    client = world.client("member")
    client.post(_update_url(action), {"status": "not_started", "percent": "0", "note": "Planning"})
    assert ProgressUpdate.objects.count() == 1
    client.post(_update_url(action), {"status": "done", "percent": "80", "reason": "Cleared"})
    assert Action.objects.get(pk=action.pk).percent == 100


def test_revised_target_date_keeps_the_original_visible(world, action):
    original = action.target_date
    revised = original + timedelta(days=60)
    client = world.client("member")
    client.post(_update_url(action), {"status": "delayed", "percent": "10", "reason": "Wet winter",
                                      "revised_target_date": revised.isoformat()})
    later = revised + timedelta(days=30)
    client.post(_update_url(action), {"status": "delayed", "percent": "20",
                                      "revised_target_date": later.isoformat()})
    action = Action.objects.get(pk=action.pk)
    assert (action.target_date, action.original_target_date) == (later, original)
    page = client.get(reverse("actions:action", kwargs={
        "pk": action.priority.plan_id, "prid": action.priority_id, "aid": action.pk})).content.decode()
    assert "originally" in page and "Wet winter" in page


def test_a_file_that_is_not_an_allowed_type_is_refused(world, action):
    client = world.client("member")
    bad = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    response = client.post(_update_url(action), {"status": "not_started", "percent": "0",
                                                 "file": bad})
    assert "This kind of file cannot be uploaded" in response.content.decode()
    png = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
                             content_type="image/png")
    client.post(_update_url(action), {"status": "not_started", "percent": "0", "file": png})
    update = ProgressUpdate.objects.get()
    assert update.file.name.endswith(".png") and update.original_name == "photo.png"


def test_lead_updates_from_the_emailed_link_once(world, action, mailoutbox, client,
                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world.client("member").post(reverse("actions:update_link_send", kwargs={
            "pk": action.priority.plan_id, "prid": action.priority_id, "aid": action.pk}))
    assert mailoutbox[0].to == ["jo@vol.test"]
    url = re.search(r"http\S+/update/\S+/", mailoutbox[0].body).group(0).split("8000", 1)[-1]
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "on_track", "percent": "40",
                                 "reason": "Half the path is clear"})
    assert b"your update is saved" in response.content
    update = ProgressUpdate.objects.get()
    assert update.by is None and update.by_name == "Jo Volunteer"
    assert UpdateLink.objects.get().used_at is not None
    again = client.post(url, {"status": "done", "percent": "100", "reason": "All done"})
    assert again.status_code == 400 and b"already been used" in again.content
    assert ProgressUpdate.objects.count() == 1


def _link_url(action):
    link = UpdateLink.objects.create(action=action, email="jo@vol.test", name="Jo Volunteer",
                                     nonce=tokens.new_nonce())
    return reverse("actions:update_by_link", kwargs={
        "aid": action.pk, "token": tokens.make(tokens.UPDATE_LINK, link.pk, link.nonce)})


@pytest.mark.parametrize(("answer", "status", "percent", "asked_for_help"), [
    ("done", "done", 100, False),
    ("on_track", "on_track", 25, False),
    ("stuck", "delayed", 25, False),
    ("need_help", "at_risk", 25, True),
])
def test_the_emailed_link_asks_four_plain_questions_and_records_the_status(
        world, action, client, answer, status, percent, asked_for_help):
    Action.objects.filter(pk=action.pk).update(percent=25)
    url = _link_url(action)
    page = client.get(url).content.decode()
    assert all(label in page for label in ("Done", "On track", "Stuck", "Need help"))
    assert not any(label in page for label in ("Reason for the change", "At risk", "Dropped"))
    response = client.post(url, {"status": answer, "note": "Spoke to the farmer"})
    assert b"your update is saved" in response.content
    action = Action.objects.get(pk=action.pk)
    assert (action.progress, action.percent) == (status, percent)
    update = action.latest_update
    assert update.note == "Spoke to the farmer" and update.reason == "Spoke to the farmer"
    assert update.help_requested is asked_for_help and update.by_name == "Jo Volunteer"
    chair = world.client("chair")
    detail = chair.get(reverse("actions:action", kwargs={
        "pk": action.priority.plan_id, "prid": action.priority_id, "aid": action.pk}))
    overview = chair.get(reverse("actions:delivery", kwargs={"pk": action.priority.plan_id}))
    for page in (detail.content.decode(), overview.content.decode()):
        assert ("<li>The lead asked for help</li>" in page) is asked_for_help


def test_the_emailed_link_needs_no_note_or_percent(action, client):
    client.post(_link_url(action), {"status": "stuck"})
    update = Action.objects.get(pk=action.pk).latest_update
    assert (update.status, update.percent) == ("delayed", 0)
    assert update.reason == "The lead reports that it is stuck."  # a change of status has one


def test_a_later_update_clears_the_request_for_help(world, action, client):
    client.post(_link_url(action), {"status": "need_help", "note": "Nobody has a van"})
    client.post(_link_url(action), {"status": "on_track", "percent": "60"})
    action = Action.objects.select_related("priority", "latest_update").get(pk=action.pk)
    assert action.percent == 60
    assert health.Flag.HELP_REQUESTED not in action.health(timezone.now(), timezone.localdate())


def test_no_answer_on_the_emailed_link_is_explained_beside_it_and_the_note_is_kept(action, client):
    url = _link_url(action)
    response = client.post(url, {"note": "Half the path is clear", "percent": "50"})
    assert response.status_code == 200
    page = response.content.decode()
    message = "Choose how it is going: done, on track, stuck or need help."
    assert 'class="error-summary"' in page and f'<a href="#id_status_0">{message}' in page
    assert 'id="id_status_error"' in page and page.count(message) == 2
    assert "Half the path is clear" in page and 'value="50"' in page
    assert not ProgressUpdate.objects.exists()
    assert UpdateLink.objects.get().used_at is None  # the link still works


def test_the_group_keeps_the_full_update_form(world, action):
    client = world.client("member")
    page = client.get(_update_url(action)).content.decode()
    assert all(label in page for label in ("Not started", "At risk", "Delayed", "Dropped"))
    assert "Need help" not in page
    response = client.post(_update_url(action), {"status": "on_track", "reason": "Started"})
    assert "Enter per cent complete" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_health_is_computed_and_agrees_with_the_queries(plan):
    now, today = timezone.now(), timezone.localdate()
    priority = PriorityFactory(plan=plan, section=Section.HELP)
    overdue = ActionFactory(priority=priority, target_date=today - timedelta(days=1),
                            lead_status=OwnerStatus.ACCEPTED)
    undated = ActionFactory(priority=priority, target_date=None, lead_name="", lead_contact="")
    stalled = ActionFactory(priority=priority, update_cadence=Cadence.MONTHLY,
                            partner_status=OwnerStatus.ASKED)
    Action.objects.filter(pk=stalled.pk).update(created_at=now - timedelta(days=70))
    declined = ActionFactory(priority=priority, lead_status=OwnerStatus.DECLINED)
    done = ActionFactory(priority=priority, target_date=today - timedelta(days=9), progress="done")
    loaded = {a.pk: a for a in Action.objects.select_related("priority", "latest_update")}
    flags = {pk: a.health(now, today) for pk, a in loaded.items()}
    assert flags[overdue.pk] == [health.Flag.OVERDUE]
    assert set(flags[undated.pk]) == {health.Flag.NO_DATE, health.Flag.NO_OWNER}
    assert set(flags[stalled.pk]) == {health.Flag.STALLED, health.Flag.WAITING_ON_PARTNER}
    assert flags[declined.pk] == [health.Flag.DECLINED] and flags[done.pk] == []
    assert set(Action.objects.overdue(today)) == {overdue}
    assert set(Action.objects.update_due(now)) == {stalled}
    assert set(Action.objects.without_owner()) == {undated}
    assert set(Action.objects.declined()) == {declined}
    assert set(Action.objects.waiting_on_partner()) == {stalled}


def test_an_update_resets_the_stalled_clock(plan):
    action = ActionFactory(priority=PriorityFactory(plan=plan), update_cadence=Cadence.MONTHLY)
    Action.objects.filter(pk=action.pk).update(created_at=timezone.now() - timedelta(days=70))
    assert Action.objects.update_due(timezone.now()).count() == 1
    delivery.update_post(action=action, status="not_started", percent=5)
    assert Action.objects.update_due(timezone.now()).count() == 0


def _build(plan, n):
    for i in range(n):
        priority = PriorityFactory(plan=plan, section=1 + i % 2, is_quick_win=i % 3 == 0)
        for j in range(3):
            action = ActionFactory(priority=priority, lead_email=f"l{i}{j}@test.org")
            delivery.update_post(action=action, status="done" if j == 0 else "on_track",
                                 percent=50, reason="Going well")


@pytest.mark.parametrize("size", [2, 12])
def test_overview_runs_a_fixed_number_of_queries(world, plan, size, django_assert_max_num_queries):
    _build(plan, size)
    client = world.client("chair")
    with django_assert_max_num_queries(24):
        response = client.get(reverse("actions:delivery", kwargs={"pk": plan.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "of the completed actions were done by the community itself" in page
    assert "47%" in page and "East of England" in page


def test_self_delivery_share_counts_completed_actions_by_section(plan):
    from actions.progress import load_delivery

    one, two = PriorityFactory(plan=plan, section=1), PriorityFactory(plan=plan, section=2)
    for priority, count in ((one, 3), (two, 1)):
        for _ in range(count):
            delivery.update_post(action=ActionFactory(priority=priority), status="done",
                                 percent=100, reason="Done")
    ActionFactory(priority=two)
    assert load_delivery(plan).self_delivery_share == 75


def test_step_8_gate_items_follow_the_data(plan, action):
    assert gates.every_action_owned(plan) is False
    Action.objects.filter(pk=action.pk).update(lead_status=OwnerStatus.ACCEPTED)
    assert gates.every_action_owned(plan) is True
    assert gates.progress_reported_recently(plan) is False
    CommunityUpdate.objects.create(plan=plan, title="Old", body="x", covers_from=timezone.now(),
                                   published_at=timezone.now() - timedelta(days=200))
    assert gates.progress_reported_recently(plan) is False
    delivery.community_update_save(plan=plan, title="Spring", body="We did things", publish=True,
                                   actor=None)
    assert gates.progress_reported_recently(plan) is True


def test_dropped_actions_do_not_need_an_owner(plan, action):
    delivery.update_post(action=action, status=UpdateStatus.DROPPED, percent=0,
                         reason="The landowner said no")
    ActionFactory(priority=action.priority, lead_status=OwnerStatus.ACCEPTED)
    assert gates.every_action_owned(plan) is True

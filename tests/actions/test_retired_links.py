"""A lead's update-by-email link stops working once the action's lead is replaced or removed: the
old lead gets a page saying the link is no longer valid and who to ask, and cannot post."""

import re

import pytest
from django.urls import reverse

from actions.models import Action, ProgressUpdate, Section, UpdateLink
from plans.models import Plan
from plans.steps import Step
from tests.actions.factories import PriorityFactory

VOLUNTEER = {"lead_name": "Jo Volunteer", "lead_email": "jo@vol.test"}


@pytest.fixture
def priority(world):
    Plan.objects.filter(pk=world.plan.pk).update(step=Step.IMPLEMENTING)
    return PriorityFactory(plan=world.plan, section=Section.COMMUNITY, title="Speeding")


def _save_action(world, priority, fields, capture, action=None):
    """Post the action form as the group does."""
    kwargs = {"pk": world.plan.pk, "prid": priority.pk}
    url = (reverse("actions:action_edit", kwargs={**kwargs, "aid": action.pk}) if action
           else reverse("actions:action_new", kwargs=kwargs))
    with capture(execute=True):
        page = world.client("member").post(url, {"what": "Speed survey", "update_cadence": "quarterly",
                                                 "status": "not_started", **fields}, follow=True)
    assert page.status_code == 200 and "Saved the action" in page.text
    return Action.objects.get(pk=action.pk) if action else Action.objects.get()


def _send_update_link(world, action, mailoutbox, capture) -> str:
    with capture(execute=True):
        response = world.client("member").post(reverse("actions:update_link_send", kwargs={
            "pk": world.plan.pk, "prid": action.priority_id, "aid": action.pk}))
    assert response.status_code == 302
    url = re.search(r"http\S+/update/\S+/", mailoutbox[-1].body).group(0)
    return url[url.index("/delivery-links"):]


def _assert_no_longer_valid(response, world):
    assert response.status_code == 410
    page = response.content.decode()
    assert "<title>This link is no longer valid" in page and "<h1>This link is no longer valid</h1>" in page
    assert "ask the steering group" in page and world.plan.community.name in page
    assert world.plan.community.get_absolute_url() in page
    assert "Reporting as" not in page  # no form


@pytest.mark.parametrize("new_lead", ["member", "volunteer", "nobody"])
def test_the_old_leads_update_link_stops_working_when_the_lead_changes(
        world, priority, mailoutbox, client, django_capture_on_commit_callbacks, new_lead):
    capture = django_capture_on_commit_callbacks
    action = _save_action(world, priority, VOLUNTEER, capture)
    old_link = _send_update_link(world, action, mailoutbox, capture)
    assert mailoutbox[-1].to == ["jo@vol.test"]
    assert client.get(old_link).status_code == 200

    replacement = {"member": {"lead_user": world.people["secretary"].pk},
                   "volunteer": {"lead_name": "Pat Neighbour", "lead_email": "pat@vol.test"},
                   "nobody": {}}[new_lead]
    action = _save_action(world, priority, replacement, capture, action=action)
    _assert_no_longer_valid(client.get(old_link), world)
    _assert_no_longer_valid(client.post(old_link, {"status": "done", "note": "All done"}), world)
    assert not ProgressUpdate.objects.exists()
    assert Action.objects.get(pk=action.pk).progress == "not_started"

    if new_lead != "nobody":
        new_link = _send_update_link(world, action, mailoutbox, capture)
        assert client.post(new_link, {"status": "on_track"}).status_code == 200
        assert ProgressUpdate.objects.get().by_name != "Jo Volunteer"


def test_editing_the_action_with_the_same_lead_keeps_the_link_working(
        world, priority, mailoutbox, client, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    action = _save_action(world, priority, VOLUNTEER, capture)
    link = _send_update_link(world, action, mailoutbox, capture)
    _save_action(world, priority, {**VOLUNTEER, "what": "Speed survey on Mill Lane"}, capture,
                 action=action)
    response = client.post(link, {"status": "on_track", "note": "Counter is up"})
    assert response.status_code == 200 and b"your update is saved" in response.content
    assert ProgressUpdate.objects.get().by_name == "Jo Volunteer"


def test_a_link_retired_while_the_form_is_open_cannot_post(
        world, priority, mailoutbox, client, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    action = _save_action(world, priority, VOLUNTEER, capture)
    link = _send_update_link(world, action, mailoutbox, capture)
    assert b"Reporting as Jo Volunteer" in client.get(link).content
    _save_action(world, priority, {"lead_user": world.people["secretary"].pk}, capture, action=action)
    _assert_no_longer_valid(client.post(link, {"status": "need_help", "note": "Van?"}), world)
    assert UpdateLink.objects.get(email="jo@vol.test").used_at is None
    assert not ProgressUpdate.objects.exists()


def test_a_used_or_forged_link_still_says_why_with_a_400(world, priority, mailoutbox, client,
                                                         django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    action = _save_action(world, priority, VOLUNTEER, capture)
    link = _send_update_link(world, action, mailoutbox, capture)
    client.post(link, {"status": "on_track"})
    used = client.get(link)
    assert used.status_code == 400 and b"already been used" in used.content
    assert b"This link cannot be used" in used.content
    assert client.get(link[:-3] + "xx/").status_code == 400

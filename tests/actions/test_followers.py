"""Residents follow a plan or a priority by email from the public page: double opt-in, told only
about real status changes, in a weekly digest through the reminder ledger, one-click unsubscribe."""

import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions import delivery, tokens
from actions.models import Follower, PlanVersion
from clp import services
from clp.models import Recipient, Reminder, ReminderStatus
from plans.models import Plan
from plans.steps import Step
from tests.actions.factories import ActionFactory, PriorityFactory


@pytest.fixture
def plan(world):
    Plan.objects.filter(pk=world.plan.pk).update(step=Step.IMPLEMENTING)
    PlanVersion.objects.create(plan=world.plan, number=1, data={}, frozen_by=world.people["chair"])
    return Plan.objects.get(pk=world.plan.pk)


@pytest.fixture
def priorities(plan):
    speed = PriorityFactory(plan=plan, title="Speeding")
    paths = PriorityFactory(plan=plan, title="Footpaths")
    return {"speed": speed, "paths": paths,
            "signs": ActionFactory(priority=speed, what="Ask for 20 mph signs"),
            "bench": ActionFactory(priority=paths, what="New bench")}


def follow(client, plan, mailoutbox, capture, email="fan@res.test", priority=""):
    url = reverse("actions:follow", kwargs={"pk": plan.pk})
    with capture(execute=True):
        response = client.post(url, {"email": email, "priority": priority})
    assert response.status_code == 200 and b"Check your email" in response.content
    confirm = re.search(r"http\S+/delivery-links/follow/\S+/", mailoutbox[-1].body).group(0)
    return confirm[confirm.index("/delivery-links"):]


def sweep(capture):
    with capture(execute=True):
        services.reminders_sweep(today=timezone.localdate())


def test_follow_is_linked_from_the_public_page_and_confirmed_by_a_button(
        plan, priorities, client, mailoutbox, django_capture_on_commit_callbacks):
    page = client.get(reverse("actions:public_progress", kwargs={"pk": plan.pk})).content.decode()
    assert reverse("actions:follow", kwargs={"pk": plan.pk}) in page
    assert f"?priority={priorities['speed'].pk}" in page
    path = follow(client, plan, mailoutbox, django_capture_on_commit_callbacks)
    assert mailoutbox[0].to == ["fan@res.test"] and "Please confirm" in mailoutbox[0].subject
    follower = Follower.objects.get()
    # Opening the link (a mail scanner does) confirms nothing; the button does, once.
    assert b"Yes, send me progress emails" in client.get(path).content
    assert Follower.objects.get().confirmed_at is None
    assert b"you are following" in client.post(path).content
    assert Follower.objects.get(pk=follower.pk).confirmed_at is not None
    again = client.post(path)
    assert again.status_code == 400 and b"already been used" in again.content


def test_bad_email_is_explained_beside_the_field_and_kept(plan, client):
    response = client.post(reverse("actions:follow", kwargs={"pk": plan.pk}), {"email": "not-an-email"})
    html = response.content.decode()
    assert response.status_code == 200 and "not-an-email" in html and "email address" in html.lower()
    assert not Follower.objects.exists()


@pytest.mark.parametrize("mangle", ["forged", "expired", "other purpose"])
def test_forged_or_expired_confirm_links_get_a_clear_page(plan, client, settings, mangle):
    follower = Follower.objects.create(plan=plan, email="fan@res.test", nonce=tokens.new_nonce())
    token = tokens.make(tokens.FOLLOW, follower.pk, follower.nonce)
    expected = tokens.FORGED
    if mangle == "forged":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif mangle == "expired":
        settings.ACTIONS_LINK_VALID_DAYS = 0  # any link older than a second has expired
        time.sleep(1.1)
        expected = tokens.EXPIRED
    else:
        token = tokens.make(tokens.HELP_OFFER, follower.pk, follower.nonce)
    response = client.post(reverse("actions:follow_confirm", kwargs={"token": token}))
    assert response.status_code == 400 and str(expected) in response.content.decode()
    assert Follower.objects.get().confirmed_at is None


def test_unconfirmed_followers_hear_nothing_and_confirmed_ones_only_real_status_changes(
        plan, priorities, client, mailoutbox, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    path = follow(client, plan, mailoutbox, capture, email="fan@res.test")
    follow(client, plan, mailoutbox, capture, email="never@res.test")  # never confirms
    path_priority = follow(client, plan, mailoutbox, capture, email="paths@res.test",
                           priority=priorities["paths"].pk)
    client.post(path)
    client.post(path_priority)
    mailoutbox.clear()
    delivery.update_post(action=priorities["signs"], status="on_track", percent=10,
                         reason="County agreed to survey")
    delivery.update_post(action=priorities["signs"], status="on_track", percent=30,
                         note="No change of status")
    delivery.update_post(action=priorities["bench"], status="done", percent=100, reason="Installed")
    sweep(capture)
    sweep(capture)
    by_person = {m.to[0]: m for m in mailoutbox}
    assert sorted(by_person) == ["fan@res.test", "paths@res.test"]
    fan = by_person["fan@res.test"].body
    assert "“Ask for 20 mph signs” is now on track" in fan and "County agreed to survey" in fan
    assert "“New bench” is now done" in fan
    assert "No change of status" not in fan
    assert "Ask for 20 mph signs" not in by_person["paths@res.test"].body  # another priority
    # Residents' rows are not the steering group's: no plan on them.
    assert set(Reminder.objects.filter(kind="followed_progress").values_list("plan_id", flat=True)) == {None}


def test_changes_are_batched_weekly_and_one_click_unsubscribe_stops_them(
        plan, priorities, client, mailoutbox, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    client.post(follow(client, plan, mailoutbox, capture))
    mailoutbox.clear()
    delivery.update_post(action=priorities["signs"], status="on_track", percent=10, reason="Begun")
    sweep(capture)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    delivery.update_post(action=priorities["signs"], status="delayed", percent=10, reason="Rain")
    sweep(capture)
    assert len(mailoutbox) == 1  # the next change waits for next week's digest
    assert Reminder.objects.filter(kind="followed_progress", status=ReminderStatus.DUE).count() == 1
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(unsubscribe[unsubscribe.index("/", 8):],
                                                     {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    Recipient.objects.filter(email="fan@res.test").update(
        weekly_sent_at=timezone.now() - timedelta(days=8))
    delivery.update_post(action=priorities["bench"], status="done", percent=100, reason="Installed")
    sweep(capture)
    assert len(mailoutbox) == 1
    # Following again later turns the digest back on.
    client.post(follow(client, plan, mailoutbox, capture))
    assert Recipient.objects.get(email="fan@res.test").preferences["followed_progress"] == "weekly"


def test_follow_form_is_rate_limited(plan, client, settings):
    settings.ACTIONS_RATE_PUBLIC = "2/m"
    url = reverse("actions:follow", kwargs={"pk": plan.pk})
    for _n in range(2):
        client.post(url, {"email": "fan@res.test"})
    assert client.post(url, {"email": "fan@res.test"}).status_code == 429
    assert Follower.objects.count() == 2


def test_a_plan_not_published_cannot_be_followed(world, client):
    assert client.get(reverse("actions:follow", kwargs={"pk": world.plan.pk})).status_code == 404

"""A lead who asks for help from their emailed link: the plan's chair and secretary are each
emailed once, after commit, through the outbox (a lost message is sent by the sweep, never twice)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions import delivery, tokens
from actions.models import HelpNotice, UpdateLink
from plans.models import Plan, Role
from plans.steps import Step
from tests import factories
from tests.actions.factories import ActionFactory, PriorityFactory


@pytest.fixture
def action(world):
    Plan.objects.filter(pk=world.plan.pk).update(step=Step.IMPLEMENTING)
    return ActionFactory(priority=PriorityFactory(plan=world.plan, title="Footpaths"),
                         what="Clear the bridleway", lead_name="Jo Volunteer",
                         lead_email="jo@vol.test")


def _link_url(action):
    link = UpdateLink.objects.create(action=action, email="jo@vol.test", name="Jo Volunteer",
                                     nonce=tokens.new_nonce())
    return reverse("actions:update_by_link", kwargs={
        "aid": action.pk, "token": tokens.make(tokens.UPDATE_LINK, link.pk, link.nonce)})


def _ask_for_help(client, action, capture, note="Nobody has a van for the brash"):
    with capture(execute=True):
        response = client.post(_link_url(action), {"status": "need_help", "note": note})
    assert b"your update is saved" in response.content


def test_the_chair_and_the_secretary_are_each_emailed_once(world, action, client,
                                                           django_capture_on_commit_callbacks):
    _ask_for_help(client, action, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["chair@test.org", "sec@test.org"]
    for message in mail.outbox:
        assert message.subject == "Jo Volunteer asked for help with “Clear the bridleway”"
        assert "Nobody has a van for the brash" in message.body
        assert "Priority: Footpaths" in message.body and world.plan.title in message.body
        assert reverse("actions:action", kwargs={
            "pk": world.plan.pk, "prid": action.priority_id, "aid": action.pk}) in message.body
    chair_mail = next(m for m in mail.outbox if m.to == ["chair@test.org"])
    assert "Why you got this: You are the chair of the steering group" in chair_mail.body

    # A redelivered message, a second task run and the sweep send nothing more.
    from actions import tasks

    HelpNotice.objects.update(created_at=timezone.now() - timedelta(hours=1))
    for notice in HelpNotice.objects.all():
        assert tasks.send_help_notice.delay(notice.pk).get() is False
    delivery.resend_lost_emails()
    assert len(mail.outbox) == 2


def test_an_update_without_a_request_for_help_emails_nobody(action, client,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_link_url(action), {"status": "on_track", "note": "Going well"})
    assert mail.outbox == [] and not HelpNotice.objects.exists()


def test_the_emails_are_queued_only_after_commit(world, action, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        delivery.update_post(action=action, status="at_risk", percent=10, reason="Stuck",
                             by_name="Jo Volunteer", help_requested=True)
    assert mail.outbox == [] and HelpNotice.objects.count() == 2
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 2
    assert not HelpNotice.objects.filter(emailed_at__isnull=True).exists()


def test_one_person_in_both_roles_gets_one_email(world, action, client,
                                                 django_capture_on_commit_callbacks):
    """The secretary's post is held by the chair, under a second account with the same address."""
    Plan.objects.get(pk=world.plan.pk).memberships.filter(role=Role.SECRETARY).update(
        left_on=timezone.localdate())
    factories.MembershipFactory(plan=world.plan, role=Role.SECRETARY,
                                user=factories.UserFactory(email="Chair@Test.org"))
    _ask_for_help(client, action, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["chair@test.org"]]


def test_a_lost_message_is_sent_by_the_sweep_once(world, action, client,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        client.post(_link_url(action), {"status": "need_help", "note": "Need a van"})
    assert mail.outbox == [] and HelpNotice.objects.count() == 2
    HelpNotice.objects.update(created_at=timezone.now() - timedelta(hours=1))
    assert delivery.resend_lost_emails() == 2
    assert delivery.resend_lost_emails() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["chair@test.org", "sec@test.org"]


def test_the_help_email_task_uses_the_outbox_task_options():
    from actions import tasks
    from clp import outbox

    assert tasks.send_help_notice.acks_late and tasks.send_help_notice.reject_on_worker_lost
    assert set(outbox.EMAIL_TASK["autoretry_for"]) <= set(tasks.send_help_notice.autoretry_for)

"""Delivery emails (owner requests, update links, offers to help) are claimed, sent with no row
lock held, and marked sent; a lost one is sent again by the sweep, and none is sent twice.

Real services: a loopback socket that accepts SMTP connections and never answers."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from actions import delivery, tokens
from actions.models import HelpOffer, OwnerRequest, OwnerRole, UpdateLink
from clp import outbox
from plans.models import Plan
from plans.steps import Step
from tests.actions.factories import ActionFactory, PriorityFactory
from tests.realservices import SilentMailServer, wait_for

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Row locks need PostgreSQL")


@pytest.fixture
def action(world):
    Plan.objects.filter(pk=world.plan.pk).update(step=Step.IMPLEMENTING)
    priority = PriorityFactory(plan=world.plan, title="Speeding")
    return ActionFactory(priority=priority, lead_name="Jo Volunteer", lead_email="jo@vol.test",
                         what="Speed survey")


@pytest.fixture
def silent_mail_server(settings):
    server = SilentMailServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
    settings.EMAIL_TIMEOUT = 1.5
    yield server
    server.close()


def _in_thread(fn) -> dict:
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = fn()
        except Exception as error:  # noqa: BLE001 - the test inspects what the sender got
            outcome["error"] = error
        finally:
            connection.close()

    outcome["thread"] = thread = threading.Thread(target=run)
    thread.start()
    return outcome


def _request(action, world) -> OwnerRequest:
    return OwnerRequest.objects.create(action=action, role=OwnerRole.LEAD, recipient_name="Jo",
                                       recipient_email="jo@vol.test", nonce=tokens.new_nonce(),
                                       sent_by=world.people["chair"])


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_an_owner_request_to_a_mail_server_that_never_answers_holds_no_lock(
        world, action, silent_mail_server, settings):
    request = _request(action, world)
    started = time.monotonic()
    sending = _in_thread(lambda: delivery.owner_request_email(request_id=request.pk))
    assert wait_for(lambda: silent_mail_server.accepted, 5)  # the sender is talking to the server
    # Meanwhile the row is free: another transaction locks and changes it without waiting.
    with transaction.atomic():
        locked = OwnerRequest.objects.select_for_update(nowait=True).get(pk=request.pk)
        assert locked.sending_since is not None  # claimed, not locked
        OwnerRequest.objects.filter(pk=request.pk).update(recipient_name="Jo Volunteer")
    sending["thread"].join(10)
    error = sending.get("error")
    assert isinstance(error, outbox.EMAIL_TASK["autoretry_for"]) and "timed out" in str(error)
    assert time.monotonic() - started < 6
    stuck = OwnerRequest.objects.get(pk=request.pk)
    assert stuck.emailed_at is None and stuck.sending_since is None  # the claim was released

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OwnerRequest.objects.filter(pk=request.pk).update(sent_at=timezone.now() - timedelta(hours=1))
    assert delivery.resend_lost_emails() == 1  # eager here: the task runs at once
    assert OwnerRequest.objects.get(pk=request.pk).emailed_at is not None
    assert [m.to for m in mail.outbox] == [["jo@vol.test"]]
    assert delivery.resend_lost_emails() == 0


@pytest.mark.django_db
def test_each_delivery_email_claimed_by_another_worker_is_not_sent_twice(world, action):
    request = _request(action, world)
    link = UpdateLink.objects.create(action=action, email="jo@vol.test", name="Jo",
                                     nonce=tokens.new_nonce())
    offer = HelpOffer.objects.create(action=action, name="Sam", email="sam@res.test",
                                     what="Count cars", nonce=tokens.new_nonce())
    now, old = timezone.now(), timezone.now() - timedelta(hours=1)
    cases = [
        (OwnerRequest, request, "sending_since", lambda: delivery.owner_request_email(request_id=request.pk)),
        (UpdateLink, link, "sending_since", lambda: delivery.update_link_email(link_id=link.pk)),
        (HelpOffer, offer, "confirm_sending_since",
         lambda: delivery.offer_confirmation_email(offer_id=offer.pk)),
    ]
    for model, row, field, send in cases:
        model.objects.filter(pk=row.pk).update(**{field: now})
        with pytest.raises(outbox.Busy):
            send()
        # A claim older than any task may run belongs to a dead worker: the row is free again.
        model.objects.filter(pk=row.pk).update(**{field: old})
        assert send() is True
        assert send() is False
    assert len(mail.outbox) == 3

    HelpOffer.objects.filter(pk=offer.pk).update(confirmed_at=now, lead_sending_since=now)
    with pytest.raises(outbox.Busy):
        delivery.offer_lead_email(offer_id=offer.pk)
    HelpOffer.objects.filter(pk=offer.pk).update(lead_sending_since=None)
    assert delivery.offer_lead_email(offer_id=offer.pk) is True
    assert delivery.offer_lead_email(offer_id=offer.pk) is False
    assert [m.to for m in mail.outbox][-1] == ["jo@vol.test"] and len(mail.outbox) == 4
    assert HelpOffer.objects.get(pk=offer.pk).lead_sending_since is None


def test_delivery_tasks_use_the_outbox_task_options():
    from actions import tasks

    for task in (tasks.send_owner_request, tasks.send_update_link, tasks.send_offer_confirmation,
                 tasks.send_offer_to_lead):
        assert task.acks_late and task.reject_on_worker_lost
        assert set(outbox.EMAIL_TASK["autoretry_for"]) <= set(task.autoretry_for)

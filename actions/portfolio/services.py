"""Portfolio services: saved filters, and bulk messages to the chairs of selected plans.

A bulk message is a row per chair and plan (the record of work), written in the request; a task
per row is enqueued after commit. Sending claims the row with a conditional UPDATE and sends the
email outside any transaction, so no row lock is held across the mail server; a failed send
releases the claim, and a sweep re-enqueues rows whose message was lost or whose claim lapsed.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from kombu.exceptions import OperationalError

from actions.portfolio.models import BulkMessage, BulkRecipient, SavedFilter
from clp.models import Organisation, User
from plans.models import Membership, Plan, Role

logger = logging.getLogger(__name__)
CLAIM_LAPSES_AFTER = timedelta(minutes=10)


@transaction.atomic
def saved_filter_save(*, organisation: Organisation, name: str, query: str,
                      actor: User) -> SavedFilter:
    """Keep the officer's current filters under a name (the same name replaces the old one)."""
    saved, _created = SavedFilter.objects.update_or_create(
        officer=actor, organisation=organisation, name=name.strip(), defaults={"query": query})
    return saved


@transaction.atomic
def saved_filter_delete(*, saved: SavedFilter, actor: User) -> None:
    """An officer removes one of their own saved filters."""
    SavedFilter.objects.filter(pk=saved.pk, officer=actor).delete()


def chairs_of(plans):
    return Membership.objects.active().filter(plan__in=plans, role=Role.CHAIR)


@transaction.atomic
def bulk_message_send(*, organisation: Organisation, plans: list[Plan], subject: str, body: str,
                      actor: User) -> BulkMessage:
    """Record a message to the chairs of the plans and email each one after commit."""
    from actions.portfolio import tasks

    message = BulkMessage.objects.create(organisation=organisation, sender=actor,
                                         subject=subject, body=body)
    recipients = BulkRecipient.objects.bulk_create(
        [BulkRecipient(message=message, plan_id=m.plan_id, user_id=m.user_id)
         for m in chairs_of(plans).order_by("plan_id", "user_id")])
    for recipient in recipients:
        tasks.send_bulk_message.delay_on_commit(recipient.pk)
    return message


def _claim(recipient_id: int) -> bool:
    lapsed = timezone.now() - CLAIM_LAPSES_AFTER
    return bool(BulkRecipient.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=lapsed),
        pk=recipient_id, emailed_at__isnull=True).update(claimed_at=timezone.now()))


def bulk_recipient_email(*, recipient_id: int) -> bool:
    """Email one chair once; safe to run twice (the row is claimed, then marked emailed)."""
    if not _claim(recipient_id):
        return False
    recipient = (BulkRecipient.objects.select_related("message__sender", "plan__community", "user")
                 .get(pk=recipient_id))
    context = {"recipient": recipient, "message": recipient.message, "plan": recipient.plan,
               "url": settings.SITE_URL + recipient.plan.get_absolute_url()}
    try:
        sender = recipient.message.sender
        EmailMessage(subject=recipient.message.subject,
                     body=render_to_string("portfolio/email/bulk_message_body.txt", context),
                     to=[recipient.user.email],
                     reply_to=[sender.email] if sender else None).send()
    except Exception:
        BulkRecipient.objects.filter(pk=recipient_id).update(claimed_at=None)
        raise
    BulkRecipient.objects.filter(pk=recipient_id).update(emailed_at=timezone.now())
    return True


def bulk_messages_resend_unsent() -> int:
    """The sweep: re-enqueue every row not yet emailed whose claim is free or has lapsed."""
    from actions.portfolio import tasks

    lapsed = timezone.now() - CLAIM_LAPSES_AFTER
    ids = list(BulkRecipient.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=lapsed), emailed_at__isnull=True,
        message__created_at__lt=lapsed).values_list("pk", flat=True))
    for pk in ids:
        try:
            tasks.send_bulk_message.delay(pk)
        except OperationalError:  # a down broker: the next sweep tries again
            logger.warning("Could not enqueue bulk message %s; the next sweep will.", pk)
            break
    return len(ids)

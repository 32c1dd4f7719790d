"""Core services: invitations and reminders. Views call these; they never write domain rows themselves."""

import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from smtplib import (
    SMTPConnectError,
    SMTPException,
    SMTPRecipientsRefused,
    SMTPResponseException,
    SMTPServerDisconnected,
)

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from kombu.exceptions import OperationalError as BrokerError

from clp import invitations, reminders
from clp.exceptions import Refused, TransientSendError
from clp.models import (
    Community,
    Invitation,
    Organisation,
    Preference,
    Recipient,
    Reminder,
    ReminderStatus,
    User,
    normalise_email,
)
from clp.outbox import Claim

logger = logging.getLogger(__name__)


@transaction.atomic
def invitation_create(
    *, email: str, kind: str, target_id: int, actor: User, role: str = "",
    full_name: str = "", message: str = "", detail: dict | None = None,
) -> Invitation:
    """Record an invitation and send its email once the transaction has committed."""
    from clp import tasks

    invitations.get_kind(kind)  # fails loudly on an unregistered kind
    email = email.strip().lower()
    # A fresh invitation replaces any earlier unanswered one for the same role.
    Invitation.objects.pending().filter(
        email__iexact=email, kind=kind, target_id=target_id
    ).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        email=email, kind=kind, target_id=target_id, role=role, full_name=full_name,
        message=message, detail=detail or {}, invited_by=actor,
        expires_at=Invitation.default_expiry(),
    )
    tasks.send_invitation.delay_on_commit(invitation.pk)
    return invitation


def invitation_send(*, invitation_id: int) -> bool:
    """Email the invitation link once; safe to run twice (claimed, sent, then marked sent, with no
    lock held while the mail server talks: see clp.outbox)."""
    with Claim(Invitation.objects.unsent().filter(pk=invitation_id)) as claim:
        invitation = claim.row
        if invitation is None:
            return False
        kind = invitations.get_kind(invitation.kind)
        context = {
            "invitation": invitation,
            "what": kind.describe(invitation),
            "url": settings.SITE_URL + invitation.get_absolute_url(),
            "inviter": invitation.invited_by,
        }
        send_mail(
            subject=render_to_string("clp/email/invitation_subject.txt", context).strip(),
            message=render_to_string("clp/email/invitation_body.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
        claim.finish(sent_at=timezone.now())
    return True


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> str:
    """Give the invited role to `user` and return where they should land."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable:
        raise Refused(unusable_reason(locked))
    if user.email.lower() != locked.email.lower():
        raise Refused(
            f"This invitation was sent to {locked.email}. Sign out and open the link again."
        )
    landing = invitations.get_kind(locked.kind).accept(locked, user)
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    # The person proved they own the address by opening the link sent to it.
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return landing


@transaction.atomic
def user_create_from_invitation(
    *, invitation: Invitation, full_name: str, password: str
) -> User:
    """Create the account for someone accepting an invitation who has none yet."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise Refused("An account with this email address already exists. Please sign in.")
    return User.objects.create_user(
        email=invitation.email, password=password, full_name=full_name
    )


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, actor: User) -> None:
    """Stop an unanswered invitation's link from working."""
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(revoked_at=timezone.now())
    logger.info("Invitation %s withdrawn by %s", invitation.pk, actor.pk)


def invitation_resend(*, invitation: Invitation, actor: User) -> Invitation:
    """Send the same invitation again with a fresh link (the old one stops working)."""
    return invitation_create(
        email=invitation.email, kind=invitation.kind, target_id=invitation.target_id, actor=actor,
        role=invitation.role, full_name=invitation.full_name, message=invitation.message,
        detail=invitation.detail,
    )


def unusable_reason(invitation: Invitation) -> str:
    return {
        "accepted": "This invitation has already been used.",
        "revoked": "This invitation was replaced or withdrawn. Ask for a new one.",
        "expired": "This invitation has expired. Ask the person who invited you to send a new one.",
    }.get(invitation.status, "This invitation cannot be used.")


def invitation_resend_unsent(*, older_than_minutes: int = 5) -> int:
    """Re-enqueue invitations whose email was never sent (the broker lost the message)."""
    from clp import tasks

    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    ids = list(Invitation.objects.unsent().filter(created_at__lt=cutoff).exclude(
        sending_since__gte=timezone.now() - timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS))
        .values_list("pk", flat=True))
    for pk in ids:
        tasks.send_invitation.delay(pk)
    return len(ids)


@transaction.atomic
def community_add_to_portfolio(*, organisation: Organisation, actor: User, **fields) -> Community:
    """Create a community and put it in the organisation's portfolio."""
    base = slugify(fields["name"])[:70] or "community"
    slug, n = base, 1
    while Community.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    community = Community.objects.create(slug=slug, **fields)
    organisation.communities.add(community)
    logger.info("Community %s added to %s by %s", community.pk, organisation.pk, actor.pk)
    return community


# --- reminders: the contract is in clp/reminders.py -----------------------------------------------

def _is_transient(error: Exception) -> bool:
    if isinstance(error, SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in error.recipients.values())
    if isinstance(error, SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, SMTPServerDisconnected | SMTPConnectError):
        return True
    # Any other SMTP error is a refusal; a bare OSError is the network (refused, timed out).
    return not isinstance(error, SMTPException)


def reminders_sweep(*, today: date | None = None) -> int:
    """Record every reminder that is due and not yet in the ledger, free stale claims, and queue
    the sending for everyone with something due. Returns how many new rows were recorded."""
    today = today or timezone.localdate()
    items = [(kind, item) for kind in reminders.kinds() for item in kind.due(today)]
    with transaction.atomic():
        created = _record_due(items)
        stale = timezone.now() - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)
        Reminder.objects.filter(status=ReminderStatus.SENDING, claimed_at__lt=stale).update(
            status=ReminderStatus.DUE, last_error="The send was interrupted; trying again.")
        _queue_sends_after_commit(_recipients_with_mail_due())
    return created


def _recipients_with_mail_due() -> list[int]:
    """People with a due reminder they take straight away, or whose weekly summary is due."""
    week_ago = timezone.now() - timedelta(days=7)
    rows = (Reminder.objects.filter(status=ReminderStatus.DUE).order_by()
            .values_list("recipient_id", "kind", "recipient__preferences", "recipient__weekly_sent_at")
            .distinct())
    ready = set()
    for recipient_id, key, preferences, weekly_sent_at in rows:
        kind = reminders.get_kind(key) or _default_kind(key)
        choice = preferences.get(key, kind.default)
        if choice != Preference.WEEKLY or weekly_sent_at is None or weekly_sent_at <= week_ago:
            ready.add(recipient_id)  # "off" too: the task records those rows as skipped
    return sorted(ready)


def _record_due(items: list) -> int:
    emails = {normalise_email(item.email): item.user_id for _kind, item in items if item.email}
    Recipient.objects.bulk_create([Recipient(email=e, user_id=u) for e, u in emails.items()],
                                  ignore_conflicts=True)
    people = Recipient.objects.in_bulk(list(emails), field_name="email")
    # An address first seen without an account gets linked once the person has one.
    unlinked = [p for p in people.values() if p.user_id is None and emails[p.email]]
    for person in unlinked:
        person.user_id = emails[person.email]
    Recipient.objects.bulk_update(unlinked, ["user"])
    rows = []
    for kind, item in items:
        recipient = people.get(normalise_email(item.email))
        if recipient is None:
            continue
        off = recipient.preference(kind) == Preference.OFF
        rows.append(Reminder(
            recipient=recipient, kind=kind.key, subject_key=item.subject_key, period=item.period,
            plan_id=item.plan_id, community_id=item.community_id,
            context={"title": item.title, "detail": item.detail, "url": item.url, "why": item.why},
            status=ReminderStatus.SKIPPED if off else ReminderStatus.DUE,
        ))
    before = Reminder.objects.count()
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return Reminder.objects.count() - before


def _queue_sends_after_commit(recipient_ids: list[int]) -> None:
    # One after-commit callback for all (delay_on_commit per person would raise out of the commit
    # at the first broker error); a broker that is down is logged and the rows wait.
    from clp import tasks

    def enqueue() -> None:
        for pk in recipient_ids:
            try:
                tasks.send_reminders.delay(pk)
            except (BrokerError, OSError) as error:
                # The rows stay due: the next sweep queues them again once the broker is back.
                logger.warning("Reminders not queued, broker unreachable: %s", error)
                return

    transaction.on_commit(enqueue)


def reminders_send(*, recipient_id: int) -> int:
    """Send one email with everything due for this person now and mark it sent; safe to run
    twice (the rows are claimed first). Returns how many reminders went out."""
    claim = _claim_due(recipient_id)
    if claim is None:
        return 0
    message = _reminder_email(claim.recipient, claim.reminders)
    try:
        message.send()
    except (SMTPException, OSError) as error:
        transient = _is_transient(error)
        _release_claim(claim, error, transient=transient)
        if transient:
            raise TransientSendError(str(error)) from error
        logger.error("Reminder email to recipient %s refused: %s", claim.recipient.pk, error)
        return 0
    now = timezone.now()
    # By batch, not by status: a sweep that freed a slow claim must not make it go out twice.
    Reminder.objects.filter(batch=claim.batch).exclude(status=ReminderStatus.SENT).update(
        status=ReminderStatus.SENT, sent_at=now, last_error="")
    if claim.weekly:
        Recipient.objects.filter(pk=claim.recipient.pk).update(weekly_sent_at=now)
    return len(claim.reminders)


def _default_kind(key: str):
    return reminders.ReminderKind(key=key, label=key, due=lambda today: [])


@dataclass(frozen=True)
class _Claim:
    recipient: Recipient
    reminders: list[Reminder]
    batch: uuid.UUID
    weekly: bool  # the weekly summary is in this email


def _claim_due(recipient_id: int) -> _Claim | None:
    now = timezone.now()
    with transaction.atomic():
        # Locking the person's row serialises two tasks for them; the second finds nothing due.
        recipient = (Recipient.objects.select_for_update(skip_locked=True, of=("self",))
                     .select_related("user").filter(pk=recipient_id).first())
        if recipient is None:
            return None
        weekly_open = (recipient.weekly_sent_at is None
                       or recipient.weekly_sent_at <= now - timedelta(days=7))
        due = list(recipient.reminders.filter(status=ReminderStatus.DUE).order_by("created_at", "pk"))
        choice = {r.pk: recipient.preference(reminders.get_kind(r.kind) or _default_kind(r.kind))
                  for r in due}
        off = [r.pk for r in due if choice[r.pk] == Preference.OFF]
        Reminder.objects.filter(pk__in=off).update(status=ReminderStatus.SKIPPED)
        weekly = [r for r in due if choice[r.pk] == Preference.WEEKLY] if weekly_open else []
        claimed = [r for r in due if choice[r.pk] == Preference.IMMEDIATE] + weekly
        if not claimed:
            return None
        batch = uuid.uuid4()
        Reminder.objects.filter(pk__in=[r.pk for r in claimed], status=ReminderStatus.DUE).update(
            status=ReminderStatus.SENDING, claimed_at=now, batch=batch, attempts=F("attempts") + 1)
    return _Claim(recipient, sorted(claimed, key=lambda r: (r.created_at, r.pk)), batch, bool(weekly))


def _release_claim(claim: _Claim, error: Exception, *, transient: bool) -> None:
    text = f"{type(error).__name__}: {error}"[:1000]
    rows = Reminder.objects.filter(batch=claim.batch, status=ReminderStatus.SENDING)
    if transient:
        rows.filter(attempts__gte=settings.REMINDER_MAX_ATTEMPTS).update(
            status=ReminderStatus.FAILED, last_error=text)
        rows.update(status=ReminderStatus.DUE, last_error=text)
    else:
        rows.update(status=ReminderStatus.FAILED, last_error=text)


def _reminder_email(recipient: Recipient, claimed: list[Reminder]) -> EmailMultiAlternatives:
    from django.urls import reverse

    kinds = sorted({r.kind for r in claimed})
    unsubscribe = settings.SITE_URL + reverse("reminder_unsubscribe", kwargs={
        "token": reminders.make_token(recipient, reminders.UNSUBSCRIBE_SALT, kinds)})
    preferences = settings.SITE_URL + reverse("reminder_preferences", kwargs={
        "token": reminders.make_token(recipient, reminders.PREFERENCES_SALT)})
    items = [{"kind": r.kind_label, "title": r.title, "detail": r.context.get("detail", ""),
              "url": settings.SITE_URL + r.url if r.url else "", "why": r.context.get("why", "")}
             for r in claimed]
    name = recipient.user.get_short_name() if recipient.user_id else ""
    context = {"recipient": recipient, "name": name, "items": items, "preferences_url": preferences,
               "unsubscribe_url": unsubscribe, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=render_to_string("clp/email/reminders_subject.txt", context).strip(),
        body=render_to_string("clp/email/reminders_body.txt", context),
        to=[recipient.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(render_to_string("clp/email/reminders_body.html", context), "text/html")
    return message


@transaction.atomic
def reminder_preferences_save(*, recipient: Recipient, choices: dict[str, str]) -> Recipient:
    """Keep this person's choice (straight away, weekly, never) for each reminder kind."""
    locked = Recipient.objects.select_for_update().get(pk=recipient.pk)
    valid = {k.key for k in reminders.kinds()}
    locked.preferences = {**locked.preferences,
                          **{k: v for k, v in choices.items() if k in valid and v in Preference.values}}
    locked.save(update_fields=["preferences"])
    return locked


def reminder_unsubscribe(*, recipient: Recipient, kinds: list[str]) -> bool:
    """One-click unsubscribe (RFC 8058): turn off the kinds the email was about. Returns False
    when they were already off (a second click changes nothing)."""
    already = all(recipient.preferences.get(k) == Preference.OFF for k in kinds)
    reminder_preferences_save(recipient=recipient, choices=dict.fromkeys(kinds, Preference.OFF))
    return not already


def recipient_for_user(*, user: User) -> Recipient:
    """The signed-in person's reminder settings row, created the first time they look."""
    recipient = Recipient.objects.filter(user=user).order_by("-pk").first() or (
        Recipient.objects.filter(email=normalise_email(user.email)).first())
    if recipient is None:
        recipient, _created = Recipient.objects.get_or_create(
            email=normalise_email(user.email), defaults={"user": user})
    elif recipient.user_id is None:
        Recipient.objects.filter(pk=recipient.pk).update(user=user)
    return recipient


def recipient_reset_links(*, recipient: Recipient) -> None:
    """Make every link in emails already sent to this person stop working (a forwarded email)."""
    from clp.models import _new_nonce

    Recipient.objects.filter(pk=recipient.pk).update(nonce=_new_nonce())
    logger.info("Reminder links reset for recipient %s", recipient.pk)

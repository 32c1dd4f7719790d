"""Core services: invitations. Views call these; they never write domain rows themselves."""

import logging
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from clp import invitations
from clp.models import Community, Invitation, Organisation, User
from clp.outbox import Claim

logger = logging.getLogger(__name__)


class InvitationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
        raise InvitationError(unusable_reason(locked))
    if user.email.lower() != locked.email.lower():
        raise InvitationError(
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
        raise InvitationError("An account with this email address already exists. Please sign in.")
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

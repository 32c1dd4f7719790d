"""The agency inbox: partner bodies registered once in a support organisation's directory, their
contacts, and what each body (or a councillor) is asked across every community.

A contact answers a plan's owner request from the inbox through the same service as the emailed
link, and can respond once to many asks: the one response is posted on each action as a public
progress note attributed to the body, so it shows in each plan's history and public page.
"""

from dataclasses import dataclass, field
from datetime import date
from statistics import median

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from actions import delivery
from actions.models import (
    Action,
    Endorsement,
    EndorsementRequest,
    OwnerRequest,
    OwnerRole,
    OwnerStatus,
    PartnerContact,
    Priority,
    RegisteredPartner,
    Section,
)
from clp.exceptions import LinkRefused, Refused
from clp.models import CouncillorProfile, Organisation, User

INVITATION_KIND = "partner_contact"
ANSWERS = (OwnerStatus.ACCEPTED, OwnerStatus.DECLINED, OwnerStatus.PROPOSED)


# --- the directory ---------------------------------------------------------------------------

@transaction.atomic
def registered_partner_create(*, organisation: Organisation, fields: dict,
                              actor: User) -> RegisteredPartner:
    """Register a body once, so every plan of the portfolio can name it."""
    return RegisteredPartner.objects.create(organisation=organisation, **fields)


@transaction.atomic
def partner_contact_add(*, partner: RegisteredPartner, name: str, email: str, invite: bool,
                        actor: User) -> PartnerContact:
    """Add a person who answers for the body; with `invite`, email them an invitation."""
    contact = PartnerContact.objects.create(partner=partner, name=name, email=email.lower())
    if invite:
        partner_contact_invite(contact=contact, actor=actor)
    return contact


def partner_contact_invite(*, contact: PartnerContact, actor: User):
    """Invite the contact to sign in and see the body's inbox (the existing invitation flow)."""
    from clp import services as clp_services

    return clp_services.invitation_create(email=contact.email, kind=INVITATION_KIND,
                                          target_id=contact.pk, full_name=contact.name,
                                          actor=actor)


def register_invitation_kind() -> None:
    from django.urls import reverse

    from clp.invitations import InvitationKind, register

    def accept(invitation, user) -> str:
        contact = PartnerContact.objects.filter(pk=invitation.target_id).first()
        if contact is None:
            raise Refused(_("This contact has been removed from the partner directory. "
                            "Ask the support officer who invited you."))
        PartnerContact.objects.filter(pk=contact.pk).update(user=user)
        return reverse("actions:partner_inbox", kwargs={"bid": contact.partner_id})

    def describe(invitation) -> str:
        contact = PartnerContact.objects.select_related("partner").filter(
            pk=invitation.target_id).first()
        return _("answer for %(body)s in its inbox of community requests") % {
            "body": contact.partner if contact else _("a partner body")}

    register(InvitationKind(
        key=INVITATION_KIND,
        target=lambda pk: PartnerContact.objects.filter(pk=pk).first(),
        describe=describe, accept=accept,
    ))


@dataclass(frozen=True)
class ResponseTimes:
    answered: int
    waiting: int
    median_days: float | None


def response_times(partners) -> dict[int, ResponseTimes]:
    """For each registered body: how many asks it answered, how many wait, and the median days
    from the request being sent to the answer (one query for the whole directory)."""
    rows = (OwnerRequest.objects.filter(role=OwnerRole.PARTNER, superseded=False,
                                        action__partner_body__registered__in=partners)
            .order_by().values_list("action__partner_body__registered_id", "sent_at",
                                    "answered_at"))
    days: dict[int, list[float]] = {p.pk: [] for p in partners}
    waiting = dict.fromkeys(days, 0)
    for partner_id, sent_at, answered_at in rows:
        if answered_at is None:
            waiting[partner_id] += 1
        else:
            days[partner_id].append((answered_at - sent_at).total_seconds() / 86400)
    return {pk: ResponseTimes(answered=len(spans), waiting=waiting[pk],
                              median_days=round(median(spans), 1) if spans else None)
            for pk, spans in days.items()}


# --- what a body or a councillor is asked ----------------------------------------------------

@dataclass
class Group:
    label: str
    actions: list = field(default_factory=list)

    @property
    def community_count(self) -> int:
        return len({a.priority.plan.community_id for a in self.actions})


def _loaded(actions):
    pending = OwnerRequest.objects.filter(role=OwnerRole.PARTNER).unanswered()
    return list(actions.select_related("priority__plan__community", "partner_body__registered",
                                       "latest_update")
                .prefetch_related(Prefetch("owner_requests", queryset=pending,
                                           to_attr="pending_requests"))
                .order_by("priority__plan__community__name", "priority__rank", "position", "pk"))


def partner_actions(partner: RegisteredPartner) -> list[Action]:
    return _loaded(Action.objects.addressed_to(partner))


def partner_action(partner: RegisteredPartner, action_id: int) -> Action | None:
    return next(iter(_loaded(Action.objects.addressed_to(partner).filter(pk=action_id))), None)


def councillor_actions(councillor: CouncillorProfile) -> list[Action]:
    return _loaded(Action.objects.in_communities_of(councillor).exclude(
        partner_status=OwnerStatus.NOT_ASKED))


def grouped(actions: list[Action], by: str) -> list[Group]:
    """Group by the priority's theme or the community's district, largest group first."""
    groups: dict[str, Group] = {}
    for action in actions:
        if by == "district":
            label = action.priority.plan.community.district or _("No district given")
        else:
            label = action.priority.theme or _("No theme given")
        groups.setdefault(label, Group(label)).actions.append(action)
    return sorted(groups.values(), key=lambda g: (-g.community_count, g.label))


def endorsements_awaited(councillor: CouncillorProfile) -> list[EndorsementRequest]:
    """The steering groups' requests to this councillor, each with the section 2 priorities it
    has not decided on yet (for communities the councillor covers)."""
    requests = list(EndorsementRequest.objects.filter(
        councillor=councillor, plan__community__councillors=councillor)
        .select_related("plan__community").order_by("respond_by", "pk"))
    decided = Endorsement.objects.current().filter(councillor=councillor).values("priority_id")
    waiting = Priority.objects.filter(plan__in=[r.plan_id for r in requests],
                                      section=Section.HELP).exclude(pk__in=decided)
    by_plan: dict[int, list[Priority]] = {}
    for priority in waiting.order_by("rank", "pk"):
        by_plan.setdefault(priority.plan_id, []).append(priority)
    for request in requests:
        request.awaiting = by_plan.get(request.plan_id, [])
    return [r for r in requests if r.awaiting]


# --- answering from the inbox ----------------------------------------------------------------

def _pending_request(action: Action) -> OwnerRequest | None:
    return (OwnerRequest.objects.filter(action=action, role=OwnerRole.PARTNER).unanswered()
            .order_by("-sent_at", "-pk").first())


def _check_addressed(partner: RegisteredPartner, actions: list[Action]) -> None:
    ids = {a.pk for a in actions}
    allowed = set(Action.objects.addressed_to(partner).filter(pk__in=ids)
                  .values_list("pk", flat=True))
    if ids - allowed:
        raise ValueError("An action is not addressed to this partner body.")


@transaction.atomic
def inbox_answer(*, partner: RegisteredPartner, action: Action, answer: str, reason: str = "",
                 suggested_instead: str = "", proposed_date: date | None = None,
                 actor: User) -> OwnerRequest:
    """A contact answers the plan's request from the inbox, as the emailed link would."""
    _check_addressed(partner, [action])
    request = _pending_request(action)
    if request is None:
        raise Refused(_("“%(a)s” has no request waiting for an answer.") % {"a": action})
    try:
        return delivery.owner_request_answer(
            request=request, answer=answer, reason=reason, suggested_instead=suggested_instead,
            proposed_date=proposed_date, actor=actor)
    except LinkRefused as used:
        raise Refused(_("“%(a)s” has already been answered.") % {"a": action}) from used


@transaction.atomic
def inbox_respond(*, partner: RegisteredPartner, actions: list[Action], note: str,
                  answer: str = "", reason: str = "", suggested_instead: str = "",
                  proposed_date: date | None = None, actor: User) -> int:
    """One response to many asks: each action gets the note as a public progress update from the
    body, and with `answer` each waiting request is answered too. Returns how many it reached."""
    _check_addressed(partner, actions)
    for action in actions:
        if answer in ANSWERS and _pending_request(action) is not None:
            inbox_answer(partner=partner, action=action, answer=answer, reason=reason or note,
                         suggested_instead=suggested_instead, proposed_date=proposed_date,
                         actor=actor)
        fresh = Action.objects.get(pk=action.pk)
        delivery.update_post(action=fresh, status=fresh.progress, percent=fresh.percent,
                             note=note, actor=actor, by_name=partner.name, partner=partner)
    return len(actions)

"""Delivery services (steps 8 and 9): owners who accept, progress with a reason, offers to help,
issues raised after publication, community updates and the review.

Emails follow the outbox pattern (clp.outbox): the row is the record of work, the task takes its
id and is enqueued after commit, the send claims the row, talks to the mail server with no lock
held and then marks it emailed (safe to run twice), and a sweep re-enqueues rows whose message was
lost. Every change is written to the plan's history.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import tokens
from actions.models import (
    ACTION_STATUS_FOR,
    Action,
    CommentStatus,
    CommunityUpdate,
    Follower,
    Helper,
    HelpNotice,
    HelpOffer,
    OfferStatus,
    OwnerRequest,
    OwnerRole,
    OwnerStatus,
    PartnerBody,
    PlanReview,
    PlanVersion,
    Priority,
    ProgressUpdate,
    RaisedIssue,
    ReviewDecision,
    ReviewOutcome,
    Section,
    UpdateLink,
    UpdateStatus,
)
from clp.exceptions import GateNotMet, LinkRefused, LinkRetired, Refused
from clp.models import User, normalise_email
from clp.outbox import Claim
from plans import gates
from plans import services as plan_services
from plans.models import EventKind, Plan, PlanStatus
from plans.reminders import plan_managers
from plans.services import record
from plans.steps import Step

LOST_AFTER = timedelta(minutes=10)


def _log(plan: Plan, actor: User | None, summary: str, reason: str = "") -> None:
    record(plan, actor, EventKind.CONTENT, summary[:300], reason=reason)


def _email(prefix: str, context: dict, to: str) -> None:
    send_mail(subject=render_to_string(f"actions/email/{prefix}_subject.txt", context).strip(),
              message=render_to_string(f"actions/email/{prefix}_body.txt", context),
              from_email=None, recipient_list=[to])


def _absolute(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


# --- partner bodies and owners ---------------------------------------------------------------------

@transaction.atomic
def partner_create(*, plan: Plan, fields: dict, actor: User) -> PartnerBody:
    """Name a partner body for the plan, linked to the directory's body when one is chosen."""
    registered = fields.get("registered")
    if registered is not None:
        fields = {**fields, "name": fields.get("name") or registered.name,
                  "contact_email": fields.get("contact_email") or registered.email}
    partner = PartnerBody.objects.create(plan=plan, **fields)
    _log(plan, actor, _("Added partner body: %(p)s") % {"p": partner})
    return partner


def _recipient(action: Action, role: str) -> tuple[str, str]:
    if role == OwnerRole.LEAD:
        return action.lead_label, action.lead_address()
    partner = action.partner_body
    return (partner.name, partner.contact_email) if partner else ("", "")


@transaction.atomic
def owner_request_send(*, action: Action, role: str, actor: User) -> OwnerRequest:
    """Ask the lead or the partner body to accept the action; an earlier unanswered ask for the
    same role is superseded (its link stops working)."""
    from actions import tasks

    locked = Action.objects.select_for_update(of=("self",)).select_related(
        "lead_user", "partner_body", "priority__plan").get(pk=action.pk)
    name, email = _recipient(locked, role)
    if not email:
        raise Refused(_("Add an email address for %(who)s first.")
                                % {"who": name or _("the partner body")})
    locked.owner_requests.filter(role=role).unanswered().update(superseded=True)
    request = OwnerRequest.objects.create(action=locked, role=role, recipient_name=name,
                                          recipient_email=email, nonce=tokens.new_nonce(),
                                          sent_by=actor)
    field = "lead_status" if role == OwnerRole.LEAD else "partner_status"
    setattr(locked, field, OwnerStatus.ASKED)
    locked.save(update_fields=[field])
    tasks.send_owner_request.delay_on_commit(request.pk)
    _log(locked.priority.plan, actor, _("Asked %(who)s to take on “%(a)s”") % {"who": name, "a": locked})
    return request


def _owner_key(action: Action | None, role: str) -> tuple:
    """Who would be asked: a change of it is a new owner, a typo fixed in a name is not."""
    if action is None:
        return ()
    if role == OwnerRole.PARTNER:
        return (action.partner_body_id,) if action.partner_body_id else ()
    if action.lead_user_id:
        return ("member", action.lead_user_id)
    return ("volunteer", action.lead_email.strip().lower()) if action.lead_email else ()


def _reachable(action: Action, role: str) -> bool:
    """The manual buttons' rule: a lead with an address; a section 2 partner with a contact."""
    if role == OwnerRole.LEAD:
        return bool(action.lead_address())
    return (action.priority.section == Section.HELP and action.partner_body_id is not None
            and bool(action.partner_body.contact_email))


def _owner_set_aside(action: Action, role: str) -> None:
    """The earlier ask and answer were about someone else: their links (to answer, and a lead's
    to post updates) stop working, the status goes back to not asked."""
    prefix = "lead" if role == OwnerRole.LEAD else "partner"
    action.owner_requests.filter(role=role).unanswered().update(superseded=True)
    if role == OwnerRole.LEAD:
        action.update_links.filter(retired_at__isnull=True).update(retired_at=timezone.now())
    fields = {f"{prefix}_status": OwnerStatus.NOT_ASKED, f"{prefix}_answered_at": None}
    Action.objects.filter(pk=action.pk).update(**fields)
    for name, value in fields.items():
        setattr(action, name, value)


@transaction.atomic
def owners_ask_when_named(*, action: Action, before: Action | None,
                          actor: User) -> list[OwnerRequest]:
    """Ask a lead or partner body who is newly named on the action to accept, by email after
    commit; nothing is sent when they are unchanged (the action page's buttons ask again)."""
    asked = []
    for role in (OwnerRole.LEAD, OwnerRole.PARTNER):
        if _owner_key(before, role) == _owner_key(action, role):
            continue
        if before is not None:
            _owner_set_aside(action, role)
        if _reachable(action, role):
            asked.append(owner_request_send(action=action, role=role, actor=actor))
            setattr(action, "lead_status" if role == OwnerRole.LEAD else "partner_status",
                    OwnerStatus.ASKED)
    return asked


def owner_request_email(*, request_id: int) -> bool:
    """Email the request once: claimed, sent, then marked emailed, with no lock held while the
    mail server talks (clp.outbox)."""
    with Claim(OwnerRequest.objects.select_related("action__priority__plan__community", "sent_by")
               .filter(pk=request_id, emailed_at__isnull=True, superseded=False)) as claim:
        request = claim.row
        if request is None:
            return False
        token = tokens.make(tokens.OWNER_REQUEST, request.pk, request.nonce)
        _email("owner_request", {
            "request": request, "action": request.action, "plan": request.action.priority.plan,
            "days": settings.ACTIONS_LINK_VALID_DAYS,
            "url": _absolute("actions:owner_answer", aid=request.action_id, token=token),
        }, request.recipient_email)
        claim.finish(emailed_at=timezone.now())
    return True


def owner_request_for_link(*, action_id: int, token: str) -> OwnerRequest:
    """The request a link is for, or LinkRefused saying why it cannot be used."""
    payload = tokens.read(tokens.OWNER_REQUEST, token)
    request = (OwnerRequest.objects.select_related("action__priority__plan__community")
               .filter(pk=payload.pk, action_id=action_id).first())
    tokens.check_row(request, payload, used=False)
    if request.superseded:
        raise LinkRefused(tokens.EXPIRED)
    if request.answered_at is not None:
        raise LinkRefused(tokens.USED)
    return request


@transaction.atomic
def owner_request_answer(*, request: OwnerRequest, answer: str, reason: str = "",
                         suggested_instead: str = "", proposed_date: date | None = None,
                         actor: User | None = None) -> OwnerRequest:
    """Record the lead's or partner's answer on the request and on the action, once (`actor` is
    the signed-in partner contact answering from the inbox; a link has none)."""
    locked = OwnerRequest.objects.select_for_update().get(pk=request.pk)
    if locked.answered_at is not None or locked.superseded:
        raise LinkRefused(tokens.USED)
    if answer not in (OwnerStatus.ACCEPTED, OwnerStatus.DECLINED, OwnerStatus.PROPOSED):
        raise ValueError(f"Unknown answer {answer!r}")
    now = timezone.now()
    locked.answer, locked.reason, locked.answered_at = answer, reason, now
    locked.suggested_instead, locked.proposed_date = suggested_instead, proposed_date
    locked.save()
    action = Action.objects.select_for_update().select_related("priority__plan").get(
        pk=locked.action_id)
    prefix = "lead" if locked.role == OwnerRole.LEAD else "partner"
    setattr(action, f"{prefix}_status", answer)
    setattr(action, f"{prefix}_answered_at", now)
    action.save(update_fields=[f"{prefix}_status", f"{prefix}_answered_at"])
    detail = "; ".join(filter(None, [
        reason, suggested_instead and _("suggests %(s)s instead") % {"s": suggested_instead},
        proposed_date and _("proposes %(d)s") % {"d": proposed_date.strftime("%-d %B %Y")}]))
    _log(action.priority.plan, actor, _("%(who)s answered about “%(a)s”: %(answer)s")
         % {"who": locked.recipient_name, "a": action, "answer": locked.get_answer_display()},
         reason=detail)
    return locked


# --- progress updates ---------------------------------------------------------------------------

@transaction.atomic
def update_post(*, action: Action, status: str, percent: int, note: str = "", reason: str = "",
                revised_target_date: date | None = None, file=None, actor: User | None = None,
                by_name: str = "", partner=None, help_requested: bool = False) -> ProgressUpdate:
    """Report progress. A change of status needs a public reason; a revised date keeps the
    original one visible; asking for help flags the action until the next update."""
    locked = Action.objects.select_for_update().select_related("priority__plan").get(pk=action.pk)
    if status != locked.progress and not reason.strip():
        raise Refused(_("Give a short reason for the change of status."))
    if status == UpdateStatus.DONE:
        percent = 100
    update = ProgressUpdate(action=locked, status=status, previous_status=locked.progress,
                            percent=percent, note=note, reason=reason.strip(),
                            revised_target_date=revised_target_date, by=actor, by_name=by_name,
                            partner=partner, help_requested=help_requested)
    if file:
        update.file = file
        update.original_name = file.name[:255]
    update.save()
    fields = ["progress", "percent", "status", "latest_update"]
    if revised_target_date and revised_target_date != locked.target_date:
        if locked.original_target_date is None:
            locked.original_target_date = locked.target_date
        locked.target_date = revised_target_date
        fields += ["original_target_date", "target_date"]
    locked.progress, locked.percent = status, percent
    locked.status = ACTION_STATUS_FOR[status]
    locked.latest_update = update
    locked.save(update_fields=fields)
    if help_requested:
        _help_notices_queue(update, locked.priority.plan)
    who = by_name or (str(actor) if actor else _("Someone"))
    message = (_("%(who)s reported on “%(a)s”: %(s)s, %(p)s%%, and asked for help")
               if help_requested else _("%(who)s reported on “%(a)s”: %(s)s, %(p)s%%"))
    _log(locked.priority.plan, actor,
         message % {"who": who, "a": locked, "s": update.get_status_display(), "p": percent},
         reason=update.reason)
    return update


def _help_notices_queue(update: ProgressUpdate, plan: Plan) -> None:
    """A lead asked for help: the chair and the secretary are each emailed once, after commit
    (one row per address, so a person holding both roles gets one email)."""
    from actions import tasks

    people = {}
    for person in plan_managers([plan])[plan.pk]:
        if person.email:
            people.setdefault(normalise_email(person.email), person)
    for email, person in people.items():
        notice = HelpNotice.objects.create(update=update, email=email, user_id=person.user_id,
                                           why=person.why)
        tasks.send_help_notice.delay_on_commit(notice.pk)


def help_notice_email(*, notice_id: int) -> bool:
    """Tell the chair or secretary that a lead asked for help, once (claimed, sent, marked
    emailed; no lock held while sending)."""
    with Claim(HelpNotice.objects.select_related("update__action__priority__plan")
               .filter(pk=notice_id, emailed_at__isnull=True)) as claim:
        notice = claim.row
        if notice is None:
            return False
        action = notice.update.action
        plan = action.priority.plan
        _email("help_request", {
            "notice": notice, "update": notice.update, "action": action, "plan": plan,
            "url": settings.SITE_URL + reverse("actions:action", kwargs={
                "pk": plan.pk, "prid": action.priority_id, "aid": action.pk}),
        }, notice.email)
        claim.finish(emailed_at=timezone.now())
    return True


@transaction.atomic
def update_link_send(*, action: Action, actor: User) -> UpdateLink:
    """Email the lead a link to post one update without signing in."""
    from actions import tasks

    email = action.lead_address()
    if not email:
        raise Refused(_("Add the lead's email address to the action first."))
    link = UpdateLink.objects.create(action=action, email=email, name=action.lead_label,
                                     nonce=tokens.new_nonce(), created_by=actor)
    tasks.send_update_link.delay_on_commit(link.pk)
    _log(action.priority.plan, actor, _("Sent %(who)s a link to report on “%(a)s”")
         % {"who": link.name, "a": action})
    return link


def update_link_url(link: UpdateLink) -> str:
    """The signed address where the lead posts one update for the link's action."""
    token = tokens.make(tokens.UPDATE_LINK, link.pk, link.nonce)
    return _absolute("actions:update_by_link", aid=link.action_id, token=token)


def update_link_email(*, link_id: int) -> bool:
    """Email the link once (claimed, sent, marked emailed; no lock held while sending)."""
    with Claim(UpdateLink.objects.select_related("action__priority__plan")
               .filter(pk=link_id, emailed_at__isnull=True)) as claim:
        link = claim.row
        if link is None:
            return False
        _email("update_link", {
            "link": link, "action": link.action, "plan": link.action.priority.plan,
            "days": settings.ACTIONS_LINK_VALID_DAYS, "url": update_link_url(link),
        }, link.email)
        claim.finish(emailed_at=timezone.now())
    return True


def update_link_for(*, action_id: int, token: str) -> UpdateLink:
    """The link a token is for, or LinkRefused saying why it cannot be used (LinkRetired once
    the lead it was sent to has been replaced or removed)."""
    payload = tokens.read(tokens.UPDATE_LINK, token)
    link = (UpdateLink.objects.select_related("action__priority__plan__community")
            .filter(pk=payload.pk, action_id=action_id).first())
    tokens.check_row(link, payload, used=False)
    if link.retired_at is not None:
        raise _retired(link)
    if link.used_at is not None:
        raise LinkRefused(tokens.USED)
    return link


def _retired(link: UpdateLink) -> LinkRetired:
    plan = link.action.priority.plan
    return LinkRetired(tokens.RETIRED % {"action": link.action, "plan": plan.title,
                                         "community": plan.community},
                       community=plan.community)


@transaction.atomic
def update_by_link(*, link: UpdateLink, fields: dict) -> ProgressUpdate:
    """The lead's update from an emailed link; the link then stops working."""
    claimed = UpdateLink.objects.filter(pk=link.pk, used_at__isnull=True,
                                        retired_at__isnull=True).update(used_at=timezone.now())
    if not claimed:
        if UpdateLink.objects.filter(pk=link.pk, retired_at__isnull=False).exists():
            raise _retired(link)
        raise LinkRefused(tokens.USED)
    return update_post(action=link.action, by_name=link.name, **fields)


# --- residents: offers to help, issues raised after publication --------------------------------

@transaction.atomic
def offer_submit(*, name: str, email: str, what: str, action: Action | None = None,
                 priority: Priority | None = None) -> HelpOffer:
    """A resident offers to help with an action or a whole priority; nothing reaches the group
    until they confirm their email."""
    from actions import tasks

    offer = HelpOffer.objects.create(action=action, priority=priority, name=name, email=email,
                                     what=what, nonce=tokens.new_nonce())
    tasks.send_offer_confirmation.delay_on_commit(offer.pk)
    return offer


def offer_confirmation_email(*, offer_id: int) -> bool:
    """Ask the resident to confirm their address, once (claimed, sent, marked emailed)."""
    with Claim(HelpOffer.objects.select_related("action__priority__plan", "priority__plan")
               .filter(pk=offer_id, confirm_emailed_at__isnull=True),
               field="confirm_sending_since") as claim:
        offer = claim.row
        if offer is None:
            return False
        token = tokens.make(tokens.HELP_OFFER, offer.pk, offer.nonce)
        _email("offer_confirm", {
            "offer": offer, "action": offer.action, "plan": offer.plan,
            "days": settings.ACTIONS_LINK_VALID_DAYS,
            "url": _absolute("actions:offer_confirm", token=token),
        }, offer.email)
        claim.finish(confirm_emailed_at=timezone.now())
    return True


def offer_for_link(*, token: str) -> HelpOffer:
    payload = tokens.read(tokens.HELP_OFFER, token)
    offer = (HelpOffer.objects.select_related("action__priority__plan__community",
                                              "priority__plan__community")
             .filter(pk=payload.pk).first())
    tokens.check_row(offer, payload, used=offer is not None and offer.confirmed_at is not None)
    return offer


@transaction.atomic
def offer_confirm(*, offer: HelpOffer) -> HelpOffer:
    """The resident confirmed their email: the lead is told about the offer."""
    from actions import tasks

    claimed = HelpOffer.objects.filter(pk=offer.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(), status=OfferStatus.CONFIRMED)
    if not claimed:
        raise LinkRefused(tokens.USED)
    tasks.send_offer_to_lead.delay_on_commit(offer.pk)
    _log(offer.plan, None, _("%(who)s offered to help with “%(a)s”")
         % {"who": offer.name, "a": offer.subject_title})
    return offer


def offer_lead_email(*, offer_id: int) -> bool:
    """Tell the lead (or, for a priority or with no lead address, the chair and secretary) about a
    confirmed offer, once (claimed, sent, marked told; no lock held while sending)."""
    with Claim(HelpOffer.objects.select_related("action__priority__plan", "action__lead_user",
                                                "priority__plan")
               .filter(pk=offer_id, confirmed_at__isnull=False, lead_told_at__isnull=True),
               field="lead_sending_since") as claim:
        offer = claim.row
        if offer is None:
            return False
        plan = offer.plan
        lead = offer.action.lead_address() if offer.action_id else ""
        recipients = [lead] if lead else list(
            plan.memberships.active().filter(role__in=["chair", "secretary"])
            .values_list("user__email", flat=True))
        context = {"offer": offer, "action": offer.action, "plan": plan,
                   "url": _absolute("actions:offers", pk=plan.pk)}
        for email in recipients:
            _email("offer_to_lead", context, email)
        claim.finish(lead_told_at=timezone.now())
    return True


@transaction.atomic
def offer_decide(*, offer: HelpOffer, add: bool, actor: User,
                 action: Action | None = None) -> Helper | None:
    """Add the person as a helper on the action (for an offer on a priority, on the one of its
    actions the group chose), or thank them and close the offer."""
    locked = HelpOffer.objects.select_for_update(of=("self",)).select_related(
        "action__priority__plan", "priority__plan").get(pk=offer.pk)
    if locked.status != OfferStatus.CONFIRMED:
        raise Refused(_("This offer has already been dealt with."))
    if locked.action_id:
        action = locked.action
    elif add and (action is None or action.priority_id != locked.priority_id):
        raise Refused(_("Choose which of the priority's actions %(who)s will help with.")
                      % {"who": locked.name})
    locked.status = OfferStatus.ADDED if add else OfferStatus.DECLINED
    locked.handled_by, locked.handled_at = actor, timezone.now()
    locked.save(update_fields=["status", "handled_by", "handled_at"])
    helper = None
    if add:
        helper = Helper.objects.create(action=action, name=locked.name, email=locked.email,
                                       offer=locked, added_by=actor)
    _log(locked.plan, actor,
         (_("Added %(who)s as a helper on “%(a)s”") if add
          else _("Thanked %(who)s for offering to help with “%(a)s”"))
         % {"who": locked.name, "a": action.what if add else locked.subject_title})
    return helper


# --- residents following progress ----------------------------------------------------------

FOLLOW_KIND = "followed_progress"


def published_plans():
    """Plans residents may follow: finalised (a frozen version exists) and not abandoned."""
    return Plan.objects.exclude(status=PlanStatus.ABANDONED).filter(
        pk__in=PlanVersion.objects.values("plan_id"))


@transaction.atomic
def follow_submit(*, plan: Plan, email: str, priority=None) -> Follower:
    """A resident asks to follow the plan (or one priority); nothing is sent to them but the
    confirmation email until they confirm."""
    from actions import tasks

    follower = Follower.objects.create(plan=plan, priority=priority, email=email,
                                       nonce=tokens.new_nonce())
    tasks.send_follow_confirmation.delay_on_commit(follower.pk)
    return follower


def follow_confirmation_email(*, follower_id: int) -> bool:
    """Ask the resident to confirm, once (claimed, sent, marked emailed; no lock held)."""
    with Claim(Follower.objects.select_related("plan", "priority")
               .filter(pk=follower_id, confirm_emailed_at__isnull=True),
               field="confirm_sending_since") as claim:
        follower = claim.row
        if follower is None:
            return False
        token = tokens.make(tokens.FOLLOW, follower.pk, follower.nonce)
        _email("follow_confirm", {
            "follower": follower, "plan": follower.plan, "priority": follower.priority,
            "days": settings.ACTIONS_LINK_VALID_DAYS,
            "url": _absolute("actions:follow_confirm", token=token),
        }, follower.email)
        claim.finish(confirm_emailed_at=timezone.now())
    return True


def follow_for_link(*, token: str) -> Follower:
    payload = tokens.read(tokens.FOLLOW, token)
    follower = Follower.objects.select_related("plan", "priority").filter(pk=payload.pk).first()
    tokens.check_row(follower, payload,
                     used=follower is not None and follower.confirmed_at is not None)
    return follower


@transaction.atomic
def follow_confirm(*, follower: Follower) -> Follower:
    """The resident confirmed: from now on status changes reach them in a digest. Following again
    after unsubscribing turns the digest back on."""
    from clp import reminders
    from clp import services as clp_services
    from clp.models import Preference, Recipient, normalise_email

    claimed = Follower.objects.filter(pk=follower.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now())
    if not claimed:
        raise LinkRefused(tokens.USED)
    recipient, _created = Recipient.objects.get_or_create(email=normalise_email(follower.email))
    kind = reminders.get_kind(FOLLOW_KIND)
    if recipient.preference(kind) == Preference.OFF:
        clp_services.reminder_preferences_save(recipient=recipient,
                                               choices={FOLLOW_KIND: kind.default})
    return follower


@transaction.atomic
def raised_issue_submit(*, plan: Plan, title: str, description: str, name: str = "",
                        email: str = "") -> RaisedIssue:
    return RaisedIssue.objects.create(plan=plan, title=title, description=description,
                                      name=name, email=email)


@transaction.atomic
def raised_issue_moderate(*, raised: RaisedIssue, accept: bool, actor: User) -> RaisedIssue:
    """Accepted issues go into the issues register, marked as raised after publication."""
    from consultation.models import Issue

    locked = RaisedIssue.objects.select_for_update().get(pk=raised.pk)
    if locked.status != CommentStatus.PENDING:
        return locked
    locked.status = CommentStatus.APPROVED if accept else CommentStatus.REJECTED
    locked.moderated_by, locked.moderated_at = actor, timezone.now()
    if accept:
        locked.issue = Issue.objects.create(
            plan_id=locked.plan_id, title=locked.title, created_by=actor,
            description=locked.description + "\n\n" + _("Raised after publication, on %(d)s.")
            % {"d": timezone.localdate(locked.created_at).strftime("%-d %B %Y")})
    locked.save()
    _log(raised.plan, actor, (_("Added an issue raised by a resident to the register: %(t)s")
                              if accept else _("Did not add an issue raised by a resident: %(t)s"))
         % {"t": locked.title})
    return locked


def raised_after_publication(plan: Plan, issue_ids: list[int]) -> dict[int, str]:
    """The issues register's "raised after publication" mark (consultation.analysis.issues)."""
    rows = (RaisedIssue.objects.filter(plan=plan, issue_id__in=issue_ids)
            .values_list("issue_id", "created_at"))
    return {issue_id: _("Raised after publication, %(d)s")
            % {"d": timezone.localdate(created).strftime("%-d %b %Y")} for issue_id, created in rows}


def register_issue_origin() -> None:
    from consultation.analysis.issues import register_issue_origin as register

    register(raised_after_publication)


# --- community updates ------------------------------------------------------------------------

def last_published_update(plan: Plan) -> CommunityUpdate | None:
    return plan.community_updates.filter(published_at__isnull=False).order_by("-published_at").first()


def changes_since(plan: Plan, since: datetime) -> dict:
    """What changed since a moment: done, started, slipped, dropped, and new issues raised."""
    updates = list(ProgressUpdate.objects.filter(action__priority__plan=plan, at__gt=since)
                   .select_related("action").order_by("at", "pk"))
    latest = {u.action_id: u for u in updates}
    changed = {"done": [], "started": [], "slipped": [], "dropped": []}
    for update in latest.values():
        if update.status == UpdateStatus.DONE:
            changed["done"].append(update)
        elif update.status == UpdateStatus.DROPPED:
            changed["dropped"].append(update)
        elif update.status in (UpdateStatus.DELAYED, UpdateStatus.AT_RISK):
            changed["slipped"].append(update)
        elif update.status == UpdateStatus.ON_TRACK:
            changed["started"].append(update)
    for update in updates:
        if update.revised_target_date and update not in changed["slipped"] \
                and update.status not in (UpdateStatus.DONE, UpdateStatus.DROPPED):
            changed["slipped"].append(update)
    changed["issues"] = list(RaisedIssue.objects.filter(plan=plan, created_at__gt=since,
                                                        status=CommentStatus.APPROVED))
    return changed


def draft_text(plan: Plan, since: datetime) -> str:
    return render_to_string("actions/email/community_update_draft.txt",
                            {"plan": plan, "since": since, **changes_since(plan, since)}).strip()


def update_period_start(plan: Plan) -> datetime:
    last = last_published_update(plan)
    if last:
        return last.covers_to
    frozen = plan.versions.order_by("-number").first()
    return frozen.frozen_at if frozen else plan.created_at


@transaction.atomic
def community_update_save(*, plan: Plan, title: str, body: str, publish: bool, actor: User,
                          update: CommunityUpdate | None = None) -> CommunityUpdate:
    """Save the group's edited update; publishing shows it on the public page."""
    if update is None:
        update = CommunityUpdate(plan=plan, created_by=actor, covers_from=update_period_start(plan))
    elif update.is_published:
        raise Refused(_("A published update cannot be changed."))
    update.title, update.body, update.covers_to = title, body, timezone.now()
    if publish:
        update.published_at, update.published_by = timezone.now(), actor
    update.save()
    _log(plan, actor, (_("Published a community update: %(t)s") if publish
                       else _("Saved a draft community update: %(t)s")) % {"t": title})
    if publish:  # its printable PDF, public like the update, built after commit
        plan_services.publication_request(plan=plan, kind="community_update", source_id=update.pk,
                                          actor=actor)
    return update


# --- review and refresh (step 9) ------------------------------------------------------------------

def review_actions(plan: Plan):
    """Every action the review decides on: not dropped, and not achieved at an earlier review."""
    earlier = ReviewDecision.objects.filter(review__plan=plan, review__completed_at__isnull=False,
                                            outcome=ReviewOutcome.ACHIEVED).values("action_id")
    return (Action.objects.filter(priority__plan=plan).exclude(progress=UpdateStatus.DROPPED)
            .exclude(pk__in=earlier).select_related("priority", "latest_update")
            .order_by("priority__section", "-priority__is_quick_win", "priority__rank", "position"))


def review_for(plan: Plan) -> PlanReview | None:
    return plan.reviews.filter(version=plan.version).first()


@transaction.atomic
def review_save(*, plan: Plan, decisions: dict[int, tuple[str, str]], meeting: dict,
                actor: User) -> PlanReview:
    """Keep the group's decisions for each action (outcome, reason) and the meeting details."""
    review, _created = PlanReview.objects.select_for_update().get_or_create(
        plan=plan, version=plan.version, defaults={"started_by": actor})
    if review.completed_at:
        raise Refused(_("This review has already been recorded."))
    for field in ("kind", "held_on", "minute_reference"):
        setattr(review, field, meeting.get(field) or getattr(review, field))
    review.save()
    valid = set(Action.objects.filter(priority__plan=plan).values_list("pk", flat=True))
    for action_id, (outcome, reason) in decisions.items():
        if action_id not in valid:
            raise ValueError("The action belongs to another plan.")
        ReviewDecision.objects.update_or_create(review=review, action_id=action_id,
                                                defaults={"outcome": outcome, "reason": reason})
    return review


def review_gaps(review: PlanReview | None, actions: list[Action]) -> list[str]:
    """What the review still needs before it can be recorded."""
    if review is None:
        return [_("Decide on every action")]
    gaps = []
    decided = {d.action_id: d for d in review.decisions.all()}
    undecided = [a for a in actions if a.pk not in decided]
    if undecided:
        gaps.append(_("Decide on every action (%(n)s still to decide)") % {"n": len(undecided)})
    if any(d.outcome == ReviewOutcome.DROP and not d.reason for d in decided.values()):
        gaps.append(_("Give a reason for every action you drop"))
    if not review.held_on:
        gaps.append(_("Enter the date of the meeting"))
    if not review.minute_reference:
        gaps.append(_("Enter the minute reference"))
    return gaps


def _apply_decision(decision: ReviewDecision, actor: User, version: int) -> None:
    action = decision.action
    if decision.outcome == ReviewOutcome.ACHIEVED and action.progress != UpdateStatus.DONE:
        update_post(action=action, status=UpdateStatus.DONE, percent=100, actor=actor,
                    reason=decision.reason or _("Achieved, as recorded at the plan review."))
    elif decision.outcome == ReviewOutcome.DROP and action.progress != UpdateStatus.DROPPED:
        update_post(action=action, status=UpdateStatus.DROPPED, percent=action.percent,
                    actor=actor, reason=decision.reason)
    elif decision.outcome == ReviewOutcome.CARRY:
        Action.objects.filter(pk=action.pk).update(carried_forward_from=version)


@transaction.atomic
def review_complete(*, plan: Plan, actor: User) -> Plan:
    """Record the review: apply every decision (keeping each action's history), then start the
    next cycle with the plan's own transition, as a new version."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.step != Step.REVIEWING:
        raise Refused(_("A review is recorded at step 9, “Reviewing your plan”."))
    review = PlanReview.objects.select_for_update().filter(plan=locked, version=locked.version).first()
    actions = list(review_actions(locked))
    gaps = review_gaps(review, actions)
    if gaps:
        raise GateNotMet(_("The review cannot be recorded yet. Still to do:"), gaps)
    unmet = [s.item.label for s in gates.checklist(locked, Step.REVIEWING).unmet]
    if unmet:
        raise GateNotMet(_("The review cannot be recorded yet. Still to do:"), unmet)
    for decision in review.decisions.select_related("action__priority__plan"):
        _apply_decision(decision, actor, locked.version)
    review.completed_by, review.completed_at = actor, timezone.now()
    review.save(update_fields=["completed_by", "completed_at"])
    to_step = Step.UNDERSTANDING if review.kind == "full" else Step.PRIORITISING
    _log(locked, actor, _("Recorded the review of version %(v)s (minute %(m)s)")
         % {"v": locked.version, "m": review.minute_reference})
    return plan_services.plan_start_review(plan=locked, actor=actor, to_step=to_step,
                                           expected_step=Step.REVIEWING,
                                           reason=_("Review held on %(d)s, minute %(m)s")
                                           % {"d": review.held_on.strftime("%-d %B %Y"),
                                              "m": review.minute_reference})


# --- the sweep ----------------------------------------------------------------------------------

def resend_lost_emails() -> int:
    """The beat sweep: re-enqueue delivery emails whose message was lost."""
    from actions import tasks

    cutoff = timezone.now() - LOST_AFTER
    jobs = [
        (tasks.send_owner_request, OwnerRequest.objects.filter(
            emailed_at__isnull=True, superseded=False, answered_at__isnull=True, sent_at__lt=cutoff)),
        (tasks.send_update_link, UpdateLink.objects.filter(emailed_at__isnull=True,
                                                           created_at__lt=cutoff)),
        (tasks.send_offer_confirmation, HelpOffer.objects.filter(confirm_emailed_at__isnull=True,
                                                                 created_at__lt=cutoff)),
        (tasks.send_offer_to_lead, HelpOffer.objects.filter(
            confirmed_at__lt=cutoff, lead_told_at__isnull=True)),
        (tasks.send_follow_confirmation, Follower.objects.filter(confirm_emailed_at__isnull=True,
                                                                 created_at__lt=cutoff)),
        (tasks.send_help_notice, HelpNotice.objects.filter(emailed_at__isnull=True,
                                                           created_at__lt=cutoff)),
    ]
    count = 0
    for task, rows in jobs:
        for pk in rows.values_list("pk", flat=True):
            task.delay(pk)
            count += 1
    return count

"""Action plan services: priorities and their order, actions, endorsements, the draft plan,
residents' comments, and finalising (which freezes a version, then moves the plan on).

Every change is written to the plan's history through plans.services.record.
"""

import logging
from datetime import date, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import delivery, versions
from actions.models import (
    Action,
    CommentStatus,
    Decision,
    DraftComment,
    DraftPlan,
    Endorsement,
    EndorsementRequest,
    Message,
    OwnerRequest,
    PlanVersion,
    PrioritisationDecision,
    Priority,
)
from clp.audit import AuditKind, audit_record
from clp.exceptions import GateNotMet, Refused
from clp.models import CouncillorProfile, User
from clp.outbox import Claim
from plans import gates
from plans import services as plan_services
from plans.models import EventKind, Plan
from plans.services import record
from plans.steps import Step

logger = logging.getLogger(__name__)

FROZEN_KEY = "plan_version_frozen"


def _log(plan: Plan, actor: User | None, summary: str, reason: str = "") -> None:
    record(plan, actor, EventKind.CONTENT, summary, reason=reason)


# --- priorities and their order -----------------------------------------------------------------

def _section_items(plan_id: int, section: int) -> list[Priority]:
    return list(Priority.objects.select_for_update().filter(plan_id=plan_id, section=section)
                .in_plan_order())


def _renumber(items: list[Priority]) -> None:
    changed = []
    for rank, item in enumerate(items, start=1):
        if item.rank != rank:
            item.rank = rank
            changed.append(item)
    Priority.objects.bulk_update(changed, ["rank"])


@transaction.atomic
def priority_create(*, plan: Plan, fields: dict, actor: User) -> Priority:
    """Add a priority at the end of its section (quick wins still come first)."""
    fields = dict(fields)
    issues = fields.pop("issues", None) or []
    last = Priority.objects.filter(plan=plan, section=fields["section"]).aggregate(m=Max("rank"))
    priority = Priority.objects.create(plan=plan, created_by=actor, rank=(last["m"] or 0) + 1,
                                       **fields)
    priority.issues.set(issues)
    _renumber(_section_items(plan.pk, priority.section))
    _log(plan, actor, _("Added priority: %(t)s (section %(s)s)") % {"t": priority, "s": priority.section})
    return priority


@transaction.atomic
def priority_update(*, priority: Priority, old_section: int, changed: list[str], actor: User,
                    issues=None) -> Priority:
    """Save edits; a priority moved to the other section goes to the end of it."""
    if issues is not None:
        priority.issues.set(issues)
    if priority.section != old_section:
        last = Priority.objects.filter(plan_id=priority.plan_id, section=priority.section).aggregate(
            m=Max("rank"))
        priority.rank = (last["m"] or 0) + 1
    priority.save()
    for section in {old_section, priority.section}:
        _renumber(_section_items(priority.plan_id, section))
    if changed:
        _log(priority.plan, actor, _("Changed priority “%(t)s”: %(f)s")
             % {"t": priority, "f": ", ".join(changed)})
    return priority


@transaction.atomic
def priority_delete(*, priority: Priority, actor: User) -> None:
    plan, section, title = priority.plan, priority.section, str(priority)
    priority.delete()
    _renumber(_section_items(plan.pk, section))
    _log(plan, actor, _("Removed priority: %(t)s") % {"t": title})


@transaction.atomic
def priority_move(*, priority: Priority, direction: str, actor: User) -> int | None:
    """Swap with the neighbour above or below; quick wins stay above the rest. Returns the new
    position, or None when it cannot move that way."""
    items = _section_items(priority.plan_id, priority.section)
    _renumber(items)
    index = next(i for i, item in enumerate(items) if item.pk == priority.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items) or items[other].is_quick_win != items[index].is_quick_win:
        return None
    items[index], items[other] = items[other], items[index]
    _renumber(items)
    _log(priority.plan, actor, _("Moved priority “%(t)s” to number %(n)s in section %(s)s")
         % {"t": priority, "n": other + 1, "s": priority.section})
    return other + 1


@transaction.atomic
def priorities_reorder(*, plan: Plan, section: int, order: list[int], actor: User) -> bool:
    """Put a section in the order given (drag and drop). Ids missing from `order` keep their
    place after the others; quick wins stay above the rest. Returns whether anything moved."""
    items = _section_items(plan.pk, section)
    place = {pk: i for i, pk in enumerate(order)}
    before = [item.pk for item in items]
    items.sort(key=lambda p: (not p.is_quick_win, place.get(p.pk, len(order)), p.rank))
    if [item.pk for item in items] == before:
        return False
    _renumber(items)
    _log(plan, actor, _("Reordered the priorities in section %(s)s") % {"s": section},
         reason="; ".join(f"{n}. {p}" for n, p in enumerate(items, start=1)))
    return True


def suggested_order(priorities: list[Priority]) -> list[Priority]:
    """Highest score first (quick wins still lead); unscored priorities keep their place at
    the end."""
    return sorted(priorities, key=lambda p: (not p.is_quick_win, p.suggested_score is None,
                                             -(p.suggested_score or 0), p.rank, p.pk))


@transaction.atomic
def prioritisation_decide(*, plan: Plan, section: int, accept: bool, reason: str,
                          actor: User) -> PrioritisationDecision:
    """Accept the suggested order for a section, or keep the group's own and record why."""
    items = _section_items(plan.pk, section)
    suggested = suggested_order(items)
    decision = PrioritisationDecision.objects.create(
        plan=plan, section=section, accepted=accept, reason=reason, by=actor,
        suggested=[p.title for p in suggested],
        chosen=[p.title for p in (suggested if accept else items)],
    )
    if accept:
        _renumber(suggested)
        _log(plan, actor, _("Accepted the suggested order for section %(s)s") % {"s": section})
    else:
        _log(plan, actor, _("Kept the group's own order for section %(s)s instead of the "
                            "suggested one") % {"s": section}, reason=reason)
    return decision


# --- actions ------------------------------------------------------------------------------------

class SavedAction(NamedTuple):
    action: Action
    asked: list[OwnerRequest]  # the lead or partner body emailed to accept, if newly named


@transaction.atomic
def action_save(*, action: Action, created: bool, actor: User,
                ask_owners: bool = True) -> SavedAction:
    """Save an action (a new one goes last under its priority) and ask a newly named lead or
    partner body to accept it (`ask_owners=False` for generated data, which emails nobody)."""
    before = None if created else Action.objects.select_for_update().get(pk=action.pk)
    if created:
        last = action.priority.actions.aggregate(m=Max("position"))["m"]
        action.position = (last or 0) + 1
    action.save()
    verb = _("Added action") if created else _("Updated action")
    _log(action.priority.plan, actor, f"{verb}: {action} ({action.priority})")
    asked = (delivery.owners_ask_when_named(action=action, before=before, actor=actor)
             if ask_owners else [])
    return SavedAction(action, asked)


@transaction.atomic
def action_delete(*, action: Action, actor: User) -> None:
    plan, label = action.priority.plan, f"{action} ({action.priority})"
    action.delete()
    _log(plan, actor, _("Removed action: %(a)s") % {"a": label})


# --- councillors ----------------------------------------------------------------------------------

@transaction.atomic
def endorsement_requests_send(*, plan: Plan, councillors: list[CouncillorProfile], message: str,
                              respond_by: date, actor: User) -> list[EndorsementRequest]:
    """Ask attached councillors to review the priorities by a date; each is emailed once the
    transaction commits. Asking again replaces the earlier request."""
    from actions import tasks

    attached = set(plan.councillor_links.values_list("councillor_id", flat=True))
    sent = []
    for councillor in councillors:
        if councillor.pk not in attached:
            raise Refused(_("%(who)s is not attached to this plan.") % {"who": councillor})
        request, _created = EndorsementRequest.objects.update_or_create(
            plan=plan, councillor=councillor,
            defaults={"message": message, "respond_by": respond_by, "sent_by": actor,
                      "sent_at": timezone.now(), "emailed_at": None},
        )
        tasks.send_endorsement_request.delay_on_commit(request.pk)
        sent.append(request)
    _log(plan, actor, _("Asked %(who)s to review the priorities by %(when)s")
         % {"who": ", ".join(c.short_name for c in councillors), "when": respond_by.strftime("%-d %B %Y")},
         reason=message)
    return sent


def endorsement_request_email(*, request_id: int) -> bool:
    """Email the request once; safe to run twice (claimed, sent, then marked emailed, with no lock
    held while the mail server talks: see clp.outbox)."""
    from django.urls import reverse

    with Claim(EndorsementRequest.objects.select_related("plan", "councillor__user", "sent_by")
               .filter(pk=request_id, emailed_at__isnull=True)) as claim:
        request = claim.row
        if request is None:
            return False
        context = {"request": request, "plan": request.plan, "councillor": request.councillor,
                   "url": settings.SITE_URL + reverse("actions:review", kwargs={"pk": request.plan_id})}
        send_mail(subject=render_to_string("actions/email/request_subject.txt", context).strip(),
                  message=render_to_string("actions/email/request_body.txt", context),
                  from_email=None, recipient_list=[request.councillor.user.email])
        claim.finish(emailed_at=timezone.now())
    return True


def endorsement_requests_resend_unemailed() -> int:
    """The beat sweep: re-enqueue requests whose email message was lost."""
    from actions import tasks

    cutoff = timezone.now() - timedelta(minutes=10)
    ids = list(EndorsementRequest.objects.filter(emailed_at__isnull=True, sent_at__lt=cutoff)
               .values_list("pk", flat=True))
    for pk in ids:
        tasks.send_endorsement_request.delay(pk)
    return len(ids)


@transaction.atomic
def endorsement_record(*, priority: Priority, councillor: CouncillorProfile, decision: str,
                       comment: str, actor: User) -> Endorsement:
    """Record a councillor's decision; an earlier one stays in the history, no longer current."""
    if decision not in Decision.values:
        raise ValueError(f"Unknown decision {decision!r}")
    Endorsement.objects.select_for_update().filter(
        priority=priority, councillor=councillor, is_current=True).update(is_current=False)
    endorsement = Endorsement.objects.create(priority=priority, councillor=councillor,
                                             decision=decision, comment=comment, by=actor)
    audit_record(kind=AuditKind.ENDORSEMENT, actor=actor, target=endorsement,
                 summary=f"Councillor {councillor.pk}: {decision} on priority {priority.pk}")
    _log(priority.plan, actor, _("%(who)s: %(decision)s “%(t)s”")
         % {"who": councillor.short_name, "decision": endorsement.get_decision_display(),
            "t": priority}, reason=comment)
    return endorsement


@transaction.atomic
def question_ask(*, priority: Priority, councillor: CouncillorProfile, body: str,
                 actor: User) -> Message:
    """A councillor asks the group a question about a priority (it starts or continues a thread)."""
    from actions import tasks

    message = Message.objects.create(priority=priority, councillor=councillor, from_councillor=True,
                                     body=body, author=actor)
    tasks.send_message_email.delay_on_commit(message.pk)
    _log(priority.plan, actor, _("%(who)s asked a question about “%(t)s”")
         % {"who": councillor.short_name, "t": priority}, reason=body)
    return message


@transaction.atomic
def question_answer(*, priority: Priority, councillor: CouncillorProfile, body: str,
                    actor: User) -> Message:
    """The group answers in its thread with a councillor about a priority."""
    from actions import tasks

    message = Message.objects.create(priority=priority, councillor=councillor,
                                     from_councillor=False, body=body, author=actor)
    tasks.send_message_email.delay_on_commit(message.pk)
    _log(priority.plan, actor, _("Answered %(who)s about “%(t)s”")
         % {"who": councillor.short_name, "t": priority}, reason=body)
    return message


def message_email(*, message_id: int) -> bool:
    """Email a question to the chair and secretary, or the group's answer to the councillor, once;
    safe to run twice (claimed, sent, then marked emailed, with no lock held while the mail server
    talks: see clp.outbox)."""
    with Claim(Message.objects.select_related("priority__plan", "councillor__user", "author")
               .filter(pk=message_id, emailed_at__isnull=True)) as claim:
        message = claim.row
        if message is None:
            return False
        recipients = _message_recipients(message)
        context = {"message": message, "priority": message.priority, "plan": message.priority.plan,
                   "councillor": message.councillor, "url": settings.SITE_URL + _message_link(message)}
        subject = render_to_string("actions/email/message_subject.txt", context).strip()
        body = render_to_string("actions/email/message_body.txt", context)
        send_mass_mail([(subject, body, None, [email]) for email in recipients])
        claim.finish(emailed_at=timezone.now())
    return True


def _message_recipients(message: Message) -> list[str]:
    """A councillor's question goes to the chair and secretary (every active member if there are
    none); the group's answer goes to the councillor."""
    if not message.from_councillor:
        return [message.councillor.user.email]
    from plans.models import MANAGER_ROLES, Membership

    members = Membership.objects.active().filter(plan=message.priority.plan).select_related("user")
    managers = [m.user.email for m in members if m.role in MANAGER_ROLES]
    return sorted(set(managers or [m.user.email for m in members]))


def _message_link(message: Message) -> str:
    from django.urls import reverse

    if message.from_councillor:
        return reverse("actions:reply", kwargs={"pk": message.priority.plan_id,
                                                "prid": message.priority_id, "cid": message.councillor_id})
    return reverse("actions:respond", kwargs={"pk": message.priority.plan_id, "prid": message.priority_id})


def messages_resend_unemailed() -> int:
    """The beat sweep: re-enqueue questions and answers of the last week whose email was lost."""
    from actions import tasks

    now = timezone.now()
    ids = list(Message.objects.filter(emailed_at__isnull=True, at__lt=now - timedelta(minutes=10),
                                      at__gt=now - timedelta(days=7)).values_list("pk", flat=True))
    for pk in ids:
        tasks.send_message_email.delay(pk)
    return len(ids)


# --- the draft plan and residents' comments -----------------------------------------------------

@transaction.atomic
def draft_update(*, plan: Plan, monitoring: str, actor: User) -> DraftPlan:
    draft, _created = DraftPlan.objects.select_for_update().get_or_create(plan=plan)
    draft.monitoring = monitoring
    draft.save(update_fields=["monitoring"])
    _log(plan, actor, _("Updated the monitoring arrangements"))
    return draft


@transaction.atomic
def draft_publish(*, plan: Plan, publish: bool, actor: User) -> DraftPlan:
    """Publish the draft for residents to read and comment on, or take it down."""
    draft, _created = DraftPlan.objects.select_for_update().get_or_create(plan=plan)
    if publish == draft.is_published:
        return draft
    if publish and PlanVersion.objects.filter(plan=plan, number=plan.version).exists():
        raise Refused(_("This version of the plan has been adopted, so it is no longer "
                                  "a draft for comment. Start a review to draft the next version."))
    draft.published_at = timezone.now() if publish else None
    draft.published_by = actor if publish else draft.published_by
    draft.save(update_fields=["published_at", "published_by"])
    audit_record(kind=AuditKind.PUBLICATION, actor=actor, target=draft,
                 summary="Draft plan published" if publish else "Draft plan withdrawn")
    _log(plan, actor, _("Published the draft plan for residents to comment on") if publish
         else _("Took the draft plan off the public site"))
    return draft


@transaction.atomic
def comment_submit(*, plan: Plan, body: str, name: str = "",
                   priority: Priority | None = None) -> DraftComment:
    """A resident comments on the published draft; nothing shows until the group approves it."""
    if (not DraftPlan.objects.filter(plan=plan, published_at__isnull=False).exists()
            or PlanVersion.objects.filter(plan=plan, number=plan.version).exists()):
        raise Refused(_("This draft plan is not open for comments."))
    if priority is not None and priority.plan_id != plan.pk:
        raise ValueError("The priority belongs to another plan.")
    return DraftComment.objects.create(plan=plan, body=body, name=name, priority=priority)


@transaction.atomic
def comment_moderate(*, comment: DraftComment, approve: bool, actor: User) -> DraftComment:
    comment.status = CommentStatus.APPROVED if approve else CommentStatus.REJECTED
    comment.moderated_by = actor
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "moderated_by", "moderated_at"])
    _log(comment.plan, actor, _("Residents' comment %(what)s") %
         {"what": _("shown on the draft") if approve else _("not shown")})
    return comment


# --- finalising -----------------------------------------------------------------------------------

@transaction.atomic
def plan_finalise(*, plan: Plan, actor: User) -> PlanVersion:
    """Check the Finalising gate, freeze this version of the plan, then move on to Implementing.

    Everything happens in one transaction: if the plan cannot move on, nothing is frozen.
    """
    locked = Plan.objects.select_for_update().select_related("community").get(pk=plan.pk)
    if locked.step != Step.FINALISING:
        raise Refused(_("A plan is finalised at step 7, “Finalising your plan”. This "
                                  "plan is at “%(step)s”.") % {"step": locked.get_step_display()})
    unmet = [s.item.label for s in gates.checklist(locked, Step.FINALISING).unmet
             if s.item.key != FROZEN_KEY]
    if unmet:
        raise GateNotMet(_("The plan cannot be finalised yet. Still to do:"), unmet)
    version = PlanVersion.objects.filter(plan=locked, number=locked.version).first()
    if version is None:
        version = PlanVersion.objects.create(plan=locked, number=locked.version,
                                             data=versions.snapshot(locked), frozen_by=actor)
        _log(locked, actor, _("Finalised and froze version %(n)s of the plan") % {"n": version.number})
    _draft_close(locked, actor)
    plan_services.plan_advance(plan=locked, actor=actor, expected_step=Step.FINALISING)
    return version


def _draft_close(plan: Plan, actor: User) -> None:
    """On adoption the public draft stops taking comments; its link leads to the adopted plan."""
    closed = DraftPlan.objects.filter(plan=plan, published_at__isnull=False).update(published_at=None)
    if closed:
        _log(plan, actor, _("Closed residents' comments on the draft: the adopted plan is public"))

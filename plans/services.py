"""Plan services: transitions, checklist, steering group and content, each writing the history."""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from clp.audit import AuditKind, audit_record
from clp.exceptions import GateNotMet, Refused
from clp.models import Community, CouncillorProfile, User
from plans import documents, gates, steps
from plans.models import (
    ChecklistEntry,
    CouncillorLink,
    EventKind,
    Membership,
    Plan,
    PlanEvent,
    Publication,
    PublicationStatus,
    Role,
    publication_upload_to,
)

logger = logging.getLogger(__name__)


_TRANSITIONS = {EventKind.ADVANCED, EventKind.REVISITED, EventKind.REVIEW, EventKind.PAUSED,
                EventKind.RESUMED, EventKind.CLOSED}


def record(plan: Plan, actor: User | None, kind: str, summary: str, *, reason: str = "",
           from_step: str = "", to_step: str = "") -> PlanEvent:
    if kind in _TRANSITIONS:
        audit_record(kind=AuditKind.TRANSITION, actor=actor, target=plan,
                     summary=f"{kind} {from_step or '-'} to {to_step or '-'}")
    return PlanEvent.objects.create(plan=plan, actor=actor, kind=kind, summary=summary[:300],
                                    reason=reason, from_step=from_step, to_step=to_step)


def _lock(plan: Plan, expected_step: str | None) -> Plan:
    locked = Plan.objects.select_for_update().select_related("community").get(pk=plan.pk)
    if expected_step and locked.step != expected_step:
        raise Refused(
            _("This plan has already moved to “%(step)s”, perhaps from another window or by "
              "someone else. Check the page and try again.")
            % {"step": locked.get_step_display()}
        )
    return locked


@transaction.atomic
def plan_create(*, community: Community, title: str, actor: User, **fields) -> Plan:
    """Start a new plan for a community at step 1 (one running plan per community at a time)."""
    Community.objects.select_for_update().get(pk=community.pk)
    running = Plan.objects.filter(community=community).running().first()
    if running is not None:
        raise Refused(
            _("%(community)s already has a plan under way: “%(plan)s”. Close it before starting "
              "another, or start a review cycle from its last step.")
            % {"community": community, "plan": running.title})
    plan = Plan.objects.create(community=community, title=title, **fields)
    record(plan, actor, EventKind.CREATED, _("Plan “%(title)s” started") % {"title": title})
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, actor: User, changed: list[str]) -> Plan:
    """Save edits to the plan's details (the form has set them on `plan`)."""
    plan.save()
    if changed:
        record(plan, actor, EventKind.EDITED, _("Changed: %(fields)s") % {"fields": ", ".join(changed)})
    return plan


@transaction.atomic
def plan_advance(*, plan: Plan, actor: User, expected_step: str | None = None) -> Plan:
    """Move to the next step, only when every item of the current step's gate is met."""
    locked = _lock(plan, expected_step)
    if not locked.is_active:
        raise Refused(_("This plan is paused. Resume it before moving on."))
    if steps.next_step(locked.step) is None:
        raise Refused(_("This is the last step. Start a review cycle instead."))
    checklist = gates.checklist(locked)
    if not checklist.is_met:
        raise GateNotMet(
            _("The plan cannot move on yet. Still to do:"),
            [state.item.label for state in checklist.unmet],
        )
    from_step = locked.step
    locked.advance()
    locked.save()
    record(locked, actor, EventKind.ADVANCED,
           _("Moved on to “%(step)s”") % {"step": locked.get_step_display()},
           from_step=from_step, to_step=locked.step)
    return locked


@transaction.atomic
def plan_revisit(*, plan: Plan, actor: User, to_step: str, reason: str,
                 expected_step: str | None = None) -> Plan:
    """Go back to an earlier step, with the reason recorded."""
    locked = _lock(plan, expected_step)
    if to_step not in steps.earlier_steps(locked.step):
        raise Refused(_("Choose a step before the current one."))
    from_step = locked.step
    locked.revisit(to_step)
    locked.save()
    record(locked, actor, EventKind.REVISITED,
           _("Went back to “%(step)s”") % {"step": locked.get_step_display()},
           reason=reason, from_step=from_step, to_step=to_step)
    return locked


@transaction.atomic
def plan_start_review(*, plan: Plan, actor: User, to_step: str, reason: str = "",
                      expected_step: str | None = None) -> Plan:
    """Start a review cycle: back to Understanding or Prioritising, as a new version."""
    locked = _lock(plan, expected_step)
    if locked.step != steps.Step.REVIEWING:
        raise Refused(_("A review cycle starts from “Reviewing your plan”."))
    if to_step not in steps.REVIEW_RESTART_STEPS:
        raise Refused(_("A review restarts at Understanding or Prioritising."))
    locked.start_review_cycle(to_step)
    locked.save()
    record(locked, actor, EventKind.REVIEW,
           _("Review cycle started: version %(v)s, back to “%(step)s”")
           % {"v": locked.version, "step": locked.get_step_display()},
           reason=reason, from_step=steps.Step.REVIEWING, to_step=to_step)
    return locked


@transaction.atomic
def plan_set_paused(*, plan: Plan, actor: User, paused: bool, reason: str = "") -> Plan:
    """Pause or resume the plan (a paused plan cannot move on)."""
    locked = _lock(plan, None)
    if locked.is_closed:
        raise Refused(_("This plan is closed."))
    if paused == (not locked.is_active):
        return locked
    if paused:
        locked.pause()
    else:
        locked.resume()
    locked.save()
    record(locked, actor, EventKind.PAUSED if paused else EventKind.RESUMED,
           _("Plan paused") if paused else _("Plan resumed"), reason=reason)
    return locked


@transaction.atomic
def plan_close(*, plan: Plan, actor: User, outcome: str, reason: str) -> Plan:
    """Close the plan as completed or abandoned; the reason is kept in the history."""
    locked = _lock(plan, None)
    if locked.is_closed:
        raise Refused(_("This plan is already closed."))
    locked.close(outcome)
    locked.save()
    record(locked, actor, EventKind.CLOSED,
           _("Plan closed: %(status)s") % {"status": locked.get_status_display().lower()},
           reason=reason)
    return locked


def _gate_item(key: str) -> gates.GateItem:
    item = gates.get_item(key)
    if item is None:
        raise Refused(_("That checklist item does not exist."))
    return item


@transaction.atomic
def checklist_tick(*, plan: Plan, key: str, actor: User, note: str = "", link: str = "") -> None:
    """The group ticks an item it has done, with an optional note or link."""
    item = _gate_item(key)
    if not item.is_manual:
        raise Refused(_("This item is worked out from the plan's records."))
    ChecklistEntry.objects.update_or_create(
        plan=plan, key=key, kind=ChecklistEntry.Kind.TICK,
        defaults={"by": actor, "note": note, "link": link, "at": timezone.now()},
    )
    record(plan, actor, EventKind.TICKED, _("Ticked: %(item)s") % {"item": item.label},
           reason=note)


@transaction.atomic
def checklist_untick(*, plan: Plan, key: str, actor: User) -> None:
    item = _gate_item(key)
    deleted, _n = ChecklistEntry.objects.filter(
        plan=plan, key=key, kind=ChecklistEntry.Kind.TICK
    ).delete()
    if deleted:
        record(plan, actor, EventKind.UNTICKED, _("Unticked: %(item)s") % {"item": item.label})


@transaction.atomic
def checklist_waive(*, plan: Plan, key: str, actor: User, reason: str) -> None:
    """A support officer waives an item, with a reason shown to everyone on the plan."""
    item = _gate_item(key)
    if not item.waivable:
        raise Refused(_("“%(item)s” cannot be marked as not needed.") % {"item": item.label})
    ChecklistEntry.objects.update_or_create(
        plan=plan, key=key, kind=ChecklistEntry.Kind.WAIVER,
        defaults={"by": actor, "note": reason, "at": timezone.now()},
    )
    record(plan, actor, EventKind.WAIVED, _("Marked as not needed: %(item)s") % {"item": item.label},
           reason=reason)


@transaction.atomic
def checklist_unwaive(*, plan: Plan, key: str, actor: User) -> None:
    """Take back a waiver: the item must be done again before the plan can move on."""
    item = _gate_item(key)
    deleted, _n = ChecklistEntry.objects.filter(
        plan=plan, key=key, kind=ChecklistEntry.Kind.WAIVER).delete()
    if deleted:
        record(plan, actor, EventKind.WAIVED, _("No longer marked as not needed: %(item)s")
               % {"item": item.label})


@transaction.atomic
def membership_add(*, plan: Plan, user: User, role: str, actor: User | None, theme: str = "",
                   represents: list | None = None) -> Membership:
    """Put someone on the steering group (or change the role of someone already on it)."""
    membership, created = Membership.objects.update_or_create(
        plan=plan, user=user, left_on__isnull=True,
        defaults={"role": role, "theme": theme, "represents": represents or []},
    )
    verb = _("joined the steering group as") if created else _("is now")
    record(plan, actor or user, EventKind.MEMBERSHIP,
           f"{user} {verb} {Role(role).label}")
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, actor: User, changed: list[str]) -> Membership:
    membership.save()
    record(membership.plan, actor, EventKind.MEMBERSHIP,
           _("%(who)s: changed %(fields)s")
           % {"who": membership.user, "fields": ", ".join(changed) or _("nothing")})
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, actor: User, reason: str = "") -> Membership:
    """Record that someone has left the steering group (kept in the history)."""
    membership.left_on = timezone.localdate()
    membership.save(update_fields=["left_on"])
    record(membership.plan, actor, EventKind.MEMBERSHIP,
           _("%(who)s left the steering group") % {"who": membership.user}, reason=reason)
    return membership


@transaction.atomic
def councillor_attach(*, plan: Plan, councillor: CouncillorProfile, actor: User) -> CouncillorLink:
    """Attach an elected member to the plan so they can follow it (and later endorse it)."""
    link, created = CouncillorLink.objects.get_or_create(
        plan=plan, councillor=councillor, defaults={"added_by": actor}
    )
    if created:
        record(plan, actor, EventKind.COUNCILLOR,
               _("%(who)s attached to the plan") % {"who": councillor})
    return link


@transaction.atomic
def content_save(*, obj, actor: User, created: bool) -> object:
    """Save a milestone, meeting, evidence item or support source and note it in the history."""
    obj.save()
    verb = _("Added") if created else _("Updated")
    record(obj.plan, actor, EventKind.CONTENT,
           f"{verb} {obj._meta.verbose_name}: {obj}")
    return obj


@transaction.atomic
def content_delete(*, obj, actor: User) -> None:
    plan = obj.plan
    label = f"{obj._meta.verbose_name}: {obj}"
    obj.delete()
    record(plan, actor, EventKind.CONTENT, _("Removed %(what)s") % {"what": label})


# --- published documents ------------------------------------------------------------------------
# A publication is committed in the request; building it is queued after commit. A broker that is
# down is logged, never shown as an error: the sweep re-queues rows whose message was lost and
# rows whose worker died mid-render, and the task's conditional claim makes a re-run harmless.

# A `rendering` row older than a task's hard time limit (plus a margin) belongs to a worker that
# died or was killed: no live render can last longer (clp/settings.py, OUTBOX_CLAIM_SECONDS).
STALE_RENDER = timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
LOST_QUEUED = timedelta(minutes=2)
MAX_ATTEMPTS = 3


def _enqueue_render(publication_id: int) -> None:
    from plans import tasks

    def enqueue() -> None:
        try:
            tasks.render_publication.delay(publication_id)
        except (BrokerError, OSError) as error:
            logger.warning("Could not queue publication %s: %s", publication_id, error)

    transaction.on_commit(enqueue, robust=True)


@transaction.atomic
def publication_request(*, plan: Plan, kind: str, source_id: int | None, actor: User,
                        large_print: bool = False, secret_input: dict | None = None) -> Publication:
    """Queue a document to be built; while one for the same source is waiting (or built, for a
    source that never changes), return that one instead."""
    document = documents.get_kind(kind)
    source = document.source(plan, source_id) if document else None
    if source is None or (large_print and not document.offers_large_print):
        raise Refused(_("That document cannot be published from this plan."))
    Plan.objects.select_for_update().get(pk=plan.pk)
    same = Publication.objects.filter(plan=plan, kind=kind, source_id=source_id, large_print=large_print)
    reusable = [PublicationStatus.QUEUED, PublicationStatus.RENDERING]
    if not document.rebuildable:
        reusable.append(PublicationStatus.DONE)
    existing = same.filter(status__in=reusable).first()
    if existing is not None and secret_input is None:
        return existing
    title = source.title + (_(" (large print)") if large_print else "")
    publication = Publication.objects.create(
        plan=plan, kind=kind, source_id=source_id, large_print=large_print, title=title,
        source_label=source.label, is_public=source.is_public, requested_by=actor,
        secret_input=secret_input)
    record(plan, actor, EventKind.CONTENT, _("Asked for “%(title)s” to be published as a PDF")
           % {"title": title})
    audit_record(kind=AuditKind.PUBLICATION, actor=actor, target=publication,
                 summary=f"Document {kind} requested (public: {source.is_public})")
    _enqueue_render(publication.pk)
    return publication


@transaction.atomic
def publication_retry(*, publication: Publication, actor: User) -> Publication:
    """Queue a failed publication again (e.g. after fixing what the check complained about)."""
    if not documents.get_kind(publication.kind).web_page:
        raise Refused(_("This document was built from codes that are not kept. Make a new "
                               "batch of codes and leaflets instead."))
    updated = Publication.objects.filter(pk=publication.pk, status=PublicationStatus.FAILED).update(
        status=PublicationStatus.QUEUED, error="", requested_at=timezone.now(), requested_by=actor)
    if updated:
        record(publication.plan, actor, EventKind.CONTENT,
               _("Asked for “%(title)s” to be built again") % {"title": publication.title})
        _enqueue_render(publication.pk)
    return Publication.objects.get(pk=publication.pk)


def _claim(publication_id: int) -> str | None:
    """Claim a queued row, or a `rendering` row whose worker has gone quiet; None if taken or done."""
    token = secrets.token_hex(16)
    stale = timezone.now() - STALE_RENDER
    claimed = (Publication.objects.filter(pk=publication_id)
               .filter(Q(status=PublicationStatus.QUEUED)
                       | Q(status=PublicationStatus.RENDERING, started_at__lt=stale))
               .update(status=PublicationStatus.RENDERING, started_at=timezone.now(), claim=token,
                       attempts=F("attempts") + 1))
    return token if claimed else None


def publication_render(*, publication_id: int) -> bool:
    """Build, check and store the PDF of a claimed publication. Safe to run twice: a second run
    finds the row done (or being built) and does nothing. Returns whether this run built it."""
    from plans import rendering

    token = _claim(publication_id)
    if token is None:
        return False
    publication = Publication.objects.select_related("plan__community").get(pk=publication_id)
    document = documents.get_kind(publication.kind)
    try:
        built = rendering.build(document.template, document_context(publication),
                                headings=document.headings(publication),
                                pages=document.page_bounds(publication.large_print))
    except rendering.CheckFailed as failed:
        return _finish_failed(publication_id, token, str(failed))
    except Exception as error:  # a bug or bad data: say so on the row instead of retrying forever
        logger.exception("Publication %s could not be built", publication_id)
        return _finish_failed(publication_id, token, _(
            "The document could not be built because of an error in the program (%(error)s). "
            "The error has been logged for the site's administrators.")
            % {"error": type(error).__name__})
    return _store(publication, token, built)


def document_context(publication: Publication) -> dict:
    """What the document's template needs: the kind's context plus the document's own details."""
    document = documents.get_kind(publication.kind)
    source = document.source(publication.plan, publication.source_id)
    return {**document.context(publication), "publication": publication, "document": document,
            "source": source, "plan": publication.plan, "community": publication.plan.community,
            "large_print": publication.large_print}


def _finish_failed(publication_id: int, token: str, reason: str) -> bool:
    Publication.objects.filter(pk=publication_id, claim=token).update(
        status=PublicationStatus.FAILED, error=reason, finished_at=timezone.now(), claim="",
        secret_input=None)
    logger.warning("Publication %s failed its check: %s", publication_id, reason)
    return False


@transaction.atomic
def _store(publication: Publication, token: str, built) -> bool:
    from django.core.files.base import ContentFile

    locked = Publication.objects.select_for_update().get(pk=publication.pk)
    if locked.claim != token or locked.status != PublicationStatus.RENDERING:
        return False  # another run took over after this one went quiet; its file stands
    name = publication_upload_to(locked, f"{locked.pk}-{locked.filename}")
    storage = locked.file.storage
    if storage.exists(name):
        storage.delete(name)
    locked.file.save(name.rsplit("/", 1)[-1], ContentFile(built.content), save=False)
    locked.status, locked.claim, locked.error = PublicationStatus.DONE, "", ""
    locked.pages, locked.bytes, locked.sha256 = built.pages, len(built.content), built.sha256
    locked.finished_at, locked.secret_input = timezone.now(), None
    locked.save()
    return True


def publications_requeue_lost() -> int:
    """Re-queue queued rows whose message was lost and rendering rows whose worker died."""
    now = timezone.now()
    Publication.objects.filter(status=PublicationStatus.RENDERING, started_at__lt=now - STALE_RENDER,
                               attempts__gte=MAX_ATTEMPTS).update(
        status=PublicationStatus.FAILED, finished_at=now, claim="", secret_input=None,
        error=_("Building the document stopped %(n)s times without finishing. It may be too large: "
                "try again, or ask the site's administrators.") % {"n": MAX_ATTEMPTS})
    ids = list(Publication.objects.filter(
        Q(status=PublicationStatus.QUEUED, requested_at__lt=now - LOST_QUEUED)
        | Q(status=PublicationStatus.RENDERING, started_at__lt=now - STALE_RENDER))
        .values_list("pk", flat=True))
    from plans import tasks

    for publication_id in ids:
        try:
            tasks.render_publication.delay(publication_id)
        except (BrokerError, OSError) as error:
            logger.warning("Could not queue publication %s: %s", publication_id, error)
            break
    return len(ids)

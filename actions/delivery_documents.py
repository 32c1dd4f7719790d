"""Documents of the Deliver steps: the meeting pack for the steering group or parish council, and
the community update as a printed progress report. Registered with `plans.documents` in
ActionsConfig.ready() (through actions.documents.register_kinds).

The meeting pack is private to the steering group: it names leads, declined requests and the
decisions in front of the meeting. The community update's PDF is public once the update is
published (a published update never changes); where each action stood is worked out from the
progress history as it was when the update was written, so building it again gives the same file.
"""

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions import delivery, health, progress
from actions.models import (
    Action,
    CommentStatus,
    CommunityUpdate,
    Endorsement,
    EndorsementRequest,
    HelpOffer,
    OfferStatus,
    OwnerStatus,
    Priority,
    ProgressUpdate,
    Section,
    UpdateStatus,
)
from plans import documents, gates
from plans.models import Meeting, PlanEvent, Publication, PublicationStatus
from plans.permissions import EDIT_PLAN_CONTENT

MEETING_PACK = "meeting_pack"
COMMUNITY_UPDATE = "community_update"
HISTORY_ROWS = 60  # the pack lists at most this many history entries since the last meeting
MEETING_CHOICES = 20


# --- the meeting pack ---------------------------------------------------------------------------

def _meeting(plan, source_id) -> Meeting | None:
    if source_id is None:
        return None
    return Meeting.objects.filter(plan=plan, pk=source_id).first()


def _meeting_moment(meeting: Meeting) -> datetime:
    return health.start_of_local_day(meeting.date, health.community_timezone())


def _pack_source(plan, source_id) -> documents.Source | None:
    meeting = _meeting(plan, source_id)
    if meeting is None:
        return None
    return documents.Source(
        title=_("Meeting pack: %(meeting)s") % {"meeting": meeting.title},
        label=meeting.date.strftime("%-d %B %Y"), date=_meeting_moment(meeting), is_public=False)


def meeting_choices(plan) -> list[tuple[int, str]]:
    """The meetings a pack can be built for: the latest and upcoming first."""
    meetings = Meeting.objects.filter(plan=plan).order_by("-date", "-pk")[:MEETING_CHOICES]
    return [(m.pk, f"{m.date.strftime('%-d %B %Y')}: {m.title} ({m.get_kind_display()})")
            for m in meetings]


def since_last_meeting(meeting: Meeting) -> tuple[datetime, str]:
    """Where "what changed" starts: the end of the previous meeting of the same kind; else when
    the last meeting pack was built; else when the plan was last frozen (or created)."""
    previous = (Meeting.objects.filter(plan_id=meeting.plan_id, kind=meeting.kind, date__lt=meeting.date)
                .order_by("-date", "-pk").first())
    if previous is not None:
        return (health.end_of_local_day(previous.date, health.community_timezone()),
                _("the last meeting, %(title)s on %(date)s")
                % {"title": previous.title, "date": previous.date.strftime("%-d %B %Y")})
    pack = (Publication.objects.filter(plan_id=meeting.plan_id, kind=MEETING_PACK,
                                       status=PublicationStatus.DONE)
            .exclude(source_id=meeting.pk).order_by("-finished_at").first())
    if pack is not None:
        return pack.finished_at, _("the last meeting pack, built on %(date)s") % {
            "date": pack.finished_at.astimezone(health.community_timezone()).strftime("%-d %B %Y")}
    plan = meeting.plan
    frozen = plan.versions.order_by("-number").first()
    if frozen is not None:
        return frozen.frozen_at, _("version %(n)s of the plan was agreed") % {"n": frozen.number}
    return plan.created_at, _("the plan was started")


def _endorsements_awaited(plan) -> list[dict]:
    """Councillors asked to review the priorities who have not decided on every section-2 one."""
    section_two = set(Priority.objects.filter(plan=plan, section=Section.HELP)
                      .values_list("pk", flat=True))
    decided: dict[int, set] = {}
    for councillor_id, priority_id in (Endorsement.objects.current()
                                       .filter(priority__plan=plan)
                                       .values_list("councillor_id", "priority_id")):
        decided.setdefault(councillor_id, set()).add(priority_id)
    rows = []
    for request in EndorsementRequest.objects.filter(plan=plan).select_related("councillor"):
        waiting = len(section_two - decided.get(request.councillor_id, set()))
        if waiting:
            rows.append({"request": request, "waiting": waiting})
    return rows


def _declined_endorsements(plan) -> list:
    return list(Endorsement.objects.current().filter(priority__plan=plan, decision="decline")
                .select_related("councillor", "priority").order_by("priority__rank", "pk"))


def open_help_requests(loaded: progress.Delivery) -> list[ProgressUpdate]:
    """The leads' requests for help still open (the action's latest update asked), oldest first:
    the update says who asked, when and what they said; `update.action` is the loaded action."""
    requests = []
    for action in loaded.help_requested:
        update = action.latest_update
        update.action = action
        requests.append(update)
    return sorted(requests, key=lambda u: (u.at, u.pk))


def meeting_pack_context(publication) -> dict:
    plan = publication.plan
    meeting = _meeting(plan, publication.source_id)
    since, since_label = since_last_meeting(meeting)
    loaded = progress.load_delivery(plan)
    checklist = gates.checklist(plan, plan.step)
    history = list(PlanEvent.objects.filter(plan=plan, at__gt=since).select_related("actor")
                   .order_by("-at", "-pk")[:HISTORY_ROWS + 1])
    return {
        "meeting": meeting, "since": since, "since_label": since_label,
        "changes": delivery.changes_since(plan, since), "delivery": loaded,
        "history": history[:HISTORY_ROWS], "history_more": len(history) > HISTORY_ROWS,
        "proposed": [a for a in loaded.actions if OwnerStatus.PROPOSED in (a.lead_status, a.partner_status)],
        "help_requests": open_help_requests(loaded),
        "endorsements_awaited": _endorsements_awaited(plan),
        "endorsements_declined": _declined_endorsements(plan),
        "unmet": checklist.unmet, "step_label": plan.get_step_display(),
        "offers_waiting": list(HelpOffer.objects.for_plan(plan).filter(status=OfferStatus.CONFIRMED)
                               .select_related("action", "priority").order_by("confirmed_at", "pk")),
        "issues_waiting": list(plan.raised_issues.filter(status=CommentStatus.PENDING)
                               .order_by("created_at", "pk")),
        "review_due_on": progress.review_due_on(plan),
    }


def meeting_pack_headings(publication) -> list[str]:
    return [_("What changed since the last meeting"), _("Overdue actions"), _("Stalled actions"),
            _("Leads asking for help"), _("Decisions needed")]


# --- the community update as a progress report -----------------------------------------------

def _update(plan, source_id) -> CommunityUpdate | None:
    if source_id is None:
        return None
    return CommunityUpdate.objects.filter(plan=plan, pk=source_id, published_at__isnull=False).first()


def _update_source(plan, source_id) -> documents.Source | None:
    update = _update(plan, source_id)
    if update is None:
        return None
    published = update.published_at.astimezone(health.community_timezone())
    return documents.Source(title=update.title,
                            label=_("Community update, %(date)s") % {"date": published.strftime("%B %Y")},
                            date=update.published_at, is_public=True)


def standing_at(plan, moment: datetime) -> list[dict]:
    """Every action that existed at `moment`, with its last progress update up to then: where
    things stood when the update was written, whatever has happened since."""
    latest: dict[int, ProgressUpdate] = {}
    for update in (ProgressUpdate.objects.filter(action__priority__plan=plan, at__lte=moment)
                   .order_by("at", "pk")):
        latest[update.action_id] = update
    actions = (Action.objects.filter(priority__plan=plan, created_at__lte=moment)
               .select_related("priority")
               .order_by("priority__section", "-priority__is_quick_win", "priority__rank",
                         "priority__pk", "position", "pk"))
    sections: dict[int, dict] = {}
    for action in actions:
        update = latest.get(action.pk)
        status = update.status if update else UpdateStatus.NOT_STARTED
        section = sections.setdefault(action.priority.section, {
            "number": action.priority.section, "label": Section(action.priority.section).label,
            "rows": []})
        section["rows"].append({"action": action, "priority": action.priority, "update": update,
                                "status": UpdateStatus(status).label,
                                "percent": update.percent if update else 0,
                                "done": status == UpdateStatus.DONE})
    return [sections[n] for n in sorted(sections)]


def community_update_context(publication) -> dict:
    plan = publication.plan
    update = _update(plan, publication.source_id)
    changes = delivery.changes_since(plan, update.covers_from)
    for key in ("done", "started", "slipped", "dropped"):
        changes[key] = [u for u in changes[key] if u.at <= update.covers_to]
    changes["issues"] = [i for i in changes["issues"] if i.created_at <= update.covers_to]
    sections = standing_at(plan, update.covers_to)
    rows = [row for section in sections for row in section["rows"]]
    return {
        "update": update, "changes": changes, "sections": sections,
        "done_count": sum(row["done"] for row in rows), "action_count": len(rows),
        "progress_url": settings.SITE_URL.rstrip("/") + plan_progress_url(plan),
    }


def plan_progress_url(plan) -> str:
    from django.urls import reverse

    return reverse("actions:public_progress", kwargs={"pk": plan.pk})


def community_update_headings(publication) -> list[str]:
    return [_("What has changed"), _("Where every action stands")]


def update_publications(plan, *, public_only: bool = False) -> dict[int, Publication]:
    """The latest PDF of each of the plan's community updates, by update id, in one query."""
    rows = Publication.objects.filter(plan=plan, kind=COMMUNITY_UPDATE).order_by("pk")
    if public_only:
        rows = rows.public()
    return {row.source_id: row for row in rows}


def register_kinds() -> None:
    documents.register(documents.DocumentKind(
        key=MEETING_PACK, label=gettext_lazy("Meeting pack"),
        template="actions/documents/meeting_pack.html", source=_pack_source,
        context=meeting_pack_context, headings=meeting_pack_headings, pages=(1, 200),
        rebuildable=True, private_perm=EDIT_PLAN_CONTENT,
        private_note=gettext_lazy("It names leads, declined requests and the decisions in front "
                                  "of the meeting, so only the steering group can open it."),
        choices=meeting_choices, choice_label=gettext_lazy("For the meeting"),
        extra={"none_yet": gettext_lazy("A pack is built for a meeting: add the meeting first."),
               "add_url": "plans:meetings", "add_label": gettext_lazy("Meetings and events")}))
    documents.register(documents.DocumentKind(
        key=COMMUNITY_UPDATE, label=gettext_lazy("Community update"),
        template="actions/documents/community_update.html", source=_update_source,
        context=community_update_context, headings=community_update_headings, pages=(1, 60)))

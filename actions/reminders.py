"""The action plan's reminder kinds: a councillor's endorsement awaited, and the plan's yearly
light review or five-yearly full review coming due (counted from the date it was finalised)."""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clp import reminders
from clp.models import Preference
from plans.models import EventKind, Plan, PlanEvent, PlanStatus, Role
from plans.reminders import Person, due_item, plan_managers, plan_officers
from plans.steps import Step

ASK_AGAIN_BEFORE_DAYS = 3  # the first reminder, this many days before the reply-by date
STOP_AFTER_DAYS = 28  # no more reminders this long after the reply-by date
REVIEW_NOTICE_DAYS = 30  # review reminders go this long before the review is due


def endorsements_awaited(today: date) -> list[reminders.DueItem]:
    """Councillors asked to review the priorities who have not decided on every section-2
    priority: once a week from three days before the reply-by date, for four weeks after it."""
    from actions.models import Endorsement, EndorsementRequest, Priority, Section

    requests = list(EndorsementRequest.objects.filter(
        plan__status=PlanStatus.ACTIVE,
        respond_by__lte=today + timedelta(days=ASK_AGAIN_BEFORE_DAYS),
        respond_by__gte=today - timedelta(days=STOP_AFTER_DAYS),
        # Only while the councillor is still attached to the plan and has an active account.
        plan__councillor_links__councillor_id=F("councillor_id"), councillor__user__is_active=True,
    ).select_related("plan__community", "councillor__user"))
    plan_ids = {r.plan_id for r in requests}
    section_two = defaultdict(set)
    for pk, plan_id in Priority.objects.filter(plan_id__in=plan_ids, section=Section.HELP) \
            .values_list("pk", "plan_id"):
        section_two[plan_id].add(pk)
    decided = defaultdict(set)
    for councillor_id, priority_id in Endorsement.objects.current().filter(
            priority__plan_id__in=plan_ids).values_list("councillor_id", "priority_id"):
        decided[councillor_id].add(priority_id)
    year, week, _day = today.isocalendar()
    items = []
    for request in requests:
        waiting = len(section_two[request.plan_id] - decided[request.councillor_id])
        if not waiting:
            continue
        user = request.councillor.user
        person = Person(user.email, user.pk, _(
            "The steering group of %(plan)s asked you, as %(who)s, to review its priorities by "
            "%(date)s.") % {"plan": request.plan.title, "who": request.councillor.short_name,
                            "date": request.respond_by.strftime("%-d %B %Y")})
        items.append(due_item(
            person, request.plan, subject_key=f"endorsement_request:{request.pk}",
            period=f"{year}-W{week:02d}",
            title=_("%(plan)s: %(n)s priorities are waiting for your view") % {
                "plan": request.plan.title, "n": waiting},
            detail=_("Endorse, offer active support or decline each one, or ask the group a "
                     "question first."),
            url=reverse("actions:review", kwargs={"pk": request.plan_id}),
        ))
    return items


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def review_due(frozen: list[date], full_reviews: list[date], today: date) -> tuple[date, str] | None:
    """The review to remind about today, as (due date, "light" or "full"), or None.

    A light review is due a year after the latest finalised version; a full review five years
    after the first version finalised since the last full review began."""
    if not frozen:
        return None
    last_full = max(full_reviews, default=None)
    since_full = [d for d in frozen if last_full is None or d >= last_full]
    full_due = add_years(min(since_full) if since_full else max(frozen), 5)
    light_due = add_years(max(frozen), 1)
    notice = timedelta(days=REVIEW_NOTICE_DAYS)
    if today >= full_due - notice:
        return full_due, "full"
    if today >= light_due - notice:
        return light_due, "light"
    return None


def reviews_due(today: date) -> list[reminders.DueItem]:
    """Plans being delivered whose light or full review is due within 30 days (or overdue)."""
    from actions.models import PlanVersion

    plans = list(Plan.objects.filter(status=PlanStatus.ACTIVE,
                                     step__in=[Step.IMPLEMENTING, Step.REVIEWING])
                 .select_related("community"))
    frozen, full = defaultdict(list), defaultdict(list)
    for plan_id, at in PlanVersion.objects.filter(plan__in=plans).values_list("plan_id", "frozen_at"):
        frozen[plan_id].append(timezone.localdate(at))
    for plan_id, at in PlanEvent.objects.filter(plan__in=plans, kind=EventKind.REVIEW,
                                                to_step=Step.UNDERSTANDING).values_list("plan_id", "at"):
        full[plan_id].append(timezone.localdate(at))
    chairs, officers = plan_managers(plans, roles=[Role.CHAIR]), plan_officers(plans)
    items = []
    for plan in plans:
        due = review_due(frozen[plan.pk], full[plan.pk], today)
        if due is None:
            continue
        when, depth = due
        title = (_("%(plan)s: the five-yearly full review is due on %(date)s") if depth == "full"
                 else _("%(plan)s: the yearly light review is due on %(date)s"))
        detail = (_("A full review goes back to understanding your community: new evidence, "
                    "a new survey, new priorities.") if depth == "full"
                  else _("A light review checks each action (achieved, carry forward or drop) "
                         "and the new issues raised since, then updates the priorities."))
        for person in chairs[plan.pk] + officers[plan.pk]:
            items.append(due_item(
                person, plan, subject_key=f"plan:{plan.pk}", period=f"{depth}-review-{when.isoformat()}",
                title=title % {"plan": plan.title, "date": when.strftime("%-d %B %Y")},
                detail=detail, url=reverse("plans:detail", kwargs={"pk": plan.pk}),
            ))
    return items


def register_kinds() -> None:
    reminders.register(reminders.ReminderKind(
        key="endorsement_awaited", label=gettext_lazy("Priorities wait for your endorsement"),
        due=endorsements_awaited, default=Preference.IMMEDIATE,
        description=gettext_lazy("To councillors, weekly from three days before the reply-by "
                                 "date, while priorities they were asked about are undecided."),
    ))
    reminders.register(reminders.ReminderKind(
        key="plan_review_due", label=gettext_lazy("A plan review is coming due"),
        due=reviews_due, default=Preference.IMMEDIATE,
        description=gettext_lazy("To the chair and support officers, a month before a plan's "
                                 "yearly light review or five-yearly full review."),
    ))

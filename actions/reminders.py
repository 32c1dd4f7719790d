"""The action plan's reminder kinds: a councillor's endorsement awaited, the plan's yearly light
review or five-yearly full review coming due (counted from the date it was finalised), and the
Deliver kinds: an action's progress update due (to the lead, with a link to report without
signing in), an action overdue (lead, then chair, then support officer), an owner request not
answered, and a process-plan milestone coming due."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions import tokens
from clp import reminders
from clp.models import Preference
from plans.models import EventKind, Milestone, MilestoneStatus, Plan, PlanEvent, PlanStatus, Role
from plans.reminders import Person, due_item, plan_managers, plan_officers
from plans.steps import Step

ASK_AGAIN_BEFORE_DAYS = 3  # the first reminder, this many days before the reply-by date
STOP_AFTER_DAYS = 28  # no more reminders this long after the reply-by date
REVIEW_NOTICE_DAYS = 30  # review reminders go this long before the review is due
# An overdue action is raised one rung further up each time it has been overdue this many days;
# each rung is told once per target date (a revised date starts the ladder again).
OVERDUE_LADDER = ((1, "lead"), (14, "chair"), (28, "officer"))
OWNER_UNANSWERED_DAYS = 7  # a lead or partner asked this long ago and silent is asked again
MILESTONE_NOTICE_DAYS = 7  # milestones remind the chair this long before their target date
DELIVERING = (Step.IMPLEMENTING, Step.REVIEWING)


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


# --- Deliver ----------------------------------------------------------------------------------

def _noon(today: date) -> datetime:
    return datetime.combine(today, time(12), tzinfo=timezone.get_current_timezone())


def _delivering_actions():
    from actions.models import Action

    return (Action.objects.filter(priority__plan__status=PlanStatus.ACTIVE,
                                  priority__plan__step__in=DELIVERING)
            .select_related("lead_user", "latest_update", "priority__plan__community"))


def _lead(action) -> Person | None:
    email = action.lead_address()
    if not email:
        return None
    plan = action.priority.plan
    return Person(email, action.lead_user_id, _(
        "You lead “%(a)s” in %(plan)s.") % {"a": action.what, "plan": plan.title})


def _update_links(due: list[tuple], *, keep_used: bool = False) -> dict[int, str]:
    """The signed update-by-email link for each (action, lead, since) – delivery's, reused: the
    unused one made for this round of reminders, or a new one (two queries for any number). It
    travels in the reminder email, so it is marked emailed and the delivery sweep leaves it.
    With `keep_used`, a link of this round that the lead has used still counts: the round's one
    email went out with it, so a later sweep makes no new link while the action stays due."""
    from actions import delivery
    from actions.models import UpdateLink

    if not due:
        return {}
    links_made = UpdateLink.objects.filter(action_id__in=[a.pk for a, _p, _s in due],
                                           created_by__isnull=True, retired_at__isnull=True,
                                           created_at__gte=min(s for _a, _p, s in due))
    if not keep_used:
        links_made = links_made.filter(used_at__isnull=True)
    found = {}
    for link in links_made.order_by("pk"):
        found[(link.action_id, link.email)] = found.get((link.action_id, link.email), []) + [link]
    links, new = {}, []
    now = timezone.now()
    for action, person, since in due:
        # The newest unused link of this round comes last, else the newest used one.
        fresh = sorted((k for k in found.get((action.pk, person.email), []) if k.created_at >= since),
                       key=lambda k: (k.used_at is None, k.created_at, k.pk))
        if fresh:
            links[action.pk] = fresh[-1]
        else:
            links[action.pk] = UpdateLink(action=action, email=person.email, name=action.lead_label,
                                          nonce=tokens.new_nonce(), created_at=now, emailed_at=now)
            new.append(links[action.pk])
    UpdateLink.objects.bulk_create(new)
    return {pk: delivery.update_link_url(link).removeprefix(settings.SITE_URL)
            for pk, link in links.items()}


def updates_due(today: date) -> list[reminders.DueItem]:
    """Open actions whose lead has not reported within the action's cadence: the lead is asked
    once per missed report, with a link to report without signing in."""
    from actions import health

    tz = health.community_timezone()
    due = []
    for action in _delivering_actions().update_due(_noon(today)):
        person = _lead(action)
        if person is not None:
            anchor = health.update_anchor(action, tz)
            due.append((action, person, health.start_of_local_day(anchor, tz)))
    urls = _update_links(due)
    items = []
    for action, person, since in due:
        plan, anchor = action.priority.plan, since.date()
        items.append(due_item(
            person, plan, subject_key=f"action:{action.pk}", period=f"since-{anchor.isoformat()}",
            title=_("%(plan)s: time for a progress update on “%(a)s”") % {
                "plan": plan.title, "a": action.what},
            detail=_("The last report was on %(d)s. Say how it is going in a minute: the link "
                     "works once, without signing in, for %(days)s days.") % {
                "d": anchor.strftime("%-d %B %Y"), "days": settings.ACTIONS_LINK_VALID_DAYS},
            url=urls[action.pk],
        ))
    return items


def overdue_actions(today: date) -> list[reminders.DueItem]:
    """Open actions past their target date: the lead is told the day after, with a link to post
    an update without signing in, the chair after two weeks, the support officers after four;
    each rung once per target date."""
    from actions import health

    tz = health.community_timezone()
    actions = list(_delivering_actions().overdue(today).order_by("pk"))
    plans = list({a.priority.plan_id: a.priority.plan for a in actions}.values())
    chairs, officers = plan_managers(plans, roles=[Role.CHAIR]), plan_officers(plans)
    leads = {a.pk: _lead(a) for a in actions}
    # The round starts the day after the target date; a revised date starts a new one.
    lead_links = _update_links([
        (a, leads[a.pk], health.start_of_local_day(a.target_date + timedelta(days=1), tz))
        for a in actions if leads[a.pk]], keep_used=True)
    items = []
    for action in actions:
        plan = action.priority.plan
        late = (today - action.target_date).days
        for days, rung in OVERDUE_LADDER:
            if late < days:
                break
            people = {"lead": [leads[action.pk]] if leads[action.pk] else [],
                      "chair": chairs[plan.pk], "officer": officers[plan.pk]}[rung]
            for person in people:
                items.append(due_item(
                    person, plan, subject_key=f"action:{action.pk}",
                    period=f"overdue-{action.target_date.isoformat()}-{rung}",
                    title=_("%(plan)s: “%(a)s” is %(n)s days past its target date") % {
                        "plan": plan.title, "a": action.what, "n": late},
                    detail=_overdue_detail(action, rung),
                    url=lead_links[action.pk] if rung == "lead" else reverse("actions:action", kwargs={
                        "pk": plan.pk, "prid": action.priority_id, "aid": action.pk}),
                ))
    return items


def _overdue_detail(action, rung: str) -> str:
    detail = _("It was due on %(d)s and is not done. Post an update with a revised date, or say "
               "why it has stopped.") % {"d": action.target_date.strftime("%-d %B %Y")}
    if rung != "lead":
        return detail
    return detail + " " + _("The link works once, without signing in, for %(days)s days.") % {
        "days": settings.ACTIONS_LINK_VALID_DAYS}


def owner_requests_unanswered(today: date) -> list[reminders.DueItem]:
    """A lead or partner body asked to take on an action who has not answered after a week is
    asked again, once, with the same answer link."""
    from actions.models import OwnerRequest, OwnerRole

    since = _noon(today) - timedelta(days=OWNER_UNANSWERED_DAYS)
    requests = (OwnerRequest.objects.unanswered_since(since)
                .filter(emailed_at__isnull=False, action__priority__plan__status=PlanStatus.ACTIVE)
                .select_related("action__lead_user", "action__priority__plan__community"))
    items = []
    for request in requests:
        action, plan = request.action, request.action.priority.plan
        user_id = action.lead_user_id if request.role == OwnerRole.LEAD else None
        person = Person(request.recipient_email, user_id, _(
            "The steering group of %(plan)s asked you on %(d)s to take on “%(a)s”.") % {
            "plan": plan.title, "d": timezone.localdate(request.sent_at).strftime("%-d %B %Y"),
            "a": action.what})
        token = tokens.make(tokens.OWNER_REQUEST, request.pk, request.nonce)
        items.append(due_item(
            person, plan, subject_key=f"owner_request:{request.pk}",
            period=f"after-{OWNER_UNANSWERED_DAYS}-days",
            title=_("%(plan)s asks again: will you take on “%(a)s”?") % {
                "plan": plan.title, "a": action.what},
            detail=_("Accept it, decline it (saying why) or propose another date. No account "
                     "is needed."),
            url=reverse("actions:owner_answer", kwargs={"aid": action.pk, "token": token}),
        ))
    return items


def milestones_due(today: date) -> list[reminders.DueItem]:
    """Process-plan milestones not done whose target date is within a week (or has passed): the
    chair is told once per target date."""
    milestones = list(Milestone.objects.filter(
        plan__status=PlanStatus.ACTIVE, target_date__lte=today + timedelta(days=MILESTONE_NOTICE_DAYS))
        .exclude(status=MilestoneStatus.DONE).select_related("plan__community"))
    plans = list({m.plan_id: m.plan for m in milestones}.values())
    chairs = plan_managers(plans, roles=[Role.CHAIR])
    items = []
    for milestone in milestones:
        plan = milestone.plan
        title = (_("%(plan)s: the milestone “%(m)s” was due on %(d)s")
                 if milestone.target_date < today
                 else _("%(plan)s: the milestone “%(m)s” is due on %(d)s"))
        for person in chairs[plan.pk]:
            items.append(due_item(
                person, plan, subject_key=f"milestone:{milestone.pk}",
                period=f"due-{milestone.target_date.isoformat()}",
                title=title % {"plan": plan.title, "m": milestone.title,
                               "d": milestone.target_date.strftime("%-d %B %Y")},
                detail=(_("%(who)s is responsible for it.") % {"who": milestone.owner}
                        if milestone.owner else ""),
                url=reverse("plans:milestones", kwargs={"pk": plan.pk}),
            ))
    return items


FOLLOW_LOOKBACK_DAYS = 14  # a missed sweep still catches status changes this recent


def followed_changes(today: date) -> list[reminders.DueItem]:
    """Status changes posted in public progress updates, for the residents who confirmed they
    follow that plan or priority before the change. Each change is one ledger row; the kind is
    weekly by default, so a person's changes come batched in one digest. Residents' rows carry no
    plan, so their addresses never show on the steering group's ledger page."""
    from actions.delivery import published_plans
    from actions.models import Follower, ProgressUpdate

    end = datetime.combine(today + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())
    updates = list(ProgressUpdate.objects.filter(
        at__gte=end - timedelta(days=FOLLOW_LOOKBACK_DAYS + 1), at__lt=end,
        action__priority__plan__in=published_plans())
        .exclude(previous_status="").exclude(status=F("previous_status"))
        .select_related("action__priority__plan").order_by("at", "pk"))
    plan_ids = {u.action.priority.plan_id for u in updates}
    followers = defaultdict(list)
    for follower in Follower.objects.filter(plan_id__in=plan_ids, confirmed_at__isnull=False):
        followers[follower.plan_id].append(follower)
    items = []
    for update in updates:
        action = update.action
        priority, plan = action.priority, action.priority.plan
        for follower in followers[plan.pk]:
            if follower.confirmed_at > update.at or follower.priority_id not in (None, priority.pk):
                continue
            items.append(reminders.DueItem(
                email=follower.email, subject_key=f"progress_update:{update.pk}",
                period=timezone.localdate(update.at).isoformat(),
                title=_("%(plan)s: “%(a)s” is now %(s)s") % {
                    "plan": plan.title, "a": action.what, "s": update.get_status_display().lower()},
                detail=update.reason,
                url=reverse("actions:public_progress", kwargs={"pk": plan.pk}),
                why=(_("You asked to hear about progress on “%(p)s” in %(plan)s.") % {
                    "p": priority.title, "plan": plan.title} if follower.priority_id
                    else _("You asked to hear about progress on %(plan)s.") % {"plan": plan.title}),
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
    reminders.register(reminders.ReminderKind(
        key="action_update_due", label=gettext_lazy("A progress update is due on your action"),
        due=updates_due, default=Preference.IMMEDIATE,
        description=gettext_lazy("To an action's lead, when no update has come within the "
                                 "action's reporting cadence, with a link to report."),
    ))
    reminders.register(reminders.ReminderKind(
        key="action_overdue", label=gettext_lazy("An action is past its target date"),
        due=overdue_actions, default=Preference.IMMEDIATE,
        description=gettext_lazy("To the lead the day after the target date, to the chair after "
                                 "two weeks and to support officers after four."),
    ))
    reminders.register(reminders.ReminderKind(
        key="owner_request_unanswered", label=gettext_lazy("You were asked to take on an action"),
        due=owner_requests_unanswered, default=Preference.IMMEDIATE,
        description=gettext_lazy("To a lead or partner body who has not answered a request to "
                                 "take on an action after a week."),
    ))
    reminders.register(reminders.ReminderKind(
        key="milestone_due", label=gettext_lazy("A milestone is coming due"),
        due=milestones_due, default=Preference.IMMEDIATE,
        description=gettext_lazy("To the chair, a week before a process-plan milestone's target "
                                 "date, unless it is done."),
    ))
    reminders.register(reminders.ReminderKind(
        key="followed_progress", label=gettext_lazy("Progress on a plan you follow"),
        due=followed_changes, default=Preference.WEEKLY,
        description=gettext_lazy("To residents who follow a plan or a priority: a weekly digest "
                                 "of actions whose status changed."),
    ))

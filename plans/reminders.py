"""Who reminders about a plan go to, and the plans app's own kind: a plan gone quiet.

Later apps build their kinds on `plan_managers` and `plan_officers` (one query each, for many
plans at once), so a sweep costs a few queries whatever the number of plans.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clp import reminders
from clp.models import Organisation, Preference
from plans.models import MANAGER_ROLES, Membership, Plan, PlanStatus, Role

QUIET_DAYS = 60


@dataclass(frozen=True)
class Person:
    email: str
    user_id: int
    why: str  # "the chair of the steering group of …"


def plan_managers(plans, roles=tuple(MANAGER_ROLES)) -> dict[int, list[Person]]:
    """The chair and secretary (or the given roles) of each plan, by plan id."""
    by_plan = {p.pk: p for p in plans}
    people = defaultdict(list)
    rows = (Membership.objects.active().filter(plan_id__in=list(by_plan), role__in=list(roles),
                                               user__is_active=True)
            .values_list("plan_id", "role", "user_id", "user__email"))
    for plan_id, role, user_id, email in rows:
        why = _("You are the %(role)s of the steering group of %(plan)s.") % {
            "role": Role(role).label.lower(), "plan": by_plan[plan_id].title}
        people[plan_id].append(Person(email, user_id, why))
    return people


def plan_officers(plans) -> dict[int, list[Person]]:
    """The support officers whose portfolio holds each plan's community, by plan id."""
    plans = list(plans)
    by_community = defaultdict(list)
    for plan in plans:
        by_community[plan.community_id].append(plan)
    people = defaultdict(list)
    rows = (Organisation.communities.through.objects.filter(community_id__in=list(by_community))
            .values_list("community_id", "organisation__name", "organisation__officers",
                         "organisation__officers__email", "organisation__officers__is_active"))
    for community_id, organisation, user_id, email, active in rows:
        if user_id is None or not active:  # no officers yet, or an account switched off
            continue
        for plan in by_community[community_id]:
            why = _("You are a support officer at %(org)s, and %(plan)s is in its portfolio.") % {
                "org": organisation, "plan": plan.title}
            people[plan.pk].append(Person(email, user_id, why))
    return people


def due_item(person: Person, plan: Plan, **fields) -> reminders.DueItem:
    return reminders.DueItem(email=person.email, user_id=person.user_id, why=person.why,
                             plan_id=plan.pk, community_id=plan.community_id, **fields)


def quiet_plans(today: date) -> list[reminders.DueItem]:
    """Active plans with nothing recorded for 60 days: one reminder per 60 quiet days."""
    start = timezone.make_aware(datetime.combine(today - timedelta(days=QUIET_DAYS), datetime.min.time()))
    plans = list(Plan.objects.filter(status=PlanStatus.ACTIVE).select_related("community")
                 .annotate(last_activity=Coalesce(Max("events__at"), "created_at"))
                 .filter(last_activity__lt=start))
    officers = plan_officers(plans)
    items = []
    for plan in plans:
        last = timezone.localdate(plan.last_activity)
        quiet = (today - last).days
        for person in officers[plan.pk]:
            items.append(due_item(
                person, plan, subject_key=f"plan:{plan.pk}",
                period=f"quiet-since-{last.isoformat()}-{quiet // QUIET_DAYS * QUIET_DAYS}d",
                title=_("Nothing has happened on %(plan)s for %(days)s days") % {
                    "plan": plan.title, "days": quiet},
                detail=_("It is at step %(n)s, %(step)s. A call to the chair may help it restart.")
                % {"n": plan.step_number, "step": plan.get_step_display()},
                url=reverse("plans:detail", kwargs={"pk": plan.pk}),
            ))
    return items


def register_kinds() -> None:
    reminders.register(reminders.ReminderKind(
        key="plan_quiet", label=gettext_lazy("A plan has gone quiet"), due=quiet_plans,
        default=Preference.WEEKLY,
        description=gettext_lazy("To support officers, when nothing has been recorded on a plan "
                                 "in their portfolio for 60 days."),
    ))

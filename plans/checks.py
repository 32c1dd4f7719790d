"""Computed gate checks: each a function of the plan, True when the item is met, and beside it
(`…_where`) the same rule as a condition on a Plan queryset, for checking many plans at once."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual

from plans.models import CouncillorLink, Meeting, MeetingKind, Membership, Milestone, Role, SupportSource


def _count_at_least(queryset, n: int):
    counted = queryset.order_by().values("plan").annotate(c=Count("pk")).values("c")[:1]
    return GreaterThanOrEqual(Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)), n)


def open_meeting_recorded(plan) -> bool:
    return plan.meetings.filter(
        kind=MeetingKind.OPEN_MEETING, attendance__isnull=False
    ).exists()


def open_meeting_recorded_where():
    return Exists(Meeting.objects.filter(plan=OuterRef("pk"), kind=MeetingKind.OPEN_MEETING,
                                         attendance__isnull=False))


def has_three_members(plan) -> bool:
    return plan.memberships.active().count() >= 3


def has_three_members_where():
    return _count_at_least(Membership.objects.active().filter(plan=OuterRef("pk")), 3)


def has_chair(plan) -> bool:
    return plan.memberships.active().filter(role=Role.CHAIR).exists()


def has_chair_where():
    return Exists(Membership.objects.active().filter(plan=OuterRef("pk"), role=Role.CHAIR))


def has_terms_of_reference(plan) -> bool:
    return bool(plan.terms_of_reference.strip())


def has_terms_of_reference_where():
    return ~Q(terms_of_reference__regex=r"^\s*$")


def councillors_invited(plan) -> bool:
    from clp.models import Invitation

    if plan.councillor_links.exists():
        return True
    return Invitation.objects.pending().filter(kind="plan_councillor", target_id=plan.pk).exists()


def councillors_invited_where():
    from clp.models import Invitation

    return (Exists(CouncillorLink.objects.filter(plan=OuterRef("pk")))
            | Exists(Invitation.objects.pending().filter(kind="plan_councillor",
                                                        target_id=OuterRef("pk"))))


def has_process_plan(plan) -> bool:
    return plan.milestones.count() >= 3


def has_support_sources(plan) -> bool:
    return plan.support_sources.exists()


def has_process_plan_where():
    return _count_at_least(Milestone.objects.filter(plan=OuterRef("pk")), 3)


def has_support_sources_where():
    return Exists(SupportSource.objects.filter(plan=OuterRef("pk")))

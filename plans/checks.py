"""Computed gate checks: each a function of the plan, True when the item is met."""

from plans.models import MeetingKind, Role


def open_meeting_recorded(plan) -> bool:
    return plan.meetings.filter(
        kind=MeetingKind.OPEN_MEETING, attendance__isnull=False
    ).exists()


def has_three_members(plan) -> bool:
    return plan.memberships.active().count() >= 3


def has_chair(plan) -> bool:
    return plan.memberships.active().filter(role=Role.CHAIR).exists()


def has_terms_of_reference(plan) -> bool:
    return bool(plan.terms_of_reference.strip())


def councillors_invited(plan) -> bool:
    from clp.models import Invitation

    if plan.councillor_links.exists():
        return True
    return Invitation.objects.pending().filter(kind="plan_councillor", target_id=plan.pk).exists()


def has_process_plan(plan) -> bool:
    return plan.milestones.count() >= 3


def has_support_sources(plan) -> bool:
    return plan.support_sources.exists()

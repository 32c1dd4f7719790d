"""Who may do what on a plan. Each predicate returns False when the plan is None.

The user's roles are loaded once per request (three small queries) and cached on the user
object, so a page that checks many permissions does not query per check.
"""

import rules

from clp.rules import is_site_admin
from plans.models import MANAGER_ROLES
from plans.permissions import (
    EDIT_PLAN_CONTENT,
    INVITE_TO_PLAN,
    MANAGE_PLAN,
    VIEW_NOTIFICATIONS,
    VIEW_PLAN,
    WAIVE_GATE_ITEM,
)


def _roles(user) -> dict:
    if not hasattr(user, "_clp_plan_roles"):
        from plans.models import CouncillorLink, Membership

        user._clp_plan_roles = dict(
            Membership.objects.active().filter(user=user).values_list("plan_id", "role")
        )
        user._clp_officer_communities = set(
            user.support_organisations.values_list("communities", flat=True)
        )
        user._clp_councillor_plans = set(
            CouncillorLink.objects.filter(councillor__user=user).values_list("plan_id", flat=True)
        )
    return user._clp_plan_roles


def forget_roles(user) -> None:
    for attr in ("_clp_plan_roles", "_clp_officer_communities", "_clp_councillor_plans"):
        user.__dict__.pop(attr, None)


@rules.predicate
def is_member(user, plan) -> bool:
    return plan is not None and user.is_authenticated and plan.pk in _roles(user)


@rules.predicate
def is_manager(user, plan) -> bool:
    return plan is not None and user.is_authenticated and _roles(user).get(plan.pk) in MANAGER_ROLES


@rules.predicate
def is_support_officer(user, plan) -> bool:
    if plan is None or not user.is_authenticated:
        return False
    _roles(user)
    return plan.community_id in user._clp_officer_communities


@rules.predicate
def is_councillor(user, plan) -> bool:
    if plan is None or not user.is_authenticated:
        return False
    _roles(user)
    return plan.pk in user._clp_councillor_plans


can_view = is_site_admin | is_member | is_support_officer | is_councillor
can_edit_content = is_site_admin | is_member
can_manage = is_site_admin | is_manager

rules.add_perm(VIEW_PLAN, can_view)
rules.add_perm(EDIT_PLAN_CONTENT, can_edit_content)
rules.add_perm(MANAGE_PLAN, can_manage)
rules.add_perm(INVITE_TO_PLAN, can_manage | is_support_officer)
rules.add_perm(WAIVE_GATE_ITEM, is_site_admin | is_support_officer)
rules.add_perm(VIEW_NOTIFICATIONS, can_manage | is_support_officer)

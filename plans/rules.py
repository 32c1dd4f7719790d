"""Who may do what on a plan. Each predicate returns False when the plan is None.

The user's roles are loaded once per request (one query for the three kinds) and cached on the user
object, so a page that checks many permissions does not query per check.
"""

import functools

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


@functools.cache
def _roles_sql() -> str:
    """The three kinds of role in one round trip, as plain SQL: this runs on every signed-in plan
    page, and building the same query through the ORM (a union of three) took longer than the
    database took to answer it. Table names, and the join tables' columns, come from the models."""
    from clp.models import CouncillorProfile, Organisation
    from plans.models import CouncillorLink, Membership

    officers, communities = Organisation.officers.through, Organisation.communities.through

    def column(model, name):
        return model._meta.get_field(name).column

    return (
        f"SELECT 'member', plan_id, role FROM {Membership._meta.db_table} "
        f"WHERE left_on IS NULL AND user_id = %s "
        f"UNION ALL SELECT 'officer', c.{column(communities, 'community')}, '' "
        f"FROM {officers._meta.db_table} o JOIN {communities._meta.db_table} c "
        f"ON c.{column(communities, 'organisation')} = o.{column(officers, 'organisation')} "
        f"WHERE o.{column(officers, 'user')} = %s "
        f"UNION ALL SELECT 'councillor', l.plan_id, '' FROM {CouncillorLink._meta.db_table} l "
        f"JOIN {CouncillorProfile._meta.db_table} p ON p.id = l.councillor_id WHERE p.user_id = %s")


def _roles(user) -> dict:
    if not hasattr(user, "_clp_plan_roles"):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(_roles_sql(), [user.pk] * 3)
            rows = cursor.fetchall()
        user._clp_plan_roles, user._clp_officer_communities, user._clp_councillor_plans = {}, set(), set()
        for tag, pk, role in rows:
            if tag == "member":
                user._clp_plan_roles[pk] = role
            elif tag == "officer":
                user._clp_officer_communities.add(pk)
            else:
                user._clp_councillor_plans.add(pk)
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


can_view = is_site_admin | is_member | is_councillor | is_support_officer  # by key first
can_edit_content = is_site_admin | is_member
can_manage = is_site_admin | is_manager

rules.add_perm(VIEW_PLAN, can_view)
rules.add_perm(EDIT_PLAN_CONTENT, can_edit_content)
rules.add_perm(MANAGE_PLAN, can_manage)
rules.add_perm(INVITE_TO_PLAN, can_manage | is_support_officer)
rules.add_perm(WAIVE_GATE_ITEM, is_site_admin | is_support_officer)
rules.add_perm(VIEW_NOTIFICATIONS, can_manage | is_support_officer)

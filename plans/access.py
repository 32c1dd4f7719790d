"""The one plan lookup every view under a plan shares, on top of `clp.access`."""

from django.core.exceptions import PermissionDenied
from django.db import router
from django.http import Http404

from clp import freshness, rows
from clp.access import refused
from plans.models import Plan
from plans.permissions import VIEW_PLAN


def plan_for(request, pk, perm: str | None = VIEW_PLAN) -> Plan:
    """The plan `pk` with its community: 404 unless the user may see it, 403 without `perm`.

    Fetched by its key and then checked against the user's roles (plans.rules: one query,
    loaded once per request and needed by the page's other checks anyway), rather than
    looked up through `Plan.objects.visible_to`: that query joins memberships, councillor links
    and organisations and takes several milliseconds to build and run on every plan page. The
    two agree (tests/plans/test_visibility.py holds them to it). The plan and its community are
    one row read by `clp.rows`, which does not compile the query on every request."""
    return checked(request, rows.one(Plan, pk, "community"), perm)


def checked(request, plan: Plan | None, perm: str | None = VIEW_PLAN) -> Plan:
    """`plan` (fetched by the caller, with its community; None when there is no such plan) if the
    user may see it: 404 unless they may, 403 without `perm`, each refusal audited."""
    queryset = Plan.objects.all()
    if plan is None or not request.user.has_perm(VIEW_PLAN, plan):
        refused(request, queryset, 404)
        raise Http404
    if perm is not None and perm != VIEW_PLAN and not request.user.has_perm(perm, plan):
        refused(request, queryset, 403, perm)
        raise PermissionDenied
    return plan


def kept_plan_page(request, pk, parts: tuple, draw):
    """A plan page kept for its viewer (`freshness.kept_for_viewer`): `draw(plan)` is called
    only when the page is drawn. Whether the viewer may see the plan is still decided on every
    request, by the same rule, but on the plan's key alone: the roles that let a member or a
    councillor see a plan name it by its key, so a kept copy costs no read of the plan. (A
    support officer's role is by community: the plan's `community_id` is then read, as Django
    reads a deferred field.) Anyone else gets `plan_for`'s refusal. A plan page shows the plan's
    residents' answers (counts, the checklist, the results), so it is kept under the plan's own
    token as well, which every change to those answers replaces (clp.freshness.scope)."""
    by_key = Plan.from_db(router.db_for_read(Plan), ["id"], [int(pk)])
    try:
        allowed = request.user.has_perm(VIEW_PLAN, by_key)
    except Plan.DoesNotExist:  # its community was asked for, and there is no such plan
        allowed = False
    if not allowed:
        plan_for(request, pk)  # refused: 404, audited
    return freshness.kept_for_viewer(request, parts, lambda: draw(plan_for(request, pk)),
                                     scopes=(freshness.scope("plan", int(pk)),))

"""The one plan lookup every view under a plan shares, on top of `clp.access`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from clp import rows
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

"""The one plan lookup every view under a plan shares, on top of `clp.access.get_object_for_user`."""

from clp.access import get_object_for_user
from plans.models import Plan
from plans.permissions import VIEW_PLAN


def plan_for(request, pk, perm: str | None = VIEW_PLAN) -> Plan:
    """The plan `pk` with its community: 404 unless the user may see it, 403 without `perm`."""
    return get_object_for_user(request, Plan.objects.select_related("community"), perm, pk=pk)

from django.shortcuts import get_object_or_404

from actions.models import Priority
from plans.access import plan_for
from plans.permissions import VIEW_PLAN


def priority_for(request, pk, prid, perm=VIEW_PLAN) -> Priority:
    plan = plan_for(request, pk, perm)
    priority = get_object_or_404(Priority, pk=prid, plan=plan)
    priority.plan = plan
    return priority

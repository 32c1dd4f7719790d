from django.shortcuts import get_object_or_404

from actions.models import Priority
from clp.access import get_object_for_user
from plans.models import Plan

VIEW = "plans.view_plan"
EDIT = "plans.edit_plan_content"
MANAGE = "plans.manage_plan"
INVITE = "plans.invite_to_plan"
RESPOND = "actions.respond_to_priority"


def plan_for(request, pk, perm=VIEW) -> Plan:
    return get_object_for_user(request, Plan.objects.select_related("community"), perm, pk=pk)


def priority_for(request, pk, prid, perm=VIEW) -> Priority:
    plan = plan_for(request, pk, perm)
    priority = get_object_or_404(Priority, pk=prid, plan=plan)
    priority.plan = plan
    return priority

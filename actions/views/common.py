from django.shortcuts import get_object_or_404

from actions.models import Priority
from plans.access import plan_for

VIEW = "plans.view_plan"
EDIT = "plans.edit_plan_content"
MANAGE = "plans.manage_plan"
INVITE = "plans.invite_to_plan"
RESPOND = "actions.respond_to_priority"


def priority_for(request, pk, prid, perm=VIEW) -> Priority:
    plan = plan_for(request, pk, perm)
    priority = get_object_or_404(Priority, pk=prid, plan=plan)
    priority.plan = plan
    return priority

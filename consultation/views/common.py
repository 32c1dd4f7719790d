"""Lookups every steering-group view shares: the plan via the one access helper, then its survey."""

from django.shortcuts import get_object_or_404

from consultation.models import Survey
from plans.access import plan_for
from plans.permissions import VIEW_PLAN


def survey_for(request, pk, sid, perm: str = VIEW_PLAN) -> Survey:
    """The survey `sid` of plan `pk`: 404 unless the user may see the plan, 403 without `perm`."""
    plan = plan_for(request, pk, perm)
    survey = get_object_or_404(Survey.objects.filter(plan=plan), pk=sid)
    survey.plan = plan
    return survey


def posted(request):
    """The POST data, or None for a GET: an empty POST (every answer skipped) is still a POST."""
    return request.POST if request.method == "POST" else None

"""Lookups every steering-group view shares: the plan via the one access helper, then its survey."""

from django.http import Http404

from clp import rows
from consultation.models import Survey
from plans.access import checked, plan_for
from plans.permissions import VIEW_PLAN


def survey_for(request, pk, sid, perm: str = VIEW_PLAN) -> Survey:
    """The survey `sid` of plan `pk`: 404 unless the user may see the plan, 403 without `perm`.

    The survey, its plan and their community are one row read by `clp.rows`; then the plan is
    checked as `plan_for` checks it. With no such survey under this plan, the plan's own answer
    (404, or 403 without `perm`) comes first."""
    survey = rows.one(Survey, sid, "plan__community")
    if survey is None or survey.plan_id != int(pk):
        plan_for(request, pk, perm)
        raise Http404
    checked(request, survey.plan, perm)
    return survey


def posted(request):
    """The POST data, or None for a GET: an empty POST (every answer skipped) is still a POST."""
    return request.POST if request.method == "POST" else None

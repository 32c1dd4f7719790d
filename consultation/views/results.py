"""Results: per-question figures and charts, filters, cross-tabs and weighted results."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from clp import charts
from consultation import analysis
from consultation.models import Channel, Dimension, Question
from consultation.suppression import threshold
from consultation.views.common import survey_for


def _suppress_for(request, plan) -> int | None:
    """People outside the steering group (councillors) see small counts hidden."""
    return None if request.user.has_perm("consultation.view_responses", plan) else threshold()


def _chart(result) -> charts.Chart | None:
    if not result.has_chart:
        return None
    shown = [c for c in result.cells if not c.hidden]
    return charts.bar(str(result.question.text), [c.label for c in shown],
                      [c.percent or 0 for c in shown], max_value=100)


def _filter_context(request, survey, filters):
    dimensions = list(Dimension.objects.filter(plan=survey.plan).prefetch_related("categories"))
    return {
        "dimensions": dimensions, "channels": Channel.choices, "filters": filters,
        "query": request.GET.urlencode(),
    }


@login_required
def results(request, pk, sid):
    survey = survey_for(request, pk, sid)
    filters = analysis.Filters.from_query(request.GET, survey.plan)
    suppress_below = _suppress_for(request, survey.plan)
    items = [(r, _chart(r)) for r in analysis.survey_results(survey, filters, suppress_below=suppress_below)]
    total = analysis.respondents(survey).count()
    shown = analysis.respondents(survey, filters).count() if filters.active else total
    if suppress_below and 0 < shown < suppress_below:
        shown = _("fewer than %(n)s") % {"n": suppress_below}
    return render(request, "consultation/results/results.html", {
        "plan": survey.plan, "survey": survey, "items": items, "total": total, "shown": shown,
        "suppressed": suppress_below, **_filter_context(request, survey, filters),
    })


@login_required
def crosstab(request, pk, sid, qid):
    survey = survey_for(request, pk, sid)
    question = get_object_or_404(Question.objects.filter(survey=survey).prefetch_related("options"), pk=qid)
    if not question.has_options and question.kind not in ("rating", "yes_no"):
        raise Http404
    dimensions = list(Dimension.objects.filter(plan=survey.plan).prefetch_related("categories")
                      .select_related("baseline"))
    if not dimensions:
        return render(request, "consultation/results/crosstab.html",
                      {"plan": survey.plan, "survey": survey, "question": question, "dimensions": []})
    chosen = request.GET.get("dimension", "")
    dimension = next((d for d in dimensions if str(d.pk) == chosen), dimensions[0])
    filters = analysis.Filters.from_query(request.GET, survey.plan)
    suppress_below = _suppress_for(request, survey.plan)
    tab = analysis.crosstab(question, dimension, filters, suppress_below=suppress_below)
    chart = charts.grouped_bar(
        str(question.text), tab.rows,
        [(_("%(group)s (%(n)s people)") % {"group": c.label, "n": _group_size(tab.column_totals[i],
                                                                                suppress_below)},
          [None if tab.hidden[r][i] else tab.percent(r, i) for r in range(len(tab.rows))])
         for i, c in enumerate(tab.columns) if tab.column_totals[i]])
    weighted = None
    if request.GET.get("weighted") and _can_weight(dimension):
        weighted = analysis.weighted_result(question, dimension, filters)
    return render(request, "consultation/results/crosstab.html", {
        "plan": survey.plan, "survey": survey, "question": question, "dimensions": dimensions,
        "dimension": dimension, "tab": tab, "chart": chart, "weighted": weighted,
        "can_weight": _can_weight(dimension), "suppressed": suppress_below,
        "weighted_rows": list(zip(weighted.raw, weighted.weighted, strict=True)) if weighted else [],
        "download_query": _download_query(request, dimension),
    })


def _download_query(request, dimension) -> str:
    """The page's filters, with the dimension shown, for the breakdown's download links."""
    query = request.GET.copy()
    query["dimension"] = str(dimension.pk)
    query.pop("weighted", None)
    return query.urlencode()


def _group_size(n: int, suppress_below: int | None):
    return _("fewer than %(n)s") % {"n": suppress_below} if suppress_below and n < suppress_below else n


def _can_weight(dimension) -> bool:
    return not dimension.allows_several and hasattr(dimension, "baseline")


def weighting_note() -> str:
    return _("Weighted results show what the answers would look like if each group had answered in "
             "proportion to its share of the population.")

"""Results: per-question figures and charts, filters, cross-tabs and weighted results.

Every figure comes from `analysis.results_for`, so what is hidden outside the steering group is
decided in one place (consultation.analysis.suppression.Disclosure) for the page and its downloads alike.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from clp import charts
from consultation import analysis
from consultation.models import Channel, Dimension, Question
from consultation.views.common import survey_for


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


def results_for_request(request, survey, *, questions: bool = True) -> analysis.Results:
    """The survey's results as the signed-in person may see them, under the filters they chose."""
    filters = analysis.Filters.from_query(request.GET, survey.plan)
    return analysis.results_for(survey, viewer=request.user, filters=filters, questions=questions)


@login_required
def results(request, pk, sid):
    survey = survey_for(request, pk, sid)
    seen = results_for_request(request, survey)
    return render(request, "consultation/results/results.html", {
        "plan": survey.plan, "survey": survey, "results": seen,
        "items": [(r, _chart(r)) for r in seen.questions], "total": seen.total,
        "shown": seen.matching, "suppressed": seen.limit,
        **_filter_context(request, survey, seen.filters),
    })


@login_required
def crosstab(request, pk, sid, qid):
    survey = survey_for(request, pk, sid)
    question = get_object_or_404(Question.objects.filter(survey=survey).prefetch_related("options"), pk=qid)
    if not question.has_options and question.kind not in ("rating", "yes_no"):
        raise Http404
    dimensions = list(Dimension.objects.filter(plan=survey.plan).prefetch_related("categories")
                      .select_related("baseline"))
    context = {"plan": survey.plan, "survey": survey, "question": question, "dimensions": dimensions}
    if not dimensions:
        return render(request, "consultation/results/crosstab.html", context)
    chosen = request.GET.get("dimension", "")
    dimension = next((d for d in dimensions if str(d.pk) == chosen), dimensions[0])
    seen = results_for_request(request, survey, questions=False)
    context.update(dimension=dimension, can_weight=_can_weight(dimension), suppressed=seen.limit,
                   refused=seen.breakdown_refused or seen.refused)
    if context["refused"]:
        return render(request, "consultation/results/crosstab.html", context)
    tab = seen.crosstab(question, dimension)
    chart = charts.grouped_bar(
        str(question.text), tab.rows,
        [(tab.column_label(i), [tab.percent(r, i) for r in range(len(tab.rows))])
         for i, _c in enumerate(tab.columns) if tab.column_totals[i] or tab.total_labels[i]])
    weighted = None
    if request.GET.get("weighted") and _can_weight(dimension):
        weighted = seen.weighted(question, dimension)
    context.update(tab=tab, chart=chart, weighted=weighted,
                   download_query=_download_query(request, dimension),
                   weighted_rows=list(zip(weighted.raw, weighted.whole or [None] * len(weighted.raw),
                                          strict=True)) if weighted else [])
    return render(request, "consultation/results/crosstab.html", context)


def _download_query(request, dimension) -> str:
    """The page's filters, with the dimension shown, for the breakdown's download links."""
    query = request.GET.copy()
    query["dimension"] = str(dimension.pk)
    query.pop("weighted", None)
    return query.urlencode()


def _can_weight(dimension) -> bool:
    return not dimension.allows_several and hasattr(dimension, "baseline")


def weighting_note() -> str:
    return _("Weighted results show what the answers would look like if each group had answered in "
             "proportion to its share of the population.")

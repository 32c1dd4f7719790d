"""Results: per-question figures and charts, filters, cross-tabs and weighted results.

Every figure comes from `analysis.results_for`, so what is hidden outside the steering group is
decided in one place (consultation.analysis.suppression.Disclosure) for the page and its downloads alike.

The results page is kept drawn. Working out and drawing a survey's figures (the disclosure
checks, every question's cells, the charts, the template) costs 50–100 ms of Python however the
counts are cached, for a page people open again and again between two responses. Its content is
a function of nothing but: the survey; the version of its answers (consultation.analysis.counts,
bumped in the transaction of every change to a submitted answer); the questionnaire, the groups
and the plan (a change to any starts a new generation, clp.freshness); the viewer's *tier*
(`analysis.tier`: the steering group sees every figure, everyone else what the disclosure
leaves at the current threshold) and whether they may publish; the query string; and the
language. The kept copy is stored under all of those, and read only after the viewer's access
to the plan has been checked (`plans.access.kept_plan_page`), so it is never shown to anyone
its tier would not draw it for (tests/consultation/test_results_kept.py plays the councillor
against it).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clp import charts, freshness
from consultation import analysis
from consultation.analysis import counts
from consultation.models import Channel, Dimension, Question, Survey
from consultation.views.common import survey_for
from plans.access import kept_plan_page
from plans.permissions import EDIT_PLAN_CONTENT


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
    """The survey's results. The body is kept for every viewer of the same tier (below); the
    whole page is also kept for the viewer themself (`freshness.kept_for_viewer`), so changing
    back to a filter, or coming back to the page, reads the plan check and the cache; the
    survey itself is read only to draw the page. A sent answer replaces the plan's token
    (clp.freshness.scope) with the survey's version, so the version need not be read."""
    return kept_plan_page(request, pk, ("results", sid), lambda plan: _results(request, plan, sid))


def _results(request, plan, sid):
    # Read only when the page is drawn: a kept copy exists only for a survey of this plan that
    # was drawn for this viewer, and deleting a survey starts a new generation.
    survey = get_object_or_404(Survey, pk=sid, plan=plan)
    survey.plan = plan  # with its community, as plan_for read it
    can_share = request.user.has_perm(EDIT_PLAN_CONTENT, survey.plan)
    parts = ("survey-results", survey.pk, counts.version(survey), analysis.tier(survey, request.user),
             can_share, sorted(request.GET.lists()), request.path, get_language())
    kept = freshness.kept(parts, lambda: _draw_results(request, survey, can_share))
    return render(request, "consultation/results/results.html",
                  {"plan": survey.plan, "survey": survey, "kept": kept})


def _draw_results(request, survey, can_share: bool) -> str:
    seen = results_for_request(request, survey)
    return render_to_string("consultation/results/_results.html", {
        "plan": survey.plan, "survey": survey, "results": seen, "can_share": can_share,
        "items": [(r, _chart(r)) for r in seen.questions], "total": seen.total,
        "shown": seen.matching, "suppressed": seen.limit,
        **_filter_context(request, survey, seen.filters),
    }, request=request)


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

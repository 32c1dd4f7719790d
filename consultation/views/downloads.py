"""Downloads of results, cross-tabs and the issues register (CSV or XLSX)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from consultation import analysis, evidence_services, flags
from consultation.models import Dimension, Question
from consultation.tables import download
from consultation.views.common import plan_for, survey_for
from consultation.views.results import _suppress_for


def _pct(value) -> str:
    return analysis.rounded(value) if value is not None else ""


@login_required
def results_download(request, pk, sid, fmt):
    survey = survey_for(request, pk, sid)
    filters = analysis.Filters.from_query(request.GET, survey.plan)
    limit = _suppress_for(request, survey.plan)
    results = analysis.survey_results(survey, filters, suppress_below=limit)

    def rows():
        yield [_("Question"), _("Answer"), _("People (or score for rankings)"),
               _("Per cent of those who answered"), _("People who answered the question")]
        for r in results:
            if r.hidden_all:
                yield [str(r.question.text), "", _("fewer than %(n)s") % {"n": limit}, "", ""]
            for cell in r.cells:
                shown = _("fewer than %(n)s") % {"n": limit} if cell.hidden else cell.count
                yield [str(r.question.text), cell.label, shown, _pct(cell.percent), r.answered]
            if r.is_text:
                yield [str(r.question.text), _("(written answers)"), r.text_count, "", r.answered]

    return download(rows(), fmt=fmt, filename=f"results-{slugify(survey.title)}", sheet=_("Results"))


@login_required
def crosstab_download(request, pk, sid, qid, fmt):
    survey = survey_for(request, pk, sid)
    question = get_object_or_404(Question.objects.filter(survey=survey), pk=qid)
    dimension = get_object_or_404(Dimension.objects.filter(plan=survey.plan),
                                  pk=request.GET.get("dimension") or 0)
    limit = _suppress_for(request, survey.plan)
    tab = analysis.crosstab(question, dimension, analysis.Filters.from_query(request.GET, survey.plan),
                            suppress_below=limit)

    def rows():
        yield [_("Answer")] + [f"{c.label} ({_('people')})" for c in tab.columns] + [
            f"{c.label} (%)" for c in tab.columns]
        for label, cells in tab.table():
            hidden = _("fewer than %(n)s") % {"n": limit}
            yield ([label] + [hidden if c["hidden"] else c["count"] for c in cells]
                   + ["" if c["hidden"] else _pct(c["percent"]) for c in cells])
        yield [_("People in the group who answered")] + tab.column_totals + [""] * len(tab.columns)

    return download(rows(), fmt=fmt, filename=f"crosstab-{slugify(question.text)[:40]}-{dimension.kind}",
                    sheet=_("Cross-tab"))


@login_required
def issues_download(request, pk, fmt):
    plan = plan_for(request, pk)
    register = evidence_services.issues_register(plan)

    def rows():
        yield [_("Issue"), _("What is the problem"), _("Who it affects"), _("Theme"),
               _("People who raised it"), _("Per cent of respondents"), _("Clear mandate"),
               _("Minority need (group)"), _("Other evidence")]
        for issue in register["issues"]:
            yield [issue.title, issue.description, issue.who_affected, str(issue.theme or ""),
                   issue.support, issue.share_label if register["respondents"] else "",
                   issue.mandate_reason, ", ".join(issue.minority_groups), issue.evidence_count]
        yield []
        yield [str(flags.MANDATE_RULE)]
        yield [str(flags.MINORITY_RULE)]

    return download(rows(), fmt=fmt, filename=f"issues-{slugify(plan.title)}", sheet=_("Issues"))

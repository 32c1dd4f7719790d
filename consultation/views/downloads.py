"""Downloads of results, cross-tabs and the issues register (CSV or XLSX).

Results and cross-tabs come from `analysis.results_for`, so a download hides exactly what the page
hides; a filter the page refuses is refused here too (back to the page, which says why).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clp.audit import audit_download
from consultation import analysis
from consultation.analysis import flags
from consultation.analysis.issues import issues_register
from consultation.analysis.tables import download
from consultation.models import Dimension, Question
from consultation.views.common import survey_for
from consultation.views.results import results_for_request
from plans.access import plan_for


def _pct(value) -> str:
    return analysis.rounded(value) if value is not None else ""


def _whole(value) -> str:
    return "" if value is None else str(value)


def _back(request, name, *args):
    """A refused download goes back to its page, which explains why."""
    return redirect(f"{reverse(name, args=args)}?{request.GET.urlencode()}")


@login_required
def results_download(request, pk, sid, fmt):
    survey = survey_for(request, pk, sid)
    seen = results_for_request(request, survey)
    if seen.refused:
        return _back(request, "consultation:results", survey.plan_id, survey.pk)

    def rows():
        yield [_("Question"), _("Answer"), _("People (or score for rankings)"),
               _("Per cent of those who answered"), _("People who answered the question")]
        for r in seen.questions:
            if r.hidden_all:
                yield [str(r.question.text), "", seen.disclosure.label(r.hidden_reason), "", ""]
            for cell in r.cells:
                shown = cell.hidden_label if cell.hidden else cell.count
                yield [str(r.question.text), cell.label, shown, _whole(cell.whole_percent), r.answered]
            if r.is_text and not r.hidden_all:
                yield [str(r.question.text), _("(written answers)"), r.text_count, "", r.answered]

    response = download(rows(), fmt=fmt, filename=f"results-{slugify(survey.title)}", sheet=_("Results"))
    audit_download(actor=request.user, target=survey, what="Results", fmt=fmt)
    return response


@login_required
def crosstab_download(request, pk, sid, qid, fmt):
    survey = survey_for(request, pk, sid)
    question = get_object_or_404(Question.objects.filter(survey=survey), pk=qid)
    dimension = get_object_or_404(Dimension.objects.filter(plan=survey.plan),
                                  pk=request.GET.get("dimension") or 0)
    seen = results_for_request(request, survey, questions=False)
    if seen.refused or seen.breakdown_refused:
        return _back(request, "consultation:crosstab", survey.plan_id, survey.pk, question.pk)
    tab = seen.crosstab(question, dimension)

    def rows():
        yield [_("Answer")] + [f"{c.label} ({_('people')})" for c in tab.columns] + [
            f"{c.label} (%)" for c in tab.columns]
        for label, cells in tab.table():
            yield ([label] + [c["label"] if c["hidden"] else c["count"] for c in cells]
                   + ["" if c["hidden"] else _whole(c["whole_percent"]) for c in cells])
        yield [_("People in the group who answered")] + [t["label"] or t["count"] for t in tab.totals()] + [
            ""] * len(tab.columns)

    response = download(rows(), fmt=fmt, filename=f"crosstab-{slugify(question.text)[:40]}-{dimension.kind}",
                        sheet=_("Cross-tab"))
    audit_download(actor=request.user, target=survey, fmt=fmt,
                   what=f"Cross-tab of question {question.pk} by {dimension.kind}")
    return response


@login_required
def issues_download(request, pk, fmt):
    plan = plan_for(request, pk)
    register = issues_register(plan)

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

    response = download(rows(), fmt=fmt, filename=f"issues-{slugify(plan.title)}", sheet=_("Issues"))
    audit_download(actor=request.user, target=plan, what="Issues register", fmt=fmt)
    return response

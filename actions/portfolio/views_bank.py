"""The organisation's question bank (officers) and the comparison of a standard question's answers
across the portfolio's communities (everyone: published results; officers: every opened survey)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actions.portfolio import compare
from actions.portfolio.forms import StandardQuestionForm
from clp.access import organisation_for
from clp.models import Organisation
from clp.permissions import MANAGE_PORTFOLIO, VIEW_ORGANISATION
from consultation import services as consultation_services
from consultation.analysis.suppression import threshold
from consultation.models import QuestionKind, StandardQuestion

MANAGE = MANAGE_PORTFOLIO
# Love it / hate it is a survey's opening question in its own right, not one to compare.
BANK_KINDS = [k for k in QuestionKind if k != QuestionKind.LOVE_HATE]


@login_required
def bank(request, pk):
    organisation = organisation_for(request, pk)
    return render(request, "portfolio/bank.html", {
        "organisation": organisation, "questions": compare.in_use(organisation),
        "can_manage": request.user.has_perm(MANAGE, organisation)})


@login_required
def bank_kind(request, pk):
    organisation = organisation_for(request, pk, MANAGE)
    return render(request, "portfolio/bank_kind.html", {
        "organisation": organisation, "kinds": BANK_KINDS})


def _save(request, organisation, form, *, created: bool):
    standard = form.save_to_instance()
    standard.organisation = organisation
    consultation_services.standard_question_save(standard=standard, actor=request.user)
    messages.success(request, _("Standard question added to the bank. Your parishes can now add "
                                "it to their surveys.") if created else _("Standard question saved."))
    return redirect("portfolio:bank", pk=organisation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def bank_new(request, pk, kind):
    organisation = organisation_for(request, pk, MANAGE)
    if kind not in BANK_KINDS:
        raise Http404
    form = StandardQuestionForm(request.POST if request.method == "POST" else None, kind=kind,
                                instance=StandardQuestion(organisation=organisation, kind=kind),
                                initial={"required": kind != QuestionKind.DEMOGRAPHIC})
    if request.method == "POST" and form.is_valid():
        return _save(request, organisation, form, created=True)
    return render(request, "portfolio/bank_form.html", {
        "organisation": organisation, "form": form, "kind_label": QuestionKind(kind).label})


@login_required
@require_http_methods(["GET", "POST"])
def bank_edit(request, pk, qid):
    organisation = organisation_for(request, pk, MANAGE)
    standard = get_object_or_404(StandardQuestion, pk=qid, organisation=organisation)
    form = StandardQuestionForm(request.POST if request.method == "POST" else None,
                                kind=standard.kind, instance=standard)
    if request.method == "POST" and form.is_valid():
        return _save(request, organisation, form, created=False)
    return render(request, "portfolio/bank_form.html", {
        "organisation": organisation, "form": form, "standard": standard,
        "kind_label": standard.get_kind_display(),
        "copies": compare.in_use(organisation).get(pk=standard.pk).surveys})


@require_POST
@login_required
def bank_retire(request, pk, qid):
    """Take a question out of the bank (surveys that ask it keep it), or put it back."""
    organisation = organisation_for(request, pk, MANAGE)
    standard = get_object_or_404(StandardQuestion, pk=qid, organisation=organisation)
    retired = not standard.retired
    consultation_services.standard_question_retire(standard=standard, retired=retired,
                                                   actor=request.user)
    messages.success(request, (_("“%(q)s” is no longer offered to parishes. Surveys that ask it "
                                 "keep it, and its answers can still be compared.") if retired
                               else _("“%(q)s” is offered to parishes again.")) % {"q": standard.text})
    return redirect("portfolio:bank", pk=organisation.pk)


def compare_answers(request, pk, qid):
    """One standard question, answered by many communities: each survey's published figures."""
    organisation = get_object_or_404(Organisation, pk=pk)
    standard = get_object_or_404(StandardQuestion, pk=qid, organisation=organisation)
    officer = request.user.has_perm(VIEW_ORGANISATION, organisation)
    places = compare.districts(standard, unpublished=officer)
    district = request.GET.get("district", "")
    district = district if district in places else ""
    page = Paginator(compare.copies(standard, unpublished=officer, district=district),
                     compare.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portfolio/compare.html", {
        "organisation": organisation, "standard": standard, "officer": officer,
        "columns": compare.columns(standard), "rows": compare.rows(page.object_list, standard),
        "page": page, "districts": places, "district": district, "limit": threshold(),
        "is_text": not compare.columns(standard),
        "query": urlencode({"district": district}) if district else ""})

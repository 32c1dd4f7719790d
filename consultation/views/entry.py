"""Volunteers' side: one-time codes for leaflets, typing in paper returns, importing a CSV."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consultation import imports, services
from consultation.answers import AnswerForm
from consultation.forms import CodesForm, EntryForm, ImportForm
from consultation.spreadsheet import Echo
from consultation.views.common import posted, survey_for

EDIT = "plans.edit_plan_content"


@login_required
@require_http_methods(["GET", "POST"])
def codes(request, pk, sid):
    survey = survey_for(request, pk, sid, EDIT)
    form = CodesForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["leaflets"]:
            publication = services.leaflets_make(survey=survey, count=data["count"], batch=data["batch"],
                                                 layout=data["leaflets"], actor=request.user)
            messages.success(request, _("%(n)s codes made. Their leaflets are being built as a PDF.")
                             % {"n": data["count"]})
            return redirect(publication)
        codes = services.codes_generate(survey=survey, count=data["count"], batch=data["batch"],
                                        actor=request.user)
        messages.success(request, _("%(n)s codes made. Print them on the sheet below.") % {"n": len(codes)})
        return redirect("consultation:codes", pk=pk, sid=sid)
    batches = (survey.codes.values("batch").annotate(issued=Count("pk"), used=Count("used_at"),
                                                     made=Max("created_at")).order_by("-made"))
    return render(request, "consultation/codes.html",
                  {"plan": survey.plan, "survey": survey, "form": form, "batches": batches})


def _codes_for(request, survey):
    queryset = survey.codes.filter(used_at__isnull=True)
    if "batch" in request.GET:
        queryset = queryset.filter(batch=request.GET["batch"])
    return queryset


@login_required
def codes_sheet(request, pk, sid):
    """A page of cut-out slips, one unused code each, to print or save as PDF."""
    survey = survey_for(request, pk, sid, EDIT)
    return render(request, "consultation/codes_sheet.html", {
        "plan": survey.plan, "survey": survey, "codes": _codes_for(request, survey),
        "public_url": request.build_absolute_uri(survey.get_public_url()),
    })


@login_required
def codes_csv(request, pk, sid):
    survey = survey_for(request, pk, sid, EDIT)
    writer = csv.writer(Echo())
    lines = (writer.writerow(row) for row in [[_("code"), _("batch")]] + [
        [c.display, c.batch] for c in _codes_for(request, survey).iterator(chunk_size=2000)])
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(survey.title)[:60]}-codes.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def response_new(request, pk, sid):
    """Type in a paper form or interview answers; nothing is required, as on paper."""
    survey = survey_for(request, pk, sid, EDIT)
    if survey.is_draft:
        raise Http404
    data = posted(request)
    meta = EntryForm(data)
    answers = AnswerForm(data, questions=survey.ordered_questions(), enforce_required=False)
    duplicate = None
    if request.method == "POST" and meta.is_valid() & answers.is_valid():
        if not any(answers.answer_rows().values()):
            meta.add_error(None, _("Nothing has been filled in. Type in at least one answer from the form."))
            return render(request, "consultation/response_new.html", {
                "plan": survey.plan, "survey": survey, "form": meta, "answers": answers,
                "duplicate": None})
        try:
            response = services.response_enter(
                survey=survey, channel=meta.cleaned_data["channel"], rows=answers.answer_rows(),
                code_text=meta.cleaned_data["code"], actor=request.user)
        except services.DuplicateCode as refused:
            meta.add_error("code", refused.message)
            duplicate = refused.existing
        except services.CodeRefused as refused:
            meta.add_error("code", refused.message)
        except services.Refused as refused:
            meta.add_error(None, refused.message)
        else:
            messages.success(request, _("Response %(n)s saved. You can type in the next one.")
                             % {"n": response.number})
            return redirect("consultation:response_new", pk=pk, sid=sid)
    return render(request, "consultation/response_new.html", {
        "plan": survey.plan, "survey": survey, "form": meta, "answers": answers,
        "duplicate": duplicate})


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, pk, sid):
    survey = survey_for(request, pk, sid, EDIT)
    if survey.is_draft:
        raise Http404
    form = ImportForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.import_upload(survey=survey, filename=upload.name,
                                       content=imports.decode(upload),
                                       channel=form.cleaned_data["channel"], actor=request.user)
        return redirect("consultation:import_preview", pk=pk, sid=sid, bid=batch.pk)
    return render(request, "consultation/import_upload.html", {
        "plan": survey.plan, "survey": survey, "form": form,
        "columns": imports.columns(survey.ordered_questions())})


@login_required
def import_template(request, pk, sid):
    survey = survey_for(request, pk, sid, EDIT)
    writer = csv.writer(Echo())
    response = StreamingHttpResponse(
        ["\ufeff", writer.writerow(imports.template_header(survey.ordered_questions()))],
        content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(survey.title)[:60] or "survey"}-template.csv"')
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, pk, sid, bid):
    """Every problem in the file, by row and column; or the go-ahead to import all of it."""
    survey = survey_for(request, pk, sid, EDIT)
    batch = get_object_or_404(survey.imports, pk=bid)
    if request.method == "POST" and not batch.imported_at:
        try:
            result = services.import_run(batch=batch, actor=request.user)
        except imports.ImportRefused as refused:
            errors = refused.errors
        except services.Refused as refused:
            messages.error(request, refused.message)
            return redirect("consultation:import_upload", pk=pk, sid=sid)
        else:
            messages.success(request, _("%(n)s responses imported.") % {"n": result.count})
            return redirect("consultation:responses", pk=pk, sid=sid)
        parsed = imports.Parsed(errors=errors)
    else:
        parsed = imports.parse(survey, batch.content) if not batch.imported_at else imports.Parsed()
    return render(request, "consultation/import_preview.html",
                  {"plan": survey.plan, "survey": survey, "batch": batch, "parsed": parsed})

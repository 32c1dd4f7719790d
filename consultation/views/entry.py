"""Volunteers' side: one-time codes for leaflets, typing in paper returns, importing a CSV."""

import csv
import io
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clp.access import show_refused
from clp.audit import audit_download
from clp.exceptions import Refused
from consultation import services
from consultation.analysis.spreadsheet import Echo
from consultation.forms import AnswerForm, CodesForm, EntryForm, ImportForm
from consultation.models import ImportStatus
from consultation.services import importing
from consultation.views.common import posted, survey_for
from plans.permissions import EDIT_PLAN_CONTENT

IMPORT_REFRESH_SECONDS = 3


@login_required
@require_http_methods(["GET", "POST"])
def codes(request, pk, sid):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    form = CodesForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["output"] in ("slips", "letters"):
            publication = services.leaflets_make(survey=survey, count=data["count"], batch=data["batch"],
                                                 layout=data["output"], actor=request.user)
            messages.success(request, _("%(n)s codes made. Their leaflets are being built as a PDF.")
                             % {"n": data["count"]})
            return redirect(publication)
        if data["output"] == "questionnaires":
            publication = services.coded_questionnaires_make(
                survey=survey, count=data["count"], batch=data["batch"], actor=request.user)
            messages.success(request, _("%(n)s codes made. Their questionnaires are being built as "
                                        "a PDF.") % {"n": data["count"]})
            return redirect(publication)
        made = services.codes_generate(survey=survey, actor=request.user, count=data["count"],
                                       batch=data["batch"])
        # The codes exist in plain text only in this response: print or save them now.
        if data["output"] == "csv":
            audit_download(actor=request.user, target=survey, fmt="csv",
                           what=f"{len(made)} new one-time codes")
            return _codes_csv(survey, made, data["batch"])
        response = render(request, "consultation/codes_sheet.html", {
            "plan": survey.plan, "survey": survey, "codes": made, "batch": data["batch"],
            "public_url": request.build_absolute_uri(survey.get_public_url())})
        response["Cache-Control"] = "no-store"
        return response
    batches = (survey.codes.values("batch").annotate(issued=Count("pk"), used=Count("used_at"),
                                                     made=Max("created_at")).order_by("-made"))
    return render(request, "consultation/codes.html",
                  {"plan": survey.plan, "survey": survey, "form": form, "batches": batches})


@require_POST
@login_required
def codes_withdraw(request, pk, sid):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    n = services.codes_withdraw(survey=survey, batch=request.POST.get("batch", ""), actor=request.user)
    messages.success(request, _("%(n)s unused codes withdrawn: they no longer work.") % {"n": n})
    return redirect("consultation:codes", pk=pk, sid=sid)


def _codes_csv(survey, codes: list[str], batch: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("code"), _("batch"), _("answer online at")])
    url = f"{settings.SITE_URL}{survey.get_public_url()}"
    writer.writerows([code, batch, url] for code in codes)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(survey.title)[:60]}-codes.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def response_new(request, pk, sid):
    """Type in a paper form or interview answers; nothing is required, as on paper."""
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
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
        except Refused as refused:
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
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    if survey.is_draft:
        raise Http404
    form = ImportForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = services.import_upload(survey=survey, filename=form.cleaned_data["file"].name,
                                       content=form.text, rows=form.rows,
                                       channel=form.cleaned_data["channel"], actor=request.user)
        return redirect("consultation:import_preview", pk=pk, sid=sid, bid=batch.pk)
    return render(request, "consultation/import_upload.html", {
        "plan": survey.plan, "survey": survey, "form": form,
        "columns": importing.columns(survey.ordered_questions()),
        "imports": survey.imports.filter(uploaded_at__gte=timezone.now() - timedelta(days=7))
                                 .only("filename", "uploaded_at", "status", "problems",
                                       "imported_count")[:10]})


@login_required
def import_template(request, pk, sid):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    writer = csv.writer(Echo())
    response = StreamingHttpResponse(
        ["\ufeff", writer.writerow(importing.template_header(survey.ordered_questions()))],
        content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(survey.title)[:60] or "survey"}-template.csv"')
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, pk, sid, bid):
    """Every problem in the file, by row and column; or the go-ahead to import all of it. A large
    file is then imported in the background and this page shows how that is going, checking
    again every few seconds (a meta refresh: no script, so the strict CSP stays as it is)."""
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    batch = get_object_or_404(survey.imports, pk=bid)
    may_import = batch.status == ImportStatus.CHECKED and not batch.imported_at
    if request.method == "POST" and (not may_import or importing.imports_in_background(batch)):
        if may_import and not batch.problems:
            services.import_queue(batch=batch, actor=request.user)
        # Queued, or confirmed again (a double click, the back button): the page shows how it is going.
        return redirect("consultation:import_preview", pk=pk, sid=sid, bid=bid)
    if request.method == "POST" and may_import:
        try:
            result = services.import_run(batch=batch, actor=request.user)
        except importing.ImportRefused as refused:
            # Something changed since the check (a code used meanwhile): show what is wrong now.
            batch.problems = [{"row": e.row, "column": e.column, "message": str(e.message)}
                              for e in refused.errors]
        except Refused as refused:
            show_refused(request, refused)
            return redirect("consultation:import_upload", pk=pk, sid=sid)
        else:
            messages.success(request, _("%(n)s responses imported.") % {"n": result.count})
            return redirect("consultation:responses", pk=pk, sid=sid)
    elif batch.row_count is None and may_import:
        batch = services.import_check(batch=batch)  # kept before files were checked on upload
    return render(request, "consultation/import_preview.html", {
        "plan": survey.plan, "survey": survey, "batch": batch,
        "background": importing.imports_in_background(batch),
        "refresh": IMPORT_REFRESH_SECONDS if batch.is_waiting else None})

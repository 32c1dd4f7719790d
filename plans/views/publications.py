"""Published documents: asking for one, watching it being built, the group's list, downloads, and
the public pages of documents that are public.

A document that is not public (or not built yet) is served only through views that check the
plan; the public views return 404 for anything else, so a guessed number reveals nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clp.access import show_refused
from clp.audit import audit_download
from clp.exceptions import Refused
from plans import documents, services
from plans.access import plan_for
from plans.models import Publication
from plans.permissions import MANAGE_PLAN, VIEW_PLAN

REFRESH_SECONDS = 3


def _publication(request, pk, pid, perm=VIEW_PLAN) -> Publication:
    plan = plan_for(request, pk, perm)
    publication = get_object_or_404(Publication.objects.select_related("requested_by"), pk=pid, plan=plan)
    publication.plan = plan
    return publication


def _may_read(request, publication) -> bool:
    document = documents.get_kind(publication.kind)
    return document is not None and request.user.has_perm(document.private_perm, publication.plan)


@require_POST
@login_required
def publication_new(request, pk):
    plan = plan_for(request, pk, MANAGE_PLAN)
    source = request.POST.get("source", "")
    try:
        publication = services.publication_request(
            plan=plan, kind=request.POST.get("kind", ""), actor=request.user,
            source_id=int(source) if source.isdigit() else None,
            large_print=request.POST.get("large_print") == "1")
    except Refused as refused:
        show_refused(request, refused)
        return redirect("plans:publications", pk=plan.pk)
    return redirect(publication)


@login_required
def publications(request, pk):
    plan = plan_for(request, pk)
    rows = Publication.objects.filter(plan=plan).select_related("requested_by")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for publication in page:
        publication.document = documents.get_kind(publication.kind)
    # Kinds built from one of the plan's records (a meeting pack: which meeting?), for managers.
    choosers = ([{"kind": kind, "choices": kind.choices(plan)} for kind in documents.kinds()
                 if kind.choices is not None] if request.user.has_perm(MANAGE_PLAN, plan) else [])
    return render(request, "plans/publications.html", {"plan": plan, "page": page,
                                                       "choosers": choosers})


@login_required
def publication(request, pk, pid):
    publication = _publication(request, pk, pid)
    return render(request, "plans/publication_detail.html", {
        "plan": publication.plan, "publication": publication,
        "document": documents.get_kind(publication.kind), "may_read": _may_read(request, publication),
        "refresh": REFRESH_SECONDS if publication.is_waiting else None,
    })


@require_POST
@login_required
def publication_retry(request, pk, pid):
    publication = _publication(request, pk, pid, MANAGE_PLAN)
    if not publication.is_failed:
        messages.info(request, _("This document is not marked as failed, so there is nothing to retry."))
    else:
        try:
            services.publication_retry(publication=publication, actor=request.user)
        except Refused as refused:
            show_refused(request, refused)
        else:
            messages.success(request, _("The document will be built again. This page shows how it goes."))
    return redirect(publication)


def _pdf_response(publication) -> FileResponse:
    response = FileResponse(publication.file.open("rb"), as_attachment=False,
                            filename=publication.filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _page(request, publication, pdf_url: str):
    document = documents.get_kind(publication.kind)
    if document is None or document.source(publication.plan, publication.source_id) is None:
        raise Http404  # what it was built from has gone (e.g. a deleted survey); the PDF stays
    context = services.document_context(publication)
    context.update(for_print=False, pdf_url=pdf_url)
    return render(request, documents.get_kind(publication.kind).template, context)


@login_required
def publication_file(request, pk, pid):
    """The PDF for people who may see the plan (the only way to a document that is not public)."""
    publication = _publication(request, pk, pid)
    if not _may_read(request, publication):
        raise PermissionDenied
    if not publication.is_done:
        raise Http404
    if not publication.is_public:  # a public document is anyone's to read: nothing to record
        audit_download(actor=request.user, target=publication, fmt="pdf",
                       what=f"Private {publication.kind} document of plan {publication.plan_id}")
    return _pdf_response(publication)


@login_required
def publication_page(request, pk, pid):
    """The document as a web page, for the group, before or after it is built."""
    publication = _publication(request, pk, pid)
    if not _may_read(request, publication):
        raise PermissionDenied
    if not documents.get_kind(publication.kind).web_page:
        raise Http404
    pdf_url = reverse("plans:publication_file", kwargs={"pk": pk, "pid": pid}) if publication.is_done else ""
    return _page(request, publication, pdf_url)


def _public(pid) -> Publication:
    return get_object_or_404(Publication.objects.public().select_related("plan__community"), pk=pid)


def public_document(request, pid):
    """A public document as a web page, with a link to its PDF."""
    publication = _public(pid)
    return _page(request, publication, reverse("plans:public_document_pdf", kwargs={"pid": pid}))


def public_document_pdf(request, pid):
    return _pdf_response(_public(pid))

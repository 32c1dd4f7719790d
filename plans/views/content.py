"""The plan's records: process plan (milestones), support and funding, meetings, evidence."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from clp.audit import audit_download, stored_format
from plans import services, uploads
from plans.access import plan_for
from plans.forms import EvidenceForm, MeetingForm, MilestoneForm, SupportSourceForm
from plans.models import EvidenceItem, Meeting, Milestone, SupportSource
from plans.permissions import EDIT_PLAN_CONTENT


@dataclass(frozen=True)
class Section:
    model: type
    form: type
    title: str
    noun: str
    template: str


SECTIONS = {
    "milestones": Section(Milestone, MilestoneForm, gettext_lazy("Process plan"),
                          gettext_lazy("milestone"), "plans/milestones.html"),
    "support": Section(SupportSource, SupportSourceForm, gettext_lazy("Support and funding"),
                       gettext_lazy("source of support"), "plans/support.html"),
    "meetings": Section(Meeting, MeetingForm, gettext_lazy("Meetings and events"),
                        gettext_lazy("meeting or event"), "plans/meetings.html"),
    "evidence": Section(EvidenceItem, EvidenceForm, gettext_lazy("Evidence library"),
                        gettext_lazy("piece of evidence"), "plans/evidence.html"),
}


@login_required
def content_list(request, pk, section):
    plan = plan_for(request, pk)
    spec = SECTIONS[section]
    return render(request, spec.template, {
        "plan": plan, "section": section, "spec": spec,
        "objects": spec.model.objects.filter(plan=plan),
    })


@login_required
@require_http_methods(["GET", "POST"])
def content_edit(request, pk, section, oid=None):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    spec = SECTIONS[section]
    instance = get_object_or_404(spec.model, pk=oid, plan=plan) if oid else spec.model(plan=plan)
    form = spec.form(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        upload = request.FILES.get("file")
        if upload is not None and hasattr(obj, "original_name"):
            obj.original_name = upload.name[:255]
        services.content_save(obj=obj, actor=request.user, created=oid is None)
        messages.success(request, _("Saved the %(noun)s “%(obj)s”.") % {"noun": spec.noun, "obj": obj})
        return redirect(f"plans:{section}", pk=plan.pk)
    return render(request, "plans/content_form.html",
                  {"plan": plan, "form": form, "spec": spec, "section": section, "object": oid})


@login_required
@require_http_methods(["GET", "POST"])
def content_delete(request, pk, section, oid):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    spec = SECTIONS[section]
    obj = get_object_or_404(spec.model, pk=oid, plan=plan)
    if request.method == "POST":
        services.content_delete(obj=obj, actor=request.user)
        messages.success(request, _("Removed the %(noun)s “%(obj)s”.") % {"noun": spec.noun, "obj": obj})
        return redirect(f"plans:{section}", pk=plan.pk)
    return render(request, "plans/content_delete.html",
                  {"plan": plan, "obj": obj, "spec": spec, "section": section})


@login_required
def file_download(request, pk, section, oid):
    """Serve an upload only to people who may see the plan, never from a public URL."""
    plan = plan_for(request, pk)
    if section == "evidence":
        stored = get_object_or_404(EvidenceItem, pk=oid, plan=plan)
        file, name = stored.file, stored.original_name
    elif section == "meetings":
        stored = get_object_or_404(Meeting, pk=oid, plan=plan)
        file, name = stored.minutes_file, ""
    else:
        raise Http404
    if not file:
        raise Http404
    # Type and extension come from the checked content (the stored name), never the user's name.
    response = FileResponse(file.open("rb"), as_attachment=True,
                            filename=uploads.download_name(file.name, name or stored.title),
                            content_type=uploads.served_type(file.name))
    response["X-Content-Type-Options"] = "nosniff"
    audit_download(actor=request.user, target=stored, what=f"File of plan {plan.pk}",
                   fmt=stored_format(file))
    return response

"""The draft plan (for the group and, once published, for residents), residents' comments,
finalising, and the frozen versions."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from actions import services, versions
from actions.forms import CommentForm, DraftForm
from actions.models import CommentStatus, DraftComment, DraftPlan, PlanVersion
from actions.permissions import FINALISE_PLAN
from actions.summary import by_section, consulted_surveys, load_action_plan, smart_problems
from clp.access import show_refused
from clp.exceptions import Refused
from plans import gates
from plans.access import plan_for
from plans.models import Plan, Publication
from plans.permissions import EDIT_PLAN_CONTENT, MANAGE_PLAN
from plans.steps import Step


def _themes(priorities) -> list[dict]:
    """Key findings by theme: the priorities under each theme the group gave them."""
    themes: dict[str, list] = {}
    for priority in priorities:
        themes.setdefault(priority.theme.strip() or _("Other"), []).append(priority)
    return [{"theme": theme, "priorities": items} for theme, items in sorted(themes.items())]


def _document(plan) -> dict:
    priorities = load_action_plan(plan)
    return {
        "plan": plan, "draft": DraftPlan.objects.filter(plan=plan).first(),
        "sections": by_section(priorities), "themes": _themes(priorities),
        "surveys": consulted_surveys(plan), "problems": smart_problems(priorities),
    }


@login_required
def draft(request, pk):
    plan = plan_for(request, pk)
    context = _document(plan)
    context["pending_comments"] = plan.draft_comments.filter(status=CommentStatus.PENDING).count()
    context["latest_version"] = plan.versions.first()
    context["adopted"] = plan.versions.filter(number=plan.version).exists()
    return render(request, "actions/draft.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request, pk):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    current = DraftPlan.objects.filter(plan=plan).first()
    form = DraftForm(request.POST or None, initial={"monitoring": current.monitoring if current else ""})
    if request.method == "POST" and form.is_valid():
        services.draft_update(plan=plan, monitoring=form.cleaned_data["monitoring"], actor=request.user)
        messages.success(request, _("Saved the monitoring arrangements."))
        return redirect("actions:draft", pk=plan.pk)
    return render(request, "actions/draft_form.html", {"plan": plan, "form": form})


@require_POST
@login_required
def draft_publish(request, pk):
    plan = plan_for(request, pk, MANAGE_PLAN)
    publish = request.POST.get("publish") == "1"
    try:
        services.draft_publish(plan=plan, publish=publish, actor=request.user)
    except Refused as refused:
        show_refused(request, refused)
        return redirect("actions:draft", pk=plan.pk)
    messages.success(request, _("The draft plan is on the public site. Residents can read it and "
                                "comment.") if publish else _("The draft plan is no longer public."))
    return redirect("actions:draft", pk=plan.pk)


@login_required
def comments(request, pk):
    plan = plan_for(request, pk, MANAGE_PLAN)
    everything = list(plan.draft_comments.select_related("priority", "moderated_by"))
    return render(request, "actions/comments.html", {
        "plan": plan,
        "pending": [c for c in everything if c.status == CommentStatus.PENDING],
        "moderated": [c for c in everything if c.status != CommentStatus.PENDING],
    })


@require_POST
@login_required
def comment_moderate(request, pk, cid):
    plan = plan_for(request, pk, MANAGE_PLAN)
    comment = get_object_or_404(DraftComment, pk=cid, plan=plan)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        raise Http404
    services.comment_moderate(comment=comment, approve=decision == "approve", actor=request.user)
    messages.success(request, _("The comment now shows on the public draft.") if decision == "approve"
                     else _("The comment will not be shown."))
    return redirect("actions:comments", pk=plan.pk)


def _comment_rate(group, request):
    return settings.ACTIONS_RATE_COMMENT


@ratelimit(key="ip", rate=_comment_rate, method="POST", block=False, group="actions.comment")
@require_http_methods(["GET", "POST"])
def public_draft(request, pk):
    """The published draft for residents, with a comment form. 404 until the group publishes;
    once the plan is adopted, comments are closed and the page points to the adopted plan."""
    plan = get_object_or_404(Plan.objects.select_related("community"), pk=pk)
    draft = DraftPlan.objects.filter(plan=plan).first()
    if plan.versions.filter(number=plan.version).exists() or not (draft and draft.is_published):
        if plan.versions.exists():
            return render(request, "actions/public_draft_closed.html", {"plan": plan})
        raise Http404
    form = CommentForm(request.POST or None, plan=plan)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            status = 429
            messages.error(request, _("You have sent several comments in a short time. Please try "
                                      "again in an hour."))
        elif form.is_valid():
            services.comment_submit(plan=plan, **form.cleaned_data)
            messages.success(request, _("Thank you. The steering group will read your comment "
                                        "before it appears on this page."))
            return redirect("actions:public_draft", pk=plan.pk)
    context = _document(plan)
    context.update(form=form, approved=plan.draft_comments.filter(status=CommentStatus.APPROVED)
                   .select_related("priority"))
    return render(request, "actions/public_draft.html", context, status=status)


def public_adopted(request, pk):
    """The plan as the community adopted it (its latest frozen version), for anyone to read."""
    plan = get_object_or_404(Plan.objects.select_related("community"), pk=pk)
    adopted = plan.versions.select_related("frozen_by").first()
    if adopted is None:
        raise Http404
    return render(request, "actions/public_adopted.html", {
        "plan": plan, "version": adopted, "sections": versions.sections_of(adopted.data),
        "reviewing": adopted.number < plan.version,
    })


@login_required
@require_http_methods(["GET", "POST"])
def finalise(request, pk):
    plan = plan_for(request, pk, FINALISE_PLAN)
    if request.method == "POST":
        try:
            version = services.plan_finalise(plan=plan, actor=request.user)
        except Refused as refused:
            show_refused(request, refused)
            return redirect("actions:finalise", pk=plan.pk)
        messages.success(request, _("The plan is final. Version %(n)s is frozen, and the plan has "
                                    "moved on to step 8: Implementing and monitoring actions.")
                         % {"n": version.number})
        return redirect(version)
    return render(request, "actions/finalise.html", {
        "plan": plan, "checklist": gates.checklist(plan, Step.FINALISING),
        "at_step": plan.step == Step.FINALISING,
        "frozen": plan.versions.filter(number=plan.version).first(),
    })


@login_required
def versions_list(request, pk):
    plan = plan_for(request, pk)
    frozen = list(plan.versions.select_related("frozen_by").order_by("number"))
    for older, newer in zip([None, *frozen], frozen, strict=False):
        newer.changes = versions.diff(older.data, newer.data) if older else None
    pending = versions.diff(frozen[-1].data, versions.snapshot(plan)) if frozen else None
    return render(request, "actions/versions.html", {
        "plan": plan, "versions": frozen[::-1], "pending": pending,
        "latest": frozen[-1] if frozen else None,
    })


def version_documents(plan, frozen) -> list[dict]:
    """The documents a frozen version can be published as, each with its latest publication."""
    latest = {}
    for publication in Publication.objects.filter(plan=plan, source_id=frozen.pk,
                                                  kind__in=["plan", "household_summary"]).order_by("pk"):
        latest[(publication.kind, publication.large_print)] = publication
    return [{"kind": kind, "large_print": large, "label": label, "publication": latest.get((kind, large))}
            for kind, large, label in [
                ("plan", False, _("The plan")),
                ("household_summary", False, _("Summary for every household")),
                ("household_summary", True, _("Summary for every household, large print"))]]


@login_required
def version(request, pk, number):
    plan = plan_for(request, pk)
    frozen = get_object_or_404(PlanVersion.objects.select_related("frozen_by"), plan=plan, number=number)
    return render(request, "actions/version_detail.html", {
        "plan": plan, "version": frozen, "sections": versions.sections_of(frozen.data),
        "documents": version_documents(plan, frozen),
    })


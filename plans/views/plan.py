from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clp.access import get_object_for_user, show_refused
from clp.exceptions import Refused
from clp.models import Community
from clp.permissions import START_PLAN
from plans import gates, services, steps
from plans.access import kept_plan_page, plan_for
from plans.forms import (
    CloseForm,
    PlanCreateForm,
    PlanForm,
    ReasonForm,
    ReviewForm,
    RevisitForm,
    TickForm,
)
from plans.permissions import EDIT_PLAN_CONTENT, MANAGE_PLAN, WAIVE_GATE_ITEM


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request, slug):
    community = get_object_for_user(request, Community.objects, START_PLAN, slug=slug)
    form = PlanCreateForm(request.POST or None,
                          initial={"title": _("%(name)s Community Plan") % {"name": community.name}})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(community=community, actor=request.user, **form.cleaned_data)
        except Refused as refused:
            show_refused(request, refused)
            return redirect(community)
        messages.success(request, _("Plan started. Next, invite the steering group's chair."))
        return redirect("plans:members", pk=plan.pk)
    return render(request, "plans/plan_form.html",
                  {"form": form, "community": community, "creating": True})


@login_required
def plan_detail(request, pk):
    """The plan's home page. Seen again by the same person (they come back to it between
    pages), it is the copy kept for them (`freshness.kept_for_viewer`) until anything changes;
    whether they may see the plan is checked first, every time (`plans.access.kept_plan_page`)."""
    return kept_plan_page(request, pk, ("plan-home", pk), lambda plan: _plan_home(request, plan))


def _plan_home(request, plan):
    checklist = gates.checklist(plan, viewer=request.user)
    return render(request, "plans/plan_detail.html", {
        "plan": plan,
        "checklist": checklist,
        "steps": _progress(plan),
        "next_step": steps.next_step(plan.step),
        "milestones": plan.milestones.exclude(status="done")[:5],
        "members": plan.memberships.active().select_related("user"),
        "councillor_links": plan.councillor_links.select_related("councillor__user"),
        "recent_events": plan.events.select_related("actor")[:5],
        "activity_risk": _activity_risk(plan),
    })


def _progress(plan):
    current = steps.number(plan.step)
    return [
        {"value": s.value, "label": s.label, "number": i, "stage": steps.Stage(steps.STAGE_OF[s]).label,
         "state": "done" if i < current else "current" if i == current else "todo"}
        for i, s in enumerate(steps.Step, start=1)
    ]


def _activity_risk(plan):
    """'Running out of steam': one person holding more than half of the recorded activity."""
    from django.db.models import Count

    counts = list(plan.events.exclude(actor=None).values("actor").annotate(n=Count("pk"))
                  .order_by("-n")[:1])
    total = plan.events.exclude(actor=None).count()
    if total < 10 or not counts or counts[0]["n"] * 2 <= total:
        return None
    from clp.models import User

    return {"who": User.objects.get(pk=counts[0]["actor"]),
            "share": round(100 * counts[0]["n"] / total)}


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.plan_update(plan=form.instance, actor=request.user, changed=form.changed_labels())
        messages.success(request, _("Plan details saved."))
        return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_history(request, pk):
    plan = plan_for(request, pk)
    page = Paginator(plan.events.select_related("actor"), 100).get_page(request.GET.get("page"))
    return render(request, "plans/plan_history.html", {"plan": plan, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def plan_advance(request, pk):
    plan = plan_for(request, pk, MANAGE_PLAN)
    if request.method == "GET":
        return render(request, "plans/plan_advance.html", {
            "plan": plan, "checklist": gates.checklist(plan), "next_step": steps.next_step(plan.step),
            "next_label": steps.Step(steps.next_step(plan.step)).label if steps.next_step(plan.step) else "",
            "next_number": plan.step_number + 1,
        })
    try:
        plan = services.plan_advance(plan=plan, actor=request.user,
                                     expected_step=request.POST.get("expected_step"))
        messages.success(request, _("The plan has moved on to step %(n)s: %(step)s.")
                         % {"n": plan.step_number, "step": plan.get_step_display()})
    except Refused as refused:
        show_refused(request, refused)
    return redirect(plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_revisit(request, pk):
    plan = plan_for(request, pk, MANAGE_PLAN)
    if plan.step_number == 1:
        raise Http404
    form = RevisitForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_revisit(plan=plan, actor=request.user, expected_step=plan.step,
                                  **form.cleaned_data)
            messages.success(request, _("The plan has gone back. The reason is in the history."))
            return redirect(plan)
        except Refused as refused:
            show_refused(request, refused)
    return render(request, "plans/plan_transition_form.html", {
        "plan": plan, "form": form, "title": _("Go back to an earlier step"),
        "submit": _("Go back"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def plan_review(request, pk):
    plan = plan_for(request, pk, MANAGE_PLAN)
    if plan.step != steps.Step.REVIEWING:
        raise Http404
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_start_review(plan=plan, actor=request.user, expected_step=plan.step,
                                       **form.cleaned_data)
            messages.success(request, _("A new review cycle has started."))
            return redirect(plan)
        except Refused as refused:
            show_refused(request, refused)
    return render(request, "plans/plan_transition_form.html", {
        "plan": plan, "form": form, "title": _("Start a review cycle"),
        "submit": _("Start the review"),
    })


@require_POST
@login_required
def plan_pause(request, pk):
    return _set_paused(request, pk, True, _("The plan is paused. Resume it when the group is ready."))


@require_POST
@login_required
def plan_resume(request, pk):
    return _set_paused(request, pk, False, _("The plan is active again."))


def _set_paused(request, pk, paused: bool, done: str):
    plan = plan_for(request, pk, MANAGE_PLAN)
    try:
        services.plan_set_paused(plan=plan, actor=request.user, paused=paused)
        messages.success(request, done)
    except Refused as refused:
        show_refused(request, refused)
    return redirect(plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_close(request, pk):
    plan = plan_for(request, pk, MANAGE_PLAN)
    if plan.is_closed:
        raise Http404
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.plan_close(plan=plan, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The plan is closed. Its history stays here to look back on."))
        return redirect(plan)
    return render(request, "plans/plan_transition_form.html", {
        "plan": plan, "form": form, "title": _("Close the plan"), "submit": _("Close the plan"),
    })


def _gate_item(key):
    item = gates.get_item(key)
    if item is None:
        raise Http404
    return item


@login_required
@require_http_methods(["GET", "POST"])
def checklist_tick(request, pk, key):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    item = _gate_item(key)
    if not item.is_manual:
        raise Http404
    form = TickForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.checklist_tick(plan=plan, key=key, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Ticked: %(item)s.") % {"item": item.label})
        return redirect(plan)
    return render(request, "plans/checklist_form.html",
                  {"plan": plan, "item": item, "form": form, "waiving": False})


@require_POST
@login_required
def checklist_untick(request, pk, key):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    item = _gate_item(key)
    services.checklist_untick(plan=plan, key=key, actor=request.user)
    messages.success(request, _("Unticked: %(item)s.") % {"item": item.label})
    return redirect(plan)


@require_POST
@login_required
def checklist_unwaive(request, pk, key):
    plan = plan_for(request, pk, WAIVE_GATE_ITEM)
    item = _gate_item(key)
    services.checklist_unwaive(plan=plan, key=key, actor=request.user)
    messages.success(request, _("“%(item)s” is needed again.") % {"item": item.label})
    return redirect(plan)


@login_required
@require_http_methods(["GET", "POST"])
def checklist_waive(request, pk, key):
    plan = plan_for(request, pk, WAIVE_GATE_ITEM)
    item = _gate_item(key)
    if not item.waivable:
        raise Http404
    form = ReasonForm(request.POST or None)
    form.fields["reason"].help_text = _("Everyone on the plan will see this reason.")
    if request.method == "POST" and form.is_valid():
        services.checklist_waive(plan=plan, key=key, actor=request.user,
                                 reason=form.cleaned_data["reason"])
        messages.success(request, _("Marked as not needed: %(item)s.") % {"item": item.label})
        return redirect(plan)
    return render(request, "plans/checklist_form.html",
                  {"plan": plan, "item": item, "form": form, "waiving": True})

"""The group's side of the action plan: priorities, their order, their actions, and the
prioritisation aid."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actions import services
from actions.forms import ActionForm, DecideForm, PriorityForm
from actions.models import (
    Action,
    Endorsement,
    Message,
    OwnerRole,
    Priority,
    ProgressUpdate,
    Section,
)
from actions.summary import attach_support, by_section, load_action_plan, smart_problems
from actions.views.common import priority_for
from plans.access import plan_for
from plans.permissions import EDIT_PLAN_CONTENT


@login_required
def action_plan(request, pk):
    plan = plan_for(request, pk)
    priorities = load_action_plan(plan)
    return render(request, "actions/action_plan.html", {
        "plan": plan, "sections": by_section(priorities), "problems": smart_problems(priorities),
        "has_priorities": bool(priorities),
    })


@login_required
def priority_detail(request, pk, prid):
    priority = priority_for(request, pk, prid)
    plan = priority.plan
    priority.current_endorsements = list(priority.endorsements.current()
                                         .select_related("councillor__user"))
    attach_support(priority, list(plan.endorsement_requests.select_related("councillor__user")))
    actions = list(priority.actions.select_related("lead_user").prefetch_related(
        Prefetch("updates", queryset=ProgressUpdate.objects.order_by("-at", "-pk"),
                 to_attr="history")))
    for action in actions:
        action.priority = priority
    return render(request, "actions/priority_detail.html", {
        "plan": plan, "priority": priority, "actions": actions,
        "history": Endorsement.objects.filter(priority=priority).select_related("councillor__user", "by"),
        "threads": _threads(priority),
    })


def _threads(priority) -> list[dict]:
    """Messages grouped into one thread per councillor, oldest first."""
    threads: dict[int, dict] = {}
    for message in Message.objects.filter(priority=priority).select_related("councillor__user", "author"):
        thread = threads.setdefault(message.councillor_id,
                                    {"councillor": message.councillor, "messages": []})
        thread["messages"].append(message)
    for thread in threads.values():
        thread["awaiting_answer"] = thread["messages"][-1].from_councillor
    return list(threads.values())


@login_required
@require_http_methods(["GET", "POST"])
def priority_edit(request, pk, prid=None):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    priority = get_object_or_404(Priority, pk=prid, plan=plan) if prid else None
    initial = _initial_from_issue(plan, request.GET) if priority is None else None
    form = PriorityForm(request.POST or None, instance=priority, initial=initial, plan=plan)
    old_section = priority.section if priority else None
    if request.method == "POST" and form.is_valid():
        if priority is None:
            priority = services.priority_create(plan=plan, fields=form.cleaned_data, actor=request.user)
            messages.success(request, _("Added the priority “%(t)s”. Now add its actions.") % {"t": priority})
        else:
            priority = services.priority_update(priority=form.instance, old_section=old_section,
                                                changed=form.changed_labels(), actor=request.user,
                                                issues=form.cleaned_data.get("issues"))
            messages.success(request, _("Saved the priority “%(t)s”.") % {"t": priority})
        return redirect(priority)
    return render(request, "actions/priority_form.html",
                  {"plan": plan, "form": form, "priority": priority})


@login_required
@require_http_methods(["GET", "POST"])
def priority_delete(request, pk, prid):
    priority = priority_for(request, pk, prid, EDIT_PLAN_CONTENT)
    if request.method == "POST":
        services.priority_delete(priority=priority, actor=request.user)
        messages.success(request, _("Removed the priority “%(t)s”.") % {"t": priority})
        return redirect("actions:plan", pk=pk)
    return render(request, "actions/confirm_delete.html", {
        "plan": priority.plan, "obj": priority, "noun": _("priority"),
        "warning": _("Its actions, councillors' decisions and questions are removed with it."),
        "cancel": priority.get_absolute_url(),
    })


@require_POST
@login_required
def priority_move(request, pk, prid):
    priority = priority_for(request, pk, prid, EDIT_PLAN_CONTENT)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    position = services.priority_move(priority=priority, direction=direction, actor=request.user)
    if position is None:
        messages.info(request, _("“%(t)s” cannot move further %(d)s. Quick wins always stay above "
                                 "the other priorities.") % {"t": priority, "d": _(direction)})
    else:
        messages.success(request, _("Moved “%(t)s” to number %(n)s in section %(s)s.")
                         % {"t": priority, "n": position, "s": priority.section})
    # The page's script puts focus back on the same button, so keyboard users can keep moving.
    url = reverse("actions:plan", kwargs={"pk": pk})
    return redirect(f"{url}?moved={priority.pk}&dir={direction}#priority-{priority.pk}")


@require_POST
@login_required
def priorities_reorder(request, pk):
    """Drag and drop sends the whole section's order; the buttons remain the baseline."""
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    try:
        section = Section(int(request.POST.get("section", "")))
        order = [int(v) for v in request.POST.get("order", "").split(",") if v.strip()]
    except ValueError as error:
        raise Http404 from error
    if services.priorities_reorder(plan=plan, section=section, order=order, actor=request.user):
        messages.success(request, _("Saved the new order of section %(s)s.") % {"s": section.value})
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)  # the script reloads the page, which shows the message
    return redirect("actions:plan", pk=plan.pk)


def _asked_message(owner_request) -> str:
    text = (_("We are emailing %(who)s to ask them to accept leading this action. Their answer "
              "will show on the action's page.") if owner_request.role == OwnerRole.LEAD
            else _("We are emailing %(who)s to ask them to help with this action. Their answer "
                   "will show on the action's page."))
    return text % {"who": owner_request.recipient_name}


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk, prid, aid=None):
    priority = priority_for(request, pk, prid, EDIT_PLAN_CONTENT)
    action = get_object_or_404(Action, pk=aid, priority=priority) if aid else Action(priority=priority)
    action.priority = priority
    form = ActionForm(request.POST or None, instance=action, plan=priority.plan)
    if request.method == "POST" and form.is_valid():
        action, asked = services.action_save(action=form.instance, created=aid is None,
                                             actor=request.user)
        for owner_request in asked:
            messages.info(request, _asked_message(owner_request))
        gaps = action.smart_gaps()
        if gaps:
            messages.warning(request, _("Saved the action. To pass the SMART check it still needs: "
                                        "%(gaps)s.") % {"gaps": "; ".join(gaps)})
        else:
            messages.success(request, _("Saved the action. It passes the SMART check."))
        return redirect(f"{priority.get_absolute_url()}#action-{action.pk}")
    return render(request, "actions/action_form.html",
                  {"plan": priority.plan, "priority": priority, "form": form, "editing": aid is not None})


@login_required
@require_http_methods(["GET", "POST"])
def action_delete(request, pk, prid, aid):
    priority = priority_for(request, pk, prid, EDIT_PLAN_CONTENT)
    action = get_object_or_404(Action, pk=aid, priority=priority)
    if request.method == "POST":
        services.action_delete(action=action, actor=request.user)
        messages.success(request, _("Removed the action “%(a)s”.") % {"a": action})
        return redirect(priority)
    return render(request, "actions/confirm_delete.html", {
        "plan": priority.plan, "obj": action, "noun": _("action"),
        "warning": _("If the action was tried and stopped, set its status to “Dropped” instead, "
                     "so the plan's history shows it."),
        "cancel": priority.get_absolute_url(),
    })


@login_required
def prioritise(request, pk):
    plan = plan_for(request, pk)
    priorities = list(Priority.objects.filter(plan=plan).in_plan_order())
    sections = []
    for section in by_section(priorities):
        suggested = services.suggested_order(section.priorities)
        sections.append({"section": section, "suggested": suggested,
                         "differs": [p.pk for p in suggested] != [p.pk for p in section.priorities],
                         "unscored": [p for p in section.priorities if not p.is_scored]})
    return render(request, "actions/prioritise.html", {
        "plan": plan, "sections": sections,
        "decisions": plan.prioritisation_decisions.select_related("by")[:10],
    })


@login_required
@require_http_methods(["GET", "POST"])
def prioritise_decide(request, pk, section):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    if section not in Section.values:
        raise Http404
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["choice"] == "accept"
        services.prioritisation_decide(plan=plan, section=section, accept=accept,
                                       reason=form.cleaned_data["reason"], actor=request.user)
        messages.success(request, _("Section %(s)s now follows the suggested order.") % {"s": section}
                         if accept else _("Kept your own order for section %(s)s. The reason is "
                                          "recorded.") % {"s": section})
        return redirect("actions:prioritise", pk=plan.pk)
    priorities = list(Priority.objects.filter(plan=plan, section=section).in_plan_order())
    return render(request, "actions/prioritise_decide.html", {
        "plan": plan, "form": form, "section": Section(section), "current": priorities,
        "suggested": services.suggested_order(priorities),
    })


def _initial_from_issue(plan, params) -> dict:
    """A priority made from an issue of the register starts with its title and its evidence."""
    initial = {"section": params.get("section")}
    raw = params.get("issue", "")
    issue = plan.issues.select_related("theme").filter(pk=raw).first() if raw.isdigit() else None
    if issue is None:
        return initial
    from consultation.analysis.issues import issue_support

    support = issue_support(issue)
    why = [_("Raised by %(n)s of the %(of)s people who answered an open survey.")
           % {"n": support["raised"], "of": support["of"]}]
    if support["rating"]:
        why.append(_("Rated %(mean).1f out of 5 for importance in the priorities round.")
                   % {"mean": support["rating"]["mean"]})
    for group in support["minority"]:
        why.append(_("Raised mostly by %(g)s: a need of a smaller group.") % {"g": group["label"]})
    if support["mandate"]:
        why.append(support["mandate_reason"])
    initial.update(title=issue.title, why=" ".join(why), issues=[issue.pk],
                   theme=issue.theme.name if issue.theme else "")
    return initial

"""Councillor support: the group asks councillors to review the priorities; a councillor
endorses, supports, declines or asks a question; the group answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from actions import services
from actions.forms import ReplyForm, RequestForm, RespondForm
from actions.models import Endorsement, EndorsementRequest, Message, Section
from actions.permissions import RESPOND_TO_PRIORITY
from actions.summary import by_section, load_action_plan
from actions.views.common import priority_for
from clp.models import CouncillorProfile
from plans.access import plan_for
from plans.permissions import EDIT_PLAN_CONTENT, INVITE_TO_PLAN


@login_required
def endorsements(request, pk):
    """The group's view: who was asked, each priority's support by tier, questions to answer."""
    plan = plan_for(request, pk)
    priorities = load_action_plan(plan)
    return render(request, "actions/endorsements.html", {
        "plan": plan, "sections": by_section(priorities),
        "requests": plan.endorsement_requests.select_related("councillor__user", "sent_by"),
        "unanswered": _unanswered(plan),
        "unendorsed": [p for p in priorities if p.needs_help and not p.is_endorsed],
        "attached": plan.councillor_links.exists(),
    })


def _unanswered(plan) -> list[Message]:
    """The latest message of each thread, where it is a councillor's question."""
    latest = {}
    for message in (Message.objects.filter(priority__plan=plan)
                    .select_related("councillor__user", "priority").order_by("at", "pk")):
        latest[(message.priority_id, message.councillor_id)] = message
    return [m for m in latest.values() if m.from_councillor]


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request, pk):
    plan = plan_for(request, pk, INVITE_TO_PLAN)
    form = RequestForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.endorsement_requests_send(plan=plan, councillors=list(data["councillors"]),
                                           message=data["message"], respond_by=data["respond_by"],
                                           actor=request.user)
        messages.success(request, _("Asked %(n)s councillor(s) to review the priorities. Each has "
                                    "been emailed.") % {"n": len(data["councillors"])})
        return redirect("actions:endorsements", pk=plan.pk)
    return render(request, "actions/request_form.html", {
        "plan": plan, "form": form, "empty": not form.fields["councillors"].queryset.exists()})


def _profile(request) -> CouncillorProfile:
    """The responding councillor. Site admins pass every permission check but respond for
    nobody, so only a real councillor profile may go on."""
    profile = CouncillorProfile.objects.select_related("user").filter(user=request.user).first()
    if profile is None:
        raise PermissionDenied
    return profile


@login_required
def review(request, pk):
    """The councillor's view: section 2 asks for a decision, section 1 is for information."""
    plan = plan_for(request, pk, RESPOND_TO_PRIORITY)
    profile = _profile(request)
    priorities = load_action_plan(plan)
    for priority in priorities:
        priority.mine = next((e for e in priority.current_endorsements
                              if e.councillor_id == profile.pk), None)
    return render(request, "actions/review.html", {
        # Section 2 is what the councillor is asked about; section 1 follows for information.
        "plan": plan, "profile": profile, "sections": by_section(priorities)[::-1],
        "ask": EndorsementRequest.objects.filter(plan=plan, councillor=profile).first(),
        "awaiting": sum(1 for p in priorities if p.needs_help and p.mine is None),
    })


@login_required
@require_http_methods(["GET", "POST"])
def respond(request, pk, prid):
    priority = priority_for(request, pk, prid, RESPOND_TO_PRIORITY)
    profile = _profile(request)
    mine = Endorsement.objects.filter(priority=priority, councillor=profile)
    current = next((e for e in mine if e.is_current), None)
    form = RespondForm(request.POST or None,
                       initial={"response": current.decision} if current else None)
    if request.method == "POST" and form.is_valid():
        choice, comment = form.cleaned_data["response"], form.cleaned_data["comment"]
        if choice == "question":
            services.question_ask(priority=priority, councillor=profile, body=comment,
                                  actor=request.user)
            messages.success(request, _("Your question has been sent to the steering group."))
        else:
            endorsement = services.endorsement_record(priority=priority, councillor=profile,
                                                      decision=choice, comment=comment,
                                                      actor=request.user)
            messages.success(request, _("Recorded: %(d)s “%(t)s”.")
                             % {"d": endorsement.get_decision_display(), "t": priority})
        return redirect("actions:review", pk=pk)
    actions = list(priority.actions.select_related("lead_user"))
    for action in actions:
        action.priority = priority
    return render(request, "actions/respond.html", {
        "plan": priority.plan, "priority": priority, "form": form, "current": current,
        "history": list(mine), "actions": actions,
        "thread": Message.objects.filter(priority=priority, councillor=profile).select_related("author"),
        "is_section_two": priority.section == Section.HELP,
    })


@login_required
@require_http_methods(["GET", "POST"])
def reply(request, pk, prid, cid):
    priority = priority_for(request, pk, prid, EDIT_PLAN_CONTENT)
    thread = list(Message.objects.filter(priority=priority, councillor_id=cid)
                  .select_related("councillor__user", "author"))
    if not thread:
        raise Http404
    councillor = thread[0].councillor
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.question_answer(priority=priority, councillor=councillor,
                                 body=form.cleaned_data["body"], actor=request.user)
        messages.success(request, _("Your answer has been sent to %(who)s.") % {"who": councillor.short_name})
        return redirect(f"{priority.get_absolute_url()}#questions")
    return render(request, "actions/reply_form.html", {
        "plan": priority.plan, "priority": priority, "councillor": councillor, "thread": thread,
        "form": form,
    })


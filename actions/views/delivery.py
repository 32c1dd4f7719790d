"""The group's side of delivery (steps 8 and 9): the overview, each action's owner and progress,
partner bodies, offers to help, issues raised by residents, community updates and the review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actions import delivery, delivery_documents, health, progress
from actions.forms import (
    CommunityUpdateForm,
    PartnerForm,
    ReviewDecisionsForm,
    ReviewMeetingForm,
    UpdateForm,
)
from actions.models import (
    Action,
    CommentStatus,
    HelpOffer,
    OfferStatus,
    OwnerRole,
    ProgressUpdate,
    RaisedIssue,
)
from actions.views.common import priority_for
from clp.access import show_refused
from clp.audit import audit_download, stored_format
from clp.exceptions import Refused
from plans import gates
from plans.access import plan_for
from plans.permissions import EDIT_PLAN_CONTENT, MANAGE_PLAN, VIEW_PLAN
from plans.steps import Step


def _action_for(request, pk, prid, aid, perm=None) -> Action:
    priority = priority_for(request, pk, prid, perm or VIEW_PLAN)
    action = get_object_or_404(Action.objects.select_related("lead_user", "partner_body",
                                                             "latest_update"),
                               pk=aid, priority=priority)
    action.priority = priority
    return action


@login_required
def overview(request, pk):
    plan = plan_for(request, pk)
    result = progress.load_delivery(plan)
    return render(request, "actions/delivery.html", {
        "plan": plan, "delivery": result, "reference_share": progress.EAST_OF_ENGLAND_SHARE,
        "reference_sentence": progress.EAST_OF_ENGLAND_SENTENCE,
        "review_due_on": progress.review_due_on(plan),
        "checklist": gates.checklist(plan, plan.step) if plan.stage == "deliver" else None,
        "pending_offers": HelpOffer.objects.for_plan(plan).filter(
            status=OfferStatus.CONFIRMED).count(),
        "pending_issues": plan.raised_issues.filter(status=CommentStatus.PENDING).count(),
        "meeting_choices": delivery_documents.meeting_choices(plan),
    })


@login_required
def action_detail(request, pk, prid, aid):
    action = _action_for(request, pk, prid, aid)
    action.flags = action.health(timezone.now(), timezone.localdate())
    return render(request, "actions/action_detail.html", {
        "plan": action.priority.plan, "priority": action.priority, "action": action,
        "flag_labels": [health.Flag(f).label for f in action.flags],
        "updates": action.updates.select_related("by"),
        "requests": action.owner_requests.select_related("sent_by"),
        "helpers": action.helpers.all(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def update_new(request, pk, prid, aid):
    action = _action_for(request, pk, prid, aid, EDIT_PLAN_CONTENT)
    form = UpdateForm(request.POST or None, request.FILES or None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            delivery.update_post(action=action, actor=request.user, **form.cleaned_data)
        except Refused as refused:
            form.add_error("reason", refused.message)
        else:
            messages.success(request, _("Saved the progress update."))
            return redirect("actions:action", pk=pk, prid=prid, aid=aid)
    return render(request, "actions/update_form.html", {
        "plan": action.priority.plan, "action": action, "form": form})


@require_POST
@login_required
def owner_request(request, pk, prid, aid):
    action = _action_for(request, pk, prid, aid, EDIT_PLAN_CONTENT)
    role = request.POST.get("role")
    if role not in OwnerRole.values:
        raise Http404
    try:
        sent = delivery.owner_request_send(action=action, role=role, actor=request.user)
    except Refused as refused:
        show_refused(request, refused)
    else:
        messages.success(request, _("We are emailing %(who)s to ask them to accept.")
                         % {"who": sent.recipient_name})
    return redirect("actions:action", pk=pk, prid=prid, aid=aid)


@require_POST
@login_required
def update_link_send(request, pk, prid, aid):
    action = _action_for(request, pk, prid, aid, EDIT_PLAN_CONTENT)
    try:
        link = delivery.update_link_send(action=action, actor=request.user)
    except Refused as refused:
        show_refused(request, refused)
    else:
        messages.success(request, _("We are emailing %(who)s a link to report progress.")
                         % {"who": link.name})
    return redirect("actions:action", pk=pk, prid=prid, aid=aid)


@login_required
def update_file(request, pk, prid, aid, uid):
    action = _action_for(request, pk, prid, aid)
    update = get_object_or_404(ProgressUpdate, pk=uid, action=action)
    if not update.file:
        raise Http404
    response = FileResponse(update.file.open("rb"), as_attachment=True,
                            filename=update.original_name or update.file.name.rsplit("/", 1)[-1])
    audit_download(actor=request.user, target=update, what=f"Progress update file of plan {pk}",
                   fmt=stored_format(update.file))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def partners(request, pk):
    plan = plan_for(request, pk)
    can_edit = request.user.has_perm(EDIT_PLAN_CONTENT, plan)
    form = PartnerForm(request.POST or None, plan=plan)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            partner = delivery.partner_create(plan=plan, fields=form.cleaned_data, actor=request.user)
            messages.success(request, _("Added %(p)s. Choose it on a section 2 action to ask for "
                                        "its help.") % {"p": partner})
            return redirect("actions:partners", pk=plan.pk)
    bodies = plan.partner_bodies.all()
    return render(request, "actions/partners.html", {
        "plan": plan, "partners": bodies, "form": form, "can_edit": can_edit})


@login_required
def offers(request, pk):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    rows = list(HelpOffer.objects.for_plan(plan).exclude(status=OfferStatus.UNCONFIRMED)
                .select_related("action__priority", "priority", "handled_by")
                .prefetch_related("priority__actions"))
    return render(request, "actions/offers.html", {
        "plan": plan, "waiting": [o for o in rows if o.status == OfferStatus.CONFIRMED],
        "handled": [o for o in rows if o.status != OfferStatus.CONFIRMED]})


@require_POST
@login_required
def offer_decide(request, pk, oid):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    offer = get_object_or_404(HelpOffer.objects.for_plan(plan), pk=oid)
    decision = request.POST.get("decision")
    if decision not in ("add", "decline"):
        raise Http404
    # An offer on a priority: the group picks which of its actions the person helps with.
    action_id = request.POST.get("action", "")
    chosen = (Action.objects.filter(priority__plan=plan, pk=action_id).first()
              if action_id.isdigit() else None)
    try:
        helper = delivery.offer_decide(offer=offer, add=decision == "add", actor=request.user,
                                       action=chosen)
    except Refused as refused:
        show_refused(request, refused)
    else:
        text = (_("%(who)s is now a helper on “%(a)s”.") if helper
                else _("Closed the offer from %(who)s."))
        messages.success(request, text % {"who": offer.name, "a": helper and helper.action})
    return redirect("actions:offers", pk=plan.pk)


@login_required
def raised_issues(request, pk):
    plan = plan_for(request, pk, MANAGE_PLAN)
    rows = list(plan.raised_issues.select_related("moderated_by", "issue"))
    return render(request, "actions/raised_issues.html", {
        "plan": plan, "pending": [r for r in rows if r.status == CommentStatus.PENDING],
        "moderated": [r for r in rows if r.status != CommentStatus.PENDING]})


@require_POST
@login_required
def raised_issue_moderate(request, pk, rid):
    plan = plan_for(request, pk, MANAGE_PLAN)
    raised = get_object_or_404(RaisedIssue, pk=rid, plan=plan)
    decision = request.POST.get("decision")
    if decision not in ("accept", "reject"):
        raise Http404
    delivery.raised_issue_moderate(raised=raised, accept=decision == "accept", actor=request.user)
    messages.success(request, _("Added to the issues register, marked as raised after publication.")
                     if decision == "accept" else _("The issue will not be added."))
    return redirect("actions:raised_issues", pk=plan.pk)


@login_required
def community_updates(request, pk):
    plan = plan_for(request, pk)
    updates = list(plan.community_updates.select_related("created_by", "published_by"))
    pdfs = delivery_documents.update_publications(plan)
    for update in updates:
        update.publication = pdfs.get(update.pk)
    return render(request, "actions/community_updates.html", {
        "plan": plan, "updates": updates, "since": delivery.update_period_start(plan)})


@login_required
@require_http_methods(["GET", "POST"])
def community_update_edit(request, pk, uid=None):
    """Draft the update from what changed since the last one; the group edits and publishes."""
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    update = get_object_or_404(plan.community_updates, pk=uid, published_at__isnull=True) if uid \
        else None
    since = update.covers_from if update else delivery.update_period_start(plan)
    initial = ({"title": update.title, "body": update.body} if update else
               {"title": _("What we have done: update of %(d)s")
                % {"d": timezone.localdate().strftime("%B %Y")},
                "body": delivery.draft_text(plan, since)})
    form = CommunityUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("publish") == "1"
        saved = delivery.community_update_save(plan=plan, update=update, publish=publish,
                                               actor=request.user, **form.cleaned_data)
        messages.success(request, _("Published the update on the community's public page.")
                         if publish else _("Saved the draft update."))
        return redirect("actions:community_updates", pk=plan.pk) if publish else redirect(
            "actions:community_update_edit", pk=plan.pk, uid=saved.pk)
    return render(request, "actions/community_update_form.html", {
        "plan": plan, "form": form, "since": since, "update": update,
        "changes": delivery.changes_since(plan, since)})


@login_required
@require_http_methods(["GET", "POST"])
def plan_review(request, pk):
    plan = plan_for(request, pk, MANAGE_PLAN)
    review = delivery.review_for(plan)
    actions = list(delivery.review_actions(plan))
    decided = {d.action_id: d for d in review.decisions.all()} if review else {}
    meeting = ReviewMeetingForm(request.POST or None, instance=review, prefix="meeting")
    form = ReviewDecisionsForm(request.POST or None, actions=actions, decided=decided)
    at_step = plan.step == Step.REVIEWING
    if request.method == "POST" and at_step and meeting.is_valid() and form.is_valid():
        review = delivery.review_save(plan=plan, decisions=form.decisions(),
                                      meeting=meeting.cleaned_data, actor=request.user)
        if request.POST.get("complete") != "1":
            messages.success(request, _("Saved the review so far."))
            return redirect("actions:plan_review", pk=plan.pk)
        try:
            moved = delivery.review_complete(plan=plan, actor=request.user)
        except Refused as refused:
            show_refused(request, refused)
            return redirect("actions:plan_review", pk=plan.pk)
        messages.success(request, _("Recorded the review. Version %(v)s of the plan has started at "
                                    "“%(step)s”.") % {"v": moved.version,
                                                      "step": moved.get_step_display()})
        return redirect(moved)
    since = review.started_at if review else timezone.now()
    last = plan.reviews.filter(completed_at__isnull=False).order_by("-completed_at").first()
    frozen = plan.versions.order_by("-number").first()
    issues_since = (last.completed_at if last else frozen.frozen_at if frozen else plan.created_at)
    return render(request, "actions/plan_review.html", {
        "plan": plan, "review": review, "meeting": meeting, "form": form, "at_step": at_step,
        "rows": [(a, form[f"outcome_{a.pk}"], form[f"reason_{a.pk}"]) for a in actions],
        "gaps": delivery.review_gaps(review, actions) if review else None, "since": since,
        "new_issues": plan.issues.filter(created_at__gt=issues_since).select_related(
            "raised_after_publication").order_by("-created_at"),
    })

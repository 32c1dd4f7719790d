"""Pages for people without an account: "you said, we did" with offers to help and new issues,
and the signed links from delivery emails (answer a request, post an update, confirm an offer).

Every POST, and every page that reads a signed link, is rate limited per address. A link that
cannot be used gets a page saying why, never an error.
"""

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from actions import delivery
from actions.delivery_documents import update_publications
from actions.forms import FollowForm, LinkUpdateForm, OfferForm, OwnerAnswerForm, RaiseIssueForm
from actions.models import Action, Priority, ProgressUpdate, UpdateStatus
from clp.exceptions import LinkRefused, LinkRetired
from plans.models import Plan


def _rate(setting: str):
    return lambda group, request: getattr(settings, setting)


limit_links = ratelimit(key="ip", rate=_rate("ACTIONS_RATE_LINK"), method=ratelimit.ALL,
                        block=False, group="actions.link")
limit_public = ratelimit(key="ip", rate=_rate("ACTIONS_RATE_PUBLIC"), method="POST", block=False,
                         group="actions.public")


def _limited(request):
    return render(request, "actions/public/limited.html", status=429)


def _bad_link(request, error: LinkRefused):
    retired = isinstance(error, LinkRetired)
    return render(request, "actions/public/link_invalid.html", {
        "reason": error.message, "retired": retired,
        "community": error.community if retired else None}, status=error.status)


def _published_plan(pk) -> Plan:
    return get_object_or_404(delivery.published_plans().select_related("community"), pk=pk)


def _public_priorities(plan) -> list[Priority]:
    public_updates = ProgressUpdate.objects.order_by("-at", "-pk")
    actions = Action.objects.select_related("latest_update").prefetch_related(
        Prefetch("updates", queryset=public_updates, to_attr="history")).order_by("position", "pk")
    return list(Priority.objects.filter(plan=plan).in_plan_order().prefetch_related(
        Prefetch("actions", queryset=actions)))


def public_progress(request, pk):
    """"You said, we did": the plan's vision, each action's status and reason, achievements,
    dropped items with the reason, and the group's published updates."""
    plan = _published_plan(pk)
    priorities = _public_priorities(plan)
    every = [a for p in priorities for a in p.actions.all()]
    updates = list(plan.community_updates.filter(published_at__isnull=False).order_by("-published_at")[:5])
    pdfs = update_publications(plan, public_only=True)
    for update in updates:
        update.publication = pdfs.get(update.pk)
    return render(request, "actions/public/progress.html", {
        "plan": plan,
        "sections": [(s, [p for p in priorities if p.section == s]) for s in (1, 2)],
        "achieved": [a for a in every if a.progress == UpdateStatus.DONE],
        "dropped": [a for a in every if a.progress == UpdateStatus.DROPPED],
        "updates": updates,
    })


def _offer_page(request, plan, *, action=None, priority=None):
    """The offer form, for an action or for a priority as a whole (same form, same limit)."""
    form = OfferForm(request.POST or None)
    context = {"plan": plan, "action": action, "priority": priority, "form": form}
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _limited(request)
        if form.is_valid():
            delivery.offer_submit(action=action, priority=priority, **form.cleaned_data)
            return render(request, "actions/public/offer_sent.html", context)
    return render(request, "actions/public/offer_form.html", context)


@limit_public
@require_http_methods(["GET", "POST"])
def offer_new(request, pk, aid):
    plan = _published_plan(pk)
    action = get_object_or_404(Action.objects.select_related("priority"), pk=aid,
                               priority__plan=plan)
    return _offer_page(request, plan, action=action)


@limit_public
@require_http_methods(["GET", "POST"])
def priority_offer_new(request, pk, prid):
    """A resident offers to help with a priority as a whole, not one of its actions."""
    plan = _published_plan(pk)
    return _offer_page(request, plan, priority=get_object_or_404(Priority, pk=prid, plan=plan))


@limit_public
@require_http_methods(["GET", "POST"])
def follow(request, pk):
    """A resident follows the plan, or one priority, by email (confirmed from an emailed link)."""
    plan = _published_plan(pk)
    form = FollowForm(request.POST or None, plan=plan,
                      initial={"priority": request.GET.get("priority")})
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _limited(request)
        if form.is_valid():
            delivery.follow_submit(plan=plan, **form.cleaned_data)
            return render(request, "actions/public/follow_sent.html", {"plan": plan})
    return render(request, "actions/public/follow_form.html", {"plan": plan, "form": form})


@limit_links
@require_http_methods(["GET", "POST"])
def follow_confirm(request, token):
    """The resident confirms they want progress emails (a button, so mail scanners do not)."""
    if getattr(request, "limited", False):
        return _limited(request)
    try:
        follower = delivery.follow_for_link(token=token)
    except LinkRefused as bad:
        return _bad_link(request, bad)
    if request.method == "POST":
        try:
            delivery.follow_confirm(follower=follower)
        except LinkRefused as bad:
            return _bad_link(request, bad)
        return render(request, "actions/public/follow_confirmed.html", {"follower": follower})
    return render(request, "actions/public/follow_confirm.html", {"follower": follower})


@limit_public
@require_http_methods(["GET", "POST"])
def raise_issue(request, pk):
    plan = _published_plan(pk)
    form = RaiseIssueForm(request.POST or None)
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _limited(request)
        if form.is_valid():
            delivery.raised_issue_submit(plan=plan, **form.cleaned_data)
            messages.success(request, _("Thank you. The steering group will read your issue and "
                                        "add it to the plan's issues for the next review."))
            return redirect("actions:public_progress", pk=plan.pk)
    return render(request, "actions/public/raise_issue.html", {"plan": plan, "form": form})


@limit_links
@require_http_methods(["GET", "POST"])
def owner_answer(request, aid, token):
    """The lead or partner body accepts, declines or proposes another date, without an account."""
    if getattr(request, "limited", False):
        return _limited(request)
    try:
        owner_request = delivery.owner_request_for_link(action_id=aid, token=token)
    except LinkRefused as bad:
        return _bad_link(request, bad)
    form = OwnerAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answered = delivery.owner_request_answer(request=owner_request, **form.cleaned_data)
        except LinkRefused as bad:
            return _bad_link(request, bad)
        return render(request, "actions/public/owner_answered.html",
                      {"request": answered, "action": owner_request.action})
    return render(request, "actions/public/owner_answer.html", {
        "request": owner_request, "action": owner_request.action,
        "plan": owner_request.action.priority.plan, "form": form})


@limit_links
@require_http_methods(["GET", "POST"])
def update_by_link(request, aid, token):
    """The lead reports progress from the emailed link, without an account, on a short form:
    done, on track, stuck or need help, and a note."""
    if getattr(request, "limited", False):
        return _limited(request)
    try:
        link = delivery.update_link_for(action_id=aid, token=token)
    except LinkRefused as bad:
        return _bad_link(request, bad)
    action = link.action
    form = LinkUpdateForm(request.POST or None, request.FILES or None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            delivery.update_by_link(link=link, fields=form.update_fields())
        except LinkRefused as bad:
            return _bad_link(request, bad)
        return render(request, "actions/public/update_saved.html", {
            "action": action, "plan": action.priority.plan})
    return render(request, "actions/public/update_form.html", {
        "link": link, "action": action, "plan": action.priority.plan, "form": form})


@limit_links
@require_http_methods(["GET", "POST"])
def offer_confirm(request, token):
    """A resident confirms their offer to help (a button, so mail scanners do not confirm it)."""
    if getattr(request, "limited", False):
        return _limited(request)
    try:
        offer = delivery.offer_for_link(token=token)
    except LinkRefused as bad:
        return _bad_link(request, bad)
    if request.method == "POST":
        try:
            delivery.offer_confirm(offer=offer)
        except LinkRefused as bad:
            return _bad_link(request, bad)
        return render(request, "actions/public/offer_confirmed.html", {"offer": offer})
    return render(request, "actions/public/offer_confirm.html", {"offer": offer})


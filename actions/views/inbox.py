"""The partner directory (support officers), a partner body's inbox (its contacts answer there,
officers follow it) and the councillor's inbox for the communities they cover."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from actions import inbox
from actions.forms import (
    InboxResponseForm,
    OwnerAnswerForm,
    PartnerContactForm,
    RegisteredPartnerForm,
)
from actions.models import RegisteredPartner
from actions.permissions import (
    ANSWER_FOR_PARTNER,
    MANAGE_PARTNER_DIRECTORY,
    MANAGE_REGISTERED_PARTNER,
    VIEW_COUNCILLOR_INBOX,
    VIEW_PARTNER_INBOX,
)
from clp.access import get_object_for_user, show_refused
from clp.exceptions import Refused
from clp.models import CouncillorProfile, Organisation

GROUPINGS = {"theme": gettext_lazy("theme"), "district": gettext_lazy("district")}


def _partner_for(request, bid, perm) -> RegisteredPartner:
    return get_object_for_user(request, RegisteredPartner.objects.select_related("organisation"),
                               perm, pk=bid)


def _grouping(request) -> str:
    by = request.GET.get("by", "theme")
    return by if by in GROUPINGS else "theme"


@login_required
@require_http_methods(["GET", "POST"])
def directory(request, oid):
    organisation = get_object_for_user(request, Organisation.objects,
                                       MANAGE_PARTNER_DIRECTORY, pk=oid)
    form = RegisteredPartnerForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        partner = inbox.registered_partner_create(organisation=organisation,
                                                  fields=form.cleaned_data, actor=request.user)
        messages.success(request, _("Registered %(p)s. Add the people who answer for it.")
                         % {"p": partner})
        return redirect("actions:partner_contacts", bid=partner.pk)
    partners = list(organisation.partner_directory.all())
    times = inbox.response_times(partners)
    for partner in partners:
        partner.times = times[partner.pk]
    return render(request, "actions/partner_directory.html", {
        "organisation": organisation, "partners": partners, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def contacts(request, bid):
    partner = _partner_for(request, bid, MANAGE_REGISTERED_PARTNER)
    form = PartnerContactForm(request.POST or None, partner=partner)
    if request.method == "POST" and form.is_valid():
        contact = inbox.partner_contact_add(partner=partner, actor=request.user,
                                            **form.cleaned_data)
        messages.success(request, (_("Added %(name)s and emailed them an invitation.")
                                   if form.cleaned_data["invite"] else _("Added %(name)s."))
                         % {"name": contact.name})
        return redirect("actions:partner_contacts", bid=partner.pk)
    return render(request, "actions/partner_contacts.html", {
        "partner": partner, "contacts": partner.contacts.select_related("user"), "form": form})


@require_POST
@login_required
def contact_invite(request, bid, cid):
    partner = _partner_for(request, bid, MANAGE_REGISTERED_PARTNER)
    contact = get_object_or_404(partner.contacts, pk=cid)
    inbox.partner_contact_invite(contact=contact, actor=request.user)
    messages.success(request, _("Emailed an invitation to %(email)s.") % {"email": contact.email})
    return redirect("actions:partner_contacts", bid=partner.pk)


@login_required
def partner_inbox(request, bid):
    partner = _partner_for(request, bid, VIEW_PARTNER_INBOX)
    actions = inbox.partner_actions(partner)
    can_answer = request.user.has_perm(ANSWER_FOR_PARTNER, partner)
    form = InboxResponseForm(actions=actions)
    return _render_inbox(request, partner, actions, can_answer, form)


def _render_inbox(request, partner, actions, can_answer, form):
    by = _grouping(request)
    return render(request, "actions/partner_inbox.html", {
        "partner": partner, "groups": inbox.grouped(actions, by), "by": by,
        "inbox_url": reverse("actions:partner_inbox", kwargs={"bid": partner.pk}),
        "groupings": GROUPINGS, "total": len(actions), "can_answer": can_answer,
        "form": form, "communities": len({a.priority.plan.community_id for a in actions}),
        "waiting": sum(1 for a in actions if a.pending_requests),
        "times": inbox.response_times([partner])[partner.pk],
    })


@require_POST
@login_required
def respond(request, bid):
    partner = _partner_for(request, bid, ANSWER_FOR_PARTNER)
    actions = inbox.partner_actions(partner)
    form = InboxResponseForm(request.POST, actions=actions)
    if not form.is_valid():
        return _render_inbox(request, partner, actions, True, form)
    fields = dict(form.cleaned_data)
    ids = set(fields.pop("actions"))
    chosen = [a for a in actions if a.pk in ids]
    try:
        count = inbox.inbox_respond(partner=partner, actions=chosen, actor=request.user,
                                    **fields)
    except Refused as refused:
        show_refused(request, refused)
    else:
        messages.success(request, ngettext(
            "Your response is on %(n)s action's page and its community's public page.",
            "Your response is on %(n)s actions' pages and their communities' public pages.",
            count) % {"n": count})
    return redirect("actions:partner_inbox", bid=partner.pk)


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, bid, aid):
    partner = _partner_for(request, bid, ANSWER_FOR_PARTNER)
    action = inbox.partner_action(partner, aid)
    if action is None:
        raise Http404
    if not action.pending_requests:
        messages.info(request, _("“%(a)s” has no request waiting for an answer.") % {"a": action})
        return redirect("actions:partner_inbox", bid=partner.pk)
    form = OwnerAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inbox.inbox_answer(partner=partner, action=action, actor=request.user,
                               **form.cleaned_data)
        except Refused as refused:
            show_refused(request, refused)
        else:
            messages.success(request, _("Sent your answer to the steering group of %(c)s.")
                             % {"c": action.priority.plan.community})
        return redirect("actions:partner_inbox", bid=partner.pk)
    return render(request, "actions/partner_answer.html", {
        "partner": partner, "action": action, "request_row": action.pending_requests[0],
        "form": form})


@login_required
def councillor_inbox(request):
    councillor = (CouncillorProfile.objects.filter(user=request.user)
                  .prefetch_related("communities").first())
    if councillor is None or not request.user.has_perm(VIEW_COUNCILLOR_INBOX,
                                                       councillor):
        raise Http404
    actions = inbox.councillor_actions(councillor)
    by = _grouping(request)
    return render(request, "actions/councillor_inbox.html", {
        "councillor": councillor, "groups": inbox.grouped(actions, by), "by": by,
        "inbox_url": reverse("actions:councillor_inbox"),
        "groupings": GROUPINGS, "total": len(actions),
        "communities": len({a.priority.plan.community_id for a in actions}),
        "awaited": inbox.endorsements_awaited(councillor),
    })

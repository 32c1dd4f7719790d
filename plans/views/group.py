from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clp import services as clp_services
from clp.models import Invitation
from plans import services
from plans.access import plan_for
from plans.forms import (
    CouncillorAttachForm,
    CouncillorInviteForm,
    MemberInviteForm,
    MembershipForm,
    ReasonForm,
)
from plans.models import Membership, Role
from plans.permissions import INVITE_TO_PLAN, MANAGE_PLAN
from plans.steps import CommunityGroup

PLAN_INVITATION_KINDS = ["steering", "plan_councillor"]


@login_required
def members(request, pk):
    plan = plan_for(request, pk)
    memberships = list(plan.memberships.select_related("user"))
    active = [m for m in memberships if m.left_on is None]
    covered = Counter(g for m in active for g in m.groups_represented())
    return render(request, "plans/members.html", {
        "plan": plan,
        "active": active,
        "former": [m for m in memberships if m.left_on is not None],
        "make_up": [{"label": label, "count": covered.get(value, 0)}
                    for value, label in CommunityGroup.choices],
        "gaps": [label for value, label in CommunityGroup.choices if not covered.get(value)],
        "councillor_links": plan.councillor_links.select_related("councillor__user"),
        "invitations": [
            (i, Role(i.role).label if i.role in Role.values else _("Councillor"))
            for i in Invitation.objects.pending().filter(kind__in=PLAN_INVITATION_KINDS, target_id=plan.pk)
        ],
    })


@login_required
@require_http_methods(["GET", "POST"])
def member_invite(request, pk):
    plan = plan_for(request, pk, INVITE_TO_PLAN)
    form = MemberInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        clp_services.invitation_create(
            email=data["email"], full_name=data["full_name"], message=data["message"],
            kind="steering", role=data["role"], target_id=plan.pk, actor=request.user,
            detail={"theme": data["theme"]},
        )
        messages.success(request, _("Invitation sent to %(email)s.") % data)
        return redirect("plans:members", pk=plan.pk)
    return render(request, "plans/member_form.html",
                  {"plan": plan, "form": form, "title": _("Invite someone to the steering group"),
                   "submit": _("Send invitation")})


def _membership(request, pk, mid):
    plan = plan_for(request, pk, MANAGE_PLAN)
    return plan, get_object_or_404(Membership.objects.select_related("user"), pk=mid, plan=plan,
                                   left_on__isnull=True)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk, mid):
    plan, membership = _membership(request, pk, mid)
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        services.membership_update(membership=form.instance, actor=request.user,
                                   changed=form.changed_labels())
        messages.success(request, _("Saved the changes to %(who)s.") % {"who": membership.user})
        return redirect("plans:members", pk=plan.pk)
    return render(request, "plans/member_form.html",
                  {"plan": plan, "form": form, "title": _("Edit %(who)s") % {"who": membership.user},
                   "submit": _("Save")})


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, pk, mid):
    plan, membership = _membership(request, pk, mid)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].required = False
    form.fields["reason"].label = _("Reason (optional)")
    if request.method == "POST" and form.is_valid():
        services.membership_end(membership=membership, actor=request.user,
                                reason=form.cleaned_data["reason"])
        messages.success(request, _("%(who)s has been recorded as having left the group.")
                         % {"who": membership.user})
        return redirect("plans:members", pk=plan.pk)
    return render(request, "plans/member_form.html",
                  {"plan": plan, "form": form,
                   "title": _("Record that %(who)s has left") % {"who": membership.user},
                   "submit": _("Record as left")})


def _plan_invitation(request, pk, iid):
    plan = plan_for(request, pk, INVITE_TO_PLAN)
    invitation = get_object_or_404(Invitation.objects.pending(), pk=iid, target_id=plan.pk,
                                   kind__in=PLAN_INVITATION_KINDS)
    return plan, invitation


@require_POST
@login_required
def invitation_withdraw(request, pk, iid):
    plan, invitation = _plan_invitation(request, pk, iid)
    clp_services.invitation_withdraw(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation to %(email)s has been withdrawn. Its link no longer works.")
                     % {"email": invitation.email})
    return redirect("plans:members", pk=plan.pk)


@require_POST
@login_required
def invitation_resend(request, pk, iid):
    plan, invitation = _plan_invitation(request, pk, iid)
    clp_services.invitation_resend(invitation=invitation, actor=request.user)
    messages.success(request, _("A new invitation has been sent to %(email)s. The old link no longer works.")
                     % {"email": invitation.email})
    return redirect("plans:members", pk=plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def councillor_attach(request, pk):
    plan = plan_for(request, pk, INVITE_TO_PLAN)
    form = CouncillorAttachForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        services.councillor_attach(plan=plan, councillor=form.cleaned_data["councillor"],
                                   actor=request.user)
        messages.success(request, _("Councillor attached to the plan."))
        return redirect("plans:members", pk=plan.pk)
    return render(request, "plans/member_form.html",
                  {"plan": plan, "form": form, "title": _("Attach a councillor"),
                   "submit": _("Attach"), "empty": not form.fields["councillor"].queryset.exists()})


@login_required
@require_http_methods(["GET", "POST"])
def councillor_invite(request, pk):
    plan = plan_for(request, pk, INVITE_TO_PLAN)
    form = CouncillorInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        clp_services.invitation_create(
            email=data["email"], full_name=data["full_name"], message=data["message"],
            kind="plan_councillor", target_id=plan.pk, actor=request.user,
            detail={"tier": data["tier"], "council": data["council"], "ward": data["ward"]},
        )
        messages.success(request, _("Invitation sent to %(email)s.") % data)
        return redirect("plans:members", pk=plan.pk)
    return render(request, "plans/member_form.html",
                  {"plan": plan, "form": form, "title": _("Invite a councillor"),
                   "submit": _("Send invitation")})

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clp import home as home_panels
from clp import invitations, services
from clp.access import get_object_for_user
from clp.forms import AcceptInvitationForm, CommunityForm, InvitationForm
from clp.models import Invitation, Organisation, User


def home(request):
    if not request.user.is_authenticated:
        return render(request, "clp/landing.html")
    pending = Invitation.objects.waiting_for(request.user)
    return render(request, "clp/home.html", {
        "panels": home_panels.panels_for(request.user),
        "pending_invitations": [(i, invitations.get_kind(i.kind).describe(i)) for i in pending],
    })


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = Invitation.find_by_token(token)
    if invitation is None:
        return render(request, "clp/invitation_invalid.html",
                      {"reason": _("This invitation link is not valid. Check you copied all of it.")},
                      status=404)
    if not invitation.is_usable:
        return render(request, "clp/invitation_invalid.html",
                      {"reason": services.unusable_reason(invitation)}, status=410)
    what = invitations.get_kind(invitation.kind).describe(invitation)
    context = {"invitation": invitation, "what": what}
    user = request.user
    if user.is_authenticated:
        if request.method == "POST":
            return _accept(request, invitation, user)
        return render(request, "clp/invitation_accept.html", context)
    if User.objects.filter(email__iexact=invitation.email).exists():
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
        context["reset_url"] = reverse("account_reset_password")
        return render(request, "clp/invitation_accept.html", context)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email,
                                initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        new_user = services.user_create_from_invitation(
            invitation=invitation, full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
        )
        login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
        return _accept(request, invitation, new_user)
    context["form"] = form
    return render(request, "clp/invitation_accept.html", context)


def _accept(request, invitation, user):
    try:
        landing = services.invitation_accept(invitation=invitation, user=user)
    except services.InvitationError as error:
        messages.error(request, error.message)
        return redirect("home")
    messages.success(request, _("Welcome. You have accepted the invitation."))
    return redirect(landing)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_invite(request, pk):
    organisation = get_object_for_user(request, Organisation.objects, "clp.invite_officer", pk=pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_create(
            email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"],
            message=form.cleaned_data["message"], kind="officer", target_id=organisation.pk,
            actor=request.user,
        )
        messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
        return redirect(organisation)
    return render(request, "clp/organisation_invite.html",
                  {"organisation": organisation, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_community_new(request, pk):
    organisation = get_object_for_user(request, Organisation.objects, "clp.manage_portfolio", pk=pk)
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        community = services.community_add_to_portfolio(
            organisation=organisation, actor=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s has been added to your portfolio.")
                         % {"name": community.name})
        return redirect(organisation)
    return render(request, "clp/community_form.html", {"organisation": organisation, "form": form})

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from clp import accounts, invitations, reminders, services
from clp import home as home_panels
from clp.access import get_object_for_user, show_refused
from clp.audit import AuditKind, audit_download
from clp.exceptions import LinkRefused, Refused
from clp.forms import (
    AcceptInvitationForm,
    CommunityForm,
    DeleteAccountForm,
    InvitationForm,
    ReminderPreferencesForm,
)
from clp.models import Community, Invitation, Organisation, Reminder, ReminderStatus, User
from clp.permissions import INVITE_OFFICER, MANAGE_PORTFOLIO


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
        login(request, new_user, backend="clp.auth.AccountBackend")
        return _accept(request, invitation, new_user)
    context["form"] = form
    return render(request, "clp/invitation_accept.html", context)


def _accept(request, invitation, user):
    try:
        landing = services.invitation_accept(invitation=invitation, user=user)
    except Refused as error:
        show_refused(request, error)
        return redirect("home")
    messages.success(request, _("Welcome. You have accepted the invitation."))
    return redirect(landing)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_invite(request, pk):
    organisation = get_object_for_user(request, Organisation.objects, INVITE_OFFICER, pk=pk)
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
    organisation = get_object_for_user(request, Organisation.objects, MANAGE_PORTFOLIO, pk=pk)
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        community = services.community_add_to_portfolio(
            organisation=organisation, actor=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s has been added to your portfolio.")
                         % {"name": community.name})
        return redirect(organisation)
    return render(request, "clp/community_form.html", {"organisation": organisation, "form": form})


# --- reminders: in-app list, settings, and the no-login links in every reminder email ----------

@login_required
def notifications(request):
    reminders_sent = Reminder.objects.for_user(request.user).exclude(status=ReminderStatus.SKIPPED)
    page = Paginator(reminders_sent, 25).get_page(request.GET.get("page"))
    return render(request, "clp/notifications.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    recipient = services.recipient_for_user(user=request.user)
    return _preferences_page(request, recipient, signed_in=True)


@require_http_methods(["GET", "POST"])
def reminder_preferences(request, token):
    try:
        recipient, _kinds = reminders.read_token(token, reminders.PREFERENCES_SALT)
    except LinkRefused as refused:
        return _link_refused(request, refused)
    return _preferences_page(request, recipient, signed_in=False)


def _preferences_page(request, recipient, *, signed_in: bool):
    form = ReminderPreferencesForm(request.POST or None, recipient=recipient)
    if request.method == "POST" and form.is_valid():
        services.reminder_preferences_save(recipient=recipient, choices=form.cleaned_data)
        messages.success(request, _("Your email choices are saved."))
        return redirect(request.path)
    return render(request, "clp/reminder_preferences.html", {
        "form": form, "recipient": recipient, "signed_in": signed_in,
    })


# Mail clients send the RFC 8058 one-click POST without a CSRF token; the signed link is the key.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def reminder_unsubscribe(request, token):
    try:
        recipient, kind_keys = reminders.read_token(token, reminders.UNSUBSCRIBE_SALT)
    except LinkRefused as refused:
        return _link_refused(request, refused)
    kinds = [k for k in (reminders.get_kind(key) for key in kind_keys) if k]
    changed = None
    if request.method == "POST":
        changed = services.reminder_unsubscribe(recipient=recipient, kinds=[k.key for k in kinds])
    return render(request, "clp/reminder_unsubscribe.html", {
        "recipient": recipient, "kinds": kinds, "done": request.method == "POST",
        "changed": changed,
        "preferences_url": reverse("reminder_preferences", kwargs={
            "token": reminders.make_token(recipient, reminders.PREFERENCES_SALT)}),
    })


def _link_refused(request, refused):
    return render(request, "clp/reminder_link_invalid.html", {"reason": refused.message}, status=400)


# --- public statements: privacy notice per community, accessibility statement -------------------

def privacy_notice(request, slug):
    """What the community's group keeps about residents and volunteers, why, and for how long."""
    community = get_object_or_404(Community, slug=slug)
    return render(request, "clp/privacy_notice.html", {"community": community})


def accessibility_statement(request):
    return render(request, "clp/accessibility_statement.html")


# --- a volunteer's own data: download it, delete the account -----------------------------------

@login_required
def your_data(request):
    return render(request, "clp/your_data.html", {"form": DeleteAccountForm(user=request.user)})


@login_required
def your_data_download(request):
    data = accounts.user_data_export(user=request.user)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="your-data.json"'
    audit_download(actor=request.user, target=request.user, what="Their own data", fmt="json",
                   kind=AuditKind.OWN_DATA_EXPORT)
    return response


@login_required
@require_POST
def account_delete(request):
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "clp/your_data.html", {"form": form}, status=400)
    accounts.user_erase(user=request.user)
    logout(request)
    messages.success(request, _("Your account has been deleted. What you wrote in plans stays, "
                                "shown as written by a former member."))
    return redirect("home")

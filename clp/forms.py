from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from clp.formtools import HelperMixin
from clp.models import Community, User


class SignupForm(AllauthSignupForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))

    field_order = ["full_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["password2"].label = _("Type the password again")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)

    def save(self, request):
        user = super().save(request)
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
        return user


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form, in the site's sentence case and without placeholders."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Email address")
        self.fields["remember"].label = _("Keep me signed in on this device")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class AcceptInvitationForm(HelperMixin, forms.Form):
    """For someone new: their name and a password; the email comes from the invitation."""

    full_name = forms.CharField(label=_("Your full name"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password1 = forms.CharField(
        label=_("Choose a password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Type the password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        if p1:
            user = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class InvitationForm(HelperMixin, forms.Form):
    """Invite someone by email to be a support officer of an organisation."""

    full_name = forms.CharField(label=_("Their name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Their email address"))
    message = forms.CharField(
        label=_("Personal message (optional)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommunityForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Community
        fields = ["name", "kind", "district", "county", "population", "households", "gss_code",
                  "controller", "privacy_contact", "retention_months"]
        help_texts = {
            "population": _("From the latest census, if you know it. Used for response rates."),
            "households": _("Used to work out the share of households that answered a survey."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retention_months"].required = False  # left empty: the default, two years

    def clean_retention_months(self):
        months = self.cleaned_data.get("retention_months")
        return Community._meta.get_field("retention_months").default if months is None else months

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Community.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("There is already a community called %(name)s.")
                                        % {"name": name})
        return name


class ReminderPreferencesForm(HelperMixin, forms.Form):
    """One choice per reminder kind: straight away, in a weekly summary, or never."""

    def __init__(self, *args, recipient, **kwargs):
        from clp import reminders
        from clp.models import Preference

        super().__init__(*args, **kwargs)
        for kind in reminders.kinds():
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label, help_text=kind.description, choices=Preference.choices,
                initial=recipient.preference(kind), widget=forms.RadioSelect,
            )
        # HelperMixin sets field messages in its __init__, before these fields existed.
        for field in self.fields.values():
            field.error_messages["required"] = _("Choose how you want these reminders")


class DeleteAccountForm(HelperMixin, forms.Form):
    """Deleting an account cannot be undone: the password proves it is the owner asking."""

    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirm = forms.BooleanField(label=_("I understand my account will be deleted for good"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["confirm"].error_messages["required"] = _(
            "Tick the box to say you understand your account will be deleted")

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right. Enter the password you "
                                          "sign in with."))
        return password

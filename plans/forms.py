import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clp.formtools import DateInput, HelperMixin
from clp.models import CouncillorProfile, CouncilTier
from plans import steps
from plans.models import (
    EvidenceItem,
    Meeting,
    Membership,
    Milestone,
    MilestoneStatus,
    Plan,
    PlanStatus,
    Role,
    SupportSource,
)
from plans.steps import CommunityGroup


class PlanForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "vision", "start_date", "target_completion", "terms_of_reference"]
        widgets = {"start_date": DateInput(), "target_completion": DateInput(),
                   "terms_of_reference": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"target_completion": _("Most plans take 12 to 18 months.")}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("target_completion")
        if start and end and end <= start:
            self.add_error("target_completion", _("The target date must be after the start date."))
        return cleaned


class ReasonForm(HelperMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RevisitForm(ReasonForm):
    to_step = forms.ChoiceField(label=_("Go back to"))

    field_order = ["to_step", "reason"]

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        earlier = steps.earlier_steps(plan.step)
        self.fields["to_step"].choices = [(s, f"{steps.number(s)}. {steps.Step(s).label}") for s in earlier]
        self.fields["to_step"].initial = earlier[-1] if earlier else None
        self.fields["reason"].help_text = _("Say why, so the group and your support officer know.")


class ReviewForm(HelperMixin, forms.Form):
    to_step = forms.ChoiceField(
        label=_("Start the review at"),
        choices=[(s, steps.Step(s).label) for s in steps.REVIEW_RESTART_STEPS],
    )
    reason = forms.CharField(label=_("What prompted the review"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(HelperMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the plan end?"), widget=forms.RadioSelect,
        choices=[(PlanStatus.COMPLETED, _("Completed: the plan has done its work")),
                 (PlanStatus.ABANDONED, _("Abandoned: the group has stopped"))],
    )
    reason = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))


class TickForm(HelperMixin, forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    link = forms.URLField(label=_("Link (optional)"), required=False, assume_scheme="https")


class MemberInviteForm(HelperMixin, forms.Form):
    full_name = forms.CharField(label=_("Their name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Their email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    theme = forms.CharField(label=_("Theme they champion (champions only)"), max_length=100,
                            required=False)
    message = forms.CharField(label=_("Personal message (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.CHAMPION and not cleaned.get("theme"):
            self.add_error("theme", _("Enter the theme this champion will lead on."))
        return cleaned


class MembershipForm(HelperMixin, forms.ModelForm):
    represents = forms.MultipleChoiceField(
        label=_("Represents"), choices=CommunityGroup.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Groups in the community this person brings a voice from."),
    )

    class Meta:
        model = Membership
        fields = ["role", "theme", "represents", "joined_on"]
        widgets = {"joined_on": DateInput()}


class CouncillorAttachForm(HelperMixin, forms.Form):
    councillor = forms.ModelChoiceField(label=_("Councillor"), queryset=CouncillorProfile.objects.none())

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["councillor"].queryset = (
            CouncillorProfile.objects.filter(communities=plan.community)
            .exclude(plan_links__plan=plan).select_related("user")
        )


class CouncillorInviteForm(HelperMixin, forms.Form):
    full_name = forms.CharField(label=_("Councillor's name"), max_length=150,
                                help_text=_("Their name only, without “Cllr”."))
    email = forms.EmailField(label=_("Their email address"))
    tier = forms.ChoiceField(label=_("Council tier"), choices=CouncilTier.choices)
    council = forms.CharField(label=_("Council name"), max_length=200)
    ward = forms.CharField(label=_("Ward or division"), max_length=200, required=False)
    message = forms.CharField(label=_("Personal message (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean_full_name(self):
        return strip_title(self.cleaned_data["full_name"])


def strip_title(name: str) -> str:
    """People type "Cllr Jane Smith"; the site adds the title itself."""
    return re.sub(r"^\s*(cllr\.?|councillor)\s+", "", name, flags=re.IGNORECASE).strip()


class MilestoneForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "owner", "target_date", "status", "actual_date"]
        widgets = {"target_date": DateInput(), "actual_date": DateInput()}
        help_texts = {"actual_date": _("Left empty when marked done, today's date is used.")}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == MilestoneStatus.DONE and not cleaned.get("actual_date"):
            cleaned["actual_date"] = timezone.localdate()
            self.instance.actual_date = cleaned["actual_date"]
        return cleaned


class SupportSourceForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = SupportSource
        fields = ["name", "kind", "amount", "status", "notes"]


class MeetingForm(HelperMixin, forms.ModelForm):
    groups_reached = forms.MultipleChoiceField(
        label=_("Groups reached"), choices=CommunityGroup.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = ["title", "kind", "date", "location", "attendance", "groups_reached", "notes",
                  "minutes_file", "is_public"]
        widgets = {"date": DateInput()}


class EvidenceForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = EvidenceItem
        fields = ["title", "kind", "source", "date", "themes", "file", "link"]
        widgets = {"date": DateInput()}
        help_texts = {"file": _("PDF, image (PNG, JPEG, GIF, WebP), CSV, XLSX, DOCX or ODT, up to 20 MB. "
                                "Or give a link instead.")}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("link") and not self.errors:
            self.add_error("file", _("Upload a file or give a link."))
        return cleaned


class PlanCreateForm(PlanForm):
    class Meta(PlanForm.Meta):
        fields = ["title", "start_date", "target_completion"]

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.models import Action, DraftComment, Priority, Section
from clp.formtools import DateInput, HelperMixin
from clp.models import CouncillorProfile
from consultation.models_evidence import Issue


class PriorityForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["title", "issues", "why", "theme", "section", "is_quick_win", "is_long_term",
                  "long_term_note", "support_score", "impact_score", "effort_score"]
        widgets = {"section": forms.RadioSelect, "issues": forms.CheckboxSelectMultiple}
        labels = {"section": _("Which section of the action plan")}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issues"].queryset = plan.issues.all() if plan is not None else Issue.objects.none()
        if not self.fields["issues"].queryset.exists():
            del self.fields["issues"]
        self.fields["section"].choices = Section.choices
        for name in ("support_score", "impact_score", "effort_score"):
            self.fields[name].choices = [("", _("Not scored yet")), *self.fields[name].choices[1:]]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_long_term") and not cleaned.get("long_term_note"):
            self.add_error("long_term_note", _("Say what makes this priority long-term or hard to "
                                               "solve."))
        return cleaned


class ActionForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Action
        fields = ["what", "outcome", "measure", "lead_user", "lead_name", "lead_contact", "partners",
                  "start_date", "target_date", "cost_estimate", "funding_source", "update_cadence",
                  "status"]
        widgets = {"start_date": DateInput(), "target_date": DateInput(),
                   "outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        lead = self.fields["lead_user"]
        lead.queryset = lead.queryset.filter(memberships__plan=plan,
                                             memberships__left_on__isnull=True).distinct()
        lead.empty_label = _("Nobody from the group (name a volunteer below)")
        self.fields["cost_estimate"].widget.attrs["min"] = 0

    def clean(self):
        cleaned = super().clean()
        start, target = cleaned.get("start_date"), cleaned.get("target_date")
        if start and target and target < start:
            self.add_error("target_date", _("The target date must be on or after the start date."))
        if cleaned.get("lead_user") and cleaned.get("lead_name"):
            self.add_error("lead_name", _("Choose someone from the group or name a volunteer, "
                                          "not both."))
        if cleaned.get("lead_contact") and not cleaned.get("lead_name"):
            self.add_error("lead_name", _("Enter the volunteer's name to go with their contact "
                                          "details."))
        cost = cleaned.get("cost_estimate")
        if cost is not None and cost < 0:
            self.add_error("cost_estimate", _("The cost estimate cannot be negative."))
        return cleaned


class DecideForm(HelperMixin, forms.Form):
    choice = forms.ChoiceField(
        label=_("What does the group want to do?"), widget=forms.RadioSelect,
        choices=[("accept", _("Use the suggested order")),
                 ("keep", _("Keep our own order"))],
    )
    reason = forms.CharField(
        label=_("Why the group keeps its own order"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed if you keep your own order, e.g. “the youth forum ranked this first”."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("choice") == "keep" and not cleaned.get("reason"):
            self.add_error("reason", _("Say why the group keeps its own order."))
        return cleaned


class RequestForm(HelperMixin, forms.Form):
    councillors = forms.ModelMultipleChoiceField(
        label=_("Councillors to ask"), queryset=CouncillorProfile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label=_("What you are asking"), widget=forms.Textarea(attrs={"rows": 5}),
        initial=_("Please read our priorities. For each one in section 2 (where we need help from "
                  "councils and agencies), tell us whether you endorse it, will actively support it "
                  "at your council, or cannot support it, and ask us anything that is unclear. "
                  "Section 1 is for your information."),
    )
    respond_by = forms.DateField(label=_("Reply by"), widget=DateInput())

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["councillors"].queryset = (
            CouncillorProfile.objects.filter(plan_links__plan=plan).select_related("user"))

    def clean_respond_by(self):
        respond_by = self.cleaned_data["respond_by"]
        if respond_by <= timezone.localdate():
            raise forms.ValidationError(_("The reply-by date must be in the future."))
        return respond_by


class RespondForm(HelperMixin, forms.Form):
    response = forms.ChoiceField(
        label=_("Your response"), widget=forms.RadioSelect,
        choices=[("endorse", _("Endorse: I agree this is a priority for the community")),
                 ("support", _("Actively support: I will champion it at my council")),
                 ("decline", _("Decline: I cannot support it")),
                 ("question", _("Ask the group a question first"))],
    )
    comment = forms.CharField(
        label=_("Comment or question"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The steering group sees this with your name. Needed if you ask a question."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("response") == "question" and not cleaned.get("comment"):
            self.add_error("comment", _("Enter your question for the group."))
        return cleaned


class ReplyForm(HelperMixin, forms.Form):
    body = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}))


class DraftForm(HelperMixin, forms.Form):
    monitoring = forms.CharField(
        label=_("Monitoring arrangements"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Who checks progress, how often, and how residents and councillors will be "
                    "told, e.g. “the steering group reviews every action each quarter and reports "
                    "in the parish newsletter every six months”."),
    )


class CommentForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = DraftComment
        fields = ["priority", "body", "name"]
        labels = {"name": _("Your name (optional)"),
                  "priority": _("Which priority is it about? (optional)")}
        help_texts = {"name": _("Shown with your comment if the group publishes it. Leave it "
                                "empty to comment anonymously."),
                      "body": _("The steering group reads every comment before it appears here. "
                                "Do not include other people's personal details.")}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.filter(plan=plan).in_plan_order()
        self.fields["priority"].empty_label = _("The plan as a whole")
        self.fields["body"].widget = forms.Textarea(attrs={"rows": 5, "maxlength": 2000})

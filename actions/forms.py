from django import forms
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from actions.models import (
    Action,
    DraftComment,
    HelpOffer,
    OwnerStatus,
    PartnerBody,
    PlanReview,
    Priority,
    RaisedIssue,
    RegisteredPartner,
    ReviewKind,
    ReviewOutcome,
    Section,
    UpdateStatus,
)
from clp.formtools import DateInput, HelperMixin
from clp.models import CouncillorProfile
from consultation.models import Issue
from plans.uploads import validate_upload


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
        fields = ["what", "outcome", "measure", "lead_user", "lead_name", "lead_contact",
                  "lead_email", "partners", "partner_body", "start_date", "target_date",
                  "cost_estimate", "funding_source", "update_cadence", "status"]
        widgets = {"start_date": DateInput(), "target_date": DateInput(),
                   "outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        lead = self.fields["lead_user"]
        lead.queryset = lead.queryset.filter(memberships__plan=plan,
                                             memberships__left_on__isnull=True).distinct()
        lead.empty_label = _("Nobody from the group (name a volunteer below)")
        self.fields["partner_body"].queryset = plan.partner_bodies.all()
        self.fields["partner_body"].empty_label = _("None named yet")
        if plan.stage == "deliver":
            # Once delivery starts, status changes come from progress updates, with a reason.
            del self.fields["status"]
        self.fields["cost_estimate"].widget.attrs["min"] = 0

    def clean(self):
        cleaned = super().clean()
        start, target = cleaned.get("start_date"), cleaned.get("target_date")
        if start and target and target < start:
            self.add_error("target_date", _("The target date must be on or after the start date."))
        if cleaned.get("lead_user") and cleaned.get("lead_name"):
            self.add_error("lead_name", _("Choose someone from the group or name a volunteer, "
                                          "not both."))
        if cleaned.get("lead_email") and not cleaned.get("lead_name"):
            self.add_error("lead_name", _("Enter the volunteer's name to go with their email "
                                          "address."))
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


# --- delivery --------------------------------------------------------------------------------

class PartnerForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = PartnerBody
        fields = ["registered", "name", "kind", "contact_email"]
        help_texts = {"registered": _("Bodies your support organisation has registered. Choosing "
                                      "one lets its team see and answer your asks with those of "
                                      "other communities. Leave the name blank to use theirs.")}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        directory = RegisteredPartner.objects.filter(
            organisation__communities=plan.community_id).distinct()
        if directory.exists():
            self.fields["registered"].queryset = directory
            self.fields["registered"].empty_label = _("Not in the directory")
            self.fields["name"].required = False
        else:
            del self.fields["registered"]

    def clean(self):
        cleaned = super().clean()
        registered = cleaned.get("registered")
        name = (cleaned.get("name") or "").strip() or (registered.name if registered else "")
        if not name:
            if "name" not in self.errors:
                self.add_error("name", _("Enter the partner body's name, or choose one from the "
                                         "directory."))
            return cleaned
        if PartnerBody.objects.filter(plan=self.plan, name__iexact=name).exists():
            self.add_error("name", _("This plan already has a partner body with this name."))
        cleaned["name"] = name
        return cleaned


class RegisteredPartnerForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = RegisteredPartner
        fields = ["name", "kind", "email"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if RegisteredPartner.objects.filter(organisation=self.organisation,
                                            name__iexact=name).exists():
            raise forms.ValidationError(_("The directory already has a body with this name."))
        return name


class PartnerContactForm(HelperMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    invite = forms.BooleanField(
        label=_("Invite them now to sign in and answer the body's asks"), required=False,
        initial=True)

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.partner.contacts.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("This person is already a contact of the body."))
        return email


class InboxResponseForm(HelperMixin, forms.Form):
    """One response to several asks; optionally answers each waiting request the same way."""

    actions = forms.TypedMultipleChoiceField(
        label=_("Asks to respond to"), coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one ask to respond to.")})
    answer = forms.ChoiceField(
        label=_("Also answer the request to help"), required=False, widget=forms.RadioSelect,
        initial="",
        choices=[("", _("No, only post the response")),
                 (OwnerStatus.ACCEPTED, _("Yes, we accept")),
                 (OwnerStatus.DECLINED, _("No, we decline")),
                 (OwnerStatus.PROPOSED, _("Yes, but by another date"))])
    note = forms.CharField(
        label=_("Your response"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown on each community's public “you said, we did” page, from your body."))
    suggested_instead = forms.CharField(
        label=_("Someone better placed (if you decline)"), required=False, max_length=300)
    proposed_date = forms.DateField(label=_("The date you propose"), required=False,
                                    widget=DateInput())

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].choices = [(a.pk, f"{a.priority.plan.community}: {a.what}")
                                          for a in actions]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == OwnerStatus.PROPOSED:
            proposed = cleaned.get("proposed_date")
            if proposed is None and "proposed_date" not in self.errors:
                self.add_error("proposed_date", _("Enter the date you propose"))
            elif proposed is not None and proposed <= timezone.localdate():
                self.add_error("proposed_date", _("The date you propose must be in the future."))
        return cleaned


class OwnerAnswerForm(HelperMixin, forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"), widget=forms.RadioSelect,
        choices=[(OwnerStatus.ACCEPTED, _("Yes, I accept")),
                 (OwnerStatus.DECLINED, _("No, I decline")),
                 (OwnerStatus.PROPOSED, _("Yes, but by another date"))])
    reason = forms.CharField(
        label=_("Why (needed if you decline)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The steering group sees this, e.g. “the county council's highways team "
                    "owns this road”."))
    suggested_instead = forms.CharField(
        label=_("Someone better placed (optional)"), required=False, max_length=300,
        help_text=_("A person or organisation the group could ask instead."))
    proposed_date = forms.DateField(label=_("The date you propose"), required=False,
                                    widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        answer = cleaned.get("answer")
        if answer == OwnerStatus.DECLINED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why you decline, so the group can find someone else."))
        if answer == OwnerStatus.PROPOSED:
            proposed = cleaned.get("proposed_date")
            if proposed is None and "proposed_date" not in self.errors:
                self.add_error("proposed_date", _("Enter the date you propose"))
            elif proposed is not None and proposed <= timezone.localdate():
                self.add_error("proposed_date", _("The date you propose must be in the future."))
        return cleaned


class UpdateForm(HelperMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=UpdateStatus.choices,
                               widget=forms.RadioSelect)
    percent = forms.IntegerField(label=_("Per cent complete"), min_value=0, max_value=100,
                                 help_text=_("A whole number from 0 to 100."))
    reason = forms.CharField(
        label=_("Reason for the change of status"), required=False, max_length=500,
        help_text=_("Needed when the status changes. Residents see it on the public page, e.g. "
                    "“won't do, because the bus company withdrew the route”."))
    note = forms.CharField(label=_("What has happened"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))
    revised_target_date = forms.DateField(
        label=_("Revised target date (optional)"), required=False, widget=DateInput(),
        help_text=_("If it will take longer. The original date stays visible."))
    file = forms.FileField(label=_("Photo or document (optional)"), required=False,
                           validators=[validate_upload],
                           help_text=_("PDF, PNG, JPEG, GIF, WebP, CSV, XLSX, DOCX or ODT."))

    def __init__(self, *args, action, **kwargs):
        kwargs.setdefault("initial", {"status": action.progress, "percent": action.percent})
        super().__init__(*args, **kwargs)
        self.action = action

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and status != self.action.progress and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a short reason for the change of status, from “%(a)s” "
                                       "to “%(b)s”.") % {"a": self.action.get_progress_display(),
                                                        "b": UpdateStatus(status).label})
        revised = cleaned.get("revised_target_date")
        if revised and revised < timezone.localdate():
            self.add_error("revised_target_date", _("The revised target date cannot be in the past."))
        return cleaned


class LinkAnswer(models.TextChoices):
    """The four plain answers a lead gives from the emailed link."""

    DONE = "done", _("Done")
    ON_TRACK = "on_track", _("On track")
    STUCK = "stuck", _("Stuck")
    NEED_HELP = "need_help", _("Need help")


# The status each answer records ("need help" also flags the action for the chair), and the
# public reason used when the status changes and the lead wrote no note.
LINK_ANSWER_STATUS = {
    LinkAnswer.DONE: UpdateStatus.DONE,
    LinkAnswer.ON_TRACK: UpdateStatus.ON_TRACK,
    LinkAnswer.STUCK: UpdateStatus.DELAYED,
    LinkAnswer.NEED_HELP: UpdateStatus.AT_RISK,
}
LINK_ANSWER_REASON = {
    LinkAnswer.DONE: _("The lead reports that it is done."),
    LinkAnswer.ON_TRACK: _("The lead reports that it is on track."),
    LinkAnswer.STUCK: _("The lead reports that it is stuck."),
    LinkAnswer.NEED_HELP: _("The lead reports that it needs help."),
}


class LinkUpdateForm(HelperMixin, forms.Form):
    """The short form a lead reaches from an emailed link, for people who are not technical: one
    of four answers and an optional note. The group's own UpdateForm asks for more."""

    status = forms.ChoiceField(label=_("How is it going?"), choices=LinkAnswer.choices,
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("What has happened (optional)"), required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Residents see it on the public page."))
    percent = forms.IntegerField(
        label=_("Per cent complete (optional)"), required=False, min_value=0, max_value=100,
        help_text=_("A whole number from 0 to 100. Leave it empty to keep it as it is; done "
                    "counts as 100."))
    file = forms.FileField(label=_("Photo or document (optional)"), required=False,
                           validators=[validate_upload],
                           help_text=_("PDF, PNG, JPEG, GIF, WebP, CSV, XLSX, DOCX or ODT."))

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["status"].error_messages["required"] = _(
            "Choose how it is going: done, on track, stuck or need help.")

    def update_fields(self) -> dict:
        """The answers as delivery.update_post arguments (call after is_valid)."""
        answer = LinkAnswer(self.cleaned_data["status"])
        status, note = LINK_ANSWER_STATUS[answer], self.cleaned_data["note"].strip()
        percent = self.cleaned_data["percent"]
        reason = ""
        if status != self.action.progress:
            reason = Truncator(note).chars(500) if note else str(LINK_ANSWER_REASON[answer])
        return {"status": status, "note": note, "reason": reason, "file": self.cleaned_data["file"],
                "percent": self.action.percent if percent is None else percent,
                "help_requested": answer == LinkAnswer.NEED_HELP}


class OfferForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = HelpOffer
        fields = ["name", "email", "what"]
        help_texts = {"email": _("We email you a link to confirm it is yours. Only the steering "
                                 "group sees it."),
                      "what": _("For example “I can deliver leaflets on my street” or “I have a "
                                "van on Saturdays”.")}
        widgets = {"what": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}


class RaiseIssueForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = RaisedIssue
        fields = ["title", "description", "name", "email"]
        help_texts = {"description": _("Describe the problem or hope, not a solution. The steering "
                                       "group reads it before adding it to the plan's issues."),
                      "email": _("Only if you want the group to be able to contact you.")}
        widgets = {"description": forms.Textarea(attrs={"rows": 5, "maxlength": 3000})}


class CommunityUpdateForm(HelperMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("What to tell residents"),
                           widget=forms.Textarea(attrs={"rows": 14}))


class ReviewMeetingForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = PlanReview
        fields = ["kind", "held_on", "minute_reference"]
        widgets = {"kind": forms.RadioSelect, "held_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ReviewKind.choices
        self.fields["held_on"].required = False

    def clean_held_on(self):
        held_on = self.cleaned_data.get("held_on")
        if held_on and held_on > timezone.localdate():
            raise forms.ValidationError(_("The meeting date cannot be in the future."))
        return held_on


class ReviewDecisionsForm(HelperMixin, forms.Form):
    """One outcome (and reason) per action; a dropped action needs a reason."""

    def __init__(self, *args, actions, decided, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = actions
        for action in actions:
            earlier = decided.get(action.pk)
            self.fields[f"outcome_{action.pk}"] = forms.ChoiceField(
                label=_("Decision on “%(a)s”") % {"a": action.what}, required=False,
                choices=ReviewOutcome.choices, widget=forms.RadioSelect,
                initial=earlier.outcome if earlier else
                (ReviewOutcome.ACHIEVED if action.progress == UpdateStatus.DONE else None))
            self.fields[f"reason_{action.pk}"] = forms.CharField(
                label=_("Reason for “%(a)s”") % {"a": action.what}, required=False,
                max_length=500, initial=earlier.reason if earlier else "",
                help_text=_("Needed if you drop it; shown to residents."))

    def clean(self):
        cleaned = super().clean()
        for action in self.actions:
            if (cleaned.get(f"outcome_{action.pk}") == ReviewOutcome.DROP
                    and not cleaned.get(f"reason_{action.pk}", "").strip()):
                self.add_error(f"reason_{action.pk}", _("Say why the group drops “%(a)s”.")
                               % {"a": action.what})
        return cleaned

    def decisions(self) -> dict[int, tuple[str, str]]:
        return {a.pk: (self.cleaned_data[f"outcome_{a.pk}"],
                       self.cleaned_data.get(f"reason_{a.pk}", "").strip())
                for a in self.actions if self.cleaned_data.get(f"outcome_{a.pk}")}


class FollowForm(HelperMixin, forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254, help_text=_(
        "We email you a link to confirm it is yours. Only used for these updates; every email "
        "has a link to stop them."))
    priority = forms.ModelChoiceField(
        label=_("What to follow"), queryset=Priority.objects.none(), required=False,
        empty_label=_("The whole plan"),
        help_text=_("You hear when an action's status changes, at most once a week."))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.filter(plan=plan).in_plan_order()

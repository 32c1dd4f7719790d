from django import forms
from django.utils.translation import gettext_lazy as _

from actions.portfolio.rows import SORTS, Filters, PortfolioFlag
from actions.portfolio.services import chairs_of
from clp.formtools import HelperMixin
from consultation.forms.surveys import QuestionKindMixin
from consultation.models import DimensionKind, QuestionKind, StandardQuestion
from consultation.models.starters import DIMENSIONS
from plans.steps import Step


class FilterForm(forms.Form):
    """The portfolio's filters and sort order, read from the query string."""

    q = forms.CharField(label=_("Community name contains"), required=False, max_length=100)
    district = forms.ChoiceField(label=_("District"), required=False)
    flag = forms.ChoiceField(label=_("Flag"), required=False,
                             choices=[("", _("Any or none"))] + PortfolioFlag.choices)
    step = forms.ChoiceField(label=_("Step"), required=False,
                             choices=[("", _("Any step"))] + [
                                 (s.value, f"{i}. {s.label}") for i, s in enumerate(Step, 1)])
    sort = forms.ChoiceField(label=_("Sort by"), required=False,
                             choices=[(k, label) for k, (label, _key) in SORTS.items()])
    order = forms.ChoiceField(label=_("Order"), required=False,
                              choices=[("asc", _("Lowest or earliest first")),
                                       ("desc", _("Highest or latest first"))])

    def __init__(self, *args, districts: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("All districts"))] + [(d, d) for d in districts]

    def filters(self) -> Filters:
        """What was asked; anything that does not validate is dropped rather than refused."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v}
        for name in self.errors:
            data.pop(name, None)
        return Filters(district=data.get("district", ""), flag=data.get("flag", ""),
                       step=data.get("step", ""), q=data.get("q", "").strip(),
                       sort=data.get("sort", "community"), descending=data.get("order") == "desc")


class SavedFilterForm(HelperMixin, forms.Form):
    name = forms.CharField(label=_("Name for these filters"), max_length=80,
                           help_text=_("For example “Stalled in Mid Wessex”."))
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="id_saved_%s", **kwargs)
        self.fields["name"].error_messages.update(
            required=_("Give the filters a name to save them"),
            max_length=_("Give the filters a name of up to 80 characters"))


class BulkMessageForm(HelperMixin, forms.Form):
    """Write once to the chairs of the plans ticked on the portfolio."""

    plans = forms.ModelMultipleChoiceField(label=_("Plans"), queryset=None,
                                           widget=forms.MultipleHiddenInput)
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}),
                           max_length=5000)

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = plans
        self.fields["plans"].error_messages.update(
            required=_("Tick at least one plan on the portfolio"),
            invalid_choice=_("One of the plans is not in your portfolio"),
            invalid_pk_value=_("One of the plans is not in your portfolio"))

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if "\n" in subject or "\r" in subject:
            raise forms.ValidationError(_("Write the subject on one line"))
        return subject

    def clean_plans(self):
        plans = self.cleaned_data["plans"]
        if not chairs_of(plans).exists():
            raise forms.ValidationError(_("None of the ticked plans has a chair to write to. "
                                          "Go back and tick plans that have one."))
        return plans


class StandardQuestionForm(HelperMixin, QuestionKindMixin, forms.ModelForm):
    """A question of the organisation's bank, for one kind; choices one per line."""

    options_text = forms.CharField(label=_("Choices, one per line"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 6}))

    class Meta:
        model = StandardQuestion
        fields = ["text", "help_text", "required", "allow_other", "scale_min", "scale_max",
                  "scale_min_label", "scale_max_label", "dimension_kind"]

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.keep_for_kind(kind, {"text", "help_text", "required"}, _(
            "Leave empty for the usual groups. “Prefer not to say” is always offered. A "
            "parish that adds this question gets these groups for its “About you” answers."))
        if "dimension_kind" in self.fields:
            self.fields["dimension_kind"].required = True
            self.fields["dimension_kind"].choices = DimensionKind.choices
        if kind == QuestionKind.DEMOGRAPHIC:
            self.fields["options_text"].label = _("Groups, one per line")
        if "options_text" in self.fields and self.instance.pk:
            self.initial["options_text"] = "\n".join(self.instance.options)

    def clean(self):
        cleaned = super().clean()
        if self.kind == QuestionKind.DEMOGRAPHIC and not cleaned.get("text") and \
                cleaned.get("dimension_kind"):
            cleaned["text"] = str(DIMENSIONS[cleaned["dimension_kind"]]["question"])
        return cleaned

    def save_to_instance(self) -> StandardQuestion:
        """The form's values on the (unsaved) instance; the service saves it."""
        standard = self.instance
        standard.kind = self.kind
        if "options_text" in self.fields:
            standard.options = self.option_labels()
        if self.kind == QuestionKind.DEMOGRAPHIC and not standard.text and standard.dimension_kind:
            standard.text = str(DIMENSIONS[standard.dimension_kind]["question"])
        return standard

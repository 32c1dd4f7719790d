"""Forms for building surveys, codes, entering and importing paper returns, and the public pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clp.formtools import DateInput, HelperMixin
from consultation.forms.uploads import FileRefused, read_upload
from consultation.models import (
    AccessMode,
    Channel,
    DimensionKind,
    Question,
    QuestionKind,
    Section,
    Survey,
    SurveyKind,
    parse_receipt,
)
from consultation.models.starters import STARTERS, starter_choices


class SurveyCreateForm(HelperMixin, forms.Form):
    starter = forms.ChoiceField(
        label=_("Start from"), choices=starter_choices, required=False,
        help_text=_("A starter gives you a complete survey to edit. You can change every question."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Leave empty to use the starter's title."))
    kind = forms.ChoiceField(label=_("Kind of survey"), choices=SurveyKind.choices, required=False)

    def clean(self):
        cleaned = super().clean()
        starter = STARTERS.get(cleaned.get("starter") or "")
        if not cleaned.get("title"):
            if starter is None:
                self.add_error("title", _("Enter a title for the survey"))
            else:
                cleaned["title"] = str(starter["title"])
        if not cleaned.get("kind"):
            cleaned["kind"] = starter["kind"] if starter else SurveyKind.OPEN_ROUND
        return cleaned


class SurveyForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "kind", "intro", "access", "opens_on", "closes_on", "run_by", "contact",
                  "retention"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput(),
                   "intro": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "access": _("With one-time codes, each household or person answers once using the "
                        "code printed on their leaflet."),
            "opens_on": _("Optional. Residents can answer from this date once the survey is open."),
            "closes_on": _("Optional. The survey closes itself after this date."),
            "retention": _("Shown in the privacy notice."),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("opens_on"), cleaned.get("closes_on")
        if start and end and end < start:
            self.add_error("closes_on", _("The closing date must be on or after the opening date"))
        return cleaned


class SectionForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}


class QuestionKindMixin:
    """What a question of each kind asks for: the fields kept, its choices as one line each, and
    the checks on them. Shared by a survey's questions and an organisation's question bank, so a
    bank question is checked exactly as the copy a parish adds to its survey."""

    def keep_for_kind(self, kind: str, always: set[str], groups_help: str) -> None:
        """Keep `always` and what `kind` needs; `groups_help` explains a demographic's groups."""
        self.kind = kind
        keep = set(always)
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            keep |= {"options_text", "allow_other"}
        elif kind == QuestionKind.RANKING:
            keep |= {"options_text"}
            self.fields["options_text"].label = _("Things to rank, one per line")
        elif kind == QuestionKind.RATING:
            keep |= {"scale_min", "scale_max", "scale_min_label", "scale_max_label"}
        elif kind == QuestionKind.DEMOGRAPHIC:
            keep = (keep - {"required"}) | {"dimension_kind", "options_text"}
            self.fields["text"].required = False
            self.fields["text"].help_text = _("Leave empty to use the usual wording.")
            self.fields["options_text"].help_text = groups_help
            if self.instance.pk:  # its answers are already counted in these groups
                keep.discard("dimension_kind")
        for field_name in list(self.fields):
            if field_name not in keep:
                del self.fields[field_name]

    def clean(self):
        cleaned = super().clean()
        needs_options = self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)
        if needs_options and len(self.option_labels()) < 2 and "options_text" not in self.errors:
            self.add_error("options_text", _("Enter at least two different choices, one per line"))
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None and not 0 <= low < high <= 10:
            self.add_error("scale_max", _("The highest score must be more than the lowest, and at "
                                          "most 10"))
        return cleaned

    def option_labels(self) -> list[str]:
        """The choices typed, one per line: blank lines and repeats (in any case) dropped."""
        seen, labels = set(), []
        for line in self.cleaned_data.get("options_text", "").splitlines():
            label = line.strip()[:200]
            if label and label.casefold() not in seen:
                seen.add(label.casefold())
                labels.append(label)
        return labels


class QuestionForm(HelperMixin, QuestionKindMixin, forms.ModelForm):
    """Fields for one kind of question; choices are edited as one line per option."""

    options_text = forms.CharField(
        label=_("Choices, one per line"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
    )
    dimension_kind = forms.ChoiceField(label=_("What to ask about"), choices=DimensionKind.choices)

    class Meta:
        model = Question
        fields = ["section", "text", "help_text", "required", "allow_other", "scale_min", "scale_max",
                  "scale_min_label", "scale_max_label"]

    def __init__(self, *args, kind: str, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = survey.sections.all()
        self.fields["section"].label = _("Page")
        self.fields["section"].empty_label = None
        self.keep_for_kind(kind, {"section", "text", "help_text", "required"}, _(
            "Leave empty for the usual groups. “Prefer not to say” is always offered. The "
            "groups are shared by every survey of this plan, so results can be compared."))
        if "options_text" in self.fields and self.instance.pk:
            self.initial["options_text"] = "\n".join(
                o.label for o in self.instance.options.all() if not o.is_other)

    def question_fields(self) -> dict:
        skip = {"options_text", "dimension_kind"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class CodesForm(HelperMixin, forms.Form):
    count = forms.IntegerField(label=_("How many codes"), min_value=1, max_value=2000,
                               help_text=_("One for each leaflet: per household or per person. "
                                           "At most 2,000 at a time."))
    batch = forms.CharField(label=_("Label for this batch (optional)"), max_length=100,
                            required=False, help_text=_("For example “Church Lane delivery round”."))
    output = forms.ChoiceField(
        label=_("How do you want the codes?"), widget=forms.RadioSelect, initial="slips",
        choices=[("slips", _("Leaflets: A4 sheets of cut-out slips, eight to a page (PDF)")),
                 ("letters", _("Leaflets: one letter per household, one to a page (PDF)")),
                 ("questionnaires", _("Paper questionnaires: one copy per code, with the "
                                      "household's code printed on it (PDF, up to 200)")),
                 ("sheet", _("A page of slips to print now (or save as a PDF from the print window)")),
                 ("csv", _("A CSV file, for a printer or a mail merge"))],
        help_text=_("The codes are shown only this once: they are stored scrambled, like passwords, "
                    "so nobody can read them back later. A leaflet PDF is built once, straight "
                    "away, and cannot be made again: keep it safe until the leaflets are delivered."))

    def clean(self):
        from consultation.documents import MAX_CODED_COPIES

        data = super().clean()
        if data.get("output") == "questionnaires" and (data.get("count") or 0) > MAX_CODED_COPIES:
            self.add_error("count", _("Make at most %(n)s questionnaires with codes at a time: "
                                      "make several batches for more.") % {"n": MAX_CODED_COPIES})
        return data


class EntryForm(HelperMixin, forms.Form):
    """How a paper or face-to-face return reached the group."""

    channel = forms.ChoiceField(label=_("How did these answers reach you?"),
                                choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
                                + [(Channel.ONLINE, _("Online, typed in for someone"))],
                                initial=Channel.PAPER)
    code = forms.CharField(label=_("Code printed on the form (if any)"), max_length=20,
                           required=False, help_text=_("For example ABCDE-23456."))


class ImportForm(HelperMixin, forms.Form):
    file = forms.FileField(label=_("CSV file"),
                           help_text=_("Saved from a spreadsheet as “CSV UTF-8”, with the "
                                       "template's first row."))
    channel = EntryForm.base_fields["channel"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > min(settings.UPLOAD_MAX_BYTES, 5 * 1024 * 1024):
            raise forms.ValidationError(_("The file is too big. Split it into files under 5 MB."))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Choose a CSV file (its name ends in .csv)."))
        try:
            self.text, self.rows = read_upload(upload)
        except FileRefused as refused:
            raise forms.ValidationError(refused.message) from refused
        return upload


class ReasonForm(HelperMixin, forms.Form):
    reason = forms.CharField(label=_("Why are you deleting this response?"),
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Kept in the plan's history, e.g. “Entered twice by "
                                         "mistake”."))


class ResumeForm(forms.Form):
    """The 'carry on later' link, pasted (or filled in from the link by the page's script)."""

    link = forms.CharField(label=_("Your “carry on later” link"), max_length=500,
                           help_text=_("Paste the whole link you kept."))

    def clean_link(self):
        # The token is what follows "#" (or, in older links, the last part of the path).
        text = self.cleaned_data["link"].strip()
        return text.rsplit("#", 1)[-1].strip().rstrip("/").rsplit("/", 1)[-1]


class StartForm(forms.Form):
    """The resident's first page: the consent statement, and a code when the survey uses them."""

    code = forms.CharField(label=_("Your code"), max_length=20, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control code-input",
                                                         "autocomplete": "off",
                                                         "autocapitalize": "characters",
                                                         "spellcheck": "false"}))
    consent = forms.BooleanField(
        label=_("I understand how my answers will be used and I agree to take part"),
        error_messages={"required": _("Tick the box to say you agree to take part")},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    # Left empty by people; filled in by simple bots that complete every field.
    website = forms.CharField(required=False, label=_("Leave this empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        if survey.access == AccessMode.CODES:
            self.fields["code"].required = True
            self.fields["code"].error_messages["required"] = _(
                "Enter the code printed on your leaflet")
        elif survey.access == AccessMode.LINK:
            del self.fields["code"]


class DeletionRequestForm(HelperMixin, forms.Form):
    """A resident asks for their sent answers to be deleted, by the receipt number they were shown."""

    receipt = forms.CharField(
        label=_("Your receipt number"), max_length=30,
        help_text=_("It was shown when you sent your answers, for example 1234-5A6B7C."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey

    def clean_receipt(self):
        number = parse_receipt(self.cleaned_data["receipt"])
        response = (self.survey.responses.submitted().filter(pk=number).first()
                    if number is not None else None)
        if response is None:
            raise forms.ValidationError(_(
                "We cannot find answers to this survey with that receipt number. Check it "
                "against the number you were shown, including the letters after the dash."))
        return response

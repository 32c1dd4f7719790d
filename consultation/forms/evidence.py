"""Forms of the Evidence analysis: population figures, groups, themes, issues, publishing."""

import csv
import io

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clp.formtools import HelperMixin, specific_messages
from consultation.analysis import groups
from consultation.analysis.redaction import identifying_bits
from consultation.models import Issue, PopulationBaseline, Question, Theme


class BaselineForm(HelperMixin, forms.Form):
    """Source, year and a number of people for each group of one dimension."""

    source = forms.CharField(label=gettext_lazy("Source"), max_length=200,
                             help_text=gettext_lazy("For example “Census 2021, table TS007 (age)”."))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1900, max_value=2100)

    def __init__(self, *args, dimension, **kwargs):
        self.dimension = dimension
        baseline = PopulationBaseline.objects.filter(dimension=dimension).prefetch_related("figures").first()
        initial = kwargs.pop("initial", {}) or {}
        if baseline:
            initial.update(source=baseline.source, year=baseline.year,
                           **{f"cat_{f.category_id}": f.count for f in baseline.figures.all()})
        super().__init__(*args, initial=initial, **kwargs)
        self.categories = groups.asked_for_figures(list(dimension.categories.all()))
        bands = {c.pk: c.label for c in dimension.categories.all()}
        for category in self.categories:
            label = category.label
            if category.part_of_id:
                label = _("%(band)s (counted in %(wider)s)") % {"band": label,
                                                               "wider": bands.get(category.part_of_id)}
            field = forms.IntegerField(label=label, min_value=0)
            specific_messages(field)  # "… must be 0 or more"
            field.error_messages["required"] = _("Enter the number of people in %(g)s (0 if none)") % {
                "g": category.label}
            field.error_messages["invalid"] = _("Enter the number of people in %(g)s as a whole number") % {
                "g": category.label}
            self.fields[f"cat_{category.pk}"] = field

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(f"cat_{c.pk}") for c in self.categories):
            raise forms.ValidationError(_("Enter the number of people in at least one group."))
        return cleaned

    def cleaned_values(self) -> dict:
        return {"source": self.cleaned_data["source"], "year": self.cleaned_data["year"],
                "figures": {c.pk: self.cleaned_data[f"cat_{c.pk}"] for c in self.categories}}


class DimensionGroupsForm(HelperMixin, forms.Form):
    """For each group of one "About you" question: retired or not, and the wider band it is
    counted in."""

    def __init__(self, *args, dimension, used: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = [c for c in dimension.categories.all() if not c.is_prefer_not_to_say]
        for category in self.categories:
            self.fields[f"retired_{category.pk}"] = forms.BooleanField(
                label=_("Retire “%(g)s”: no longer offered in new surveys") % {"g": category.label},
                required=False, initial=category.retired,
                help_text=_("People have answered with this group, so it stays in their results.")
                if category.pk in used else _("Nobody has answered with this group."))
            self.fields[f"part_of_{category.pk}"] = forms.TypedChoiceField(
                label=_("Count “%(g)s” in") % {"g": category.label}, required=False, coerce=int,
                empty_value=None, initial=category.part_of_id or "",
                choices=[("", _("– its own group –"))] + [(c.pk, c.label) for c in self.categories
                                                          if c.pk != category.pk])

    def clean(self):
        cleaned = super().clean()
        part_of = self.part_of()
        for category in self.categories:
            wider = part_of.get(category.pk)
            if wider is None:
                continue
            if part_of.get(wider) is not None:
                self.add_error(f"part_of_{category.pk}", _(
                    "“%(g)s” cannot be counted in a band that is itself counted in another.")
                    % {"g": category.label})
            elif any(v == category.pk for v in part_of.values()):
                self.add_error(f"part_of_{category.pk}", _(
                    "Other groups are counted in “%(g)s”, so it cannot be counted in another band.")
                    % {"g": category.label})
        return cleaned

    def part_of(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"part_of_{c.pk}") for c in self.categories}

    def retired(self) -> set[int]:
        return {c.pk for c in self.categories if self.cleaned_data.get(f"retired_{c.pk}")}


class BaselineCsvForm(HelperMixin, forms.Form):
    """The same figures from a CSV of two columns: group, number of people."""

    source = forms.CharField(label=gettext_lazy("Source"), max_length=200)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1900, max_value=2100)
    csv = forms.FileField(label=gettext_lazy("CSV file"))

    prefix = "csv"

    def __init__(self, *args, dimension, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimension = dimension
        self.figures: dict[int, int] = {}

    def clean_csv(self):
        upload = self.cleaned_data["csv"]
        if upload.size > 200_000:
            raise forms.ValidationError(_("The file is too big for a table of population figures."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Save the file as CSV (UTF-8) and try again.")) from error
        categories = {c.label.strip().lower(): c
                      for c in groups.asked_for_figures(list(self.dimension.categories.all()))}
        problems = []
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            if number == 1 and row and not row[-1].strip().isdigit():
                continue  # header
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) < 2:
                problems.append(_("Row %(n)s: expected a group and a number.") % {"n": number})
                continue
            label, value = row[0].strip(), row[1].strip().replace(",", "")
            category = categories.get(label.lower())
            if category is None:
                problems.append(_("Row %(n)s: “%(label)s” is not one of the groups (%(groups)s).")
                                % {"n": number, "label": label,
                                   "groups": ", ".join(c.label for c in categories.values())})
            elif not value.isdigit():
                problems.append(_("Row %(n)s: “%(value)s” is not a whole number.")
                                % {"n": number, "value": value})
            else:
                self.figures[category.pk] = int(value)
        if problems:
            raise forms.ValidationError(problems)
        if not self.figures:
            raise forms.ValidationError(_("The file has no figures in it."))
        return upload

    def cleaned_values(self) -> dict:
        return {"source": self.cleaned_data["source"], "year": self.cleaned_data["year"],
                "figures": self.figures}


class ReviewForm(HelperMixin, forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What will the group do about the gaps? (optional)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}))


class ThemeForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "keywords"]


class CodingBulkForm(forms.Form):
    """Code every written answer containing a word with one theme (the coding page's last form,
    drawn by hand on one line, so no crispy helper)."""

    term = forms.CharField(label=gettext_lazy("Every answer containing"), min_length=3,
                           max_length=100)
    theme = forms.ModelChoiceField(label=gettext_lazy("gets the theme"), queryset=Theme.objects.none(),
                                   empty_label=None)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, auto_id="b-%s", **kwargs)
        self.fields["theme"].queryset = plan.themes.all()
        short = _("Enter a word of at least 3 letters to find the answers to code")
        self.fields["term"].error_messages.update(
            required=short, min_length=short,
            max_length=_("Enter a word or phrase of up to 100 letters"))
        self.fields["theme"].error_messages.update(
            required=_("Choose the theme to give the matching answers"),
            invalid_choice=_("Choose the theme to give the matching answers"))


class IssueForm(HelperMixin, forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["title", "description", "who_affected", "theme", "questions", "evidence_items",
                  "meetings"]
        widgets = {"questions": forms.CheckboxSelectMultiple, "evidence_items": forms.CheckboxSelectMultiple,
                   "meetings": forms.CheckboxSelectMultiple}
        help_texts = {"questions": gettext_lazy("Survey questions whose results show this issue."),
                      "who_affected": gettext_lazy("For example “families walking to school”.")}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = plan.themes.all()
        self.fields["questions"].queryset = (Question.objects.filter(survey__plan=plan)
                                             .exclude(kind="demographic").select_related("survey"))
        self.fields["questions"].label_from_instance = lambda q: f"{q.survey.title}: {q.text}"
        self.fields["evidence_items"].queryset = plan.evidence.all()
        self.fields["meetings"].queryset = plan.meetings.all()


class PublishForm(HelperMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text to publish"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Remove names, addresses, phone numbers, email addresses and anything "
                               "else that could identify someone."))
    checked = forms.BooleanField(
        label=gettext_lazy("I have read it: nothing left in it could identify anyone"), required=False,
        help_text=gettext_lazy("Needed only when the text still looks as if it might name someone."))

    def clean(self):
        cleaned = super().clean()
        bits = identifying_bits(cleaned.get("text", ""))
        if bits and not cleaned.get("checked"):
            self.add_error("checked", _(
                "This text may still identify someone: %(bits)s. Take it out, or tick this box if "
                "you are sure it identifies nobody.") % {"bits": ", ".join(f"“{b}”" for b in bits)})
        return cleaned


class PrioritiesRoundForm(HelperMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Survey title"), max_length=200,
                            initial=gettext_lazy("Our priorities: what matters most?"))
    issues = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Issues to ask about"), queryset=Issue.objects.none(),
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issues"].queryset = plan.issues.all()

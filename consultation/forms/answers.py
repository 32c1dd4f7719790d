"""Answers: the form a resident (or volunteer) fills in, and its translation to and from rows.

One `AnswerForm` serves the public pages (one section at a time), assisted entry (every
question, nothing required because paper returns skip questions) and CSV import (a row becomes
form data), so every route into the database is validated the same way.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultation.models import Answer, AnswerPart, Question, QuestionKind

YES, NO = "yes", "no"
YES_NO_CHOICES = [(YES, gettext_lazy("Yes")), (NO, gettext_lazy("No"))]
TEXT_LIMIT = {QuestionKind.SHORT_TEXT: 500, QuestionKind.LONG_TEXT: 5000, QuestionKind.LOVE_HATE: 5000}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def name(question: Question, suffix: str = "") -> str:
    return f"q{question.pk}{'_' + suffix if suffix else ''}"


def rank_name(question: Question, option) -> str:
    return name(question, f"rank_{option.pk}")


class AnswerForm(forms.Form):
    """Fields for `questions` (with options prefetched), named q<id>, q<id>_other and so on."""

    def __init__(self, *args, questions: list[Question], enforce_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.enforce_required = enforce_required
        for question in self.questions:
            self._add_fields(question, enforce_required and question.required)

    def _add_fields(self, q: Question, required: bool) -> None:
        choose = _("Choose an answer to “%(q)s”") % {"q": q.text}
        enter = _("Enter an answer to “%(q)s”") % {"q": q.text}
        options = [(str(o.pk), o.label) for o in q.options.all()]
        radio = forms.RadioSelect(attrs={"class": "form-check-input"})
        boxes = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
        if q.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            widget = (forms.TextInput(attrs={"class": "form-control"})
                      if q.kind == QuestionKind.SHORT_TEXT
                      else forms.Textarea(attrs={"class": "form-control", "rows": 5}))
            self.fields[name(q)] = forms.CharField(
                required=required, max_length=TEXT_LIMIT[q.kind], widget=widget,
                error_messages={"required": enter})
        elif q.kind == QuestionKind.LOVE_HATE:
            for part in AnswerPart:
                self.fields[name(q, part)] = forms.CharField(
                    required=False, max_length=TEXT_LIMIT[q.kind],
                    widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}))
        elif q.kind == QuestionKind.RANKING:
            ranks = [("", _("Not ranked"))] + [(str(i), ordinal(i))
                                               for i in range(1, len(options) + 1)]
            for option in q.options.all():
                self.fields[rank_name(q, option)] = forms.ChoiceField(
                    required=False, choices=ranks, widget=forms.Select(attrs={"class": "form-select"}))
        elif q.allows_several:
            self.fields[name(q)] = forms.MultipleChoiceField(
                required=required, choices=options, widget=boxes,
                error_messages={"required": _("Choose at least one answer to “%(q)s”") % {"q": q.text}})
        else:
            self.fields[name(q)] = forms.ChoiceField(
                required=required, choices=self._single_choices(q, options), widget=radio,
                error_messages={"required": choose})
        if q.offers_other:
            self.fields[name(q, "other")] = forms.CharField(
                required=False, max_length=500, widget=forms.TextInput(attrs={"class": "form-control"}))

    def rebind(self, data) -> "AnswerForm":
        """Check another set of data with the same fields: building the fields is most of the
        cost when thousands of imported rows are checked."""
        self.data, self.is_bound, self._errors = data, True, None
        self.__dict__.pop("cleaned_data", None)
        self._bound_fields_cache = {}
        return self

    @staticmethod
    def _single_choices(q: Question, options: list) -> list:
        if q.kind == QuestionKind.YES_NO:
            return YES_NO_CHOICES
        if q.kind == QuestionKind.RATING:
            labels = {q.scale_min: q.scale_min_label, q.scale_max: q.scale_max_label}
            return [(str(n), f"{n} – {labels[n]}" if labels.get(n) else str(n)) for n in q.scale()]
        return options

    def clean(self):
        cleaned = super().clean()
        for q in self.questions:
            if q.kind == QuestionKind.RANKING:
                self._clean_ranking(q, cleaned)
            elif q.kind == QuestionKind.LOVE_HATE:
                self._clean_love_hate(q, cleaned)
            if q.offers_other:
                self._clean_other(q, cleaned)
        return cleaned

    def _clean_ranking(self, q: Question, cleaned: dict) -> None:
        options = list(q.options.all())
        ranks = [cleaned.get(rank_name(q, o)) for o in options]
        given = [r for r in ranks if r]
        if not options:
            return
        if len(given) != len(set(given)):
            self.add_error(rank_name(q, options[0]),
                           _("Give each choice a different place in “%(q)s”") % {"q": q.text})
        elif not given and self.enforce_required and q.required:
            self.add_error(rank_name(q, options[0]),
                           _("Rank at least one choice in “%(q)s”") % {"q": q.text})

    def _clean_love_hate(self, q: Question, cleaned: dict) -> None:
        love, hate = name(q, AnswerPart.LOVE), name(q, AnswerPart.HATE)
        if (self.enforce_required and q.required and not cleaned.get(love)
                and not cleaned.get(hate) and love not in self.errors):
            self.add_error(name(q, AnswerPart.LOVE),
                           _("Tell us something you love or something you would change"))

    def _clean_other(self, q: Question, cleaned: dict) -> None:
        other = next((o for o in q.options.all() if o.is_other), None)
        if other is None or name(q) in self.errors:
            return
        chosen, text = cleaned.get(name(q)), cleaned.get(name(q, "other"))
        several = isinstance(chosen, list)
        picked = chosen if several else [chosen] if chosen else []
        if str(other.pk) in picked and not text:
            self.add_error(name(q, "other"), _("Say what your other answer is"))
        elif text and str(other.pk) not in picked:
            # Words typed in the "Other" box count as choosing Other, so they are never lost.
            if several or not picked:
                cleaned[name(q)] = [*picked, str(other.pk)] if several else str(other.pk)
            else:
                self.add_error(name(q, "other"), _("You wrote an answer in the “Other” box but chose "
                                                   "another answer. Choose “Other” or clear the box"))

    # --- translation to rows -----------------------------------------------------------------
    def answer_rows(self) -> dict[Question, list[Answer]]:
        """Unsaved Answer rows per question, from a valid form."""
        return {q: rows_for(q, self.cleaned_data) for q in self.questions}

    def items(self) -> list[dict]:
        """What the template needs to draw each question: its fields, hint and error ids."""
        return [self._item(q) for q in self.questions]

    def _item(self, q: Question) -> dict:
        anchor = f"question-{q.pk}"
        fields = {key: self[key] for key in self.fields if key == name(q) or key.startswith(name(q) + "_")}
        errors = [e for bound in fields.values() for e in bound.errors]
        described = " ".join(x for x in [f"{anchor}-hint" if q.help_text else "",
                                          f"{anchor}-error" if errors else ""] if x)
        for bound in fields.values():
            attrs = bound.field.widget.attrs
            if described and not _has_choices(bound):  # a choice group is described by its fieldset
                attrs["aria-describedby"] = described
            if bound.errors and "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = attrs.get("class", "") + " is-invalid"
        first = next(iter(fields), None)
        return {
            "question": q, "anchor": anchor, "errors": errors, "described": described,
            "layout": _layout(q),
            "field": self[name(q)] if name(q) in self.fields else None,
            "other": self[name(q, "other")] if name(q, "other") in self.fields else None,
            "love": self[name(q, AnswerPart.LOVE)] if q.kind == QuestionKind.LOVE_HATE else None,
            "hate": self[name(q, AnswerPart.HATE)] if q.kind == QuestionKind.LOVE_HATE else None,
            "ranks": [(o, self[rank_name(q, o)]) for o in q.options.all()]
            if q.kind == QuestionKind.RANKING else [],
            "first_id": self[first].auto_id if first else anchor,
        }

    def error_links(self) -> list[tuple[str, str]]:
        """(target id, message) for the error summary, in question order."""
        links = []
        for q in self.questions:
            for key in self.fields:
                if key == name(q) or key.startswith(name(q) + "_"):
                    bound = self[key]
                    target = f"{bound.auto_id}_0" if key == name(q) and _has_choices(bound) else bound.auto_id
                    links += [(target, str(e)) for e in bound.errors]
        return links


def _layout(q: Question) -> str:
    if q.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return "text"
    if q.kind in (QuestionKind.RANKING, QuestionKind.LOVE_HATE):
        return q.kind
    return "choices"


def _has_choices(bound) -> bool:
    return isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


def _option_map(q: Question) -> dict[str, object]:
    return {str(o.pk): o for o in q.options.all()}


def rows_for(q: Question, data: dict) -> list[Answer]:
    """Turn one question's cleaned form values into unsaved Answer rows (none when unanswered)."""
    value = data.get(name(q))
    if q.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return [Answer(question=q, text=value)] if value else []
    if q.kind == QuestionKind.LOVE_HATE:
        return [Answer(question=q, part=part, text=data[name(q, part)])
                for part in AnswerPart if data.get(name(q, part))]
    if q.kind == QuestionKind.RATING:
        return [Answer(question=q, number=int(value))] if value else []
    if q.kind == QuestionKind.YES_NO:
        return [Answer(question=q, number=1 if value == YES else 0)] if value else []
    options = _option_map(q)
    if q.kind == QuestionKind.RANKING:
        return [Answer(question=q, option=o, number=int(data[rank_name(q, o)]))
                for o in options.values() if data.get(rank_name(q, o))]
    chosen = value if isinstance(value, list) else [value] if value else []
    other_text = data.get(name(q, "other"), "")
    return [Answer(question=q, option=options[pk], category_id=options[pk].category_id,
                   text=other_text if options[pk].is_other else "")
            for pk in chosen]


def initial_for(q: Question, answers: list[Answer]) -> dict:
    """The form values that show saved answers again (the inverse of `rows_for`)."""
    if not answers:
        return {}
    first = answers[0]
    if q.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return {name(q): first.text}
    if q.kind == QuestionKind.LOVE_HATE:
        return {name(q, a.part): a.text for a in answers}
    if q.kind == QuestionKind.RATING:
        return {name(q): str(first.number)}
    if q.kind == QuestionKind.YES_NO:
        return {name(q): YES if first.number else NO}
    if q.kind == QuestionKind.RANKING:
        return {name(q, f"rank_{a.option_id}"): str(a.number) for a in answers}
    initial = {name(q): [str(a.option_id) for a in answers] if q.allows_several
               else str(first.option_id)}
    other = next((a.text for a in answers if a.text), "")
    if other:
        initial[name(q, "other")] = other
    return initial

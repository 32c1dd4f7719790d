from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


_CHOICE_FIELDS = (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField)


def _plain_label(field) -> str:
    label = str(field.label or "").rstrip("?:")
    # "Target date" -> "target date", but keep acronyms such as "CSV file".
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def specific_messages(field) -> None:
    """GOV.UK style errors that name the field ("Enter a target date"), not "This field is required"."""
    label = _plain_label(field)
    if not label:
        return
    if isinstance(field, _CHOICE_FIELDS) or isinstance(field.widget, forms.CheckboxSelectMultiple):
        field.error_messages["required"] = _("Choose %(label)s") % {"label": label}
    elif isinstance(field, forms.FileField):
        field.error_messages["required"] = _("Choose a file for %(label)s") % {"label": label}
    else:
        field.error_messages["required"] = _("Enter %(label)s") % {"label": label}
    if isinstance(field, forms.DateField):
        field.error_messages["invalid"] = _("Enter %(label)s as a real date") % {"label": label}
    if isinstance(field, (forms.IntegerField, forms.DecimalField)):
        field.error_messages["invalid"] = _("Enter %(label)s as a number") % {"label": label}
        for validator in field.validators:
            if getattr(validator, "code", "") == "min_value":
                validator.message = _("%(label)s must be %%(limit_value)s or more") % {
                    "label": label[:1].upper() + label[1:]}


class HelperMixin:
    """Gives a form a crispy helper (the template draws the <form> and its buttons) and errors
    that say what to do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", 4)
            specific_messages(field)

    def changed_labels(self) -> list[str]:
        return [_plain_label(self.fields[name]) for name in self.changed_data if name in self.fields]

"""A volunteer's own data (UK GDPR rights of access and erasure): download it, delete the account.

Both walk every relation to the user model, so a later app's rows are included without this
module knowing them. Erasing keeps what the person wrote (plans are a public record of who decided
what, and other people's work builds on it) but removes who they were: the account row stays as
"Former member" so every foreign key and every page keeps working, and the rows that exist only for
the person (memberships, councillor profile, sign-in methods) are deleted.
"""

import re

from allauth.account.models import EmailAddress
from django.db import models, transaction
from django.utils import timezone

from clp.audit import AuditKind, audit_record
from clp.models import Invitation, Recipient, User

# Never exported, even to their owner: a download is a file that gets forwarded and left around.
_SECRET = re.compile(r"password|token|key|digest|secret|hash|code|sending_since|data$")
_SKIP_MODELS = {"mfa.authenticator", "sessions.session"}


def _row(obj: models.Model) -> dict:
    row = {}
    for field in obj._meta.concrete_fields:
        if _SECRET.search(field.name) or isinstance(field, models.JSONField):
            continue
        if field.is_relation:
            if field.related_model is not User:
                related = getattr(obj, field.name)
                row[field.name] = str(related) if related is not None else None
            continue
        value = field.value_from_object(obj)
        row[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return row


def _relations():
    """Every relation pointing at the user, hidden ones (related_name="+") included: most of
    what a person wrote is reached only that way (created_by, entered_by …)."""
    for relation in User._meta.get_fields(include_hidden=True):
        if (relation.is_relation and relation.auto_created and not relation.concrete
                and relation.related_model._meta.label_lower not in _SKIP_MODELS
                and not relation.related_model._meta.auto_created):
            yield relation


def user_data_export(*, user: User) -> dict:
    """Everything held about the user and everything they wrote, as plain JSON-ready data."""
    data = {"account": _row(user), "wrote_or_recorded": {}}
    for relation in _relations():
        model = relation.related_model
        if relation.many_to_many:
            rows = model.objects.filter(**{relation.field.name: user})
        else:
            rows = model._default_manager.filter(**{relation.field.name: user})
        found = [_row(obj) for obj in rows]
        if found:
            key = f"{model._meta.label_lower} ({relation.field.name})"
            data["wrote_or_recorded"][key] = found
    return data


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Delete the account: the person's details and sign-in go, what they wrote stays, unnamed."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.erased_at:
        return
    for relation in _relations():
        if relation.many_to_many:
            getattr(user, relation.get_accessor_name()).clear()
        elif relation.on_delete is models.CASCADE:
            relation.related_model._default_manager.filter(**{relation.field.name: user}).delete()
    Invitation.objects.filter(email__iexact=user.email).delete()
    Recipient.objects.filter(models.Q(user=user) | models.Q(email__iexact=user.email)).delete()
    EmailAddress.objects.filter(user=user).delete()
    audit_record(kind=AuditKind.ERASURE, target=user, summary="Account deleted by its owner")
    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.erased_at = timezone.now()
    user.save()

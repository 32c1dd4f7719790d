"""Invitation kinds. Each app registers the roles it owns, so `clp` never imports them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from clp.registry import Registry


@dataclass(frozen=True)
class InvitationKind:
    key: str
    # Returns the object the invitation is about (a plan, an organisation), or None if gone.
    target: Callable[[int], object | None]
    # Plain-English sentence: "join the steering group of Ashford Parish Plan as Chair".
    describe: Callable[["object"], str]
    # Gives the user the role; returns the URL to land on.
    accept: Callable[["object", "object"], str]


registry: Registry[InvitationKind] = Registry("invitation kind")
register = registry.register


def get_kind(key: str) -> InvitationKind:
    """The kind registered under `key`; KeyError for one nobody registered (fails loudly)."""
    return registry[key]


def register_core_kinds() -> None:
    from django.urls import reverse

    from clp.models import Organisation

    def accept_officer(invitation, user) -> str:
        organisation = Organisation.objects.get(pk=invitation.target_id)
        organisation.officers.add(user)
        return reverse("portfolio:overview", kwargs={"pk": organisation.pk})

    def describe_officer(invitation) -> str:
        organisation = Organisation.objects.filter(pk=invitation.target_id).first()
        return _("join %(org)s as a support officer") % {"org": organisation}

    register(InvitationKind(
        key="officer",
        target=lambda pk: Organisation.objects.filter(pk=pk).first(),
        describe=describe_officer,
        accept=accept_officer,
    ))

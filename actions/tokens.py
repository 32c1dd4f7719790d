"""Signed, expiring links that work without signing in: a lead answers a request to own an
action or posts an update; a resident confirms an offer to help or that they want to follow
progress.

A token names its purpose (the signer's salt), the row it is for and the row's random nonce, so a
forged token fails the signature, an old one fails its age, one for another row or purpose fails
the lookup, and a used one is refused by the row itself (its nonce is single use).
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from clp.exceptions import LinkRefused

OWNER_REQUEST = "actions.owner-request"
UPDATE_LINK = "actions.update-link"
HELP_OFFER = "actions.help-offer"
FOLLOW = "actions.follow"


FORGED = _("This link is not one we sent, or it was copied incompletely. Check that you used "
           "the whole link from the email.")
EXPIRED = _("This link has expired. Ask the steering group to send you a new one.")
USED = _("This link has already been used. Each link works once; ask the steering group if you "
         "need a new one.")
WRONG = _("This link is for something else. Check that you used the right link from the email.")
RETIRED = _("This link is no longer valid because “%(action)s” has a new lead, or none, so it no "
            "longer takes updates from you. If you think this is a mistake, or you still want to "
            "help, ask the steering group of %(plan)s in %(community)s.")


@dataclass(frozen=True)
class Payload:
    pk: int
    nonce: str


def new_nonce() -> str:
    return secrets.token_hex(16)


def make(purpose: str, pk: int, nonce: str) -> str:
    return signing.TimestampSigner(salt=purpose).sign(f"{pk}.{nonce}")


def read(purpose: str, token: str) -> Payload:
    """The row id and nonce inside a token, or LinkRefused saying why it cannot be used."""
    try:
        value = signing.TimestampSigner(salt=purpose).unsign(
            token, max_age=settings.ACTIONS_LINK_VALID_DAYS * 86400)
    except signing.SignatureExpired as expired:
        raise LinkRefused(EXPIRED) from expired
    except signing.BadSignature as forged:
        raise LinkRefused(FORGED) from forged
    pk, _sep, nonce = value.partition(".")
    if not pk.isdigit() or not nonce:
        raise LinkRefused(FORGED)
    return Payload(pk=int(pk), nonce=nonce)


def check_row(row, payload: Payload, *, used: bool) -> None:
    """The row must be the one the token names and must not have been used already."""
    if row is None or not secrets.compare_digest(row.nonce, payload.nonce):
        raise LinkRefused(WRONG)
    if used:
        raise LinkRefused(USED)

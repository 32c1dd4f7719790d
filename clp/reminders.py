"""Reminder kinds, and the contract that keeps reminders from being duplicated or lost.

Each app registers the kinds it owns from its `AppConfig.ready()`:

    reminders.register(ReminderKind(
        key="survey_closing", label=_("A survey is closing soon"),
        due=surveys_closing,           # (today: date) -> iterable of DueItem, by query
        default=Preference.IMMEDIATE,  # or WEEKLY / OFF
        description=_("Three days before a survey of your plan closes."),
    ))

A `DueItem` names the person (normalised email, optional user id), the subject (`subject_key`,
e.g. "survey:12") and the period (e.g. the closing date, an ISO week) plus what the email says.
`(recipient, kind, subject_key, period)` is unique in the database, so an item yielded again by
a later sweep is the same row: pick the period so that one reminder per period is what you want.

Reliability (services `reminders_sweep` and `reminders_send`):
- The ledger row (`clp.models.Reminder`) is the record of work, never the Redis message. The beat
  sweep inserts the due rows, ignoring conflicts ("due and not yet recorded", so a missed run
  catches up), then queues one send task per person after commit. A broker that is down is logged
  and the rows stay due for the next sweep.
- The send task claims a person's due rows in a short transaction (the person's row locked with
  `skip_locked`, rows moved to "sending"), sends one email outside the lock, then marks them sent.
  A second task for the same person finds nothing to claim. A worker killed mid-send leaves rows
  "sending"; the sweep releases claims older than `REMINDER_CLAIM_TIMEOUT` for another try. Rows
  marked sent are never sent again.
- Transient SMTP errors (4xx replies, dropped connections) put the rows back to due and retry
  with backoff; permanent ones mark them failed with the error, shown on the ledger pages.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from clp.exceptions import LinkRefused
from clp.models import Preference, Recipient
from clp.registry import Registry


@dataclass(frozen=True)
class DueItem:
    email: str
    subject_key: str
    period: str
    title: str  # one line: "“Village survey” closes on 4 December"
    url: str  # a path on this site where the person can act
    why: str  # "You are the chair of the steering group of …"
    detail: str = ""
    user_id: int | None = None
    plan_id: int | None = None
    community_id: int | None = None


@dataclass(frozen=True)
class ReminderKind:
    key: str
    label: str
    due: Callable[[date], Iterable[DueItem]] = field(compare=False)
    default: str = Preference.IMMEDIATE
    description: str = ""


registry: Registry[ReminderKind] = Registry("reminder kind", order=lambda kind: str(kind.label))
register = registry.register
get_kind = registry.get


def kinds() -> list[ReminderKind]:
    """Every kind, by label (as the preferences form lists them)."""
    return list(registry)


# --- signed links: no login needed, so the signature and the person's nonce are the key ---------

PREFERENCES_SALT = "clp.reminders.preferences"
UNSUBSCRIBE_SALT = "clp.reminders.unsubscribe"


def make_token(recipient: Recipient, salt: str, kinds: list[str] | None = None) -> str:
    payload = {"r": recipient.pk, "n": recipient.nonce}
    if kinds is not None:
        payload["k"] = sorted(kinds)
    return signing.dumps(payload, salt=salt, compress=True)


def read_token(token: str, salt: str) -> tuple[Recipient, list[str]]:
    """The recipient a signed link is for; LinkRefused (with a plain reason) when it is not good."""
    from django.utils.translation import gettext as _

    max_age = settings.REMINDER_LINK_MAX_AGE_DAYS * 86400
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkRefused(_("This link has expired. The next email we send you will have a new "
                            "one, or sign in to change your email settings.")) from error
    except signing.BadSignature as error:
        raise LinkRefused(_("This link is not valid. Check you copied all of it from the email."))\
            from error
    recipient = Recipient.objects.filter(pk=payload.get("r")).first() if isinstance(payload, dict) \
        else None
    if recipient is None or not constant_time_compare(recipient.nonce, str(payload.get("n"))):
        raise LinkRefused(_("This link no longer works. Use the link in your most recent email, "
                            "or sign in to change your email settings."))
    return recipient, [k for k in payload.get("k", []) if isinstance(k, str)]

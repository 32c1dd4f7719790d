"""A generation token for caches of figures drawn from many plans at once (the portfolio).

The support officer's portfolio reads a dozen tables across hundreds of plans (plans, events,
actions, endorsements, councillors, checklists, surveys, groups and baselines) and draws a row
for each: a quarter of a second at 300 communities, for figures that change a few times an hour.
So the rows and the table drawn from them (and a community's public page, as visitors who are
not signed in see it) are kept in the cache under the current
*generation*: a random token that every write to the planning data replaces.

- One `post_save` / `post_delete` / `m2m_changed` receiver hears every model of the project's
  own apps, so a model added later is covered without anyone remembering to list it. Left out
  are the rows that change often and show nothing there: residents' answers and drafts (a sent
  response reaches those pages through its survey's response version, which calls `bump`), codes
  and codings, the email outbox and ledger, the audit log, the health heartbeat, publications.
- The token is replaced at once, so the writer's next page (and a test, whose transaction never
  commits) sees the change, and again when the transaction commits: a page drawn between the
  two could not see the uncommitted change, and it is stored under a token already replaced.
- Writes that skip Django's signals (bulk inserts, `update()`, raw SQL) call `bump` themselves
  where they touch what the portfolio shows.
- Every entry also expires after `TIMEOUT`. That bounds how stale a figure can be if a bump is
  lost (the cache fails open while Redis is unreachable, clp.cache) and how far the "days since"
  figures can lag the clock; the date is part of every key as well.
- A random token, not a counter: a cache that lost the key (a Redis restart) starts a new token,
  so an old number can never come back and name old entries.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

KEY = "freshness:generation"
TIMEOUT = 10 * 60
PROJECT_APPS = {"clp", "plans", "consultation", "actions", "portfolio"}
QUIET = {
    "consultation.answer", "consultation.response", "consultation.accesscode",
    "consultation.answercoding", "consultation.responsesversion", "consultation.importbatch",
    "clp.auditevent", "clp.heartbeat", "clp.reminder", "clp.recipient",
    "portfolio.bulkmessage", "portfolio.bulkrecipient", "portfolio.savedfilter",
}


def generation() -> str:
    """The current token ("" while the cache is unreachable: then nothing is kept)."""
    token = cache.get(KEY)
    if token is None:
        cache.add(KEY, uuid.uuid4().hex, None)  # add, not set: a bump at the same moment wins
        token = cache.get(KEY)
    return token or ""


def key(*parts) -> str:
    """A cache key for `parts` (hashed: they may hold text a user typed) under the current
    generation, the database's name and today's date; "" when nothing can be kept."""
    token = generation()
    if not token:
        return ""
    named = repr((connection.settings_dict["NAME"], timezone.localdate().isoformat(), parts))
    return f"fresh:{token}:{hashlib.sha256(named.encode()).hexdigest()}"


def kept(parts: tuple, draw, timeout: int = TIMEOUT):
    """`draw()` (a drawn fragment, or plain picklable figures) kept under `parts` and the current
    generation: drawn once, then read from the cache until the planning data changes. While the
    cache is unreachable it is simply drawn for every request."""
    name = key(*parts)
    found = cache.get(name) if name else None
    if found is None:
        found = draw()
        if name:
            cache.set(name, found, timeout)
    return found


def _replace() -> None:
    cache.set(KEY, uuid.uuid4().hex, None)


def bump() -> None:
    """The planning data changed: entries kept under the current token are not read again."""
    _replace()
    if connection.in_atomic_block:
        pending = getattr(connection, "run_on_commit", [])
        if not any(len(entry) > 1 and entry[1] is _replace for entry in pending):
            transaction.on_commit(_replace)


def _changed(sender, **kwargs) -> None:
    meta = sender._meta
    if meta.app_label in PROJECT_APPS and meta.label_lower not in QUIET:
        bump()


def connect() -> None:
    for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
        signal.connect(_changed, dispatch_uid=f"freshness-{name}")

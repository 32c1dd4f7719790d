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
  response reaches its plan's pages through its survey's response version, below), codes
  and codings, the email outbox and ledger, the audit log and the health heartbeat; and an
  account's sign-in time (`last_login` alone).
- The token is replaced at once, so the writer's next page (and a test, whose transaction never
  commits) sees the change, and again when the transaction commits: a page drawn between the
  two could not see the uncommitted change, and it is stored under a token already replaced.
  Inside `bumps_after` (a resident's send, whose transaction holds its survey's row) the bumps
  wait for the block's end and happen once, after its commit: no cache call under a row lock.
- Writes that skip Django's signals (bulk inserts, `update()`, raw SQL) call `bump` themselves
  where they touch what the portfolio shows.
- A sent response changes what one plan's pages show, and the portfolios its community is in,
  and nothing else. So it replaces the tokens of that plan and those organisations
  (`scope("plan", pk)`, `scope("organisation", pk)`), not the generation: a page that shows
  residents' answers names the scopes it reads (`scopes=`), and is kept under the generation
  and those scopes' tokens together, read in the same round trip to the cache. A county's live
  surveys then redraw only their own plans' pages and portfolios, not every kept page of
  every parish.
- Every entry also expires after `TIMEOUT`. That bounds how stale a figure can be if a bump is
  lost (the cache fails open while Redis is unreachable, clp.cache) and how far the "days since"
  figures can lag the clock; the date is part of every key as well.
- Whole pages are kept the same way: for plain visitors (no session: the survey's first page, a
  community's page) with no query at all, and for a signed-in viewer (the plan home, results,
  the portfolio) after the view's own access check, which runs on every request. Each copy gets
  the reader's own CSRF token and CSP nonce put back (`kept_page`, `kept_for_viewer`).
- A random token, not a counter: a cache that lost the key (a Redis restart) starts a new token,
  so an old number can never come back and name old entries.
"""

import contextlib
import functools
import hashlib
import re
import threading
import uuid

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

KEY = "freshness:generation"
TIMEOUT = 10 * 60
PROJECT_APPS = {"clp", "plans", "consultation", "actions", "portfolio"}
QUIET = {
    "consultation.answer", "consultation.response", "consultation.accesscode",
    "consultation.answercoding", "consultation.responsesversion", "consultation.importbatch",
    "clp.auditevent", "clp.heartbeat", "clp.reminder", "clp.recipient",
    "portfolio.bulkmessage", "portfolio.bulkrecipient",
}


def scope(kind: str, pk) -> str:
    """The cache key of a narrower token than the generation: what one plan's pages show of its
    residents' answers (`scope("plan", pk)`), or one organisation's portfolio."""
    return f"freshness:{kind}:{pk}"


def _current(name: str, found=None) -> str:
    token = found if found is not None else cache.get(name)
    if token is None:
        cache.add(name, uuid.uuid4().hex, None)  # add, not set: a bump at the same moment wins
        token = cache.get(name)
    return token or ""


def generation() -> str:
    """The current token ("" while the cache is unreachable: then nothing is kept)."""
    return _current(KEY)


def _token(scopes: tuple, found: dict) -> str:
    """The generation's token joined with those of `scopes`, from `found` (what one `get_many`
    read) where it holds them; "" if any of them cannot be had."""
    tokens = [_current(name, found.get(name)) for name in (KEY, *scopes)]
    return "" if not all(tokens) else ":".join(tokens)


def key(*parts, scopes: tuple = ()) -> str:
    """A cache key for `parts` (hashed: they may hold text a user typed) under the current
    generation (and `scopes`' tokens), the database's name and today's date; "" when nothing
    can be kept."""
    token = _token(scopes, cache.get_many([KEY, *scopes]) if scopes else {})
    if not token:
        return ""
    return f"fresh:{token}:{_named(parts)}"


def _named(parts: tuple) -> str:
    named = repr((connection.settings_dict["NAME"], timezone.localdate().isoformat(), parts))
    return hashlib.sha256(named.encode()).hexdigest()


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


# What differs between two visitors' copies of a kept page: the CSRF token in each form, and the
# CSP nonce on each script. NUL never reaches a page (forms refuse it), so the marks cannot clash.
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_MARK, NONCE_MARK = b"\x00csrf\x00", b"\x00nonce\x00"


def plain_visitor(request) -> bool:
    """A visitor who brings no session and no messages: not signed in, no survey answers under
    way, nothing waiting to be shown. Every such visitor sees the same page (in their language)."""
    return (request.method in ("GET", "HEAD") and not request.GET
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES)


# Whole pages live a minute: if an invalidation is lost, that bounds how long one can lag
# (a survey closed, a role taken away), and a busy page is still drawn only once a minute.
PAGE_TIMEOUT = VIEWER_TIMEOUT = 60


def kept_page(request, parts: tuple, draw, scopes: tuple = ()):
    """The whole page `draw()` returns, kept for plain visitors (residents arriving from a leaflet
    or a link, who are almost all of a public page's readers) under the current generation.

    A kept copy is stored with its CSRF tokens and CSP nonce taken out, and each visitor's copy
    gets their own put back, so forms and scripts work exactly as on a drawn page. Only a 200 with
    no cookies of its own is kept; anyone else, and every other answer, is drawn as usual. The
    key holds the host and the language, with `parts` (what names the page)."""
    if not plain_visitor(request):
        return draw()
    return _page(request, ("page", request.get_host(), get_language(), *parts), draw, PAGE_TIMEOUT,
                 scopes)


def kept_for_viewer(request, parts: tuple, draw, scopes: tuple = ()):
    """The whole page `draw()` returns for the signed-in viewer, kept for them alone under the
    current generation: seeing the same page again (going back to it, reloading it) costs the
    view's own permission check and one cache entry, and nothing is drawn.

    - The view checks the viewer's access before calling this, on every request: a role taken
      away by any means (even an `update()` that replaces no generation) refuses the next
      request. The kept copy only saves drawing what they may see.
    - The key holds the viewer's account and the session's password hash, the host, the path,
      the query string and the language, with `parts` (anything else the page shows). Every
      change to an account, a role or a plan replaces the generation; a sent response replaces
      its plan's token, which a page showing answers names in `scopes`.
    - Entries live `VIEWER_TIMEOUT` seconds, not `TIMEOUT`: if a bump is lost while Redis is
      unreachable, that bounds how long a figure can lag.
    - A request with a message waiting is drawn, so the message is shown."""
    session = request.session
    user_id = session.get(SESSION_KEY)
    if (request.method not in ("GET", "HEAD") or user_id is None or "_messages" in session
            or CookieStorage.cookie_name in request.COOKIES):
        return draw()
    return _page(request, ("viewer-page", user_id, session.get(HASH_SESSION_KEY), request.get_host(),
                           request.path, sorted(request.GET.lists()), get_language(), *parts),
                 draw, VIEWER_TIMEOUT, scopes)


def _page(request, parts: tuple, draw, timeout: int, scopes: tuple = ()):
    """The kept page named by `parts`, or `draw()` kept. A whole page is stored under its name
    alone, with the tokens it was drawn under beside it (the generation's and its scopes'), so
    that the current tokens and the page come back in one round trip to the cache
    (`get_many`), not two."""
    name = f"fresh-page:{_named(parts)}"
    found = cache.get_many([KEY, *scopes, name])
    token = _token(scopes, found)
    stored = found.get(name)
    found = stored[1] if token and stored is not None and stored[0] == token else None
    if found is not None:
        if NONCE_MARK in found:
            found = found.replace(NONCE_MARK, str(get_nonce(request)).encode())
        if CSRF_MARK in found:  # only a page with a form sets the CSRF cookie, as when drawn
            found = found.replace(CSRF_MARK, get_token(request).encode())
        return HttpResponse(found)
    response = draw()
    if (token and response.status_code == 200 and not response.streaming and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")):
        body = CSRF_INPUT.sub(rb"\1" + CSRF_MARK + rb"\2", response.content)
        nonce = f'nonce="{get_nonce(request)}"'.encode()
        cache.set(name, (token, body.replace(nonce, b'nonce="' + NONCE_MARK + b'"')), timeout)
    return response


def _replace(*names: str) -> None:
    """New tokens for `names` (the generation if none), in one round trip to the cache."""
    if len(names) <= 1:
        cache.set(names[0] if names else KEY, uuid.uuid4().hex, None)
    else:
        cache.set_many({name: uuid.uuid4().hex for name in names}, None)


_held = threading.local()  # inside `bumps_after`: the tokens waiting for the block's end


@contextlib.contextmanager
def bumps_after():
    """Bumps made inside the block wait for its end, and then happen once; none if it raised.

    For a transaction that holds row locks (a resident's send holds its survey's row): the cache
    is a network call, and no lock is held across one. A block that raised changed nothing (its
    transaction was rolled back), so there is nothing to bump. Nested, the outermost block bumps."""
    if getattr(_held, "waiting", None) is not None:
        yield
        return
    _held.waiting = []
    try:
        yield
        waiting = _held.waiting
    finally:
        _held.waiting = None
    if waiting:
        bump(*waiting)


def _is_replacing(entry, name: str) -> bool:
    """Whether a commit callback already waiting replaces `name`'s token."""
    done = entry[1] if len(entry) > 1 else None
    if done is _replace:
        return name == KEY
    return isinstance(done, functools.partial) and done.func is _replace and name in done.args


def bump(*names: str) -> None:
    """The planning data changed (or, given scopes, what those scopes' pages show): entries kept
    under the current tokens are not read again."""
    names = names or (KEY,)
    waiting = getattr(_held, "waiting", None)
    if waiting is not None:
        waiting.extend(name for name in names if name not in waiting)
        return
    _replace(*names)
    if connection.in_atomic_block:
        pending = getattr(connection, "run_on_commit", [])
        missing = [name for name in names if not any(_is_replacing(entry, name) for entry in pending)]
        if missing:  # the generation alone: `_replace` itself
            transaction.on_commit(_replace if missing == [KEY] else functools.partial(_replace, *missing))


SIGN_IN = frozenset({"last_login"})


def _changed(sender, **kwargs) -> None:
    meta = sender._meta
    if meta.app_label in PROJECT_APPS and meta.label_lower not in QUIET:
        if kwargs.get("update_fields") == SIGN_IN:  # a sign-in: no page shows when it was
            return
        bump()


def connect() -> None:
    # A bump dropped while Redis was unreachable would leave the old generation (and every page
    # kept under it) current once Redis is back: the process that dropped it starts a new one.
    from clp import cache as fail_open

    if _replace not in fail_open.RECOVERED:
        fail_open.RECOVERED.append(_replace)
    for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
        signal.connect(_changed, dispatch_uid=f"freshness-{name}")

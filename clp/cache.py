"""The cache never decides whether a resident's or volunteer's request works.

Redis is the cache, and the cache is where every rate limit keeps its counters (django-ratelimit on
the survey pages and residents' comments, allauth on login, sign-up and password reset). Neither
library survives a Redis that is down: the connection error escapes as a 500. This backend is the
one place that handles it. When Redis cannot be reached it behaves as an empty cache that accepts
everything: reads miss, writes and deletes are dropped, and ``add()`` reports the key as stored, so
that both libraries' counters (and allauth's lock around them) let the request through. Rate
limits therefore fail open while Redis is down, which is the lesser harm: an outage never turns
into an error page or a "too many attempts" for everyone.

Every failure is logged and counted (``failures()``, per process). After a failure the cache is
not tried again for ``RETRY_AFTER`` seconds, so an unreachable server costs one short connection
timeout per process per interval rather than one per cache call. Code that caches derived data
must treat a dropped ``delete()`` as possible: while Redis is down nothing is stored either.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoPermissionError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

_lock = threading.Lock()
_down_until: dict[str, float] = {}  # server location → monotonic time of the next attempt
_failures: dict[str, int] = {}
# Called once Redis answers again after this process found it unreachable: writes it dropped
# meanwhile may have been invalidations (clp.freshness starts a new generation here).
RECOVERED: list = []


def failures(location: str | None = None) -> int:
    """Cache calls answered without Redis since start-up (for one server, or all of them)."""
    with _lock:
        return _failures.get(location, 0) if location else sum(_failures.values())


class ReusedClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` for every cache call, and its constructor
    fills a table of some 170 reply parsers each time: about a third of a millisecond per call,
    more than the round trip to Redis. A `redis.Redis` is safe to share between threads (it
    takes a connection from its pool for each command), so one is kept per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def incr(self, key, delta):
        """Django's incr asks whether the key exists and then adds (two round trips; every rate
        limit check makes one). This asks Redis to do both at once. INCRBY alone is not enough:
        it would make a missing key, with no expiry, and that counter would never run out."""
        try:
            found = self.get_client(key, write=True).eval(INCR_IF_PRESENT, 1, key, delta)
        except ResponseError as error:
            if not _no_scripts(error):
                raise
            return super().incr(key, delta)  # a server that allows no scripts: Django's way
        if found is None:
            raise ValueError(f"Key '{key}' not found.")
        return found


def _no_scripts(error: ResponseError) -> bool:
    """The server refuses scripts: EVAL denied to this user (ACL) or renamed away."""
    return isinstance(error, NoPermissionError) or "unknown command" in str(error).lower()


INCR_IF_PRESENT = ("if redis.call('exists', KEYS[1]) == 1 then "
                   "return redis.call('incrby', KEYS[1], ARGV[1]) end return false")
# A rate limit's count: the new value, and an expiry given to the counter this call created.
COUNT = ("local n = redis.call('incr', KEYS[1]) "
         "if n == 1 then redis.call('expire', KEYS[1], ARGV[1]) end return n")

_counted = threading.local()  # the count a rate limit's add() took, for the incr() that follows


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache while the server is unreachable."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS", {}))}
        self.retry_after = float(params["OPTIONS"].pop("RETRY_AFTER", 5))
        super().__init__(server, params)
        self._class = ReusedClient
        self._location = ",".join(self._servers)

    def _call(self, method, *args, fallback):
        now = time.monotonic()
        with _lock:
            skipping = _down_until.get(self._location, 0) > now
            if skipping:
                _failures[self._location] = _failures.get(self._location, 0) + 1
        if skipping:
            return fallback
        try:
            result = method(*args)
        except UNREACHABLE as error:
            with _lock:
                _down_until[self._location] = now + self.retry_after
                _failures[self._location] = count = _failures.get(self._location, 0) + 1
            logger.warning("Cache unreachable (%s): rate limits are not enforced; %s cache calls "
                           "answered without it so far; trying again in %.0f s",
                           error, count, self.retry_after)
            return fallback
        if self._location in _down_until:
            with _lock:
                was_down = _down_until.pop(self._location, None) is not None
            if was_down:
                logger.warning("Cache reachable again after %s cache calls answered without it",
                               failures(self._location))
                for hook in RECOVERED:
                    hook()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        prefix = getattr(settings, "RATELIMIT_CACHE_PREFIX", "rl:")
        # `type(...) is int`: allauth's lock is add(key, True), and True == 1.
        if (type(value) is int and value == 1 and type(timeout) is int and timeout > 0
                and prefix and key.startswith(prefix)):
            return self._call(self._count, key, timeout, version, fallback=True)
        return self._call(super().add, key, value, timeout, version, fallback=True)

    def _count(self, key, timeout, version):
        """A rate limit's count in one round trip, where django-ratelimit makes two.

        For each limit on a request it calls ``add(key, 1, period)`` (a new counter starts at
        1) and, when the counter was already there, ``incr(key)``. Both are done here at once
        (COUNT); when the counter already existed, the new count is kept for this thread's
        ``incr()`` of the same key, which follows at once and then needs no round trip. A
        server that allows no scripts is asked Django's way."""
        made = self.make_and_validate_key(key, version=version)
        try:
            count = self._cache.get_client(made, write=True).eval(COUNT, 1, made, timeout)
        except ResponseError as error:
            if not _no_scripts(error):
                raise
            return super().add(key, 1, timeout, version)
        if count == 1:
            return True
        _counted.taken = (key, version, count)
        return False

    def get(self, key, default=None, version=None):
        return self._call(super().get, key, default, version, fallback=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, key, value, timeout, version, fallback=None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, key, timeout, version, fallback=False)

    def delete(self, key, version=None):
        return self._call(super().delete, key, version, fallback=False)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, keys, version, fallback={})

    def has_key(self, key, version=None):
        return self._call(super().has_key, key, version, fallback=False)

    def incr(self, key, delta=1, version=None):
        taken = getattr(_counted, "taken", None)
        if taken is not None:
            _counted.taken = None
            if taken[:2] == (key, version) and delta == 1:
                return taken[2]  # counted by add() just now (_count)
        # None, not a number: django-ratelimit reads it as "no count" (RATELIMIT_FAIL_OPEN).
        return self._call(super().incr, key, delta, version, fallback=None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, data, timeout, version, fallback=list(data))

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, keys, version, fallback=None)

    def clear(self):
        return self._call(super().clear, fallback=None)

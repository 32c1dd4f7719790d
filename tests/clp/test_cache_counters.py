"""Rate-limit counters on a real Redis: one round trip a count, and a counter always runs out."""

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited

from tests.realservices import RedisServer, cache_settings


@pytest.fixture
def redis_cache(settings):
    server = RedisServer().start()
    settings.CACHES = cache_settings(server.url)
    yield caches["default"]
    server.stop()


def test_a_count_goes_up_by_the_delta_and_keeps_its_expiry(redis_cache):
    redis_cache.add("tries", 1, 60)
    assert redis_cache.incr("tries") == 2
    assert redis_cache.incr("tries", 5) == 7
    assert redis_cache.get("tries") == 7
    client = redis_cache._cache.get_client()
    assert 0 < client.ttl(redis_cache.make_key("tries")) <= 60


def test_counting_a_missing_key_is_refused_and_makes_no_counter_without_expiry(redis_cache):
    with pytest.raises(ValueError, match="not found"):
        redis_cache.incr("never-added")
    assert not redis_cache._cache.get_client().exists(redis_cache.make_key("never-added"))


def test_a_rate_limit_counts_through_it_and_stops_the_third_request_of_two_a_minute(redis_cache):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")
    seen = [is_ratelimited(request, group="counters", key="ip", rate="2/m", method="POST",
                           increment=True) for _n in range(4)]
    assert seen == [False, False, True, True]
    other = RequestFactory().post("/", REMOTE_ADDR="192.0.2.8")  # another address: its own count
    assert is_ratelimited(other, group="counters", key="ip", rate="2/m", method="POST",
                          increment=True) is False


def test_a_server_that_allows_no_scripts_still_counts(redis_cache):
    # Some hosted Redis plans switch EVAL off; counting must not turn into a 500 there.
    client = redis_cache._cache.get_client()
    client.execute_command("ACL", "SETUSER", "default", "-eval")
    redis_cache.add("tries", 1, 60)
    assert redis_cache.incr("tries") == 2
    with pytest.raises(ValueError, match="not found"):
        redis_cache.incr("never-added")


def _calls(client) -> dict:
    """Commands Redis has run, by name; those a script runs are counted under their own names."""
    return {name.removeprefix("cmdstat_"): figures["calls"]
            for name, figures in client.info("commandstats").items()}


def test_a_rate_limit_check_is_one_round_trip_and_its_counter_runs_out(redis_cache):
    client = redis_cache._cache.get_client()
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.9")
    seen = []
    for n in range(5):
        before = _calls(client)
        seen.append(is_ratelimited(request, group="trips", key="ip", rate="3/m", method="POST",
                                   increment=True))
        after = _calls(client)
        ran = {name: after[name] - before.get(name, 0) for name in after
               if name != "info" and after[name] != before.get(name, 0)}
        # One script sent (the count, and the expiry of the counter it made), nothing else.
        assert ran == ({"eval": 1, "incr": 1, "expire": 1} if n == 0 else {"eval": 1, "incr": 1})
    assert seen == [False, False, False, True, True]
    [counter] = client.keys(redis_cache.make_key("rl:*"))
    assert int(client.get(counter)) == 5
    assert 0 < client.ttl(counter) <= 60 + 5  # the period and django-ratelimit's EXPIRATION_FUDGE


def test_a_rate_limit_count_taken_for_one_key_is_never_returned_for_another(redis_cache):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    is_ratelimited(request, group="first", key="ip", rate="5/m", method="POST", increment=True)
    is_ratelimited(request, group="first", key="ip", rate="5/m", method="POST", increment=True)
    redis_cache.add("plain", 1, 60)
    assert redis_cache.incr("plain") == 2  # its own count, not the limit's 2 kept a moment ago
    redis_cache.add("rl:by-hand", 1, 60)
    redis_cache.add("rl:by-hand", 1, 60)  # counted 2 and kept for an incr that never came
    assert redis_cache.incr("plain") == 3


def test_rate_limits_still_count_without_scripts(redis_cache):
    client = redis_cache._cache.get_client()
    client.execute_command("ACL", "SETUSER", "default", "-eval")
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.11")
    seen = [is_ratelimited(request, group="noscript", key="ip", rate="2/m", method="POST",
                           increment=True) for _n in range(3)]
    assert seen == [False, False, True]


def test_a_lock_added_as_true_under_the_limits_prefix_is_a_plain_add(redis_cache):
    # allauth locks its counters with add(key, True); True == 1, but a lock is not a count.
    assert redis_cache.add("rl:a-lock", True, 10) is True
    assert redis_cache.add("rl:a-lock", True, 10) is False
    assert redis_cache.get("rl:a-lock") is True


def test_rate_limits_still_count_on_a_server_with_scripts_renamed_away(settings):
    server = RedisServer("--rename-command", "EVAL", "").start()
    try:
        settings.CACHES = cache_settings(server.url)
        request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.12")
        seen = [is_ratelimited(request, group="renamed", key="ip", rate="2/m", method="POST",
                               increment=True) for _n in range(3)]
        assert seen == [False, False, True]
    finally:
        server.stop()

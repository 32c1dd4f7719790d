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

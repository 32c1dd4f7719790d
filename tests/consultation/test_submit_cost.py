"""Sending answers costs the same at the first response and the twenty-thousandth: nothing in the
request (or the milestone check after it) counts every response of the survey."""

import re

import pytest
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultation import services
from consultation.models import Survey
from consultation.services.base import MILESTONES
from tests.consultation.factories import make_survey, submitted_response
from tests.consultation.test_answering import _answer_all, _first_page, _second_page, _start, _url
from tests.realservices import RedisServer, celery_on


def _unbounded_counts(queries) -> list[str]:
    """COUNTs over a survey's responses that are neither limited nor about one device."""
    return [q["sql"] for q in queries
            if re.search(r"COUNT\(", q["sql"]) and '"consultation_response"' in q["sql"]
            and "LIMIT" not in q["sql"] and "client_key" not in q["sql"]]


def _send_one(survey, django_capture_on_commit_callbacks):
    client = Client()
    _start(client, survey)
    with CaptureQueriesContext(connection) as queries, \
            django_capture_on_commit_callbacks(execute=True):
        sent = _answer_all(client, survey)
    assert sent["Location"] == _url("public_done", survey)
    return queries


def test_the_submit_and_its_milestone_check_never_count_every_response(world,
                                                                       django_capture_on_commit_callbacks):
    survey = make_survey(world.plan)
    for _n in range(3):
        submitted_response(survey)
    queries = _send_one(survey, django_capture_on_commit_callbacks)
    assert _unbounded_counts(queries.captured_queries) == []
    assert Survey.objects.get(pk=survey.pk).milestone_notified == 1
    assert "has had 4 responses so far" in mail.outbox[-1].body


def test_past_the_last_milestone_the_submit_queues_no_check_at_all(world,
                                                                    django_capture_on_commit_callbacks):
    survey = make_survey(world.plan)
    Survey.objects.filter(pk=survey.pk).update(milestone_notified=MILESTONES[-1])
    queries = _send_one(survey, django_capture_on_commit_callbacks)
    # No milestone claim taken (the one survey UPDATE hands out the response's own number).
    assert not [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "consultation_survey"')
                and "last_response_number" not in q["sql"]]
    assert services.survey_notify_milestone(survey_id=survey.pk) is False


def test_the_milestone_check_counts_no_further_than_the_milestones(world):
    survey = make_survey(world.plan)
    for _n in range(52):
        submitted_response(survey)
    with CaptureQueriesContext(connection) as queries:
        assert services.survey_notify_milestone(survey_id=survey.pk) is True
    assert Survey.objects.get(pk=survey.pk).milestone_notified == 50
    assert _unbounded_counts(queries.captured_queries) == []
    assert "has had 52 responses so far" in mail.outbox[-1].body


def _queued(callbacks) -> list[str]:
    """The tasks a request queued once it committed (clp.celery: delay_on_commit)."""
    tasks = [getattr(getattr(c, "func", None), "__self__", None) for c in callbacks]
    return [task.name for task in tasks if hasattr(task, "name")]


def test_between_milestones_the_submit_queues_nothing_and_at_one_it_queues_the_check(
        world, django_capture_on_commit_callbacks):
    from consultation.models import Response

    survey = make_survey(world.plan)
    Survey.objects.filter(pk=survey.pk).update(milestone_notified=1, last_response_number=10)
    client = Client()
    _start(client, survey)
    with django_capture_on_commit_callbacks() as callbacks:
        _answer_all(client, survey)
    assert Response.objects.filter(survey=survey).submitted().get().number == 11
    assert "consultation.tasks.notify_response_milestone" not in _queued(callbacks)
    # The response that may be the fiftieth queues the check (the task counts; numbers are an
    # upper bound, since a deleted response leaves its number unused).
    Survey.objects.filter(pk=survey.pk).update(last_response_number=49)
    Response.objects.update(client_key="")  # not refused as the same device's same answers
    client = Client()
    _start(client, survey)
    with django_capture_on_commit_callbacks() as callbacks:
        sent = _answer_all(client, survey)
    assert sent["Location"] == _url("public_done", survey)
    assert "consultation.tasks.notify_response_milestone" in _queued(callbacks)


@pytest.fixture
def broker_without_worker():
    """A real Redis as the broker, with no worker reading it: what is queued stays queued."""
    server = RedisServer().start()
    with celery_on(server.url):
        yield server
    server.stop()


def _waiting(server) -> int:
    import redis

    return redis.Redis(port=server.port).llen("celery")


def _send_past_the_milestone(survey, callbacks_fixture) -> None:
    from consultation.models import Response

    Response.objects.update(client_key="")  # not refused as the same device's same answers
    client = Client()
    _start(client, survey)
    with callbacks_fixture(execute=True):
        sent = _answer_all(client, survey)
    assert sent["Location"] == _url("public_done", survey)


def test_with_the_worker_stopped_a_process_queues_the_milestone_check_once_a_minute(
        world, django_capture_on_commit_callbacks, broker_without_worker):
    from clp import celery

    survey = make_survey(world.plan)
    Survey.objects.filter(pk=survey.pk).update(milestone_notified=1, last_response_number=60)
    # Each response past the fiftieth may be the one that reached it, until a worker records
    # it: the first queues the check, the next ones from this process within a minute do not.
    for _n in range(3):
        _send_past_the_milestone(survey, django_capture_on_commit_callbacks)
    assert _waiting(broker_without_worker) == 1
    # A minute on, the next response queues it again (in case that message was lost).
    key = ("consultation.tasks.notify_response_milestone", (survey.pk, 50))
    celery.SENT[key] -= services.collecting.QUEUE_AGAIN_AFTER
    _send_past_the_milestone(survey, django_capture_on_commit_callbacks)
    assert _waiting(broker_without_worker) == 2
    assert Survey.objects.get(pk=survey.pk).milestone_notified == 1


def test_a_check_the_stopped_broker_refused_is_queued_by_the_next_response(
        world, django_capture_on_commit_callbacks, broker_without_worker):
    from clp import celery

    survey = make_survey(world.plan)
    Survey.objects.filter(pk=survey.pk).update(milestone_notified=1, last_response_number=60)
    broker_without_worker.stop()
    failures = celery.queue_failures
    for _n in range(2):  # each resident's answers are kept; each tries to queue, and is logged
        _send_past_the_milestone(survey, django_capture_on_commit_callbacks)
    assert celery.queue_failures == failures + 2
    assert celery.SENT == {}
    broker_without_worker.start()
    _send_past_the_milestone(survey, django_capture_on_commit_callbacks)
    assert _waiting(broker_without_worker) == 1


def test_sending_takes_the_same_few_statements_at_two_and_at_forty_responses(
        world, django_capture_on_commit_callbacks):
    from consultation.models import Response

    def final_post(survey) -> list[str]:
        Response.objects.update(client_key="")
        client = Client()
        _start(client, survey)
        client.post(_url("public_page", survey, n=1), _first_page(survey))
        client.post(_url("public_page", survey, n=2), _second_page(survey))
        with CaptureQueriesContext(connection) as queries, \
                django_capture_on_commit_callbacks(execute=True):
            sent = client.post(_url("public_check", survey))
        assert sent["Location"] == _url("public_done", survey)
        return [q["sql"] for q in queries.captured_queries]

    survey = make_survey(world.plan)
    Survey.objects.filter(pk=survey.pk).update(milestone_notified=MILESTONES[-1])
    for _n in range(2):
        submitted_response(survey)
    small = final_post(survey)
    for _n in range(38):
        submitted_response(survey)
    large = final_post(survey)
    assert len(small) == len(large) <= 12
    # The draft is locked and its answers read in one statement; nothing counts the survey.
    assert sum("FOR UPDATE" in sql for sql in large) <= 1
    assert _unbounded_counts([{"sql": sql} for sql in large]) == []


@pytest.mark.django_db(transaction=True)
def test_a_send_replaces_its_plans_token_once_and_never_while_it_holds_the_survey_row(
        monkeypatch, settings):
    """No call to the cache while the send's transaction holds its survey's row (a slow cache
    would hold up every other send to that survey), and one call, not one per change: to the
    tokens of the plan and of its community's portfolio, so no other plan's kept pages (nor the
    site-wide generation) are redrawn."""
    from clp import freshness
    from tests.conftest import build_world
    from tests.realservices import cache_settings

    server = RedisServer().start()
    try:
        settings.CACHES = cache_settings(server.url)
        survey = make_survey(build_world().plan)
        Survey.objects.filter(pk=survey.pk).update(milestone_notified=MILESTONES[-1])
        client = Client()
        _start(client, survey)
        client.post(_url("public_page", survey, n=1), _first_page(survey))
        client.post(_url("public_page", survey, n=2), _second_page(survey))
        replaced, real = [], freshness._replace
        monkeypatch.setattr(freshness, "_replace", lambda *names: (
            replaced.append((names, connection.in_atomic_block)), real(*names))[1])
        before = freshness.generation()
        redis = caches["default"]._cache.get_client()
        stats = redis.info("commandstats")
        writes = [stats.get(f"cmdstat_{verb}", {}).get("calls", 0) for verb in ("set", "mset")]
        sent = client.post(_url("public_check", survey))
        assert sent["Location"] == _url("public_done", survey)
        organisation = survey.plan.community.organisations.get()
        assert replaced == [((freshness.scope("plan", survey.plan_id),  # once, after the commit
                              freshness.scope("organisation", organisation.pk)), False)]
        stats = redis.info("commandstats")
        assert [stats.get(f"cmdstat_{verb}", {}).get("calls", 0) - before_calls
                for verb, before_calls in zip(("set", "mset"), writes, strict=True)] == [0, 1]
        assert freshness.generation() == before  # every other plan's kept pages stay kept
    finally:
        server.stop()

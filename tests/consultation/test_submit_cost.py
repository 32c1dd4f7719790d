"""Sending answers costs the same at the first response and the twenty-thousandth: nothing in the
request (or the milestone check after it) counts every response of the survey."""

import re

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultation import services
from consultation.models import Survey
from consultation.services.base import MILESTONES
from tests.consultation.factories import make_survey, submitted_response
from tests.consultation.test_answering import _answer_all, _start, _url


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
    return [c.func.__self__.name for c in callbacks
            if getattr(c, "func", None) is not None and hasattr(c.func.__self__, "name")]


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

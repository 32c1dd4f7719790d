"""No answer is ever lost: submissions commit in the request, whatever the queue or other clients do."""

import logging
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clp.celery import app
from consultation import services
from consultation.forms.answers import AnswerForm
from consultation.models import (
    AccessMode,
    ImportBatch,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
)
from tests.consultation.factories import make_survey, option, question, submitted_response
from tests.consultation.test_answering import _answer_all, _start

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises every write anyway.")


@pytest.fixture
def broker_down():
    """Celery configured for a real, unreachable broker: sending a task fails after a short wait."""
    previous = {key: app.conf[key] for key in ("broker_url", "broker_connection_timeout",
                                               "broker_transport_options", "task_always_eager")}
    app.conf.update(broker_url="redis://127.0.0.1:9/0", broker_connection_timeout=0.5,
                    broker_transport_options={"max_retries": 0}, task_always_eager=False)
    _forget_connections()
    yield
    app.conf.update(previous)
    _forget_connections()


def _forget_connections() -> None:
    # Celery keeps its broker connection pools; dropping them makes the next task connect afresh.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_a_submission_is_committed_when_the_broker_is_unreachable(world, broker_down, caplog):
    # An in-process Celery worker started by an earlier test leaves the root logger at ERROR.
    caplog.set_level(logging.WARNING, logger="clp.celery")
    survey = make_survey(world.plan)
    client = Client()
    _start(client, survey)
    sent = _answer_all(client, survey)
    assert sent.status_code == 302
    assert sent["Location"] == reverse("consultation:public_done", args=[survey.public_id])
    assert Response.objects.submitted().filter(survey=survey).count() == 1
    assert "Could not queue consultation.tasks.notify_response_milestone" in caplog.text
    assert mail.outbox == []


def test_the_group_is_emailed_once_when_milestones_are_reached(world, django_capture_on_commit_callbacks):
    survey = make_survey(world.plan)
    with django_capture_on_commit_callbacks(execute=True):
        submitted_response(survey)
    assert len(mail.outbox) == 1
    assert "“Village questionnaire” now has 1 responses" in mail.outbox[0].subject
    assert set(mail.outbox[0].to) == {"chair@test.org", "sec@test.org"}
    with django_capture_on_commit_callbacks(execute=True):
        submitted_response(survey)
    assert len(mail.outbox) == 1
    assert services.survey_notify_milestone(survey_id=survey.pk) is False


def test_the_sweep_closes_overdue_surveys_and_sends_missed_milestones(world):
    survey = make_survey(world.plan)
    submitted_response(survey)  # its after-commit work never ran (as if the broker were down)
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    assert services.surveys_sweep() == 1
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED and survey.milestone_notified == 1
    assert len(mail.outbox) == 1
    assert services.surveys_sweep() == 0 and len(mail.outbox) == 1  # safe to run again


def test_the_sweep_forgets_what_is_no_longer_needed(world):
    survey = make_survey(world.plan)
    old = timezone.now() - timedelta(days=40)
    sent = submitted_response(survey)
    Response.objects.filter(pk=sent.pk).update(client_key="abc", submitted_at=old)
    abandoned = services.response_start(survey=survey)
    services.survey_close(survey=survey, actor=None)
    Response.objects.filter(pk=abandoned.pk).update(updated_at=old)
    stale = ImportBatch.objects.create(survey=survey, filename="a.csv", content="x")
    ImportBatch.objects.filter(pk=stale.pk).update(uploaded_at=old)
    services.surveys_sweep()
    assert Response.objects.get(pk=sent.pk).client_key == ""
    assert not Response.objects.filter(pk=abandoned.pk).exists()
    assert not ImportBatch.objects.exists()


def _in_threads(functions) -> list:
    """Run each function in its own thread and database connection, all released at once."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as error:  # noqa: BLE001 - the test inspects what each client got
            results[i] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def _ready_draft(survey, code_text=""):
    draft = services.response_start(survey=survey, code_text=code_text)
    single = question(survey, QuestionKind.SINGLE)
    form = AnswerForm({f"q{single.pk}": str(option(single, "Over 10 years").pk)}, questions=[single])
    assert form.is_valid()
    services.answers_save(response=draft, rows=form.answer_rows())
    return draft


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_many_residents_sending_at_once_are_all_committed(world):
    survey = make_survey(world.plan)
    drafts = [_ready_draft(survey) for _i in range(12)]
    results = _in_threads([lambda d=d: services.response_submit(response=d) for d in drafts])
    assert all(isinstance(r, Response) for r in results), results
    assert Response.objects.submitted().filter(survey=survey).count() == 12


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_answers_sent_at_once_from_one_device_are_counted_once(world):
    # Several sessions on one device (a script), each with the same answers, all sent at once:
    # each send sees what the one before it committed, so only the first is counted.
    survey = make_survey(world.plan)
    drafts = [_ready_draft(survey) for _i in range(6)]
    results = _in_threads([lambda d=d: services.response_submit(response=d, client_key="one-device")
                           for d in drafts])
    assert sum(isinstance(r, Response) for r in results) == 1, results
    refused = [r for r in results if isinstance(r, services.Refused)]
    assert len(refused) == 5 and all("already been sent from this device" in r.message
                                     for r in refused), results
    assert Response.objects.submitted().filter(survey=survey).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_device_sending_at_once_cannot_pass_the_daily_limit(world, settings):
    settings.CONSULTATION_MAX_DAILY_PER_DEVICE = 2
    survey = make_survey(world.plan)
    single = question(survey, QuestionKind.SINGLE)
    choices = list(single.options.all())
    assert len(choices) >= 3
    drafts = []
    for choice in choices:  # a different answer each: none is a repeat, only the limit applies
        draft = services.response_start(survey=survey)
        form = AnswerForm({f"q{single.pk}": str(choice.pk)}, questions=[single])
        assert form.is_valid()
        services.answers_save(response=draft, rows=form.answer_rows())
        drafts.append(draft)
    results = _in_threads([lambda d=d: services.response_submit(response=d, client_key="busy-device")
                           for d in drafts])
    assert sum(isinstance(r, Response) for r in results) == 2, results
    assert all("Many answers have been sent from this device" in r.message
               for r in results if not isinstance(r, Response)), results
    assert Response.objects.submitted().filter(survey=survey).count() == 2


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_sending_at_once_with_the_same_code_exactly_one_wins(world):
    survey = make_survey(world.plan, access=AccessMode.CODES)
    [code] = services.codes_generate(survey=survey, count=1, batch="", actor=world.people["chair"])
    draft = _ready_draft(survey, code)
    results = _in_threads([lambda: services.response_submit(response=draft)] * 2)
    winners = [r for r in results if isinstance(r, Response)]
    losers = [r for r in results if isinstance(r, services.CodeRefused)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "already been used" in losers[0].message
    assert Response.objects.submitted().count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_volunteers_typing_in_the_same_code_at_once_exactly_one_wins(world):
    survey = make_survey(world.plan, access=AccessMode.BOTH)
    [printed] = services.codes_generate(survey=survey, count=1, batch="", actor=world.people["chair"])
    code = survey.codes.get()
    results = _in_threads([
        lambda who=who: services.response_enter(survey=survey, channel="paper", rows={},
                                                actor=world.people[who], code_text=printed)
        for who in ("chair", "member")])
    assert sum(isinstance(r, Response) for r in results) == 1, results
    assert sum(isinstance(r, services.DuplicateCode) for r in results) == 1, results
    assert Response.objects.filter(code=code).count() == 1

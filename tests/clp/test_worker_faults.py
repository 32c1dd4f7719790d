"""The worker and the mail server fail; no email is lost and none is held up behind a lock.

Real services: a loopback socket that accepts SMTP connections and never answers, the test's own
redis-server, and real `celery worker` processes that the test kills with SIGKILL."""

import os
import signal
import threading
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core import mail
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from clp import outbox, services
from clp.models import Invitation
from tests.factories import InvitationFactory
from tests.realservices import (
    RedisServer,
    SilentMailServer,
    celery_on,
    kill_worker,
    pool_children,
    start_worker,
    wait_for,
)

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Row locks and a worker process need PostgreSQL")


@pytest.fixture
def silent_mail_server(settings):
    server = SilentMailServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
    settings.EMAIL_TIMEOUT = 1.5
    yield server
    server.close()


def _in_thread(fn) -> dict:
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = fn()
        except Exception as error:  # noqa: BLE001 - the test inspects what the sender got
            outcome["error"] = error
        finally:
            connection.close()

    outcome["thread"] = thread = threading.Thread(target=run)
    thread.start()
    return outcome


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_never_answers_times_out_holds_no_lock_and_the_sweep_retries(
        world, silent_mail_server, settings):
    invitation = InvitationFactory(email="waiting@test.org", kind="steering", target_id=world.plan.pk,
                                   invited_by=world.people["chair"])
    started = time.monotonic()
    sending = _in_thread(lambda: services.invitation_send(invitation_id=invitation.pk))
    assert wait_for(lambda: silent_mail_server.accepted, 5)  # the worker is talking to the server
    # Meanwhile the row is free: another transaction locks and changes it without waiting.
    with transaction.atomic():
        locked = Invitation.objects.select_for_update(nowait=True).get(pk=invitation.pk)
        assert locked.sending_since is not None  # claimed, not locked
        Invitation.objects.filter(pk=invitation.pk).update(full_name="Changed meanwhile")
    sending["thread"].join(10)
    error = sending.get("error")
    assert isinstance(error, outbox.EMAIL_TASK["autoretry_for"]) and "timed out" in str(error)
    assert time.monotonic() - started < 6
    stuck = Invitation.objects.get(pk=invitation.pk)
    assert stuck.sent_at is None and stuck.sending_since is None  # the claim was released

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert services.invitation_resend_unsent() == 1  # eager here: the task runs at once
    assert Invitation.objects.get(pk=invitation.pk).sent_at is not None
    assert [m.to for m in mail.outbox] == [["waiting@test.org"]]


@pytest.mark.django_db
def test_a_row_claimed_by_another_worker_is_not_sent_twice(world):
    invitation = InvitationFactory(kind="steering", target_id=world.plan.pk)
    Invitation.objects.filter(pk=invitation.pk).update(sending_since=timezone.now())
    with pytest.raises(outbox.Busy):
        services.invitation_send(invitation_id=invitation.pk)
    assert mail.outbox == []
    # A claim older than any task may run belongs to a dead worker: the row is free again.
    Invitation.objects.filter(pk=invitation.pk).update(sending_since=timezone.now() - timedelta(hours=1))
    assert services.invitation_send(invitation_id=invitation.pk) is True
    assert services.invitation_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


def _database_url() -> str:
    """The test database, for a worker process started by the test."""
    db = connection.settings_dict
    login = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_email_has_its_message_processed_after_restart(world, tmp_path):
    redis_server = RedisServer().start()
    mail_server = SilentMailServer()
    visibility = 12
    env = {"REDIS_URL": redis_server.url, "DATABASE_URL": _database_url(),
           "CELERY_TASK_SOFT_TIME_LIMIT": "1", "CELERY_TASK_TIME_LIMIT": "1",
           "CELERY_VISIBILITY_TIMEOUT": str(visibility), "DJANGO_DEBUG": "true"}
    log = tmp_path / "worker.log"
    invitation = InvitationFactory(email="after.crash@test.org", kind="steering",
                                   target_id=world.plan.pk, invited_by=world.people["chair"])
    close_old_connections()
    try:
        hanging = start_worker({**env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mail_server.port),
                                "EMAIL_USE_TLS": "false", "EMAIL_TIMEOUT": "60",
                                "CELERY_TASK_SOFT_TIME_LIMIT": "30", "CELERY_TASK_TIME_LIMIT": "30",
                                "CELERY_VISIBILITY_TIMEOUT": "60"}, log=log)
        from clp import tasks

        with celery_on(redis_server.url):
            assert tasks.send_invitation.send_or_log((invitation.pk,))
        assert wait_for(lambda: mail_server.accepted, 30), log.read_text()
        killed_at = time.monotonic()
        kill_worker(hanging)  # SIGKILL, mid-conversation with the mail server
        assert Invitation.objects.get(pk=invitation.pk).sent_at is None
        # The restarted worker has a working mail set-up (console) and short limits.
        restarted = start_worker(env, log=log)
        try:
            assert wait_for(lambda: Invitation.objects.get(pk=invitation.pk).sent_at is not None,
                            visibility + 60), log.read_text()
        finally:
            kill_worker(restarted)
        waited = time.monotonic() - killed_at
        assert waited < visibility + 60
        assert log.read_text().count("To: after.crash@test.org") == 1, log.read_text()
    finally:
        mail_server.close()
        redis_server.stop()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_pool_process_killed_mid_email_is_retried_once_its_claim_expires(world, tmp_path):
    redis_server = RedisServer().start()
    mail_server = SilentMailServer()
    # Hard limit 6 s, so a claim lasts 16 s; the mail server hangs until it is told to answer.
    env = {"REDIS_URL": redis_server.url, "DATABASE_URL": _database_url(), "DJANGO_DEBUG": "true",
           "CELERY_TASK_SOFT_TIME_LIMIT": "5", "CELERY_TASK_TIME_LIMIT": "6",
           "CELERY_VISIBILITY_TIMEOUT": "30", "EMAIL_HOST": "127.0.0.1",
           "EMAIL_PORT": str(mail_server.port), "EMAIL_USE_TLS": "false", "EMAIL_TIMEOUT": "60"}
    log = tmp_path / "worker.log"
    invitation = InvitationFactory(email="child.lost@test.org", kind="steering",
                                   target_id=world.plan.pk, invited_by=world.people["chair"])
    close_old_connections()
    worker = start_worker(env, log=log)
    try:
        from clp import tasks

        with celery_on(redis_server.url):
            assert tasks.send_invitation.send_or_log((invitation.pk,))
        assert wait_for(lambda: mail_server.accepted, 30), log.read_text()
        children = pool_children(worker)
        assert len(children) == 1
        os.kill(children[0], signal.SIGKILL)  # the process sending the email dies
        mail_server.answer()
        # reject_on_worker_lost puts the message straight back; the next run finds the row
        # claimed by the dead process and retries once that claim has expired.
        assert wait_for(lambda: Invitation.objects.get(pk=invitation.pk).sent_at is not None,
                        60), log.read_text()
        assert len(mail_server.received) == 1 and b"child.lost@test.org" in mail_server.received[0]
        assert "WorkerLostError" in log.read_text() or "Worker exited" in log.read_text()
    finally:
        kill_worker(worker)
        mail_server.close()
        redis_server.stop()


def test_a_visibility_timeout_shorter_than_a_claim_is_refused_at_start_up():
    from tests.clp.test_settings import _manage

    result = _manage("check", CELERY_VISIBILITY_TIMEOUT="60", DJANGO_DEBUG="true")
    assert result.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT must be longer" in result.stderr


def test_every_sweep_in_the_beat_schedule_is_a_real_task_and_runs_at_least_hourly(settings):
    from clp.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
        assert entry["schedule"] <= 3600, name
    swept = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"clp.tasks.sweep_unsent_invitations", "consultation.tasks.sweep_surveys",
            "actions.tasks.sweep_unemailed_requests"} <= swept

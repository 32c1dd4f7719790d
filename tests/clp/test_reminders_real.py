"""Reminders on the real services: a Celery worker process on real Redis, sweeps run as separate
processes (as beat and cron would), and a real SMTP server on loopback (aiosmtpd). Nothing of
ours is mocked. The broker-outage test starts its own redis-server and stops only that one."""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from clp import services
from clp.models import Reminder, ReminderStatus
from consultation.models import Survey

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


class Mailbox:
    """An SMTP server's handler: keeps what it accepted; refuses the first `fail_first` messages
    with the given reply (a 4xx is "try again later")."""

    def __init__(self, fail_first: int = 0, reply: str = "451 4.3.0 Try again later"):
        self.messages, self.attempts = [], 0
        self.fail_first, self.reply = fail_first, reply

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.attempts <= self.fail_first:
            return self.reply
        self.messages.append(envelope)
        return "250 OK"

    def to(self) -> list[str]:
        return sorted(address for m in self.messages for address in m.rcpt_tos)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    def start(**options) -> Mailbox:
        mailbox = Mailbox(**options)
        controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        started.append(controller)
        mailbox.port = controller.port
        return mailbox

    started = []
    yield start
    for controller in started:
        controller.stop()


def _env(redis_url: str, mailbox: Mailbox) -> dict:
    db = connection.settings_dict
    login = f"{quote(db['USER'])}:{quote(db['PASSWORD'])}" if db.get("PASSWORD") else quote(db["USER"])
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "clp.settings", "REDIS_URL": redis_url,
            "DATABASE_URL": f"postgres://{login}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mailbox.port), "EMAIL_USE_TLS": "false",
            "DJANGO_DEBUG": "true"}


@pytest.fixture
def worker():
    """Start `celery worker` processes; each is stopped at the end of the test."""
    if not settings.REDIS_URL:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI must run with REDIS_URL set")
        pytest.skip("Set REDIS_URL to run against a real Redis")
    if connection.vendor != "postgresql":
        pytest.skip("Worker processes need a database they can share: set DATABASE_URL to PostgreSQL")
    processes = []

    def start(redis_url: str, mailbox: Mailbox) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "clp", "worker", "--pool", "solo", "-l", "info",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=_env(redis_url, mailbox), stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True,
        )
        processes.append(process)
        deadline = time.monotonic() + 60
        for line in process.stderr:
            if " ready." in line:
                break
            assert time.monotonic() < deadline, "the worker did not start"
        # Keep reading its log so a full pipe never blocks the worker.
        threading.Thread(target=process.stderr.read, daemon=True).start()
        return process

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=20)


def sweep_process(redis_url: str, mailbox: Mailbox) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", "sweep_reminders"], cwd=ROOT,
                            env=_env(redis_url, mailbox), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def run_sweep(redis_url: str, mailbox: Mailbox) -> subprocess.CompletedProcess:
    process = sweep_process(redis_url, mailbox)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def wait_until(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def surveys_closing(plan, n: int = 2) -> None:
    for i in range(n):
        survey = Survey.objects.create(plan=plan, title=f"Survey {i}",
                                       closes_on=timezone.localdate() + timedelta(days=2))
        survey.open()
        survey.save()


def all_sent() -> bool:
    return set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_sweep_run_twice_sends_one_email_per_person_through_a_real_worker(world, smtp, worker):
    mailbox = smtp()
    surveys_closing(world.plan)
    worker(settings.REDIS_URL, mailbox)
    run_sweep(settings.REDIS_URL, mailbox)
    run_sweep(settings.REDIS_URL, mailbox)
    wait_until(lambda: len(mailbox.messages) >= 2 and all_sent())
    time.sleep(2)  # anything sent twice would arrive by now
    assert mailbox.to() == ["chair@test.org", "sec@test.org"]  # two items each, one digest each
    assert Reminder.objects.count() == 4
    message = mailbox.messages[0].content.decode()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message


def test_two_sweeps_at_once_send_no_duplicate(world, smtp, worker):
    mailbox = smtp()
    surveys_closing(world.plan, n=3)
    worker(settings.REDIS_URL, mailbox)
    worker(settings.REDIS_URL, mailbox)  # two workers too, as two send tasks race for a person
    sweeps = [sweep_process(settings.REDIS_URL, mailbox) for _i in range(3)]
    for process in sweeps:
        assert process.wait(timeout=120) == 0, process.stderr.read()
    wait_until(lambda: len(mailbox.messages) >= 2 and all_sent())
    time.sleep(2)
    assert mailbox.to() == ["chair@test.org", "sec@test.org"]
    assert Reminder.objects.count() == 6


def test_a_transient_smtp_error_is_retried_and_the_email_sent_once(world, smtp, worker):
    mailbox = smtp(fail_first=1)
    surveys_closing(world.plan, n=1)
    world.plan.memberships.filter(role="secretary").delete()  # one recipient: one message
    worker(settings.REDIS_URL, mailbox)
    run_sweep(settings.REDIS_URL, mailbox)
    wait_until(lambda: mailbox.messages and all_sent())
    time.sleep(2)
    assert mailbox.attempts == 2 and mailbox.to() == ["chair@test.org"]
    reminder = Reminder.objects.get()
    assert reminder.attempts == 2 and reminder.sent_at is not None


def test_a_refused_address_is_marked_failed_and_shown_on_the_ledger(world, smtp, settings):
    mailbox = smtp(fail_first=5, reply="550 5.1.1 No such mailbox")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", mailbox.port, False
    surveys_closing(world.plan, n=1)
    services.reminders_sweep()  # tasks run eagerly here, through the real SMTP server
    assert mailbox.attempts == 2 and mailbox.messages == []
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.FAILED}
    page = world.client("chair").get(reverse("plans:notifications", args=[world.plan.pk]))
    assert "No such mailbox" in page.content.decode()


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own on a free port, which the test may stop and restart."""
    binary = shutil.which("redis-server")
    if binary is None or not settings.REDIS_URL:
        pytest.skip("needs redis-server and REDIS_URL")
    port, processes = free_port(), []

    def start() -> None:
        process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                    "--appendonly", "no", "--dir", str(tmp_path)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(process)
        wait_until(lambda: _answers(port), 15)

    def stop() -> None:
        processes[-1].terminate()
        processes[-1].wait(timeout=10)

    start.stop, start.url = stop, f"redis://127.0.0.1:{port}/0"
    yield start
    for process in processes:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_broker_down_rows_stay_due_and_go_out_when_it_returns(world, smtp, worker, own_redis):
    mailbox = smtp()
    surveys_closing(world.plan, n=1)
    own_redis()
    own_redis.stop()
    swept = run_sweep(own_redis.url, mailbox)  # beat or cron runs the sweep during the outage
    assert "broker unreachable" in swept.stderr
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.DUE}
    # The web app keeps working meanwhile: the ledger page reads only the database.
    assert world.client("chair").get(reverse("plans:notifications", args=[world.plan.pk])).status_code == 200
    own_redis()
    worker(own_redis.url, mailbox)
    run_sweep(own_redis.url, mailbox)
    wait_until(lambda: len(mailbox.messages) >= 2 and all_sent())
    time.sleep(1)
    assert mailbox.to() == ["chair@test.org", "sec@test.org"]

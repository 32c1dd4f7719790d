"""The health endpoint, the beat heartbeat, JSON logs and the optional error reporting switch."""

import json
import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clp import health
from clp.logs import JsonFormatter
from clp.models import Heartbeat
from clp.tasks import beat_heartbeat

pytestmark = pytest.mark.django_db


def _health():
    response = Client().get("/health/")
    return response.status_code, json.loads(response.content)


def test_without_a_broker_the_database_is_checked_and_celery_is_not_used(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    status, body = _health()
    assert status == 200
    assert body == {"status": "ok", "database": "ok", "broker": "not used", "beat": "not used",
                    "beat_last_run": None}


def test_with_a_broker_a_missing_or_late_heartbeat_is_a_503(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    status, body = _health()
    assert status == 503 and body["beat"] == "never ran" and body["broker"] == "ok"
    Heartbeat.objects.create(name=health.BEAT, at=timezone.now() - timedelta(minutes=10))
    status, body = _health()
    assert status == 503 and body["beat"] == "late"
    beat_heartbeat()  # what the beat schedules every minute
    status, body = _health()
    assert status == 200 and body["beat"] == "ok" and body["beat_last_run"]
    assert "beat-heartbeat" in settings.CELERY_BEAT_SCHEDULE


def test_an_unreachable_broker_is_reported_without_its_address(settings):
    from clp.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    beat_heartbeat()
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        status, body = _health()
    finally:
        app.conf.broker_url = original
    assert status == 503 and body["broker"] == "failing"
    assert "127.0.0.1" not in json.dumps(body)


def test_json_logs_are_one_object_a_line():
    record = logging.LogRecord("clp.test", logging.WARNING, __file__, 1, "Survey %s closed", (7,),
                               None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "Survey 7 closed"
    assert entry["level"] == "WARNING" and entry["logger"] == "clp.test"


def test_log_format_and_sentry_are_switched_by_environment_variables(monkeypatch):
    import subprocess
    import sys

    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='clp.settings';"
            "from django.conf import settings;"
            "print(settings.LOGGING['handlers']['console'].get('formatter'))")
    env = {**__import__("os").environ, "LOG_FORMAT": "json"}
    assert subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip() == "json"
    env.pop("LOG_FORMAT")
    env["SENTRY_DSN"] = "https://key@sentry.example/1"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    try:
        import sentry_sdk  # noqa: F401
    except ImportError:
        assert "SENTRY_DSN is set but sentry-sdk is not installed" in result.stderr
    else:
        assert result.returncode == 0

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from clp.env import env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=120)


def test_a_malformed_boolean_is_an_error_not_false(monkeypatch):
    monkeypatch.setenv("X_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        env_bool("X_FLAG", False)
    monkeypatch.setenv("X_FLAG", "off")
    assert env_bool("X_FLAG", True) is False


def test_a_malformed_number_is_an_error(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_NUM", 1)


def test_production_needs_a_secret_key():
    result = _manage("check", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_migration_check_runs_without_a_key_and_nothing_else_does():
    # Only `makemigrations` (which never reads the key) may start with none set.
    result = _manage("makemigrations", "--check", "--dry-run", DJANGO_DEBUG="false")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    for command in (["migrate", "--check"], ["showmigrations"], ["collectstatic", "--noinput"]):
        refused = _manage(*command, DJANGO_DEBUG="false")
        assert refused.returncode != 0
        assert "DJANGO_SECRET_KEY must be set" in refused.stderr


def test_deploy_check_is_clean_in_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="false",
                     DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
                     DJANGO_ALLOWED_HOSTS="clp.example.org")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_ci_runs_on_postgresql_and_redis():
    if os.environ.get("CI", "").lower() != "true":
        pytest.skip("Only CI promises PostgreSQL and Redis")
    assert connection.vendor == "postgresql"
    assert os.environ.get("REDIS_URL")


def test_production_is_the_default_when_nothing_is_set():
    result = _manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_demo_asks_for_debug_explicitly():
    plan = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    commands = [line for line in plan.stdout.splitlines() if "manage.py" in line]
    assert commands and all("DJANGO_DEBUG=true" in line for line in commands), plan.stdout
    assert _manage("check", DJANGO_DEBUG="true").returncode == 0

"""One real round trip: a Celery worker consumes from the real Redis and sends the invitation."""

import os
import time

import pytest
from django.conf import settings
from django.core import mail

from clp import services
from clp.celery import app
from plans.models import Role

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_worker():
    if not settings.REDIS_URL:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI must run with REDIS_URL set")
        pytest.skip("Set REDIS_URL to run against a real Redis")
    from celery.contrib.testing.worker import start_worker

    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield
    app.conf.task_always_eager = True


def test_invitation_email_goes_through_redis_and_a_real_worker(world, redis_worker):
    invitation = services.invitation_create(
        email="through.redis@example.org", kind="steering", role=Role.MEMBER,
        target_id=world.plan.pk, actor=world.people["chair"],
    )
    # The worker sends, then marks the row sent: wait for the mark, not just the email.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        invitation.refresh_from_db()
        if invitation.sent_at is not None:
            break
        time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [["through.redis@example.org"]]
    assert invitation.sent_at is not None
    # A duplicate message (e.g. redelivered after a worker crash) is consumed but sends nothing.
    from clp.tasks import send_invitation

    result = send_invitation.apply_async((invitation.pk,), ignore_result=False)
    assert result.get(timeout=20) is False
    assert len(mail.outbox) == 1

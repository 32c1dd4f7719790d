"""With Redis (cache and broker) really stopped, a progress update still saves through the real
page and a resident can still ask to follow the plan; the emails those cause go out once Redis is
back. The test runs its own redis-server and stops that one."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions import delivery, tokens
from actions.models import Action, Follower, PlanVersion, ProgressUpdate
from clp import celery as clp_celery
from clp import services
from clp.models import Reminder, ReminderStatus
from plans.models import Plan
from plans.steps import Step
from tests.actions.factories import ActionFactory, PriorityFactory
from tests.realservices import RedisServer, cache_settings, celery_on, wait_for


@pytest.fixture
def own_redis(settings):
    server = RedisServer().start()
    settings.CACHES = cache_settings(server.url)
    with celery_on(server.url):
        yield server
    server.stop()


@pytest.mark.django_db(transaction=True)
def test_progress_update_saves_with_redis_stopped_and_followers_hear_once_it_is_back(
        world, own_redis, caplog):
    caplog.set_level(logging.WARNING)
    Plan.objects.filter(pk=world.plan.pk).update(step=Step.IMPLEMENTING)
    PlanVersion.objects.create(plan=world.plan, number=1, data={}, frozen_by=world.people["chair"])
    priority = PriorityFactory(plan=world.plan, title="Speeding")
    action = ActionFactory(priority=priority, what="Ask for 20 mph signs")
    Follower.objects.create(plan=world.plan, email="fan@res.test", nonce=tokens.new_nonce(),
                            confirm_emailed_at=timezone.now(),
                            confirmed_at=timezone.now() - timedelta(days=1))
    own_redis.stop()
    failures_before = clp_celery.queue_failures

    saved = world.client("member").post(
        reverse("actions:update_new", kwargs={"pk": world.plan.pk, "prid": priority.pk,
                                              "aid": action.pk}),
        {"status": "on_track", "percent": 20, "reason": "County agreed to survey", "note": ""})
    assert saved.status_code == 302, saved.content
    assert ProgressUpdate.objects.get(action=action).reason == "County agreed to survey"
    assert Action.objects.get(pk=action.pk).progress == "on_track"

    # A resident asks to follow meanwhile: the page works (the rate limit fails open).
    followed = Client().post(reverse("actions:follow", kwargs={"pk": world.plan.pk}),
                             {"email": "new.fan@res.test"})
    assert followed.status_code == 200 and b"Check your email" in followed.content
    assert Follower.objects.get(email="new.fan@res.test").confirm_emailed_at is None

    services.reminders_sweep(today=timezone.localdate())  # the beat sweep during the outage
    waiting = Reminder.objects.get(kind="followed_progress")
    assert waiting.status == ReminderStatus.DUE and waiting.recipient.email == "fan@res.test"
    assert clp_celery.queue_failures > failures_before
    assert mail.outbox == []

    own_redis.start()
    Follower.objects.filter(email="new.fan@res.test").update(
        created_at=timezone.now() - timedelta(hours=1))
    from celery.contrib.testing.worker import start_worker

    from clp.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        services.reminders_sweep(today=timezone.localdate())
        assert delivery.resend_lost_emails() == 1
        assert wait_for(lambda: Reminder.objects.get(pk=waiting.pk).status == ReminderStatus.SENT, 20)
        assert wait_for(lambda: Follower.objects.get(email="new.fan@res.test").confirm_emailed_at, 20)
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["fan@res.test", "new.fan@res.test"]
    digest = next(m for m in mail.outbox if m.to == ["fan@res.test"])
    assert "“Ask for 20 mph signs” is now on track" in digest.body

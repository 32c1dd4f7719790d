"""With Redis (cache and broker) really stopped, residents and volunteers still get their pages, and
what was saved goes out through the sweep once it is back. The test runs its own redis-server."""

import logging
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import DraftComment
from clp import cache as fail_open_cache
from clp import celery as clp_celery
from clp import services
from clp.models import Invitation
from consultation import services as consultation_services
from consultation.models import AccessMode, Response
from tests.consultation.factories import make_survey
from tests.consultation.test_answering import _answer_all, _start, _url
from tests.factories import PASSWORD
from tests.realservices import RedisServer, cache_settings, celery_on, wait_for


@pytest.fixture
def own_redis(settings):
    server = RedisServer().start()
    settings.CACHES = cache_settings(server.url)
    with celery_on(server.url):
        yield server
    server.stop()


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_every_page_works_with_redis_stopped_and_the_sweep_sends_what_waited(world, own_redis,
                                                                             caplog):
    caplog.set_level(logging.WARNING)
    survey = make_survey(world.plan)
    coded = make_survey(world.plan, access=AccessMode.CODES, title="Leaflet survey")
    [code] = consultation_services.codes_generate(survey=coded, count=1, batch="",
                                                  actor=world.people["chair"])
    from tests.actions.test_draft import _publish

    _publish(world)
    own_redis.stop()
    queue_failures_before = clp_celery.queue_failures

    resident = Client()
    started, seconds = _timed(lambda: _start(resident, survey))
    assert started.status_code == 302 and seconds < 5
    assert resident.get(_url("public_start", survey)).status_code == 200
    draft = Response.objects.get(survey=survey)
    resumed = Client().post(reverse("consultation:public_resume", kwargs={"public_id": survey.public_id}),
                            {"link": f"https://example.org/s/{survey.public_id}/resume/#{draft.resume_token}"})
    assert resumed.status_code == 200 and "Welcome back" in resumed.text
    sent = _answer_all(resident, survey)  # both page POSTs, then the final submit
    assert sent["Location"] == _url("public_done", survey)
    assert Response.objects.submitted().filter(survey=survey).count() == 1

    with_code = _start(Client(), coded, code=code)
    assert with_code.status_code == 302, with_code.content

    volunteer = Client()
    logged_in = volunteer.post(reverse("account_login"),
                               {"login": world.people["member"].email, "password": PASSWORD})
    assert logged_in.status_code == 302
    wrong = Client().post(reverse("account_login"), {"login": "someone@test.org", "password": "x"})
    assert wrong.status_code == 200 and "not correct" in wrong.text

    commented = Client().post(reverse("actions:public_draft", kwargs={"pk": world.plan.pk}),
                              {"body": "Please add the bridleway."})
    assert commented.status_code == 302
    assert DraftComment.objects.filter(body="Please add the bridleway.").exists()

    invited = world.client("chair").post(
        reverse("plans:member_invite", kwargs={"pk": world.plan.pk}),
        {"email": "new.member@test.org", "role": "member"})
    assert invited.status_code == 302
    invitation = Invitation.objects.get(email="new.member@test.org")
    assert invitation.sent_at is None
    assert "Could not queue clp.tasks.send_invitation" in caplog.text
    assert clp_celery.queue_failures > queue_failures_before
    assert "Cache unreachable" in caplog.text
    assert fail_open_cache.failures() > 0

    own_redis.start()
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(hours=1))
    from celery.contrib.testing.worker import start_worker

    from clp.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert services.invitation_resend_unsent() == 1
        assert wait_for(lambda: Invitation.objects.get(pk=invitation.pk).sent_at is not None, 20)
    assert [m.to for m in mail.outbox] == [["new.member@test.org"]]
    consultation_services.surveys_sweep()  # the milestone email the outage held back
    assert "now has 1 responses" in mail.outbox[-1].subject


@pytest.mark.django_db
def test_rate_limits_still_count_while_redis_is_up(world, own_redis, settings):
    settings.CONSULTATION_RATE_PUBLIC = "2/h"
    survey = make_survey(world.plan)
    client = Client()
    assert [_start(client, survey).status_code for _n in range(3)] == [302, 302, 429]


def test_an_unreachable_cache_is_not_tried_again_until_its_retry_interval(settings, caplog):
    caplog.set_level(logging.WARNING, logger="clp.cache")
    server = RedisServer().start()
    settings.CACHES = cache_settings(server.url, retry_after=60)
    from django.core.cache import cache

    cache.set("k", 1)
    assert cache.get("k") == 1
    server.stop()
    location = server.url
    before = fail_open_cache.failures(location)
    started = time.monotonic()
    assert cache.add("k2", 1) is True  # "stored": a rate limit lets the request through
    assert cache.get("k", "missing") == "missing"
    assert cache.incr("k") is None
    assert time.monotonic() - started < 2
    assert fail_open_cache.failures(location) == before + 3
    assert caplog.text.count("Cache unreachable") == 1  # one attempt, then answered without it

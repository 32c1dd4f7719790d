"""A real `celery worker` process on the test's own redis-server is killed (SIGKILL) while it builds
a plan; a restarted worker, sent the beat sweep as beat would send it, finishes the row, and the
lost message redelivered later finds the work done: one file."""

import time
from pathlib import Path

import pytest
from django.db import close_old_connections, connection

from actions.models import Section
from plans import services, tasks
from plans.models import Publication, PublicationStatus
from tests.actions.factories import ActionFactory, PriorityFactory
from tests.actions.publishing_data import frozen_version
from tests.clp.test_worker_faults import _database_url
from tests.realservices import RedisServer, celery_on, kill_worker, start_worker, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql",
                                 reason="A worker process needs the test's PostgreSQL database")]

# Short limits, so a `rendering` row is stale (its worker dead) after 30 s + 10 s.
LIMITS = {"CELERY_TASK_SOFT_TIME_LIMIT": "25", "CELERY_TASK_TIME_LIMIT": "30",
          "CELERY_VISIBILITY_TIMEOUT": "45"}


def _big_version(world):
    """A plan long enough that building it takes a few seconds: time to kill the worker."""
    for n in range(8):
        priority = PriorityFactory(plan=world.plan, title=f"Priority {n}: footpaths and verges",
                                   section=Section.COMMUNITY if n % 2 else Section.HELP)
        for m in range(5):
            ActionFactory(priority=priority, what=f"Action {n}.{m}: survey, clear and waymark the path",
                          lead_name="Jo Volunteer")
    return frozen_version(world)


def _files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "publications"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_worker_killed_mid_render_leaves_the_row_for_the_sweep_and_one_file(world, settings, tmp_path):
    version = _big_version(world)
    redis_server = RedisServer().start()
    env = {"REDIS_URL": redis_server.url, "DATABASE_URL": _database_url(), "DJANGO_DEBUG": "true",
           "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT), **LIMITS}
    log = tmp_path / "worker.log"
    close_old_connections()
    worker = start_worker(env, log=log)
    restarted = None
    try:
        with celery_on(redis_server.url):
            publication = services.publication_request(plan=world.plan, kind="plan", source_id=version.pk,
                                                       actor=world.people["chair"])
            assert wait_for(lambda: Publication.objects.get(pk=publication.pk).status
                            == PublicationStatus.RENDERING, 60, interval=0.02), log.read_text()
            kill_worker(worker)  # SIGKILL, mid-render
            killed = Publication.objects.get(pk=publication.pk)
            assert killed.status == PublicationStatus.RENDERING and killed.attempts == 1, log.read_text()
            assert not killed.file and _files(settings) == []

            restarted = start_worker(env, log=log)
            # What beat does every few minutes: send the sweep. Until the row is stale (its worker
            # could still be alive) the sweep leaves it alone; then it is queued and built.
            def built() -> bool:
                tasks.sweep_publications.delay()
                return Publication.objects.get(pk=publication.pk).status == PublicationStatus.DONE

            assert wait_for(built, 240, interval=3), log.read_text()  # generous: CI may be busy
            done = Publication.objects.get(pk=publication.pk)
            assert done.attempts == 2 and done.pages >= 4
            # The killed worker's message comes back once its visibility timeout passes (or a
            # duplicate is sent): it finds the row done and leaves the one file alone.
            result = tasks.render_publication.apply_async((publication.pk,), ignore_result=False)
            assert result.get(timeout=60) is False
            time.sleep(1)
    finally:
        for process in (worker, restarted):
            if process is not None:
                kill_worker(process)
        redis_server.stop()
    done = Publication.objects.get(pk=publication.pk)
    assert done.status == PublicationStatus.DONE and done.attempts == 2, log.read_text()
    assert _files(settings) == [Path(settings.MEDIA_ROOT) / done.file.name]

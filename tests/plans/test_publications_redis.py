"""A real Celery worker on the real Redis builds a publication; running the task twice leaves one file."""

import time
from pathlib import Path

import pytest

from plans import services
from plans.models import Publication, PublicationStatus
from tests.actions.publishing_data import frozen_version
from tests.clp.test_celery_redis import redis_worker  # noqa: F401 (fixture)

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_builds_the_plan_once(world, settings, redis_worker):  # noqa: F811
    version = frozen_version(world)
    publication = services.publication_request(plan=world.plan, kind="plan", source_id=version.pk,
                                               actor=world.people["chair"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        publication = Publication.objects.get(pk=publication.pk)
        if not publication.is_waiting:
            break
        time.sleep(0.2)
    assert publication.status == PublicationStatus.DONE, publication.error
    from plans.tasks import render_publication

    assert render_publication.apply_async((publication.pk,), ignore_result=False).get(timeout=30) is False
    files = [p for p in (Path(settings.MEDIA_ROOT) / "publications").rglob("*") if p.is_file()]
    assert files == [Path(settings.MEDIA_ROOT) / publication.file.name]
    assert Publication.objects.get(pk=publication.pk).sha256 == publication.sha256

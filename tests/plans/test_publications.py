"""The publishing pipeline: a Publication row is the record of work; the task claims it, builds and
checks the PDF, and stores one file; a sweep finds lost and stalled work."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from clp.exceptions import Refused
from plans import documents, services, tasks
from plans.models import Publication, PublicationStatus
from tests.actions.publishing_data import frozen_version

pytestmark = pytest.mark.django_db


def _files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "publications"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _queued(world, version) -> Publication:
    return Publication.objects.create(plan=world.plan, kind="plan", source_id=version.pk,
                                      title="Plan", requested_by=world.people["chair"])


def test_publish_queues_after_commit_and_the_task_builds_one_file(
        world, settings, django_capture_on_commit_callbacks):
    version = frozen_version(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publication = services.publication_request(plan=world.plan, kind="plan", source_id=version.pk,
                                                   actor=world.people["chair"])
    assert Publication.objects.get(pk=publication.pk).status == PublicationStatus.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    done = Publication.objects.get(pk=publication.pk)
    assert done.status == PublicationStatus.DONE and done.attempts == 1
    assert done.is_public and done.source_label == "Version 1"
    # A redelivered message finds the work done and leaves the one file alone.
    assert tasks.render_publication(publication.pk) is False
    assert _files(settings) == [Path(settings.MEDIA_ROOT) / done.file.name]
    assert Publication.objects.get(pk=publication.pk).sha256 == done.sha256


def test_asking_twice_returns_the_same_publication(world, django_capture_on_commit_callbacks):
    version = frozen_version(world)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.publication_request(plan=world.plan, kind="plan", source_id=version.pk,
                                             actor=world.people["chair"])
        second = services.publication_request(plan=world.plan, kind="plan", source_id=version.pk,
                                              actor=world.people["secretary"])
    assert first.pk == second.pk and Publication.objects.count() == 1


def test_a_source_from_another_plan_is_refused(world):
    other_version = frozen_version(world)
    with pytest.raises(Refused):
        services.publication_request(plan=world.other_plan, kind="plan", source_id=other_version.pk,
                                     actor=world.people["admin"])
    with pytest.raises(Refused):
        services.publication_request(plan=world.plan, kind="no-such-kind", source_id=None,
                                     actor=world.people["admin"])


def test_a_failing_check_marks_the_publication_failed_with_the_reason_and_retry_builds_it(
        world, settings, django_capture_on_commit_callbacks):
    version = frozen_version(world)
    plan_kind = documents.get_kind("plan")
    strict = documents.DocumentKind(**{**plan_kind.__dict__, "pages": (1, 2)})
    with documents.registry.override(strict):
        with django_capture_on_commit_callbacks(execute=True):
            publication = services.publication_request(plan=world.plan, kind="plan", source_id=version.pk,
                                                       actor=world.people["chair"])
        failed = Publication.objects.get(pk=publication.pk)
        assert failed.status == PublicationStatus.FAILED
        assert "should have between 1 and 2" in failed.error
        assert not failed.file and _files(settings) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_retry(publication=failed, actor=world.people["chair"])
    retried = Publication.objects.get(pk=publication.pk)
    assert retried.status == PublicationStatus.DONE and retried.error == "" and retried.attempts == 2


def test_a_missing_heading_fails_the_check(world, django_capture_on_commit_callbacks):
    version = frozen_version(world)
    plan_kind = documents.get_kind("plan")
    wrong = documents.DocumentKind(
        **{**plan_kind.__dict__, "headings": lambda p: ["Our vision", "A heading nobody wrote"]})
    with documents.registry.override(wrong), django_capture_on_commit_callbacks(execute=True):
        publication = services.publication_request(plan=world.plan, kind="plan", source_id=version.pk,
                                                   actor=world.people["chair"])
    failed = Publication.objects.get(pk=publication.pk)
    assert failed.status == PublicationStatus.FAILED
    assert failed.error == "These headings are missing from the document's text: A heading nobody wrote."


def test_a_row_being_built_elsewhere_is_not_taken(world):
    publication = _queued(world, frozen_version(world))
    Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.RENDERING,
                                                         started_at=timezone.now(), claim="other")
    assert tasks.render_publication(publication.pk) is False
    assert Publication.objects.get(pk=publication.pk).claim == "other"


def test_the_sweep_rebuilds_stalled_and_lost_work(world, settings):
    version = frozen_version(world)
    stalled = _queued(world, version)
    Publication.objects.filter(pk=stalled.pk).update(
        status=PublicationStatus.RENDERING, started_at=timezone.now() - timedelta(hours=1),
        claim="dead-worker", attempts=1)
    lost = Publication.objects.create(plan=world.plan, kind="household_summary", source_id=version.pk,
                                      title="Summary", requested_at=timezone.now() - timedelta(hours=1))
    fresh = Publication.objects.create(plan=world.plan, kind="household_summary", source_id=version.pk,
                                       large_print=True, title="Summary (large print)")
    assert tasks.sweep_publications() == 2
    assert Publication.objects.get(pk=stalled.pk).status == PublicationStatus.DONE
    assert Publication.objects.get(pk=lost.pk).status == PublicationStatus.DONE
    assert Publication.objects.get(pk=fresh.pk).status == PublicationStatus.QUEUED  # its message may come
    assert len(_files(settings)) == 2


def test_work_that_keeps_stalling_is_failed_with_a_reason(world):
    publication = _queued(world, frozen_version(world))
    Publication.objects.filter(pk=publication.pk).update(
        status=PublicationStatus.RENDERING, started_at=timezone.now() - timedelta(hours=1),
        attempts=services.MAX_ATTEMPTS)
    assert tasks.sweep_publications() == 0
    failed = Publication.objects.get(pk=publication.pk)
    assert failed.status == PublicationStatus.FAILED and "stopped 3 times" in failed.error

"""A large CSV import runs in the background: confirming queues it (committed in the request, the
task queued after commit), the page says "Importing N responses…" and refreshes itself without
script until the result shows; the task imports all or nothing, once however often it runs, a
failure shows its reason, and a sweep picks up work whose message was lost or whose worker died.
A small file is still imported at once, in the request."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from kombu.exceptions import OperationalError

from consultation import services, tasks
from consultation.models import Answer, Channel, ImportBatch, ImportStatus, Response
from consultation.services import importing
from tests.consultation.test_import_limits import _csv, _rows, _upload, _url
from tests.consultation.test_import_limits import survey as survey  # noqa: F401 (a fixture)

REFRESH = '<meta http-equiv="refresh" content="3">'


@pytest.fixture
def large(settings):
    """Files of more than 2 rows count as large here (500 outside the tests)."""
    settings.CONSULTATION_IMPORT_BACKGROUND_ROWS = 2


def _checked(client, survey, rows):
    response = _upload(client, survey, _csv(rows))
    assert response.status_code == 302
    return response["Location"], ImportBatch.objects.latest("pk")


def test_a_large_file_is_queued_then_imported_once_and_the_page_follows_it(
        world, survey, large, django_capture_on_commit_callbacks):
    client = world.client("member")
    url, batch = _checked(client, survey, _rows(survey, 4, survey.printed[:4]))
    preview = client.get(url)
    assert "The file is ready: 4 responses" in preview.text
    assert "imported in the background" in preview.text and REFRESH not in preview.text

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        confirmed = client.post(url)
    assert confirmed.status_code == 302 and confirmed["Location"] == url
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED and batch.queued_at
    assert batch.imported_by == world.people["member"]
    assert not Response.objects.exists()  # nothing is imported in the request
    waiting = client.get(url)
    assert "Importing 4 responses…" in waiting.text
    assert REFRESH in waiting.text  # checks again by itself, with no script (the CSP stays strict)
    assert "unsafe-inline" not in waiting["Content-Security-Policy"]
    assert "<script>" not in waiting.text
    assert "Import them all" not in waiting.text
    # Confirming again (a double click, the back button) queues nothing more.
    with django_capture_on_commit_callbacks(execute=False) as again:
        assert client.post(url).status_code == 302
    assert again == []

    assert len(callbacks) == 1
    callbacks[0]()  # the task, run inline as Celery is eager here
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.imported_count == 4
    assert batch.attempts == 1 and batch.finished_at and batch.content == ""
    imported = Response.objects.filter(import_batch=batch)
    assert imported.count() == 4 and all(r.entered_by == world.people["member"] for r in imported)
    assert survey.codes.filter(used_at__isnull=False).count() == 4
    answers = Answer.objects.count()

    done = client.get(url)
    assert "4 responses were imported from this file" in done.text and REFRESH not in done.text
    assert _url("responses", survey) in done.text
    # A redelivered message, or the task run again, finds the work done and changes nothing.
    assert tasks.run_import(batch.pk) is False
    assert importing.import_process(batch_id=batch.pk) is False
    assert Response.objects.count() == 4 and Answer.objects.count() == answers
    # The file is listed where imports start, so the page can be found again.
    assert url in client.get(_url("import_upload", survey)).text


def test_the_whole_flow_runs_on_the_real_pages(world, survey, large, django_capture_on_commit_callbacks):
    client = world.client("member")
    url, batch = _checked(client, survey, _rows(survey, 3))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert "3 responses were imported" in client.get(url).text
    assert Response.objects.filter(import_batch=batch).count() == 3


def test_a_failing_import_stores_nothing_and_shows_the_reason(
        world, survey, large, django_capture_on_commit_callbacks):
    client = world.client("member")
    url, batch = _checked(client, survey, _rows(survey, 3, survey.printed[:3]))
    # Typed in by someone else between the check and the import: the file's third row now clashes.
    services.response_enter(survey=survey, channel=Channel.PAPER, rows={}, code_text=survey.printed[2],
                            actor=world.people["chair"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and batch.imported_at is None
    assert batch.error.startswith("Nothing was imported: 1 problem was found")
    assert Response.objects.filter(import_batch__isnull=False).count() == 0
    assert survey.codes.filter(used_at__isnull=False).count() == 1  # only the one typed in
    page = client.get(url)
    assert "The file could not be imported" in page.text and "Error:" in page.text
    assert "Nothing was imported: 1 problem was found" in page.text
    assert "has already been used" in page.text and REFRESH not in page.text
    assert "Import them all" not in page.text and "Upload a corrected file" in page.text
    assert tasks.run_import(batch.pk) is False  # a failed file stays failed


def test_a_broker_that_is_down_is_no_error_and_the_sweep_queues_the_import(
        world, survey, large, monkeypatch, caplog, django_capture_on_commit_callbacks):
    client = world.client("member")
    url, batch = _checked(client, survey, _rows(survey, 3))
    delay = tasks.run_import.delay

    def down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.run_import, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(url)
    assert confirmed.status_code == 302
    assert "Could not queue CSV import" in caplog.text
    assert "Importing 3 responses…" in client.get(url).text
    # The sweep leaves a message that may still arrive alone, then queues it again.
    monkeypatch.setattr(tasks.run_import, "delay", delay)
    assert importing.imports_requeue_lost() == 0
    ImportBatch.objects.filter(pk=batch.pk).update(queued_at=timezone.now() - timedelta(minutes=3))
    assert tasks.sweep_imports() == 1
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.DONE
    assert Response.objects.filter(import_batch=batch).count() == 3


def test_an_import_whose_worker_died_is_taken_again_then_given_up(world, survey, large):
    client = world.client("member")
    url, batch = _checked(client, survey, _rows(survey, 3))
    old = timezone.now() - importing.STALE_IMPORT - timedelta(seconds=1)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING, started_at=old,
                                                   claim="dead", attempts=1,
                                                   imported_by=world.people["member"])
    assert tasks.run_import(batch.pk) is True  # a live claim is left alone; a stale one is taken
    assert Response.objects.filter(import_batch=batch).count() == 3

    url, again = _checked(client, survey, _rows(survey, 3))
    ImportBatch.objects.filter(pk=again.pk).update(status=ImportStatus.IMPORTING, started_at=old,
                                                   claim="dead", attempts=importing.MAX_ATTEMPTS)
    assert importing.imports_requeue_lost() == 0
    again.refresh_from_db()
    assert again.status == ImportStatus.FAILED and "stopped 3 times" in again.error
    assert Response.objects.filter(import_batch=again).count() == 0
    assert "stopped 3 times" in client.get(url).text


def test_a_live_import_is_not_taken_twice(world, survey, large):
    url, batch = _checked(world.client("member"), survey, _rows(survey, 3))
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING,
                                                   started_at=timezone.now(), claim="alive")
    assert tasks.run_import(batch.pk) is False
    assert importing.imports_requeue_lost() == 0
    assert not Response.objects.exists()


def test_a_small_file_is_still_imported_at_once(world, survey, django_capture_on_commit_callbacks):
    client = world.client("member")
    url, batch = _checked(client, survey, _rows(survey, 3))
    assert "imported in the background" not in client.get(url).text
    with django_capture_on_commit_callbacks(execute=False):
        imported = client.post(url)
    assert imported["Location"] == _url("responses", survey)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.imported_by == world.people["member"]
    assert Response.objects.filter(import_batch=batch).count() == 3


def test_the_migration_marks_files_imported_before_it_as_done(world, survey):
    migration = importlib.import_module("consultation.migrations.0010_import_status")
    when = timezone.now() - timedelta(days=1)
    old = ImportBatch.objects.create(survey=survey, filename="old.csv", content="", imported_at=when,
                                     imported_count=3, uploaded_by=world.people["chair"])
    waiting = ImportBatch.objects.create(survey=survey, filename="new.csv", content="code\n",
                                         uploaded_by=world.people["chair"])
    migration.mark_imported_files_done(django_apps, None)
    old.refresh_from_db()
    assert old.status == ImportStatus.DONE and old.finished_at == when
    assert ImportBatch.objects.get(pk=waiting.pk).status == ImportStatus.CHECKED

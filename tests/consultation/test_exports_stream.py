"""Exports stream from the first byte with bounded memory, and a cut-off file never looks complete."""

import csv
import io
import tracemalloc
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from consultation.analysis import exports
from consultation.models import Answer
from tests.consultation.big_survey import add_responses
from tests.consultation.factories import make_survey


def _url(name, survey):
    return reverse(f"consultation:{name}", args=[survey.plan_id, survey.pk])


@pytest.fixture
def big(world):
    survey = make_survey(world.plan)
    answers = add_responses(survey, 800)
    assert answers >= 3000
    return survey


def test_the_xlsx_starts_before_the_survey_is_read_and_ends_with_its_count(world, big, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 100)
    response = world.client("member").get(_url("export_xlsx", big))
    assert response.streaming
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        first = next(chunks)  # the workbook's fixed parts
        second = next(chunks)  # the first 200 rows
    assert first.startswith(b"PK")
    answer_reads = [q for q in queries.captured_queries if '"consultation_answer"' in q["sql"]]
    assert len(answer_reads) == 2  # two chunks of 100 responses, not the 800
    body = first + second + b"".join(chunks)
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None  # every part's checksum holds
    rows = list(load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 800 + 1
    assert list(rows[-1][:2]) == ["End of file", "800 responses"]


def test_a_cut_off_xlsx_does_not_open_and_a_cut_off_csv_has_no_end_row(world, big):
    client = world.client("member")
    page = client.get(reverse("consultation:responses", args=[big.plan_id, big.pk])).text
    assert "If that row is missing, the download stopped part way" in page
    body = b"".join(client.get(_url("export_xlsx", big)).streaming_content)
    with pytest.raises(zipfile.BadZipFile):
        load_workbook(io.BytesIO(body[: len(body) * 2 // 3]), read_only=True)
    text = b"".join(client.get(_url("export_csv", big)).streaming_content).decode("utf-8-sig")
    whole = list(csv.reader(io.StringIO(text)))
    assert whole[-1] == ["End of file", "800 responses"] and len(whole) == 802
    cut = list(csv.reader(io.StringIO(text[: len(text) // 2])))
    assert cut[-1][0] != "End of file"


def _peak_bytes(survey) -> int:
    tracemalloc.start()
    try:
        for _chunk in exports.xlsx_stream(survey):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_the_survey_grows(world, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 100)
    small, large = make_survey(world.plan, title="Small"), make_survey(world.plan, title="Large")
    add_responses(small, 400)
    add_responses(large, 1200)
    assert Answer.objects.filter(response__survey=large).count() >= 4800
    _peak_bytes(small)  # warm caches (translations, templates) before measuring
    small_peak, large_peak = _peak_bytes(small), _peak_bytes(large)
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)

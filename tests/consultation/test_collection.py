import csv
import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from consultation import services
from consultation.models import (
    CODE_ALPHABET,
    AccessCode,
    AccessMode,
    Channel,
    ImportBatch,
    QuestionKind,
    Response,
    ResponseDeletion,
    SurveyStatus,
    normalise_code,
)
from consultation.services import importing
from plans.models import PlanEvent
from tests.consultation.factories import make_survey, option, question, submitted_response


def _url(name, survey, **kwargs):
    return reverse(f"consultation:{name}", kwargs={"pk": survey.plan_id, "sid": survey.pk, **kwargs})


@pytest.fixture
def survey(world):
    survey = make_survey(world.plan, access=AccessMode.BOTH, actor=world.people["chair"])
    survey.printed = services.codes_generate(survey=survey, count=5, batch="Church Lane",
                                             actor=world.people["chair"])
    return survey


def _paper_form(survey, **extra):
    single = question(survey, QuestionKind.SINGLE)
    love_hate = question(survey, QuestionKind.LOVE_HATE)
    return {"channel": Channel.PAPER, f"q{single.pk}": str(option(single, "Over 10 years").pk),
            f"q{love_hate.pk}_hate": "No pavement to the school", **extra}


# --- codes --------------------------------------------------------------------------------------

def test_codes_are_made_in_batches_and_printed_as_slips_once(world, survey):
    client = world.client("member")
    sheet = client.post(_url("codes", survey), {"count": 20, "batch": "Mill Road", "output": "sheet"})
    assert sheet.status_code == 200 and sheet["Cache-Control"] == "no-store"
    assert sheet.text.count('class="code-slip"') == 20
    assert survey.get_public_url() in sheet.text
    assert "this is the only time they can be shown" in sheet.text
    printed = re.findall(r'<div class="code">([A-Z0-9-]+)</div>', sheet.text)
    assert len(set(printed)) == 20
    assert all(services.find_code(survey, code, lock=False).batch == "Mill Road" for code in printed)
    assert survey.codes.count() == 25
    page = client.get(_url("codes", survey))
    assert "Mill Road" in page.text and "Church Lane" in page.text
    assert not any(code in page.text for code in printed + survey.printed)
    download = client.post(_url("codes", survey), {"count": 3, "batch": "Printer", "output": "csv"})
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["code", "batch", "answer online at"] and len(rows) == 4
    assert all(services.find_code(survey, row[0], lock=False).batch == "Printer" for row in rows[1:])
    assert client.post(_url("codes", survey), {"count": 5000, "output": "sheet"}).status_code == 200


def test_codes_are_stored_only_as_keyed_hashes_with_at_least_40_bits(world, survey, settings):
    code = survey.printed[0]
    assert len(CODE_ALPHABET) ** len(normalise_code(code)) >= 2 ** 40
    stored = list(AccessCode.objects.values_list("digest", flat=True))
    assert not any(normalise_code(c) in d or c in d for c in survey.printed for d in stored)
    assert services.find_code(survey, code.lower(), lock=False).batch == "Church Lane"
    settings.CONSULTATION_CODE_KEY = "another key"
    with pytest.raises(services.CodeRefused):
        services.find_code(survey, code, lock=False)


def test_codes_stay_single_use_by_a_database_constraint(world, survey):
    existing = AccessCode.objects.filter(survey=survey).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessCode.objects.create(survey=survey, digest=existing.digest)


def test_the_migration_hashes_codes_stored_in_plain_text(world, survey):
    migration = importlib.import_module("consultation.migrations.0005_hashed_codes_checked_imports")
    AccessCode.objects.filter(survey=survey).delete()
    AccessCode.objects.create(survey=survey, digest="ABCD2345", batch="Old leaflets")
    migration.hash_existing_codes(django_apps, None)
    assert AccessCode.objects.get().digest != "ABCD2345"
    assert services.find_code(survey, "abcd-2345", lock=False).batch == "Old leaflets"


# --- assisted entry -----------------------------------------------------------------------------

def test_a_volunteer_types_in_a_paper_form_with_its_code(world, survey):
    code = services.find_code(survey, survey.printed[0], lock=False)
    client = world.client("champion")
    response = client.post(_url("response_new", survey), _paper_form(survey, code=survey.printed[0]))
    assert response["Location"] == _url("response_new", survey)
    entered = Response.objects.get()
    assert entered.channel == Channel.PAPER
    assert entered.entered_by == world.people["champion"]
    assert entered.code == code and entered.is_submitted and entered.submitted_at
    code.refresh_from_db()
    assert code.is_used
    # Nothing is required on paper: the unanswered rating is simply absent.
    assert not entered.answers.filter(question=question(survey, QuestionKind.RATING)).exists()


def test_double_entry_of_a_code_is_shown_not_merged(world, survey):
    code = survey.printed[0]
    client = world.client("member")
    client.post(_url("response_new", survey), _paper_form(survey, code=code))
    again = client.post(_url("response_new", survey), _paper_form(survey, code=code.lower()))
    assert again.status_code == 200
    first = Response.objects.get()
    assert f"has already been used: response {first.number} (paper form" in again.text
    assert first.get_absolute_url() in again.text
    assert "No pavement to the school" in again.text  # what was typed is kept
    assert Response.objects.count() == 1


def test_a_code_someone_started_online_is_not_reused_on_paper(world, survey):
    code = survey.printed[0]
    services.response_start(survey=survey, code_text=code)
    response = world.client("member").post(_url("response_new", survey),
                                           _paper_form(survey, code=code))
    assert "has started answering online with code" in response.text
    assert Response.objects.submitted().count() == 0


def test_entry_is_not_possible_on_a_draft(world):
    draft = make_survey(world.plan, status=SurveyStatus.DRAFT)
    assert world.client("member").get(_url("response_new", draft)).status_code == 404


# --- CSV import ---------------------------------------------------------------------------------

def _csv(rows: list[list[str]]) -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile("returns.csv", buffer.getvalue().encode("utf-8-sig"), "text/csv")


def _template(client, survey) -> list[str]:
    content = b"".join(client.get(_url("import_template", survey)).streaming_content).decode("utf-8-sig")
    return next(csv.reader(io.StringIO(content)))


def test_the_template_has_a_column_per_answer(world, survey):
    header = _template(world.client("member"), survey)
    keys = [h.split(" – ")[0] for h in header]
    assert keys == ["code", "Q1", "Q2", "Q3 love", "Q3 hate", "Q4", "Q4 other", "Q5"]
    assert header[1] == "Q1 – How long have you lived here?"


def test_a_csv_with_a_bad_row_is_refused_naming_the_row_then_imported_when_fixed(world, survey):
    client = world.client("member")
    header = _template(client, survey)
    codes = survey.printed[:2]
    good = [codes[0], "over 10 years", "5", "The pub", "", "Shop; Bus", "", "65 to 74"]
    bad = [codes[1], "Forever", "9", "", "Potholes", "Shop", "Farm shop", ""]
    response = client.post(_url("import_upload", survey), {"file": _csv([header, good, bad]),
                                                            "channel": Channel.PAPER})
    batch = ImportBatch.objects.get()
    assert response["Location"] == _url("import_preview", survey, bid=batch.pk)
    preview = client.get(response["Location"])
    assert "There are 2 problems in the file" in preview.text
    assert "“Forever” is not one of the choices" in preview.text
    assert "Write a whole number from 1 to 5." in preview.text
    problems = importing.parse(survey, batch.content).errors
    assert {(e.row, e.column.split(" – ")[0]) for e in problems} == {(3, "Q1"), (3, "Q2")}
    # Posting anyway imports nothing.
    refused = client.post(response["Location"])
    assert "Nothing has been imported" in refused.text
    assert not Response.objects.exists()

    bad[1:3] = ["2 to 10 years", "3"]
    response = client.post(_url("import_upload", survey), {"file": _csv([header, good, bad]),
                                                            "channel": Channel.PAPER})
    preview = client.get(response["Location"])
    assert "The file is ready: 2 responses" in preview.text
    done = client.post(response["Location"])
    assert done["Location"] == _url("responses", survey)
    imported = list(Response.objects.order_by("pk"))
    assert [r.channel for r in imported] == [Channel.PAPER, Channel.PAPER]
    assert all(r.entered_by == world.people["member"] and r.import_batch for r in imported)
    multiple = question(survey, QuestionKind.MULTIPLE)
    assert sorted(a.option.label for a in imported[0].answers.filter(question=multiple)) == ["Bus", "Shop"]
    other = imported[1].answers.get(question=multiple, option__is_other=True)
    assert other.text == "Farm shop"
    age = imported[0].answers.get(question=question(survey, QuestionKind.DEMOGRAPHIC))
    assert age.category.label == "65 to 74"
    assert survey.codes.filter(used_at__isnull=False).count() == 2
    assert ImportBatch.objects.latest("pk").content == ""  # the uploaded copy is not kept
    with pytest.raises(services.Refused, match="already been imported"):
        services.import_run(batch=ImportBatch.objects.latest("pk"), actor=world.people["member"])


def test_import_checks_codes_columns_and_repeats(world, survey):
    code, used = survey.printed[0], survey.printed[-1]
    submitted_response(survey)
    services.response_enter(survey=survey, channel=Channel.PAPER, rows={}, actor=world.people["chair"],
                            code_text=used)
    header = ["code", "Q1 – anything", "Q9 – not a question"]
    rows = [header, [code, "Under 2 years"], [code, "Under 2 years"], [used, ""], ["NOPE-NOPE", ""]]
    parsed = importing.parse(survey, "\n".join(",".join(r) for r in rows))
    messages = [(e.row, e.message) for e in parsed.errors]
    assert (1, "This column is not in the template for this survey. Download the template again.") \
        in messages
    assert any(row == 3 and "is also on row 2" in m for row, m in messages)
    assert any(row == 4 and "has already been used" in m for row, m in messages)
    assert any(row == 5 and "We do not recognise that code" in m for row, m in messages)
    assert importing.parse(survey, "").errors[0].message.startswith("The file is empty")


def test_a_file_that_is_not_csv_is_refused(world, survey):
    response = world.client("member").post(_url("import_upload", survey), {
        "file": SimpleUploadedFile("returns.xlsx", b"PK", "application/zip"), "channel": "paper"})
    assert "Choose a CSV file" in response.text
    assert not ImportBatch.objects.exists()


# --- steering-group views -----------------------------------------------------------------------

def test_collection_shows_counts_by_channel_and_the_response_rate(world, survey):
    for channel in [Channel.PAPER, Channel.PAPER, Channel.INTERVIEW, Channel.ONLINE]:
        submitted_response(survey, channel=channel)
    page = world.client("councillor").get(_url("collection", survey))
    assert "4 responses so far" in page.text
    assert "1% of the 520 households in the area" in page.text  # 4 of 520
    assert "<td>Paper form</td><td class=\"text-end\">2</td>" in page.text
    assert "Responses week by week" in page.text


def test_responses_are_listed_filtered_and_shown_one_by_one(world, survey):
    paper = submitted_response(survey, channel=Channel.PAPER)
    submitted_response(survey, channel=Channel.INTERVIEW)
    client = world.client("officer")
    listing = client.get(_url("responses", survey) + "?channel=paper")
    assert "1 response" in listing.text
    assert paper.get_absolute_url() in listing.text
    detail = client.get(paper.get_absolute_url())
    assert "No pavement" not in detail.text  # default form data
    assert "Speeding lorries" in detail.text and "2 to 10 years" in detail.text
    assert world.client("councillor").get(paper.get_absolute_url()).status_code == 403


def test_the_response_list_is_paginated_and_does_not_query_per_row(world, survey,
                                                                    django_assert_max_num_queries):
    client = world.client("member")
    for _i in range(3):
        submitted_response(survey)
    client.get(_url("responses", survey))
    with django_assert_max_num_queries(20) as small:
        client.get(_url("responses", survey))
    for _i in range(30):
        submitted_response(survey, channel=Channel.EVENT)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(_url("responses", survey))
    assert "Page 1 of 2" in page.text


def test_the_collection_page_does_not_grow_with_responses(world, survey, django_assert_max_num_queries):
    client = world.client("councillor")
    submitted_response(survey)
    client.get(_url("collection", survey))
    with django_assert_max_num_queries(20) as small:
        client.get(_url("collection", survey))
    small = len(small.captured_queries)
    for _i in range(20):
        submitted_response(survey, channel=Channel.YOUTH_FORUM)
    client.get(_url("collection", survey))  # the first look at a new version counts it
    with django_assert_max_num_queries(small):
        client.get(_url("collection", survey))


def test_the_collection_counts_are_kept_until_the_next_response(world, survey):
    client = world.client("councillor")
    submitted_response(survey)
    first = client.get(_url("collection", survey))
    assert first.context["total"] == 1
    with CaptureQueriesContext(connection) as again:
        client.get(_url("collection", survey))
    assert not [q for q in again.captured_queries
                if 'FROM "consultation_response"' in q["sql"] and "GROUP BY" in q["sql"]]
    submitted_response(survey, channel=Channel.YOUTH_FORUM)
    after = client.get(_url("collection", survey))
    assert after.context["total"] == 2
    assert dict(after.context["channels"])[Channel.YOUTH_FORUM.label] == 1
    latest = Response.objects.filter(survey=survey, channel=Channel.YOUTH_FORUM).get()
    world.client("secretary").post(_url("response_delete", survey, rid=latest.pk),
                                   {"reason": "Entered twice by mistake"})
    assert client.get(_url("collection", survey)).context["total"] == 1


def test_deleting_a_response_needs_a_reason_and_is_audited(world, survey):
    response = submitted_response(survey)
    client = world.client("secretary")
    url = _url("response_delete", survey, rid=response.pk)
    assert "Why are you deleting this response?" in client.post(url, {"reason": ""}).text
    assert world.client("member").post(url, {"reason": "x"}).status_code == 403
    client.post(url, {"reason": "Entered twice by mistake"})
    assert not Response.objects.filter(pk=response.pk).exists()
    audit = ResponseDeletion.objects.get()
    assert (audit.response_number, audit.reason, audit.deleted_by) == (
        response.number, "Entered twice by mistake", world.people["secretary"])
    event = PlanEvent.objects.filter(plan=world.plan).first()
    assert event.reason == "Entered twice by mistake" and f"response {response.number} " in event.summary
    assert "Entered twice by mistake" in client.get(_url("responses", survey)).text


def test_exports_have_one_column_per_question_with_free_text_and_other(world, survey):
    multiple = question(survey, QuestionKind.MULTIPLE)
    other = next(o for o in multiple.options.all() if o.is_other)
    comment = services.question_create(section=survey.sections.last(), kind=QuestionKind.LONG_TEXT,
                                       actor=None, fields={"text": "Anything else?"})
    submitted_response(survey, channel=Channel.PAPER, **{
        f"q{multiple.pk}": [str(option(multiple, "Pub").pk), str(other.pk)],
        f"q{multiple.pk}_other": "Farm shop", f"q{comment.pk}": "=HYPERLINK(\"http://evil\")"})
    client = world.client("member")
    exported = client.get(_url("export_csv", survey))
    assert exported.streaming
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3
    header, row, end = rows
    row_number = int(row[0])
    assert end == ["End of file", "1 responses"]
    assert len(header) == 5 + survey.questions.count()
    cells = dict(zip(header, row, strict=True))
    assert cells["Channel"] == "Paper form"
    assert cells["Q3. What do you love and hate about living here?"] == \
        "Love: The green\nWould change: Speeding lorries"
    assert cells["Q4. Which services do you use?"] == "Pub; Other, please say: Farm shop"
    assert cells["Q6. Anything else?"] == "'=HYPERLINK(\"http://evil\")"  # never run as a formula

    xlsx = client.get(_url("export_xlsx", survey))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == header and values[1][7] == "Love: The green\nWould change: Speeding lorries"
    assert values[1][0] == row_number and values[1][header.index("Q6. Anything else?")] == "'=HYPERLINK(\"http://evil\")"
    assert values[2][:2] == ["End of file", "1 responses"] and len(values) == 3


def test_a_lost_sheet_is_withdrawn_leaving_used_codes_alone(world, survey):
    used = survey.printed[0]
    services.response_enter(survey=survey, channel=Channel.PAPER, rows={}, actor=world.people["chair"],
                            code_text=used)
    client = world.client("member")
    assert "Withdraw the unused codes" in client.get(_url("codes", survey)).text
    client.post(_url("codes_withdraw", survey), {"batch": "Church Lane"})
    assert survey.codes.count() == 1
    with pytest.raises(services.CodeRefused):
        services.find_code(survey, survey.printed[1], lock=False)
    assert services.find_code(survey, used, lock=False).is_used

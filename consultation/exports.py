"""Responses as rows, one column per question: streamed, so a large survey never sits in memory."""

import csv
import tempfile
from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.answers import describe
from consultation.models import Answer, Survey

CHUNK = 500
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value) -> object:
    """Stop spreadsheet programs running residents' text as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def header(questions: list) -> list[str]:
    return [_("Response"), _("Sent"), _("Channel"), _("Code"), _("Entered by")] + [
        f"Q{n}. {q.text}" for n, q in enumerate(questions, start=1)]


def rows(survey: Survey, channel: str = "") -> Iterator[list]:
    """The header, then one list of cells per submitted response, fetched in chunks."""
    questions = survey.ordered_questions()
    yield header(questions)
    responses = (survey.responses.submitted().select_related("code", "entered_by")
                 .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("pk")))
                 .order_by("submitted_at", "pk"))
    if channel:
        responses = responses.filter(channel=channel)
    for response in responses.iterator(chunk_size=CHUNK):
        by_question: dict = {}
        for answer in response.answers.all():
            by_question.setdefault(answer.question_id, []).append(answer)
        yield [
            response.pk,
            timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M"),
            response.get_channel_display(),
            response.code.reference if response.code else "",
            str(response.entered_by) if response.entered_by else "",
        ] + [safe(describe(q, by_question.get(q.pk, []))) for q in questions]


class Echo:
    def write(self, value):
        return value


def csv_stream(survey: Survey, channel: str = "") -> Iterator[str]:
    writer = csv.writer(Echo())
    yield "\ufeff"  # so Excel reads the file as UTF-8
    for row in rows(survey, channel):
        yield writer.writerow(row)


def xlsx_file(survey: Survey, channel: str = ""):
    """A temporary file holding the workbook, written row by row (openpyxl's write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Responses"))
    for row in rows(survey, channel):
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle

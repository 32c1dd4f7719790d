"""Responses as rows, one column per question, streamed as CSV or XLSX (consultation.spreadsheet):
the first bytes go out at once, and memory holds one chunk of responses whatever the survey's size.
Both files end with a row saying "End of file" and how many responses they hold."""

from collections.abc import Iterator
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from consultation import spreadsheet
from consultation.answers import describe
from consultation.models import Answer, Channel, Survey

CHUNK = 1000


class AnswerRow(NamedTuple):
    """What describe() reads of an answer, without building a model instance for each one."""

    response_id: int
    question_id: int
    option_id: int | None
    number: int | None
    part: str
    text: str


def header(questions: list) -> list[str]:
    return [_("Response"), _("Sent"), _("Channel"), _("Code"), _("Entered by")] + [
        f"Q{n}. {q.text}" for n, q in enumerate(questions, start=1)]


def rows(survey: Survey, channel: str = "") -> Iterator[list]:
    """The header, then one list of cells per submitted response, fetched in chunks."""
    questions = survey.ordered_questions()
    yield header(questions)
    responses = (survey.responses.submitted().select_related("code", "entered_by")
                 .order_by("submitted_at", "pk"))
    if channel:
        responses = responses.filter(channel=channel)
    chunk: list = []
    for response in responses.iterator(chunk_size=CHUNK):
        chunk.append(response)
        if len(chunk) == CHUNK:
            yield from _chunk_rows(chunk, questions)
            chunk = []
    yield from _chunk_rows(chunk, questions)


def _chunk_rows(responses: list, questions: list) -> Iterator[list]:
    if not responses:
        return
    channels = {value: str(label) for value, label in Channel.choices}  # translated once
    answers = (Answer.objects.filter(response_id__in=[r.pk for r in responses])
               .order_by("response_id", "pk").values_list(*AnswerRow._fields))
    by_response = {pk: list(group) for pk, group in
                   groupby(map(AnswerRow._make, answers.iterator(chunk_size=CHUNK * 30)),
                           key=attrgetter("response_id"))}
    for response in responses:
        by_question: dict = {}
        for answer in by_response.get(response.pk, ()):
            by_question.setdefault(answer.question_id, []).append(answer)
        yield [
            response.number,
            timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M"),
            channels.get(response.channel, response.channel),
            response.code.reference if response.code else "",
            str(response.entered_by) if response.entered_by else "",
        ] + [describe(q, by_question.get(q.pk, [])) for q in questions]


def csv_stream(survey: Survey, channel: str = "") -> Iterator[str]:
    return spreadsheet.csv_stream(rows(survey, channel), noun=_("responses"))


def xlsx_stream(survey: Survey, channel: str = "") -> Iterator[bytes]:
    return spreadsheet.xlsx_stream(rows(survey, channel), sheet=_("Responses"), noun=_("responses"))

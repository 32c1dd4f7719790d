"""Responses as rows, one column per question, streamed as CSV or XLSX (consultation.analysis.spreadsheet):
the first bytes go out at once, and memory holds one chunk of responses whatever the survey's size.
Both files end with a row saying "End of file" and how many responses they hold. `describe` gives
one question's answers as one readable cell, here and on the pages that show a response."""

import functools
from collections.abc import Iterator
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from consultation.analysis import spreadsheet
from consultation.models import Answer, AnswerPart, Channel, Question, QuestionKind, Survey

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


@functools.lru_cache(maxsize=8)
def _part_labels(language: str) -> dict:
    # Once per language, not once per answer: an export describes hundreds of thousands.
    return {AnswerPart.LOVE: _("Love"), AnswerPart.HATE: _("Would change")}


def _option_labels(q: Question) -> dict:
    # Kept on the question: an export describes the same question once per response.
    if not hasattr(q, "_option_labels"):
        q._option_labels = {o.pk: o.label for o in q.options.all()}
    return q._option_labels


def describe(q: Question, answers: list[Answer]) -> str:
    """One readable cell for a question's answers: used on the summary page and in exports."""
    if not answers:
        return ""
    if q.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return answers[0].text
    if q.kind == QuestionKind.LOVE_HATE:
        labels = _part_labels(get_language())
        return "\n".join(f"{labels[a.part]}: {a.text}" for a in answers)
    if q.kind == QuestionKind.RATING:
        return str(answers[0].number)
    if q.kind == QuestionKind.YES_NO:
        return _("Yes") if answers[0].number else _("No")
    labels = _option_labels(q)
    if q.kind == QuestionKind.RANKING:
        ranked = sorted(answers, key=lambda a: a.number)
        return "; ".join(f"{a.number}. {labels.get(a.option_id, '')}" for a in ranked)
    return "; ".join(f"{labels.get(a.option_id, '')}: {a.text}" if a.text else labels.get(a.option_id, "")
                     for a in answers)

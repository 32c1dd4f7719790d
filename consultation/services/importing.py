"""CSV import of paper returns keyed elsewhere: the template's columns, checking a file, and the
services that keep an upload, check it and import it (all of it or none).

Every row becomes form data for the same `AnswerForm` residents use, so a CSV can hold nothing
the web form would refuse. Checking collects every problem (row, column, what is wrong) before
anything is saved.

Each request reads the file once and checks each row once: the upload reads it while the form
checks its shape and the check reuses those rows; the import reads the kept text once more and
checks every row again, under the lock, because it is a later request (see `import_run`).
A large file is imported the same way by a task instead of the request (see "large files").
"""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from kombu.exceptions import OperationalError as BrokerError

from clp.models import User
from consultation.analysis import counts
from consultation.forms.answers import NO, YES, AnswerForm, name, rank_name
from consultation.forms.uploads import FileRefused, read_rows
from consultation.models import (
    AccessCode,
    Answer,
    AnswerPart,
    ImportBatch,
    ImportStatus,
    Option,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    Survey,
    display_code,
)
from consultation.services.base import CodeRefused, Refused, record_event
from consultation.services.collecting import after_submit, find_code, own

CODE = "code"
logger = logging.getLogger(__name__)


class ImportRefused(Refused):
    """The rows cannot be imported: `errors` says what is wrong, row by row."""

    def __init__(self, errors: list):
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    guide: str
    question: Question | None = None
    part: str = ""  # "", "other", "love", "hate" or "rank"
    option: Option | None = None
    field_name: str = ""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedRow:
    number: int
    answers: dict
    code: AccessCode | None = None


@dataclass
class Parsed:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _key(header: str) -> str:
    return " ".join(header.split(" – ", 1)[0].lower().split())


def _labels(question: Question) -> str:
    return ", ".join(o.label for o in question.options.all() if not o.is_other)


def columns(questions: list[Question]) -> list[Column]:
    """The template's columns: the code, then one or more per question, numbered Q1, Q2 …"""
    cols = [Column(CODE, _("code – the one-time code printed on the form, if any"),
                   _("The code, e.g. ABCDE-23456, or leave empty"))]
    for number, q in enumerate(questions, start=1):
        cols += _question_columns(number, q)
    return cols


def _question_columns(number: int, q: Question) -> list[Column]:
    def col(suffix, guide, part="", option=None, field_name=""):
        key = f"q{number}{' ' + suffix if suffix else ''}"
        label = q.text if not option else option.label
        return Column(key, f"Q{key[1:]} – {label[:60]}", guide, q, part, option, field_name or name(q))

    if q.kind == QuestionKind.LOVE_HATE:
        return [col("love", _("What they love (any text)"), "love", field_name=name(q, AnswerPart.LOVE)),
                col("hate", _("What they would change (any text)"), "hate",
                    field_name=name(q, AnswerPart.HATE))]
    if q.kind == QuestionKind.RANKING:
        n = len(q.options.all())
        return [col(f"rank {i}", _("Its place, a number from 1 to %(n)s, or empty") % {"n": n},
                    "rank", option, rank_name(q, option))
                for i, option in enumerate(q.options.all(), start=1)]
    guide = {
        QuestionKind.SHORT_TEXT: _("Any text"), QuestionKind.LONG_TEXT: _("Any text"),
        QuestionKind.RATING: _("A whole number from %(a)s to %(b)s") % {"a": q.scale_min, "b": q.scale_max},
        QuestionKind.YES_NO: _("yes or no"),
    }.get(q.kind)
    if guide is None:
        guide = (_("Any of: %(labels)s, separated by semicolons") if q.allows_several
                 else _("One of: %(labels)s")) % {"labels": _labels(q)}
    cols = [col("", guide)]
    if q.offers_other:
        cols.append(col("other", _("The words written next to “Other”"), "other",
                        field_name=name(q, "other")))
    return cols


def template_header(questions: list[Question]) -> list[str]:
    return [c.header for c in columns(questions)]


def parse(survey: Survey, text: str, *, rows: list[list[str]] | None = None,
          lock_codes: bool = False, keep_rows: bool = True) -> Parsed:
    """Check a whole CSV; `rows` are ready to save only when `errors` is empty. Without
    `keep_rows` only the problems and the number of rows are worked out (for the preview).
    `rows` are the file's rows when the caller has read them already (the upload form has)."""
    result = Parsed()
    if rows is None:
        try:
            rows = read_rows(text)
        except FileRefused as refused:
            result.errors.append(RowError(1, "", refused.message))
            return result
    questions = survey.ordered_questions()
    known = {c.key: c for c in columns(questions)}
    reader = iter(rows)
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        result.errors.append(RowError(1, "", _("The file is empty. Start from the template.")))
        return result
    mapped = _map_header(header, known, result)
    form = AnswerForm(data=MultiValueDict(), questions=questions, enforce_required=False)
    check = _RowCheck(survey, mapped, form, {}, lock_codes, keep_rows)
    for number, values in enumerate(reader, start=2):
        if any(v.strip() for v in values):
            _parse_row(check, number, values, result)
    if not result.rows and not result.errors:
        result.errors.append(RowError(2, "", _("There are no answers in the file.")))
    return result


@dataclass
class _RowCheck:
    survey: Survey
    mapped: list
    form: AnswerForm  # built once, rebound to each row
    seen_codes: dict
    lock_codes: bool
    keep_rows: bool


def _map_header(header: list[str], known: dict, result: Parsed) -> list:
    mapped, used = [], set()
    for h in header:
        key = _key(h)
        column = known.get(key)
        if h.strip() and column is None:
            result.errors.append(RowError(1, h, _("This column is not in the template for this "
                                                  "survey. Download the template again.")))
        elif column is not None and key in used:
            result.errors.append(RowError(1, h, _("This column appears twice.")))
        used.add(key)
        mapped.append(column)
    return mapped


def _parse_row(check: _RowCheck, number: int, values: list, result: Parsed) -> None:
    mapped, data, errors, code_text = check.mapped, MultiValueDict(), [], ""
    if len(values) > len(mapped):
        errors.append(RowError(number, "", _("This row has more cells than the file has columns.")))
    for column, raw in zip(mapped, values, strict=False):
        value = raw.strip()
        if column is None or not value:
            continue
        if column.key == CODE:
            code_text = value
            continue
        problem = _put(column, value, data)
        if problem:
            errors.append(RowError(number, column.header, problem))
    form = check.form.rebind(data)
    if not errors and not form.is_valid():
        by_field = {c.field_name: c.header for c in mapped if c is not None}
        errors += [RowError(number, by_field.get(f, ""), str(e))
                   for f, es in form.errors.items() for e in es]
    code = (_row_code(check.survey, number, code_text, check.seen_codes, check.lock_codes, errors)
            if code_text else None)
    if errors:
        result.errors.extend(errors)
    else:
        result.rows.append(ParsedRow(number, form.answer_rows() if check.keep_rows else {}, code))


def _put(column: Column, value: str, data: MultiValueDict) -> str:
    """Put one cell into the form data; return what is wrong with it, or ""."""
    q = column.question
    if column.part == "rank":
        n = len(q.options.all())
        if not value.isdigit() or not 1 <= int(value) <= n:
            return _("Write a number from 1 to %(n)s, or leave it empty.") % {"n": n}
        data[column.field_name] = value
    elif column.part == "other":
        data[column.field_name] = value
        other = next(o for o in q.options.all() if o.is_other)
        current = data.getlist(name(q))
        if str(other.pk) not in current:
            data.setlist(name(q), (current if q.allows_several else []) + [str(other.pk)])
    elif column.part or q.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        data[column.field_name] = value
    elif q.kind == QuestionKind.RATING:
        if not value.lstrip("-").isdigit() or not q.scale_min <= int(value) <= q.scale_max:
            return _("Write a whole number from %(a)s to %(b)s.") % {"a": q.scale_min, "b": q.scale_max}
        data[column.field_name] = value
    elif q.kind == QuestionKind.YES_NO:
        answer = {"yes": YES, "y": YES, "no": NO, "n": NO}.get(value.lower())
        if answer is None:
            return _("Write yes or no.")
        data[column.field_name] = answer
    else:
        return _put_choices(column, value, data)
    return ""


def _put_choices(column: Column, value: str, data: MultiValueDict) -> str:
    q = column.question
    by_label = {o.label.casefold(): str(o.pk) for o in q.options.all() if not o.is_other}
    parts = [p.strip() for p in value.split(";") if p.strip()] if q.allows_several else [value]
    unknown = [p for p in parts if p.casefold() not in by_label]
    if unknown:
        return _("“%(value)s” is not one of the choices (%(labels)s).") % {
            "value": "; ".join(unknown), "labels": _labels(q)}
    chosen = [by_label[p.casefold()] for p in parts]
    data.setlist(column.field_name, data.getlist(column.field_name) + chosen)
    return ""


def _row_code(survey, number, code_text, seen_codes, lock_codes, errors) -> AccessCode | None:
    header = _("code")
    try:
        code = find_code(survey, code_text, lock=lock_codes)
    except CodeRefused as refused:
        errors.append(RowError(number, header, refused.message))
        return None
    if code.pk in seen_codes:
        errors.append(RowError(number, header, _("Code %(code)s is also on row %(row)s.")
                               % {"code": display_code(code_text), "row": seen_codes[code.pk]}))
    elif code.is_used or hasattr(code, "response"):
        errors.append(RowError(number, header, _("Code %(code)s has already been used.")
                               % {"code": display_code(code_text)}))
    seen_codes.setdefault(code.pk, number)
    return code


# --- the services -------------------------------------------------------------------------------

@transaction.atomic
def import_upload(*, survey: Survey, filename: str, content: str, channel: str, actor: User,
                  rows: list[list[str]] | None = None) -> ImportBatch:
    """Keep an uploaded CSV and check it once, so the preview only shows what was found; `rows`
    are the rows the upload form read from `content`, so the text is not read a second time."""
    batch = ImportBatch.objects.create(survey=survey, filename=filename[:255], content=content,
                                       channel=channel, uploaded_by=actor)
    return import_check(batch=batch, rows=rows)


def import_check(*, batch: ImportBatch, rows: list[list[str]] | None = None) -> ImportBatch:
    """Check every row of a kept CSV (without saving anything) and store what was found."""
    parsed = parse(batch.survey, batch.content, rows=rows, keep_rows=False)
    batch.row_count = len(parsed.rows)
    batch.problems = [{"row": e.row, "column": e.column, "message": str(e.message)}
                      for e in parsed.errors]
    batch.save(update_fields=["row_count", "problems"])
    return batch


@dataclass
class ImportResult:
    count: int


@transaction.atomic
def import_run(*, batch: ImportBatch, actor: User) -> ImportResult:
    """Import every row of a checked CSV in one transaction, or none of them if anything is wrong.

    The kept text is read and each row checked exactly once here, in this request; the check made
    on upload is not reused, because it ran in an earlier request and kept only the number of rows
    and the problems. Storing its checked answers instead would keep a second copy of personal
    data and could be stale: a code on the file may have been used since (the codes are looked up
    again, locked, so two imports cannot both use one), or the survey's questions changed.
    """
    locked = _lock(batch.pk)
    if locked.imported_at:
        raise Refused(_("This file has already been imported."))
    if locked.status != ImportStatus.CHECKED:
        raise Refused(_("This file is already being imported."))
    return _import(locked, actor)


def _lock(batch_id: int) -> ImportBatch:
    return ImportBatch.objects.select_for_update().select_related("survey__plan").get(pk=batch_id)


def _import(locked: ImportBatch, actor: User | None) -> ImportResult:
    """The import itself, on a locked row, inside the caller's transaction: all rows or none."""
    survey = locked.survey
    if survey.is_draft:
        raise Refused(_("Open the survey before importing answers."))
    parsed = parse(survey, locked.content, lock_codes=True)
    if parsed.errors:
        raise ImportRefused(parsed.errors)
    now = timezone.now()
    numbers = Response.take_numbers(survey.pk, len(parsed.rows))
    responses = Response.objects.bulk_create([
        Response(survey=survey, channel=locked.channel, code=row.code, entered_by=actor,
                 import_batch=locked, status=ResponseStatus.SUBMITTED, submitted_at=now,
                 number=number)
        for row, number in zip(parsed.rows, numbers, strict=True)])
    Answer.objects.bulk_create([own(a, response) for response, row in zip(responses, parsed.rows,
                                                                           strict=True)
                                for answers in row.answers.values() for a in answers])
    AccessCode.objects.filter(pk__in=[r.code.pk for r in parsed.rows if r.code]).update(used_at=now)
    # The answers are now in the database; the uploaded copy (personal data) is not kept.
    locked.imported_at, locked.imported_count, locked.content = now, len(responses), ""
    locked.status, locked.imported_by, locked.finished_at = ImportStatus.DONE, actor, now
    locked.claim, locked.error = "", ""
    locked.save(update_fields=["imported_at", "imported_count", "content", "status", "imported_by",
                               "finished_at", "claim", "error"])
    record_event(survey, actor, _("Imported %(n)s paper returns into “%(title)s” from %(file)s")
                 % {"n": len(responses), "title": survey.title, "file": locked.filename})
    counts.changed(survey.pk)
    if numbers:
        after_submit(survey, numbers[-1])
    return ImportResult(count=len(responses))


# --- large files, in the background -------------------------------------------------------------
# A file of more than CONSULTATION_IMPORT_BACKGROUND_ROWS rows is imported by a task, not in the
# request (5,000 rows take about half a minute, next to the web server's 30 s timeout). Confirming
# marks the row queued, committed in the request; the task is queued after commit. A broker that
# is down is logged, never shown as an error: the sweep re-queues rows whose message was lost and
# rows whose worker died, and the task's conditional claim makes a second run do nothing.

# An `importing` row older than a task's hard time limit (plus a margin) belongs to a worker that
# died or was killed: no live import can last longer (clp/settings.py, OUTBOX_CLAIM_SECONDS).
STALE_IMPORT = timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
LOST_QUEUED = timedelta(minutes=2)
MAX_ATTEMPTS = 3


def imports_in_background(batch: ImportBatch) -> bool:
    """Whether this checked file is large enough to be imported by a task."""
    return (batch.row_count or 0) > settings.CONSULTATION_IMPORT_BACKGROUND_ROWS


def _enqueue_import(batch_id: int) -> None:
    from consultation import tasks

    def enqueue() -> None:
        try:
            tasks.run_import.delay(batch_id)
        except (BrokerError, OSError) as error:
            logger.warning("Could not queue CSV import %s: %s", batch_id, error)

    transaction.on_commit(enqueue, robust=True)


@transaction.atomic
def import_queue(*, batch: ImportBatch, actor: User) -> ImportBatch:
    """Queue a checked file to be imported in the background; confirming twice queues it once."""
    queued = ImportBatch.objects.filter(
        pk=batch.pk, status=ImportStatus.CHECKED, imported_at__isnull=True, problems=[]).update(
        status=ImportStatus.QUEUED, queued_at=timezone.now(), imported_by=actor, error="")
    if queued:
        _enqueue_import(batch.pk)
    return ImportBatch.objects.get(pk=batch.pk)


def _claim(batch_id: int) -> str | None:
    """Claim a queued row, or an `importing` row whose worker has gone quiet; None if taken or done."""
    token = secrets.token_hex(16)
    stale = timezone.now() - STALE_IMPORT
    claimed = (ImportBatch.objects.filter(pk=batch_id)
               .filter(Q(status=ImportStatus.QUEUED)
                       | Q(status=ImportStatus.IMPORTING, started_at__lt=stale))
               .update(status=ImportStatus.IMPORTING, started_at=timezone.now(), claim=token,
                       attempts=F("attempts") + 1))
    return token if claimed else None


def import_process(*, batch_id: int) -> bool:
    """Import a queued file, all of it or nothing, and mark it done or failed with the reason.
    Safe to run twice: a second run finds the row done (or being imported) and does nothing.
    Returns whether this run imported it."""
    token = _claim(batch_id)
    if token is None:
        return False
    try:
        return _import_claimed(batch_id, token)
    except ImportRefused as refused:
        problems = [{"row": e.row, "column": e.column, "message": str(e.message)}
                    for e in refused.errors]
        return _finish_failed(batch_id, token, ngettext(
            "Nothing was imported: %(n)s problem was found when the file was imported (for "
            "example a code that was used after the file was checked).",
            "Nothing was imported: %(n)s problems were found when the file was imported (for "
            "example codes that were used after the file was checked).",
            len(problems)) % {"n": len(problems)}, problems)
    except Refused as refused:
        return _finish_failed(batch_id, token, _("Nothing was imported: %(reason)s")
                              % {"reason": refused.message})
    except SoftTimeLimitExceeded:
        return _finish_failed(batch_id, token, _(
            "Nothing was imported: the import took too long and was stopped. Split the file into "
            "smaller files and import each of them."))
    except Exception as error:  # a bug or bad data: say so on the row instead of retrying forever
        logger.exception("CSV import %s failed", batch_id)
        return _finish_failed(batch_id, token, _(
            "Nothing was imported because of an error in the program (%(error)s). The error has "
            "been logged for the site's administrators.") % {"error": type(error).__name__})


@transaction.atomic
def _import_claimed(batch_id: int, token: str) -> bool:
    locked = _lock(batch_id)
    if locked.claim != token or locked.status != ImportStatus.IMPORTING:
        return False  # another run took over after this one went quiet
    _import(locked, locked.imported_by)
    return True


def _finish_failed(batch_id: int, token: str, reason: str, problems: list | None = None) -> bool:
    # The file cannot be imported as it is: its copy (personal data) is not kept.
    ImportBatch.objects.filter(pk=batch_id, claim=token).update(
        status=ImportStatus.FAILED, error=reason, problems=problems or [], content="",
        finished_at=timezone.now(), claim="")
    logger.warning("CSV import %s failed", batch_id)
    return False


def imports_requeue_lost() -> int:
    """Re-queue queued rows whose message was lost and importing rows whose worker died."""
    from consultation import tasks

    now = timezone.now()
    ImportBatch.objects.filter(status=ImportStatus.IMPORTING, started_at__lt=now - STALE_IMPORT,
                               attempts__gte=MAX_ATTEMPTS).update(
        status=ImportStatus.FAILED, finished_at=now, claim="", content="",
        error=_("Nothing was imported: the import stopped %(n)s times without finishing. Split "
                "the file into smaller files and import each of them.") % {"n": MAX_ATTEMPTS})
    ids = list(ImportBatch.objects.filter(
        Q(status=ImportStatus.QUEUED, queued_at__lt=now - LOST_QUEUED)
        | Q(status=ImportStatus.IMPORTING, started_at__lt=now - STALE_IMPORT))
        .values_list("pk", flat=True))
    for batch_id in ids:
        try:
            tasks.run_import.delay(batch_id)
        except (BrokerError, OSError) as error:
            logger.warning("Could not queue CSV import %s: %s", batch_id, error)
            break
    return len(ids)

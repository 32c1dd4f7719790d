"""Collecting answers: one-time codes, residents online, volunteers on paper (CSV files of paper
returns are consultation.services.importing).

A resident's submission is committed in the request and depends on nothing but the database;
anything extra (the milestone email) is queued after commit, and a queue that is down is logged,
never shown to the resident (the periodic sweep catches up).
"""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from clp import freshness
from clp.audit import AuditKind, audit_record
from clp.models import User
from clp.outbox import Claim
from consultation import tasks
from consultation.analysis import counts
from consultation.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    AccessCode,
    Answer,
    DeletionRequest,
    ImportBatch,
    ImportStatus,
    Question,
    Response,
    ResponseDeletion,
    ResponseStatus,
    Survey,
    SurveyStatus,
    code_digest,
    display_code,
    new_resume_token,
)
from consultation.services.base import (
    MILESTONES,
    CodeRefused,
    DuplicateCode,
    Incomplete,
    Refused,
    record_event,
)
from consultation.services.building import survey_close
from plans.models import MANAGER_ROLES
from plans.services import publication_request

logger = logging.getLogger(__name__)


# --- one-time codes -----------------------------------------------------------------------------

@transaction.atomic
def codes_generate(*, survey: Survey, count: int, batch: str, actor: User) -> list[str]:
    """Create `count` new random codes for leaflets; return them, the only time they are known.

    Only their keyed hashes are stored; the unique constraint keeps each code single-use per survey.
    """
    existing = set(survey.codes.values_list("digest", flat=True))
    new: dict[str, str] = {}
    while len(new) < count:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        digest = code_digest(code)
        if digest not in existing:
            new[digest] = code
    AccessCode.objects.bulk_create([AccessCode(survey=survey, digest=d, batch=batch) for d in new])
    record_event(survey, actor, _("Made %(n)s one-time codes for “%(title)s”")
            % {"n": count, "title": survey.title})
    return sorted(display_code(code) for code in new.values())


@transaction.atomic
def leaflets_make(*, survey: Survey, count: int, batch: str, layout: str, actor: User):
    """Make a batch of codes and queue their leaflets as a PDF. The plain codes go only into the
    publication's input, which is wiped once the PDF is built: they live on only in the file."""
    codes = codes_generate(survey=survey, count=count, batch=batch, actor=actor)
    return publication_request(plan=survey.plan, kind="code_leaflets", source_id=survey.pk, actor=actor,
                               secret_input={"codes": codes, "layout": layout, "batch": batch})


@transaction.atomic
def coded_questionnaires_make(*, survey: Survey, count: int, batch: str, actor: User):
    """Make a batch of codes and queue one paper questionnaire per code, with its code printed on
    it. As for leaflets, the plain codes go only into the publication's input, wiped once built."""
    from plans.services import publication_request

    codes = codes_generate(survey=survey, count=count, batch=batch, actor=actor)
    return publication_request(plan=survey.plan, kind="coded_questionnaires", source_id=survey.pk,
                               actor=actor, secret_input={"codes": codes, "batch": batch})


@transaction.atomic
def codes_withdraw(*, survey: Survey, batch: str, actor: User) -> int:
    """Stop a batch's unused codes working (a sheet was lost); codes already used are kept."""
    unused = survey.codes.filter(batch=batch, used_at__isnull=True, response__isnull=True)
    count, _deleted = unused.delete()
    if count:
        record_event(survey, actor, _("Withdrew %(n)s unused one-time codes of “%(title)s”")
                     % {"n": count, "title": survey.title})
    return count


def find_code(survey: Survey, text: str, *, lock: bool) -> AccessCode:
    queryset = AccessCode.objects.select_for_update() if lock else AccessCode.objects
    code = queryset.filter(survey=survey, digest=code_digest(text)).first() if text.strip() else None
    if code is None:
        raise CodeRefused(_("We do not recognise that code. Check it against your leaflet: it "
                            "has 10 letters and numbers, like ABCDE-23456."))
    return code


CODE_USED = _("This code has already been used to answer the survey, so it cannot be used "
              "again. Thank you for taking part. If you think this is wrong, contact the "
              "steering group.")


# --- answering (residents) ----------------------------------------------------------------------

@transaction.atomic
def response_start(*, survey: Survey, code_text: str = "", client_key: str = "",
                   held_token: str = "") -> Response:
    """Begin a resident's answers; with a code, pick up its unsent answers only in the browser
    that holds them (`held_token`, from its session). Anyone else who types the household's code
    starts afresh, and the unsent answers typed elsewhere are discarded, never shown to them."""
    if code_text:
        code = find_code(survey, code_text, lock=True)
        if code.is_used:
            raise CodeRefused(str(CODE_USED))
        existing = Response.objects.select_for_update().filter(code=code).first()
        if existing is not None and held_token and existing.resume_token == held_token:
            return existing
        if existing is not None:
            existing.delete()
        return Response.objects.create(survey=survey, code=code, client_key=client_key)
    if not survey.uses_link:
        raise CodeRefused(_("Enter the code printed on your leaflet to start."))
    return Response.objects.create(survey=survey, client_key=client_key)


def response_renew_token(*, response: Response) -> str:
    """Give unsent answers a new 'carry on later' token (the old one, seen in a log, stops working)."""
    response.resume_token = new_resume_token()
    response.save(update_fields=["resume_token"])
    return response.resume_token


@transaction.atomic
def answers_save(*, response: Response, rows: dict[Question, list[Answer]]) -> None:
    """Keep one page's answers on an unsent response (replacing what that page had before)."""
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.is_submitted:
        raise Refused(_("These answers have already been sent."))
    Answer.objects.filter(response=locked, question__in=list(rows)).delete()
    Answer.objects.bulk_create([own(a, locked) for answers in rows.values() for a in answers])
    locked.save(update_fields=["updated_at"])


def own(answer: Answer, response: Response) -> Answer:
    """The answer row, now belonging to `response` (the answers form builds rows without one)."""
    answer.response = response
    return answer


def response_submit(*, response: Response, client_key: str = "") -> Response:
    """Send a resident's answers: committed here and now, whatever state the queue is in.

    This is the one POST every resident makes, so it is written as its statements, each one
    round trip of fixed SQL (no query compiled per request), in this order: lock the draft
    (and its code, if it has one); take the response number, which locks the survey's row and
    reads back whether it still accepts answers; read the draft's answers (after the locks, so
    they are what is committed now); the required questions with this device's sends of the
    last day; mark the draft sent; start a new version of the survey's figures
    (`counts.changed`). The refusals come in the order residents have always seen them (sent,
    closed, incomplete, a repeat, a used code), and any refusal raises before the commit, so
    a refused send changes nothing, its number included. The kept pages' token is replaced
    once, after the block (`freshness.bumps_after`), so no call to the cache is made while the
    survey's row is locked."""
    with freshness.bumps_after(), transaction.atomic():
        state = _lock_draft(response.pk)
        if state is None or state[0] != ResponseStatus.DRAFT:
            raise CodeRefused(str(CODE_USED)) if state and state[1] else Refused(
                _("These answers have already been sent. Thank you."))
        # Locks in the order response_enter takes them too: the code, then the survey.
        code = AccessCode.objects.select_for_update().get(pk=state[1]) if state[1] else None
        # The survey's row is held from here to the commit, so two sends to it (say, the same
        # answers from one device at once) take turns: each sees what the other committed.
        # Its dates are as the request read them; its status is as it stands under the lock.
        number, status, notified = Response.take_number_and_state(response.survey_id)
        survey = response.survey
        survey.status, survey.milestone_notified = status, notified
        if not survey.is_accepting:
            raise Refused(_("Sorry, this survey has closed."))
        rows = _answer_rows(response)  # read once: for what is missing and for the digest
        digest = _digest(rows)
        required, sent, same = _required_and_sent(response.survey_id, client_key, digest)
        answered = {row[0] for row in rows}
        missing = [pk for pk in required if pk not in answered]
        if missing:
            raise Incomplete(_("Some questions still need an answer."),
                             list(Question.objects.filter(pk__in=missing).select_related("section")))
        if client_key:
            _refuse_repeat(sent, same)
        now = timezone.now()
        if code is not None:
            if code.is_used:
                raise CodeRefused(str(CODE_USED))
            code.used_at = now
            code.save(update_fields=["used_at"])
        _mark_sent(response.pk, number=number, at=now, digest=digest, client_key=client_key)
        counts.changed(response.survey_id)
        after_submit(survey, number)
    response.status, response.submitted_at, response.number = ResponseStatus.SUBMITTED, now, number
    response.answers_digest, response.client_key, response.updated_at = digest, client_key, now
    return response


def _lock_draft(response_id: int) -> tuple | None:
    """(status, code id) of the response, its row locked until the transaction ends. Its
    answers are read by a statement of their own, after the lock: a statement that waits for a
    lock reads the locked row afresh but other tables as they were when it began, so answers
    joined here could miss a page saved a moment before."""
    # SQLite has no row locks: it locks the whole file for the write that follows.
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status, code_id FROM consultation_response WHERE id = %s{lock}",
                       [response_id])
        found = cursor.fetchone()
    return tuple(found) if found else None


def _required_and_sent(survey_id: int, client_key: str, digest: str) -> tuple[list[int], int, int]:
    """The survey's required questions, with this device's sends of the last day and how many
    of them held exactly these answers (`_refuse_repeat`), in one round trip: the counts are
    read once, on the (survey, device, time) index, beside each required question's id."""
    since = connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(days=1))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT q.id, s.sent, s.same FROM (SELECT COUNT(*) AS sent, COALESCE(SUM(CASE WHEN "
            "answers_digest = %s THEN 1 ELSE 0 END), 0) AS same FROM consultation_response "
            "WHERE survey_id = %s AND client_key = %s AND submitted_at >= %s AND status = %s) s "
            "LEFT JOIN consultation_question q ON q.survey_id = %s AND q.required ORDER BY q.id",
            [digest, survey_id, client_key, since, ResponseStatus.SUBMITTED, survey_id])
        found = cursor.fetchall()
    return [row[0] for row in found if row[0] is not None], found[0][1], found[0][2]


def _mark_sent(response_id: int, *, number: int, at, digest: str, client_key: str) -> None:
    when = connection.ops.adapt_datetimefield_value(at)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE consultation_response SET status = %s, submitted_at = %s, "
                       "updated_at = %s, answers_digest = %s, client_key = %s, number = %s "
                       "WHERE id = %s", [ResponseStatus.SUBMITTED, when, when, digest, client_key,
                                         number, response_id])


def _digest(rows: list[tuple]) -> str:
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _answer_rows(response: Response) -> list[tuple]:
    """The response's answers as plain values in a fixed order (the digest is taken of them):
    the columns hold integers, text and NULL only, which every database returns alike."""
    with connection.cursor() as cursor:
        # The id last: answers that tie on the rest (two texts of one part) keep one order.
        cursor.execute("SELECT question_id, option_id, number, part, text FROM consultation_answer "
                       "WHERE response_id = %s ORDER BY question_id, option_id, part, id",
                       [response.pk])
        return [tuple(row) for row in cursor.fetchall()]


def _refuse_repeat(sent: int, same: int) -> None:
    """Refuse the same device sending identical answers again, or very many in a day.

    Different answers from one shared device (a family taking turns) are welcome up to the
    daily limit. A device's count stays small: past the limit nothing is stored.
    """
    if same:
        raise Refused(_("These exact answers have already been sent from this device, so we have "
                        "not counted them twice. Thank you for taking part."))
    if sent >= settings.CONSULTATION_MAX_DAILY_PER_DEVICE:
        raise Refused(_("Many answers have been sent from this device today. If more people "
                        "want to take part, please try again tomorrow or ask the steering group "
                        "for a paper copy."))


QUEUE_AGAIN_AFTER = 60  # seconds: how often one process queues the same milestone check


def after_submit(survey: Survey, number: int) -> None:
    """What follows a response counted (online, keyed in or imported) whose response number is
    `number` (the last one, for several): the milestone email, when one may have been reached."""
    # The answer is already committed: a broker that is down must not turn into an error for the
    # resident (delay_on_commit logs it; the periodic sweep sends any milestone email it misses).
    # A response's number is taken under the survey's row lock in the same transaction that
    # counts it (Response.take_numbers, in every caller), and numbers are never reused: so no
    # more responses have been counted than the last number given. Below the next milestone
    # there is nothing to check and no task is queued; most responses never touch the broker.
    following = next((m for m in MILESTONES if m > survey.milestone_notified), None)
    if following is None or number < following:
        return
    # Past a milestone, every response queues the check until a worker has recorded it; with
    # the worker behind or stopped that is one message a response. One a minute from each
    # process is enough: the check is claimed once (clp.outbox) and the sweep catches up.
    tasks.notify_response_milestone.delay_on_commit_now_and_then(
        (survey.pk, following), QUEUE_AGAIN_AFTER, survey.pk)


# --- assisted entry, deletion -------------------------------------------------------------------

@transaction.atomic
def response_enter(*, survey: Survey, channel: str, rows: dict[Question, list[Answer]],
                   actor: User, code_text: str = "") -> Response:
    """A volunteer keys in a paper form or interview; a code used before is shown, not merged."""
    if survey.is_draft:
        raise Refused(_("Open the survey before entering answers."))
    code = _claim_code_for_entry(survey, code_text) if code_text else None
    now = timezone.now()
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey, channel=channel, code=code, entered_by=actor,
                status=ResponseStatus.SUBMITTED, submitted_at=now,
                number=Response.take_numbers(survey.pk)[0])
    except IntegrityError as error:  # another volunteer saved the same code a moment ago
        raise DuplicateCode(str(CODE_USED), Response.objects.filter(code=code).first()) from error
    Answer.objects.bulk_create([own(a, response) for answers in rows.values() for a in answers])
    response.answers_digest = _digest(_answer_rows(response))
    response.save(update_fields=["answers_digest"])
    if code is not None:
        code.used_at = now
        code.save(update_fields=["used_at"])
    counts.changed(survey.pk)
    after_submit(survey, response.number)
    return response


def _claim_code_for_entry(survey: Survey, code_text: str) -> AccessCode:
    code = find_code(survey, code_text, lock=True)
    existing = Response.objects.filter(code=code).first()
    if existing is not None and existing.is_submitted:
        raise DuplicateCode(
            _("Code %(code)s has already been used: response %(n)s (%(channel)s, %(when)s). "
              "Check the form in front of you; if it really is a second return, leave the code "
              "empty.") % {"code": display_code(code_text), "n": existing.number,
                           "channel": existing.get_channel_display().lower(),
                           "when": timezone.localtime(existing.submitted_at).strftime("%-d %b %Y")},
            existing)
    if existing is not None:
        raise DuplicateCode(
            _("Someone has started answering online with code %(code)s but has not sent their "
              "answers. To avoid counting the household twice, leave the code empty and note it "
              "on the paper form.") % {"code": display_code(code_text)}, None)
    return code


@transaction.atomic
def response_delete(*, response: Response, reason: str, actor: User) -> None:
    """Delete a response and its answers, keeping an audit record of who, when and why."""
    survey = response.survey
    ResponseDeletion.objects.create(
        survey=survey, response_number=response.number or 0, channel=response.channel,
        submitted_at=response.submitted_at, reason=reason, deleted_by=actor)
    number = response.number
    audit_record(kind=AuditKind.ERASURE, actor=actor, target=response,
                 summary=f"Response {number} to survey {survey.pk} deleted")
    response.delete()
    counts.changed(survey.pk)
    record_event(survey, actor, _("Deleted response %(n)s to “%(title)s”")
            % {"n": number, "title": survey.title}, reason=reason)


@transaction.atomic
def deletion_request_make(*, response: Response) -> DeletionRequest:
    """Tell the group that a resident wants this response deleted; asking twice changes nothing."""
    request, created = DeletionRequest.objects.get_or_create(
        response=response, defaults={"survey_id": response.survey_id, "receipt": response.receipt})
    if created:
        record_event(response.survey, None, _("A resident asked for a response to “%(title)s” to "
                                              "be deleted") % {"title": response.survey.title})
    return request


# --- after-commit work and sweeps ---------------------------------------------------------------

def survey_notify_milestone(*, survey_id: int) -> bool:
    """Email the chair and secretary when a survey passes 1, 50, 100 … responses; once each.
    Claimed, sent, then recorded, with no lock held while the mail server talks (clp.outbox)."""
    rows = Survey.objects.select_related("plan__community").filter(
        pk=survey_id, milestone_notified__lt=MILESTONES[-1])
    # busy=False: a check already under way, or the next submission's, or the sweep covers it.
    with Claim(rows, field="milestone_sending_since", busy=False) as claim:
        survey = claim.row
        if survey is None:
            return False
        reached, count = _milestone_reached(survey)
        if reached <= survey.milestone_notified:
            return False
        recipients = list(survey.plan.memberships.active().filter(role__in=MANAGER_ROLES)
                          .values_list("user__email", flat=True))
        if recipients:
            context = {"survey": survey, "count": count, "reached": reached,
                       "url": settings.SITE_URL + survey.get_absolute_url()}
            send_mail(
                subject=render_to_string("consultation/email/milestone_subject.txt", context).strip(),
                message=render_to_string("consultation/email/milestone_body.txt", context),
                from_email=None, recipient_list=recipients)
        claim.finish(milestone_notified=reached)
    return True


def _milestone_reached(survey: Survey) -> tuple[int, int]:
    """The highest milestone passed, and the count of responses, counting no further than the
    next milestone: the cost stays bounded however many responses the survey has."""
    following = [m for m in MILESTONES if m > survey.milestone_notified]
    submitted = survey.responses.submitted().order_by()
    count = submitted[:following[0] if following else survey.milestone_notified].count()
    if len(following) > 1 and count >= following[0]:
        count = submitted[:following[-1]].count()
    return max((m for m in MILESTONES if m <= count), default=0), count


def surveys_sweep() -> int:
    """Close surveys past their closing date, send missed milestone emails, and forget what is no
    longer needed: device hashes after two days, unsent answers to closed surveys after 30 days,
    uploaded CSV files never imported after a week."""
    now = timezone.now()
    overdue = list(Survey.objects.filter(status=SurveyStatus.OPEN, closes_on__lt=timezone.localdate()))
    for survey in overdue:
        survey_close(survey=survey, actor=None)
    for survey_id in (Survey.objects.exclude(status=SurveyStatus.DRAFT)
                      .filter(milestone_notified__lt=MILESTONES[-1]).values_list("pk", flat=True)):
        survey_notify_milestone(survey_id=survey_id)
    Response.objects.filter(submitted_at__lt=now - timedelta(days=2)).exclude(client_key="").update(
        client_key="")
    Response.objects.filter(status=ResponseStatus.DRAFT, survey__status=SurveyStatus.CLOSED,
                            updated_at__lt=now - timedelta(days=30)).delete()
    ImportBatch.objects.filter(imported_at__isnull=True, uploaded_at__lt=now - timedelta(days=7)).exclude(
        status__in=[ImportStatus.QUEUED, ImportStatus.IMPORTING]).delete()
    return len(overdue)

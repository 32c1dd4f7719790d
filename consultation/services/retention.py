"""Retention: once a closed survey is past its community's retention period, forget what could
identify a resident.

Each survey is handled in its own transaction and stamped with `anonymised_at`, so the beat task
is safe to run twice, to stop half way, and to run late: the stamp is the record of work done.
What stays is what the plan needs as evidence: choices, numbers and how free text was coded (the
answer rows and their codings stay, so counts per theme still add up), never the words themselves.
"""

import calendar
import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from clp.audit import AuditKind, audit_record
from consultation.models import (
    ANONYMISED_TEXT,
    AccessCode,
    Answer,
    ImportBatch,
    Response,
    ResponseStatus,
    Survey,
    SurveyStatus,
)

logger = logging.getLogger(__name__)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan → 28 Feb)."""
    year, month = divmod(moment.month - 1 + months, 12)
    year, month = moment.year + year, month + 1
    return moment.replace(year=year, month=month,
                          day=min(moment.day, calendar.monthrange(year, month)[1]))


def surveys_due_for_anonymising(now: datetime) -> list[int]:
    """Ids of closed surveys whose community's retention period has run out, not yet anonymised."""
    due = []
    for pk, closed_at, months in (Survey.objects.filter(status=SurveyStatus.CLOSED,
                                                        anonymised_at__isnull=True,
                                                        closed_at__isnull=False)
                                  .values_list("pk", "closed_at", "plan__community__retention_months")):
        if add_months(closed_at, months) <= now:
            due.append(pk)
    return due


@transaction.atomic
def survey_anonymise(*, survey_id: int, now: datetime | None = None) -> bool:
    """Replace a closed survey's free text, delete its codes, imported files and unsent drafts."""
    now = now or timezone.now()
    survey = (Survey.objects.select_for_update(skip_locked=True)
              .filter(pk=survey_id, status=SurveyStatus.CLOSED, anonymised_at__isnull=True).first())
    if survey is None:
        return False
    Response.objects.filter(survey=survey, status=ResponseStatus.DRAFT).delete()
    Answer.objects.filter(response__survey=survey).exclude(text="").update(text=ANONYMISED_TEXT)
    Response.objects.filter(survey=survey).update(client_key="", answers_digest="", code=None)
    AccessCode.objects.filter(survey=survey).delete()
    ImportBatch.objects.filter(survey=survey).delete()
    audit_record(kind=AuditKind.ERASURE, target=survey,
                 summary="Free text, codes, uploaded files and unsent drafts removed (retention)")
    survey.anonymised_at = now
    survey.save(update_fields=["anonymised_at"])
    logger.info("Survey %s anonymised after its retention period", survey.pk)
    return True


def surveys_apply_retention(*, now: datetime | None = None) -> int:
    """Anonymise every survey past its retention period; returns how many were done this run."""
    now = now or timezone.now()
    return sum(survey_anonymise(survey_id=pk, now=now) for pk in surveys_due_for_anonymising(now))

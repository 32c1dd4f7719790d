"""Retention: past the community's period, a closed survey keeps its counts and forgets the words."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from consultation import services
from consultation.models import (
    ANONYMISED_TEXT,
    AccessCode,
    AccessMode,
    Answer,
    AnswerCoding,
    ImportBatch,
    Response,
    ResponseStatus,
    Survey,
    SurveyStatus,
    Theme,
)
from consultation.services.retention import add_months, surveys_apply_retention
from consultation.tasks import apply_retention
from tests.consultation.factories import make_survey, submitted_response
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _closed_survey(plan, months=6):
    plan.community.retention_months = months
    plan.community.save()
    survey = make_survey(plan, access=AccessMode.BOTH)
    actor = UserFactory()
    services.codes_generate(survey=survey, count=3, batch="Leaflets", actor=actor)
    response = submitted_response(survey)
    services.response_start(survey=survey)  # a draft never sent
    ImportBatch.objects.create(survey=survey, filename="paper.csv", content="q1\nSecret Street")
    love = response.answers.exclude(text="").first()
    theme = Theme.objects.create(plan=plan, name="Traffic")
    AnswerCoding.objects.create(answer=love, theme=theme)
    services.survey_close(survey=survey, actor=actor)
    return Survey.objects.get(pk=survey.pk), response, theme


def test_nothing_is_forgotten_before_the_period_ends(plan):
    survey, response, _theme = _closed_survey(plan, months=6)
    assert surveys_apply_retention(now=add_months(survey.closed_at, 6) - timedelta(minutes=1)) == 0
    assert Answer.objects.filter(response=response, text="The green").exists()
    assert AccessCode.objects.filter(survey=survey).count() == 3
    assert Survey.objects.get(pk=survey.pk).anonymised_at is None


def test_after_the_period_words_codes_files_and_drafts_go_but_counts_stay(plan):
    survey, response, theme = _closed_survey(plan, months=6)
    choices_before = Answer.objects.filter(response=response, option__isnull=False).count()
    later = add_months(survey.closed_at, 6) + timedelta(days=1)

    assert surveys_apply_retention(now=later) == 1

    texts = set(Answer.objects.filter(response__survey=survey).exclude(text="")
                .values_list("text", flat=True))
    assert texts == {ANONYMISED_TEXT}
    assert Answer.objects.filter(response=response, option__isnull=False).count() == choices_before
    assert AnswerCoding.objects.filter(theme=theme).count() == 1
    assert not AccessCode.objects.filter(survey=survey).exists()
    assert not ImportBatch.objects.filter(survey=survey).exists()
    assert not Response.objects.filter(survey=survey, status=ResponseStatus.DRAFT).exists()
    assert Response.objects.filter(survey=survey, status=ResponseStatus.SUBMITTED).count() == 1
    assert Survey.objects.get(pk=survey.pk).anonymised_at == later


def test_running_twice_does_nothing_more(plan):
    survey, _response, _theme = _closed_survey(plan, months=1)
    later = add_months(survey.closed_at, 1) + timedelta(days=1)
    assert surveys_apply_retention(now=later) == 1
    assert surveys_apply_retention(now=later + timedelta(days=1)) == 0
    assert Survey.objects.get(pk=survey.pk).anonymised_at == later


def test_open_surveys_are_never_anonymised(plan):
    survey = make_survey(plan)
    submitted_response(survey)
    assert surveys_apply_retention(now=timezone.now() + timedelta(days=4000)) == 0
    assert Answer.objects.filter(response__survey=survey, text="The green").exists()


def test_a_longer_period_keeps_answers_longer(plan):
    survey, _r, _t = _closed_survey(plan, months=3)
    assert surveys_apply_retention(now=add_months(survey.closed_at, 2)) == 0
    assert surveys_apply_retention(now=add_months(survey.closed_at, 3)) == 1


def test_the_beat_task_uses_the_real_clock(plan, settings):
    survey, _response, _theme = _closed_survey(plan, months=1)
    Survey.objects.filter(pk=survey.pk).update(closed_at=timezone.now() - timedelta(days=40))
    assert apply_retention.delay().get() == 1
    assert "consultation-apply-retention" in settings.CELERY_BEAT_SCHEDULE
    assert Survey.objects.get(pk=survey.pk).status == SurveyStatus.CLOSED


def test_months_end_on_the_last_day_of_a_short_month():
    start = datetime(2026, 1, 31, 12, tzinfo=UTC)
    assert add_months(start, 1).day == 28
    assert add_months(start, 13).month == 2

"""The shared question bank: an organisation's standard questions, and copying one into a survey.

A copy is an ordinary question of the survey (the parish may reword it), linked back by
`Question.standard` so that its answers can be compared across the organisation's portfolio
(actions.portfolio.compare, through each survey's own public results)."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from clp import freshness
from clp.models import User
from consultation.models import Question, QuestionKind, Section, StandardQuestion
from consultation.services.base import Refused, record_event
from consultation.services.building import question_create
from plans.models import Plan

logger = logging.getLogger(__name__)


@transaction.atomic
def standard_question_save(*, standard: StandardQuestion, actor: User) -> StandardQuestion:
    """Add a question to an organisation's bank, or save changes to one (copies keep theirs)."""
    if standard.pk is None:
        standard.created_by = actor
    standard.save()
    logger.info("Standard question %s of organisation %s saved by %s", standard.pk,
                standard.organisation_id, actor.pk)
    return standard


@transaction.atomic
def standard_question_retire(*, standard: StandardQuestion, retired: bool, actor: User) -> None:
    """Stop offering a standard question to parishes (or offer it again)."""
    StandardQuestion.objects.filter(pk=standard.pk).update(retired=retired)
    freshness.bump()  # update() sends no signal; kept pages compare with the bank (clp.freshness)
    standard.retired = retired
    logger.info("Standard question %s %s by %s", standard.pk,
                "retired" if retired else "offered again", actor.pk)


def standards_for(plan: Plan):
    """The standard questions a plan's surveys may add: those of every organisation whose
    portfolio holds the plan's community, still offered."""
    return (StandardQuestion.objects.filter(organisation__communities=plan.community_id,
                                            retired=False)
            .select_related("organisation").order_by("organisation__name", "text", "pk").distinct())


@transaction.atomic
def standard_question_add(*, standard: StandardQuestion, section: Section, actor: User) -> Question:
    """Copy a standard question to the end of a page of a survey, linked to the bank."""
    survey = section.survey
    if not standards_for(survey.plan).filter(pk=standard.pk).exists():
        raise Refused(_("This standard question is not offered to %(community)s.")
                      % {"community": survey.plan.community.name})
    if Question.objects.filter(survey_id=survey.pk, standard=standard).exists():
        raise Refused(_("This survey already asks “%(text)s”.") % {"text": standard.text})
    demographic = standard.kind == QuestionKind.DEMOGRAPHIC
    question = question_create(
        section=section, kind=standard.kind, fields=standard.question_fields(), actor=actor,
        options=list(standard.options) or None,
        dimension_kind=standard.dimension_kind if demographic else None)
    Question.objects.filter(pk=question.pk).update(standard=standard)
    question.standard = standard
    record_event(survey, actor, _("Survey “%(title)s”: added the standard question “%(text)s” of "
                                  "%(org)s") % {"title": survey.title, "text": standard.text,
                                                "org": standard.organisation.name})
    return question

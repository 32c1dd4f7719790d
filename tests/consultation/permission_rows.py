"""Permission rows for every consultation URL (merged into tests/permissions.py)."""

from consultation import services
from consultation.models import AccessMode, ImportBatch, QuestionKind, SurveyStatus
from tests.consultation.factories import make_survey, submitted_response
from tests.permissions import (
    EDIT_PLAN,
    EDITORS,
    MANAGE_PLAN,
    PLAN_VIEWERS,
    POST_EDIT,
    POST_MANAGE,
    PUBLIC,
    VIEW_PLAN,
    Row,
    expect,
)

READ_ANSWERS = expect(EDITORS | {"officer"}, visible=PLAN_VIEWERS)


def survey(w):
    return {"pk": w.plan.pk, "sid": w.survey.pk}


def draft(w):
    return {"pk": w.plan.pk, "sid": w.draft_survey.pk}


def section(w):
    return {**survey(w), "sec": w.section.pk}


def question(w):
    return {**survey(w), "qid": w.question.pk}


def public(w):
    return {"public_id": w.survey.public_id}


def extend_world(world) -> None:
    chair = world.people["chair"]
    world.survey = make_survey(world.plan, access=AccessMode.BOTH, actor=chair)
    world.draft_survey = make_survey(world.plan, status=SurveyStatus.DRAFT, title="Youth survey",
                                     actor=chair)
    world.section = world.survey.sections.order_by("position").last()
    world.question = world.survey.questions.get(kind=QuestionKind.RATING)
    world.response = submitted_response(world.survey, actor=chair)
    world.draft_response = services.response_start(survey=world.survey)
    world.batch = ImportBatch.objects.create(survey=world.survey, filename="returns.csv",
                                             content="code\n", uploaded_by=chair)


ROWS = {
    "consultation:surveys": Row(lambda w: {"pk": w.plan.pk}, VIEW_PLAN),
    "consultation:survey_new": Row(lambda w: {"pk": w.plan.pk}, EDIT_PLAN),
    "consultation:survey": Row(survey, VIEW_PLAN),
    "consultation:survey_edit": Row(survey, EDIT_PLAN),
    "consultation:survey_duplicate": Row(survey, POST_EDIT, method="post"),
    "consultation:survey_open": Row(draft, POST_MANAGE, method="post"),
    "consultation:survey_close": Row(survey, POST_MANAGE, method="post"),
    "consultation:survey_delete": Row(draft, MANAGE_PLAN),
    "consultation:survey_preview": Row(draft, VIEW_PLAN),
    "consultation:section_new": Row(survey, EDIT_PLAN),
    "consultation:section_edit": Row(section, EDIT_PLAN),
    "consultation:section_delete": Row(section, EDIT_PLAN),
    "consultation:section_move": Row(section, POST_EDIT, method="post",
                                     data=lambda w: {"direction": "up"}),
    "consultation:question_kind": Row(section, EDIT_PLAN),
    "consultation:question_new": Row(lambda w: {**section(w), "kind": "ranking"}, EDIT_PLAN),
    "consultation:question_edit": Row(question, EDIT_PLAN),
    "consultation:question_delete": Row(question, EDIT_PLAN),
    "consultation:question_move": Row(question, POST_EDIT, method="post",
                                      data=lambda w: {"direction": "down"}),
    "consultation:question_duplicate": Row(question, POST_EDIT, method="post"),
    "consultation:codes": Row(survey, EDIT_PLAN),
    "consultation:codes_sheet": Row(survey, EDIT_PLAN),
    "consultation:codes_csv": Row(survey, EDIT_PLAN),
    "consultation:collection": Row(survey, VIEW_PLAN),
    "consultation:responses": Row(survey, READ_ANSWERS),
    "consultation:response_new": Row(survey, EDIT_PLAN),
    "consultation:response": Row(lambda w: {**survey(w), "rid": w.response.pk}, READ_ANSWERS),
    "consultation:response_delete": Row(lambda w: {**survey(w), "rid": w.response.pk}, MANAGE_PLAN),
    "consultation:export_csv": Row(survey, READ_ANSWERS),
    "consultation:export_xlsx": Row(survey, READ_ANSWERS),
    "consultation:import_upload": Row(survey, EDIT_PLAN),
    "consultation:import_template": Row(survey, EDIT_PLAN),
    "consultation:import_preview": Row(lambda w: {**survey(w), "bid": w.batch.pk}, EDIT_PLAN),
    # Residents: no account needed for an open survey (a fresh visitor to a later page is told
    # how to start). Drafts and closed surveys are 404 for everyone: see test_public_access.py.
    "consultation:public_start": Row(public, PUBLIC),
    "consultation:public_page": Row(lambda w: {**public(w), "n": 1}, PUBLIC),
    "consultation:public_check": Row(public, PUBLIC),
    "consultation:public_done": Row(public, PUBLIC),
    "consultation:public_resume": Row(lambda w: {**public(w), "token": w.draft_response.resume_token},
                                      PUBLIC),
}

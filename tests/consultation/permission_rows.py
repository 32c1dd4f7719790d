"""Permission rows for every consultation URL (merged into tests/permissions.py)."""

from consultation import services
from consultation.models import AccessMode, ImportBatch, QuestionKind, Response, SurveyStatus
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
    "consultation:codes_withdraw": Row(survey, POST_EDIT, method="post", data=lambda w: {"batch": "x"}),
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
    "consultation:public_resume": Row(public, PUBLIC),
    # Each use renews the token (the one in the old-style URL may be in a log): read the latest.
    "consultation:public_resume_link": Row(
        lambda w: {**public(w), "token": Response.objects.get(pk=w.draft_response.pk).resume_token},
        PUBLIC),
    "consultation:public_deletion_request": Row(public, PUBLIC),
}


# --- Evidence analysis: results, who has been heard, coding, issues ------------------------------

def _evidence_world(world) -> None:
    from consultation.models import Answer, Dimension, Issue, QuestionKind
    from consultation.services import evidence as evidence_services

    chair = world.people["chair"]
    world.choice_question = world.survey.questions.filter(kind=QuestionKind.SINGLE).first()
    world.dimension = Dimension.objects.get(plan=world.plan, kind="age")
    world.text_answer = Answer.objects.filter(response=world.response).exclude(text="").first() or \
        Answer.objects.create(response=world.response, question=world.survey.questions.filter(
            kind=QuestionKind.LOVE_HATE).first(), part="love", text="The green")
    world.theme = evidence_services.themes_ensure(world.plan)[0]
    world.issue = evidence_services.issue_save(
        issue=Issue(plan=world.plan, title="Speeding", description="Cars go too fast."),
        actor=chair, created=True)
    world.issue.answers.add(world.text_answer)
    evidence_services.results_set_published(survey=world.survey, published=True, actor=chair)


_extend_survey_world = extend_world


def extend_world(world) -> None:  # noqa: F811 - adds the evidence objects to the survey world
    _extend_survey_world(world)
    _evidence_world(world)


def _plan(w):
    return {"pk": w.plan.pk}


def _issue(w):
    return {"pk": w.plan.pk, "iid": w.issue.pk}


def _answer(w):
    return {**survey(w), "aid": w.text_answer.pk}


ROWS.update({
    "consultation:results": Row(survey, VIEW_PLAN),
    "consultation:results_download": Row(lambda w: {**survey(w), "fmt": "csv"}, VIEW_PLAN),
    "consultation:results_publish": Row(survey, POST_MANAGE, method="post", data=lambda w: {"publish": "1"}),
    "consultation:crosstab": Row(lambda w: {**survey(w), "qid": w.choice_question.pk}, VIEW_PLAN),
    "consultation:crosstab_download": Row(lambda w: {**survey(w), "qid": w.choice_question.pk, "fmt": "xlsx"},
                                          VIEW_PLAN, data=lambda w: {"dimension": w.dimension.pk}),
    "consultation:text_answers": Row(survey, READ_ANSWERS),
    "consultation:text_publish": Row(_answer, EDIT_PLAN),
    "consultation:text_unpublish": Row(_answer, POST_EDIT, method="post"),
    "consultation:public_results": Row(public, PUBLIC),
    "consultation:results_preview": Row(survey, EDIT_PLAN),
    "consultation:representation": Row(_plan, VIEW_PLAN),
    "consultation:representation_review": Row(_plan, POST_EDIT, method="post"),
    "consultation:baseline": Row(lambda w: {"pk": w.plan.pk, "did": w.dimension.pk}, EDIT_PLAN),
    "consultation:dimension_groups": Row(lambda w: {"pk": w.plan.pk, "did": w.dimension.pk}, EDIT_PLAN),
    "consultation:baseline_template": Row(lambda w: {"pk": w.plan.pk, "did": w.dimension.pk}, VIEW_PLAN),
    "consultation:themes": Row(_plan, EDIT_PLAN),
    "consultation:theme_edit": Row(lambda w: {"pk": w.plan.pk, "tid": w.theme.pk}, EDIT_PLAN),
    "consultation:coding": Row(_plan, EDIT_PLAN),
    "consultation:coding_bulk": Row(_plan, POST_EDIT, method="post",
                                    data=lambda w: {"term": "green", "theme": w.theme.pk}),
    "consultation:issues": Row(_plan, VIEW_PLAN),
    "consultation:issues_download": Row(lambda w: {"pk": w.plan.pk, "fmt": "csv"}, VIEW_PLAN),
    "consultation:issue_new": Row(_plan, EDIT_PLAN),
    "consultation:priorities_round": Row(_plan, EDIT_PLAN),
    "consultation:issue": Row(_issue, VIEW_PLAN),
    "consultation:issue_edit": Row(_issue, EDIT_PLAN),
    "consultation:issue_delete": Row(_issue, EDIT_PLAN),
    "consultation:issue_link": Row(_issue, POST_EDIT, method="post",
                                   data=lambda w: {"answer": w.text_answer.pk}),
    "consultation:issue_unlink": Row(lambda w: {**_issue(w), "aid": w.text_answer.pk}, POST_EDIT,
                                     method="post"),
})

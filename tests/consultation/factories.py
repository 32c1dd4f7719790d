"""Surveys for tests, built through the real services so they look like the group made them."""

from consultation import services
from consultation.forms.answers import AnswerForm
from consultation.models import AccessMode, QuestionKind, Response, Survey, SurveyStatus
from tests.factories import UserFactory


def make_survey(plan, *, status: str = SurveyStatus.OPEN, access: str = AccessMode.LINK,
                title: str = "Village questionnaire", actor=None) -> Survey:
    """Two pages: a required choice and a rating; then love/hate, ticks with Other, and age."""
    actor = actor or UserFactory()
    survey = services.survey_create(plan=plan, title=title, kind="open", actor=actor)
    first = survey.sections.get()
    first.title = "Living here"
    first.save()
    second = services.section_save(section=survey.sections.model(survey=survey, title="Your views"),
                                   actor=actor, created=True)
    add = services.question_create
    add(section=first, kind=QuestionKind.SINGLE, actor=actor, options=["Under 2 years", "2 to 10 years",
                                                                       "Over 10 years"],
        fields={"text": "How long have you lived here?", "required": True})
    add(section=first, kind=QuestionKind.RATING, actor=actor,
        fields={"text": "How do you rate the bus service?", "scale_min": 1, "scale_max": 5,
                "scale_min_label": "Very poor", "scale_max_label": "Very good"})
    add(section=second, kind=QuestionKind.LOVE_HATE, actor=actor,
        fields={"text": "What do you love and hate about living here?"})
    add(section=second, kind=QuestionKind.MULTIPLE, actor=actor, options=["Shop", "Pub", "Bus"],
        fields={"text": "Which services do you use?", "allow_other": True})
    add(section=second, kind=QuestionKind.DEMOGRAPHIC, actor=actor, dimension_kind="age", fields={})
    survey.access = access
    survey.save()
    if status != SurveyStatus.DRAFT:
        services.survey_open(survey=survey, actor=actor)
    if status == SurveyStatus.CLOSED:
        services.survey_close(survey=survey, actor=actor)
    return Survey.objects.get(pk=survey.pk)


def question(survey, kind: str):
    return next(q for q in survey.ordered_questions() if q.kind == kind)


def option(q, label: str):
    return next(o for o in q.options.all() if o.label == label)


def form_data(survey, **overrides) -> dict:
    """Valid answers to every question of `make_survey`, as posted by the answer form."""
    single = question(survey, QuestionKind.SINGLE)
    data = {
        f"q{single.pk}": str(option(single, "2 to 10 years").pk),
        f"q{question(survey, QuestionKind.RATING).pk}": "4",
        f"q{question(survey, QuestionKind.LOVE_HATE).pk}_love": "The green",
        f"q{question(survey, QuestionKind.LOVE_HATE).pk}_hate": "Speeding lorries",
    }
    data.update(overrides)
    return data


def submitted_response(survey, *, channel: str = "online", actor=None, **overrides) -> Response:
    """A response sent through the services, as a volunteer would enter it."""
    form = AnswerForm(form_data(survey, **overrides), questions=survey.ordered_questions(),
                      enforce_required=False)
    assert form.is_valid(), form.errors
    return services.response_enter(survey=survey, channel=channel, rows=form.answer_rows(),
                                   actor=actor or UserFactory())

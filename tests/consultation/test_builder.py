import pytest
from django.urls import reverse

from consultation import services
from consultation.models import (
    DimensionKind,
    Option,
    Question,
    QuestionKind,
    Survey,
    SurveyStatus,
)
from consultation.models.starters import STARTERS
from plans.gates import checklist
from plans.models import PlanEvent
from plans.steps import Step
from tests.consultation.factories import make_survey, option, question, submitted_response
from tests.factories import PlanFactory


def _url(name, survey, **kwargs):
    return reverse(f"consultation:{name}", kwargs={"pk": survey.plan_id, "sid": survey.pk, **kwargs})


@pytest.mark.parametrize("starter", list(STARTERS))
def test_a_member_creates_an_editable_draft_from_each_starter(world, starter):
    response = world.client("member").post(
        reverse("consultation:survey_new", args=[world.plan.pk]), {"starter": starter})
    survey = Survey.objects.get(plan=world.plan)
    assert response["Location"] == survey.get_absolute_url()
    assert survey.status == SurveyStatus.DRAFT
    assert survey.title == str(STARTERS[starter]["title"])
    assert survey.sections.count() == len(STARTERS[starter]["sections"])
    demographic = survey.questions.filter(kind=QuestionKind.DEMOGRAPHIC)
    assert demographic.exists()
    for q in demographic:
        labels = [o.label for o in q.options.all()]
        assert labels[-1] == "Prefer not to say"
        assert all(o.category.dimension == q.dimension for o in q.options.all())
        assert not q.required
    page = world.client("member").get(survey.get_absolute_url())
    assert page.status_code == 200 and "Add a question to this page" in page.text


def test_a_blank_survey_needs_a_title_and_keeps_the_choices(world):
    client = world.client("chair")
    url = reverse("consultation:survey_new", args=[world.plan.pk])
    response = client.post(url, {"kind": "priorities"})
    assert "Enter a title for the survey" in response.text
    assert 'value="priorities" selected' in response.text
    client.post(url, {"title": "Allotments survey", "kind": "other"})
    assert Survey.objects.get().sections.count() == 1


def test_demographic_questions_share_one_plan_dimension(world):
    first = make_survey(world.plan, status=SurveyStatus.DRAFT)
    second = make_survey(world.plan, status=SurveyStatus.DRAFT)
    age_first = question(first, QuestionKind.DEMOGRAPHIC)
    age_second = question(second, QuestionKind.DEMOGRAPHIC)
    assert age_first.dimension == age_second.dimension
    assert age_first.dimension.kind == DimensionKind.AGE
    assert [o.category_id for o in age_first.options.all()] == \
        [o.category_id for o in age_second.options.all()]


@pytest.mark.parametrize("kind", [k.value for k in QuestionKind])
def test_every_kind_of_question_can_be_added(world, kind):
    survey = make_survey(world.plan, status=SurveyStatus.DRAFT)
    section = survey.sections.first()
    data = {"section": section.pk, "text": f"A {kind} question", "help_text": "Help",
            "options_text": "Roads\nHomes\nShops", "dimension_kind": "gender",
            "scale_min": 0, "scale_max": 10, "scale_min_label": "Awful", "scale_max_label": "Great"}
    url = _url("question_new", survey, sec=section.pk, kind=kind)
    assert world.client("member").get(url).status_code == 200
    response = world.client("member").post(url, data)
    assert response.status_code == 302, response.text
    created = survey.questions.latest("pk")
    assert created.kind == kind
    if kind in ("single", "multiple", "ranking"):
        assert [o.label for o in created.options.all()] == ["Roads", "Homes", "Shops"]
    if kind == "demographic":
        assert created.dimension.kind == DimensionKind.GENDER
        assert created.options.last().label == "Prefer not to say"
    if kind == "rating":
        assert (created.scale_min, created.scale_max) == (0, 10)


def test_a_choice_question_needs_two_choices(world):
    survey = make_survey(world.plan, status=SurveyStatus.DRAFT)
    section = survey.sections.first()
    response = world.client("member").post(
        _url("question_new", survey, sec=section.pk, kind="single"),
        {"section": section.pk, "text": "Pick one", "options_text": "Only one"})
    assert response.status_code == 200
    assert "Enter at least two different choices, one per line" in response.text
    assert "Pick one" in response.text


@pytest.mark.parametrize("typed, stored", [
    ("Roads\nroads \n ROADS", None),  # one choice typed three ways is one choice: refused
    ("Roads\n\nHomes\nhomes", ["Roads", "Homes"]),  # a blank line and a repeat are dropped
])
def test_repeated_choices_count_once(world, typed, stored):
    survey = make_survey(world.plan, status=SurveyStatus.DRAFT)
    section = survey.sections.first()
    response = world.client("member").post(
        _url("question_new", survey, sec=section.pk, kind="single"),
        {"section": section.pk, "text": "Pick one", "options_text": typed})
    if stored is None:
        assert response.status_code == 200
        assert "Enter at least two different choices, one per line" in response.text
        assert not survey.questions.filter(text="Pick one").exists()
    else:
        assert response.status_code == 302, response.text
        created = survey.questions.get(text="Pick one")
        assert [o.label for o in created.options.exclude(is_other=True)] == stored


def test_edits_that_would_orphan_answers_are_refused_with_a_reason(world):
    survey = make_survey(world.plan)
    submitted_response(survey)
    single = question(survey, QuestionKind.SINGLE)
    client = world.client("chair")
    response = client.post(_url("question_edit", survey, qid=single.pk), {
        "section": single.section_id, "text": "How long have you lived in the village?",
        "options_text": "Under 2 years\nOver 10 years"})
    assert response.status_code == 200
    assert "“2 to 10 years” has 1 answers, so it cannot be removed or renamed" in response.text
    single.refresh_from_db()
    assert single.text == "How long have you lived here?"
    assert single.options.count() == 3

    response = client.post(_url("question_edit", survey, qid=single.pk), {
        "section": single.section_id, "text": "How long have you lived in the village?",
        "options_text": "Under 2 years\n2 to 10 years\nOver 10 years\nAll my life", "required": "on"})
    assert response.status_code == 302
    assert [o.label for o in single.options.all()][-1] == "All my life"

    rating = question(survey, QuestionKind.RATING)
    narrowed = client.post(_url("question_edit", survey, qid=rating.pk), {
        "section": rating.section_id, "text": rating.text, "scale_min": 1, "scale_max": 3})
    assert "1 answers use scores outside 1 to 3, so the scale cannot be narrowed" in narrowed.text
    rating.refresh_from_db()
    assert rating.scale_max == 5
    with pytest.raises(services.Refused, match="cannot be deleted"):
        services.question_delete(question=single, actor=world.people["chair"])
    with pytest.raises(services.Refused, match="cannot be deleted"):
        services.section_delete(section=single.section, actor=world.people["chair"])
    refused = client.post(_url("question_delete", survey, qid=single.pk), follow=True)
    assert "This question has 1 answers, so it cannot be deleted" in refused.text
    assert Question.objects.filter(pk=single.pk).exists()


def test_questions_and_pages_are_reordered_and_copied(world):
    survey = make_survey(world.plan, status=SurveyStatus.DRAFT)
    client = world.client("member")
    first, second = survey.sections.order_by("position")
    client.post(_url("section_move", survey, sec=second.pk), {"direction": "up"})
    assert list(survey.sections.order_by("position")) == [second, first]

    single, rating = [q for q in survey.ordered_questions() if q.section_id == first.pk]
    client.post(_url("question_move", survey, qid=rating.pk), {"direction": "up"})
    assert [q.pk for q in first.questions.order_by("position")] == [rating.pk, single.pk]

    love_hate = question(survey, QuestionKind.LOVE_HATE)
    client.post(_url("question_edit", survey, qid=love_hate.pk),
                {"section": first.pk, "text": love_hate.text})
    love_hate.refresh_from_db()
    assert love_hate.section == first and love_hate.position == 3  # moved to the end of page 1
    client.post(_url("question_edit", survey, qid=love_hate.pk),
                {"section": second.pk, "text": love_hate.text})

    client.post(_url("question_duplicate", survey, qid=rating.pk))
    texts = [q.text for q in first.questions.order_by("position")]
    assert texts == ["How do you rate the bus service?", "How do you rate the bus service? (copy)",
                     "How long have you lived here?"]

    response = client.post(_url("survey_duplicate", survey))
    copy = Survey.objects.exclude(pk=survey.pk).get()
    assert response["Location"] == copy.get_absolute_url()
    assert copy.status == SurveyStatus.DRAFT and copy.public_id != survey.public_id
    assert copy.questions.count() == survey.questions.count()
    assert Option.objects.filter(question__survey=copy).count() == \
        Option.objects.filter(question__survey=survey).count()


def test_the_lifecycle_goes_draft_open_closed_and_is_recorded(world):
    survey = make_survey(world.plan, status=SurveyStatus.DRAFT)
    empty = services.survey_create(plan=world.plan, title="Empty", kind="other",
                                   actor=world.people["chair"])
    chair = world.client("chair")
    refused = chair.post(_url("survey_open", empty), follow=True)
    assert "Add at least one question before opening the survey" in refused.text

    assert world.client("member").post(_url("survey_open", survey)).status_code == 403
    chair.post(_url("survey_open", survey))
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN
    page = chair.get(survey.get_absolute_url())
    assert survey.get_public_url() in page.text  # the link to share

    chair.post(_url("survey_close", survey))
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED and survey.closed_at
    summaries = list(PlanEvent.objects.filter(plan=world.plan).values_list("summary", flat=True))
    assert "Opened the survey “Village questionnaire”" in summaries
    assert "Closed the survey “Village questionnaire”" in summaries


def test_a_survey_with_answers_cannot_be_deleted(world):
    survey = make_survey(world.plan)
    submitted_response(survey)
    with pytest.raises(services.Refused):
        services.survey_delete(survey=survey, actor=world.people["chair"])
    draft = make_survey(world.plan, status=SurveyStatus.DRAFT)
    world.client("chair").post(_url("survey_delete", draft))
    assert not Survey.objects.filter(pk=draft.pk).exists()


def test_preview_shows_every_page_without_saving(world):
    survey = make_survey(world.plan, status=SurveyStatus.DRAFT)
    page = world.client("councillor").get(_url("survey_preview", survey))
    assert "Page 1 of 2" in page.text and "Page 2 of 2" in page.text
    assert "What do you love?" in page.text
    assert "Prefer not to say" in page.text


def test_the_evidence_gate_needs_a_closed_survey_with_responses(world):
    plan = PlanFactory(community=world.community, step=Step.UNDERSTANDING)

    def item():
        return next(s for s in checklist(plan).items if s.item.key == "survey_closed_with_responses")

    assert not item().done
    assert item().url == reverse("consultation:surveys", args=[plan.pk])
    survey = make_survey(plan)
    submitted_response(survey)
    assert not item().done  # still open
    services.survey_close(survey=survey, actor=None)
    assert item().done
    empty = make_survey(PlanFactory(community=world.community, step=Step.UNDERSTANDING),
                        status=SurveyStatus.CLOSED)
    assert not next(s for s in checklist(empty.plan).items
                    if s.item.key == "survey_closed_with_responses").done


def test_plan_pages_have_a_surveys_tab(world):
    page = world.client("councillor").get(world.plan.get_absolute_url())
    assert reverse("consultation:surveys", args=[world.plan.pk]) in page.text
    assert ">Surveys<" in page.text


def test_the_home_page_lists_open_surveys_to_the_group(world):
    survey = make_survey(world.plan)
    submitted_response(survey)
    make_survey(world.plan, status=SurveyStatus.DRAFT, title="Not yet open")
    home = world.client("champion").get(reverse("home"))
    assert "Surveys open now" in home.text and survey.get_absolute_url() in home.text
    assert "1 response so far" in home.text and "Not yet open" not in home.text
    assert "Surveys open now" not in world.client("outsider").get(reverse("home")).text


def test_the_survey_list_counts_responses_without_a_query_per_survey(world, django_assert_max_num_queries):
    client = world.client("member")
    url = reverse("consultation:surveys", args=[world.plan.pk])
    make_survey(world.plan)
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for _i in range(6):
        submitted_response(make_survey(world.plan))
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert page.text.count(">Village questionnaire</a>") == 7


def test_the_builder_page_does_not_query_per_question(world, django_assert_max_num_queries):
    survey = make_survey(world.plan, status=SurveyStatus.DRAFT)
    client = world.client("member")
    client.get(survey.get_absolute_url())
    with django_assert_max_num_queries(30) as small:
        client.get(survey.get_absolute_url())
    section = survey.sections.first()
    for i in range(10):
        services.question_create(section=section, kind=QuestionKind.MULTIPLE, actor=None,
                                 options=["A", "B"], fields={"text": f"Extra {i}"})
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(survey.get_absolute_url())


def test_option_labels_keep_their_answers_when_only_the_case_changes(world):
    survey = make_survey(world.plan)
    submitted_response(survey)
    single = question(survey, QuestionKind.SINGLE)
    kept = option(single, "2 to 10 years")
    services.question_update(question=single, fields={}, actor=world.people["chair"],
                             options=["Under 2 years", "2 TO 10 years", "Over 10 years"])
    kept.refresh_from_db()
    assert kept.label == "2 TO 10 years" and kept.answers.count() == 1


def test_the_survey_page_reads_no_answers_at_either_size_and_keeps_answered_questions(world):
    """Its figures come from the survey's cached counts; a question with answers, a draft's
    included, is never offered for deletion."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    survey = make_survey(world.plan)
    single = survey.questions.filter(kind=QuestionKind.SINGLE).first()
    client = world.client("chair")

    def look():
        client.get(survey.get_absolute_url())  # the first look at a new version counts it
        with CaptureQueriesContext(connection) as queries:
            page = client.get(survey.get_absolute_url())
        reads = [q["sql"] for q in queries.captured_queries
                 if 'FROM "consultation_answer"' in q["sql"] and "EXISTS" not in q["sql"]]
        return len(queries), reads, page

    submitted_response(survey)
    small, reads, page = look()
    assert reads == [] and page.context["response_count"] == 1
    for _i in range(15):
        submitted_response(survey)
    unanswered = services.question_create(section=survey.sections.first(), kind=QuestionKind.SHORT_TEXT,
                                          actor=None, fields={"text": "Anything else?"})
    large, reads, page = look()
    assert reads == [] and large == small
    assert page.context["response_count"] == 16
    answered = {q.pk: q for s in page.context["sections"] for q in s.questions.all()}
    assert answered[single.pk].answered == 16 and answered[single.pk].has_answers
    assert answered[unanswered.pk].answered == 0 and not answered[unanswered.pk].has_answers
    html = page.text
    assert "16 people answered" in html
    assert _url("question_delete", survey, qid=unanswered.pk) in html
    assert _url("question_delete", survey, qid=single.pk) not in html

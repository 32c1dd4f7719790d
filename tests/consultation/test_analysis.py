import pytest
from django.urls import reverse

from consultation import analysis
from consultation.models import Answer
from consultation.services import evidence as evidence_services
from tests.consultation.analysis_data import add_responses, analysis_survey


@pytest.fixture
def data(world):
    return analysis_survey(world.plan)


def test_counts_and_percentages_are_of_people_who_answered(data):
    survey, q, options, cats, age_options = data
    add_responses(survey, q, options, cats, age_options, [
        (6, {"travel": "Car", "yes": True}), (3, {"travel": "Bus"}), (1, {"travel": "Walk"}),
        (5, {"yes": False}),  # did not answer the travel question
    ])
    results = {r.question.pk: r for r in analysis.survey_results(survey)}
    travel = results[q["single"].pk]
    assert travel.answered == 10
    assert [(c.label, c.count, c.percent) for c in travel.cells] == [
        ("Car", 6, 60.0), ("Bus", 3, 30.0), ("Walk", 1, 10.0)]
    yes_no = results[q["yes_no"].pk]
    assert [(c.label, c.count) for c in yes_no.cells] == [("Yes", 6), ("No", 5)]


def test_multiple_choice_counts_each_person_once_per_option(world):
    from consultation.models import Option, Question, QuestionKind, Response, Section, Survey

    survey = Survey.objects.create(plan=world.plan, title="Services", status="open")
    section = Section.objects.create(survey=survey, title="P1")
    q = Question.objects.create(survey=survey, section=section, kind=QuestionKind.MULTIPLE, text="Use?")
    shop, pub = (Option.objects.create(question=q, label=label) for label in ("Shop", "Pub"))
    for chosen in ([shop, pub], [shop], [pub], [shop, pub]):
        response = Response.objects.create(survey=survey, status="submitted")
        Answer.objects.bulk_create(Answer(response=response, question=q, option=o) for o in chosen)
    result = analysis.survey_results(survey)[0]
    assert result.answered == 4
    assert [(c.label, c.count, c.percent) for c in result.cells] == [("Shop", 3, 75.0), ("Pub", 3, 75.0)]


def test_filters_by_group_and_channel(data):
    survey, q, options, cats, age_options = data
    add_responses(survey, q, options, cats, age_options, [(4, {"yes": True, "age": "young"}),
                                                          (6, {"yes": False, "age": "old"})])
    add_responses(survey, q, options, cats, age_options, [(5, {"yes": True, "age": "old"})],
                  channel="paper")
    only_old = analysis.Filters(category_ids=(cats["old"].pk,))
    assert analysis.respondents(survey, only_old).count() == 11
    old_paper = analysis.Filters(category_ids=(cats["old"].pk,), channel="paper")
    result = next(r for r in analysis.survey_results(survey, old_paper) if r.question == q["yes_no"])
    assert [(c.label, c.count) for c in result.cells] == [("Yes", 5), ("No", 0)]


def test_crosstab_breaks_a_question_down_by_age(data):
    survey, q, options, cats, age_options = data
    add_responses(survey, q, options, cats, age_options, [
        (10, {"yes": True, "age": "young"}), (10, {"yes": False, "age": "young"}),
        (20, {"yes": True, "age": "old"}), (60, {"yes": False, "age": "old"})])
    tab = analysis.crosstab(q["yes_no"], q["age"].dimension)
    assert tab.rows == ["Yes", "No"]
    assert [c.label for c in tab.columns] == ["18 to 24", "65 to 74"]
    assert tab.counts == [[10, 20], [10, 60]]
    assert tab.column_totals == [20, 80]
    assert tab.percent(0, 0) == 50.0 and tab.percent(0, 1) == 25.0


def test_weighted_and_raw_results_differ_as_expected(world, data):
    """Young and old are half the population each, but the old answered four times as much."""
    survey, q, options, cats, age_options = data
    add_responses(survey, q, options, cats, age_options, [
        (10, {"yes": True, "age": "young"}), (10, {"yes": False, "age": "young"}),
        (20, {"yes": True, "age": "old"}), (60, {"yes": False, "age": "old"})])
    evidence_services.baseline_save(dimension=q["age"].dimension, source="Census 2021", year=2021,
                                    figures={cats["young"].pk: 500, cats["old"].pk: 500},
                                    actor=world.people["chair"])
    weighted = analysis.weighted_result(q["yes_no"], q["age"].dimension)
    assert [c.percent for c in weighted.raw] == [30.0, 70.0]
    # weights: young 0.5/0.2 = 2.5, old 0.5/0.8 = 0.625 → yes = (25 + 12.5) / (50 + 50)
    assert weighted.weighted == [37.5, 62.5]
    assert weighted.weights == {cats["young"].pk: 2.5, cats["old"].pk: 0.625}


def test_representation_flags_groups_below_half_their_share(world, data):
    survey, q, options, cats, age_options = data
    add_responses(survey, q, options, cats, age_options, [(5, {"age": "young"}), (95, {"age": "old"})])
    evidence_services.baseline_save(dimension=q["age"].dimension, source="Census 2021", year=2021,
                                    figures={cats["young"].pk: 300, cats["old"].pk: 700},
                                    actor=world.people["chair"])
    shares = analysis.representation(world.plan, analysis.respondents(survey))[0]
    young = next(g for g in shares.groups if g.category == cats["young"])
    assert (young.respondents, young.share, young.population_share) == (5, 5.0, 30.0)
    assert young.flag == "under"
    assert [g.category for g in shares.flagged] == [cats["young"]]


def test_ranking_scores_use_borda_points(world):
    from consultation.models import Option, Question, QuestionKind, Response, Section, Survey

    survey = Survey.objects.create(plan=world.plan, title="Rank", status="open")
    section = Section.objects.create(survey=survey, title="P1")
    q = Question.objects.create(survey=survey, section=section, kind=QuestionKind.RANKING, text="Rank")
    a, b, c = (Option.objects.create(question=q, label=x, position=i) for i, x in enumerate("ABC"))
    for ranks in ({a: 1, b: 2, c: 3}, {a: 1, b: 3, c: 2}, {b: 1, a: 2, c: 3}):
        response = Response.objects.create(survey=survey, status="submitted")
        Answer.objects.bulk_create(Answer(response=response, question=q, option=o, number=n)
                                   for o, n in ranks.items())
    result = analysis.survey_results(survey)[0]
    # Borda with 3 options: 1st = 3 points. A: 3+3+2 = 8, B: 2+1+3 = 6, C: 1+2+1 = 4
    assert [(cell.label, cell.count) for cell in result.cells] == [("A", 8), ("B", 6), ("C", 4)]


def _table(page: str, question) -> str:
    section = page.split(f'aria-labelledby="q-{question.pk}"', 1)[1].split("</section>", 1)[0]
    return section.split("<table", 1)[1].split("</table>", 1)[0]


def _publish(world, survey):
    evidence_services.results_set_published(survey=survey, published=True, actor=world.people["chair"])


def test_public_results_hide_a_cell_of_three_and_its_complement(world, client, data):
    survey, q, options, cats, age_options = data
    add_responses(survey, q, options, cats, age_options, [
        (3, {"travel": "Walk"}), (17, {"travel": "Bus"}), (20, {"travel": "Car"})])
    _publish(world, survey)
    survey.refresh_from_db()
    page = client.get(reverse("consultation:public_results", args=[survey.public_id])).text
    table = _table(page, q["single"])
    assert table.count("fewer than 10") == 1  # the 3 walkers
    assert table.count("hidden so that a smaller group cannot be worked out") == 1  # the 17
    assert ">3<" not in table and ">17<" not in table
    assert ">20<" in table
    # The steering group still sees every figure.
    inside = world.client("chair").get(reverse("consultation:results", args=[world.plan.pk, survey.pk])).text
    assert ">3<" in _table(inside, q["single"])


def test_councillors_see_suppressed_results(world, data):
    survey, q, options, cats, age_options = data
    add_responses(survey, q, options, cats, age_options, [(3, {"travel": "Walk"}), (40, {"travel": "Car"})])
    page = world.client("councillor").get(reverse("consultation:results", args=[world.plan.pk, survey.pk]))
    assert page.status_code == 200
    table = _table(page.text, q["single"])
    assert "fewer than 10" in table and ">3<" not in table


def test_unpublished_results_are_not_public(client, data):
    survey = data[0]
    assert client.get(reverse("consultation:public_results", args=[survey.public_id])).status_code == 404


def test_results_page_query_count_is_the_same_at_100_and_10000_responses(world, data,
                                                                         django_assert_num_queries):
    survey, q, options, cats, age_options = data
    client = world.client("chair")
    url = reverse("consultation:results", args=[world.plan.pk, survey.pk])
    person = {"yes": True, "travel": "Car", "rating": 4, "text": "More buses", "age": "old"}
    add_responses(survey, q, options, cats, age_options, [(100, person)])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    small_count = len(small.captured_queries)  # before the next request resets the log
    add_responses(survey, q, options, cats, age_options, [(9900, person)])
    client.get(url)  # the first view of a new version counts its tables (consultation.analysis.counts)
    with django_assert_num_queries(small_count):
        response = client.get(url)
    assert "Based on 10000 responses." in response.text or "Based on 10,000 responses." in response.text

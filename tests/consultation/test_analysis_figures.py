"""Figures that must agree: percentages that add up, people counted once, the same query count
whatever the number of responses (also when small numbers are hidden)."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultation import analysis
from consultation.analysis.coverage import engagement_coverage
from consultation.models import (
    Answer,
    Dimension,
    DimensionCategory,
    Option,
    Question,
    QuestionKind,
    Response,
    Section,
    Survey,
)
from tests.consultation.analysis_data import add_responses, analysis_survey


def _thirds(world):
    survey = Survey.objects.create(plan=world.plan, title="Thirds", status="open")
    section = Section.objects.create(survey=survey, title="P1")
    q = Question.objects.create(survey=survey, section=section, kind=QuestionKind.SINGLE, text="Pick one")
    options = [Option.objects.create(question=q, label=label, position=i) for i, label in enumerate("ABC")]
    for option in options:
        for _ in range(10):
            response = Response.objects.create(survey=survey, status="submitted")
            Answer.objects.create(response=response, question=q, option=option)
    return survey, q


def test_percentages_of_one_answer_add_up_to_100(world):
    survey, q = _thirds(world)
    result = analysis.results_for(survey, viewer=world.people["chair"]).questions[0]
    assert [c.whole_percent for c in result.cells] == [34, 33, 33]
    page = world.client("chair").get(reverse("consultation:results", args=[world.plan.pk, survey.pk])).text
    assert page.count(">33%<") == 2 and page.count(">34%<") == 1


def test_the_download_shows_the_percentages_the_page_shows(world):
    survey, q = _thirds(world)
    url = reverse("consultation:results_download", args=[world.plan.pk, survey.pk, "csv"])
    response = world.client("chair").get(url)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[-1][0] == "End of file"
    assert [row[3] for row in rows[1:-1]] == ["34", "33", "33"]


def test_multiple_choice_percentages_are_not_forced_to_100(world):
    survey = Survey.objects.create(plan=world.plan, title="Services", status="open")
    section = Section.objects.create(survey=survey, title="P1")
    q = Question.objects.create(survey=survey, section=section, kind=QuestionKind.MULTIPLE, text="Use?")
    shop, pub = (Option.objects.create(question=q, label=label) for label in ("Shop", "Pub"))
    for chosen in ([shop, pub], [shop], [pub]):
        response = Response.objects.create(survey=survey, status="submitted")
        Answer.objects.bulk_create(Answer(response=response, question=q, option=o) for o in chosen)
    result = analysis.results_for(survey, viewer=world.people["chair"]).questions[0]
    assert [c.whole_percent for c in result.cells] == [67, 67]


def test_who_we_have_heard_counts_people_not_ticks(world):
    """Six people, one of whom both lives and works here: 5 of 6 live here (83%), not 5 of 7."""
    survey = Survey.objects.create(plan=world.plan, title="Connection", status="open")
    section = Section.objects.create(survey=survey, title="P1")
    dimension = Dimension.objects.create(plan=world.plan, kind="connection")
    live, work = (DimensionCategory.objects.create(dimension=dimension, label=label, position=i)
                  for i, label in enumerate(["I live here", "I work here"]))
    q = Question.objects.create(survey=survey, section=section, kind=QuestionKind.DEMOGRAPHIC,
                                text="Your connection", dimension=dimension)
    options = {c: Option.objects.create(question=q, label=c.label, category=c) for c in (live, work)}
    for groups in ([live, work], [live], [live], [live], [live], [work]):
        response = Response.objects.create(survey=survey, status="submitted")
        Answer.objects.bulk_create(Answer(response=response, question=q, option=options[c], category=c)
                                   for c in groups)
    shares = analysis.results_for(survey, viewer=world.people["chair"], questions=False).groups()[0]
    assert shares.answered == 6
    assert [(g.respondents, g.whole_share) for g in shares.groups] == [(5, 83), (2, 33)]
    page = world.client("chair").get(reverse("consultation:representation", args=[world.plan.pk]),
                                      {"survey": survey.pk}).text
    assert "6 people answered this." in page and "83%" in page and "71%" not in page
    result = analysis.results_for(survey, viewer=world.people["chair"]).questions[0]
    assert (result.answered, [c.whole_percent for c in result.cells]) == (6, [83, 33])


@pytest.mark.parametrize("persona", ["councillor", "chair"])
def test_results_pages_query_count_does_not_grow_with_responses(world, persona):
    survey, q, options, cats, age_options = analysis_survey(world.plan)
    client = world.client(persona)
    urls = [reverse("consultation:results", args=[world.plan.pk, survey.pk]),
            reverse("consultation:crosstab", args=[world.plan.pk, survey.pk, q["yes_no"].pk]),
            reverse("consultation:representation", args=[world.plan.pk])]
    people = [(3, {"yes": True, "travel": "Walk", "rating": 2, "age": "young"}),
              (1, {"yes": False, "travel": "Bus", "rating": 5, "age": "old", "text": "More buses"})]
    add_responses(survey, q, options, cats, age_options, [(n * 20, a) for n, a in people])
    counts = []
    for size in (1, 10):
        if size > 1:
            add_responses(survey, q, options, cats, age_options, [(n * 180, a) for n, a in people])
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured.captured_queries))
    assert counts[:3] == counts[3:]


def _connection_survey(world):
    """47 people: 30 only live here, 12 only work here, 5 both; asked whether they want a bus."""
    survey = Survey.objects.create(plan=world.plan, title="Connection", status="open")
    section = Section.objects.create(survey=survey, title="P1")
    dimension = Dimension.objects.create(plan=world.plan, kind="connection")
    live, work = (DimensionCategory.objects.create(dimension=dimension, label=label, position=i)
                  for i, label in enumerate(["I live here", "I work here"]))
    q = Question.objects.create(survey=survey, section=section, kind=QuestionKind.DEMOGRAPHIC,
                                text="Your connection", dimension=dimension)
    bus = Question.objects.create(survey=survey, section=section, kind=QuestionKind.YES_NO, text="Bus?")
    options = {c: Option.objects.create(question=q, label=c.label, category=c) for c in (live, work)}
    for count, groups in ((30, [live]), (12, [work]), (5, [live, work])):
        for i in range(count):
            response = Response.objects.create(survey=survey, status="submitted")
            Answer.objects.bulk_create([Answer(response=response, question=q, option=options[c], category=c)
                                        for c in groups]
                                       + [Answer(response=response, question=bus, number=int(i % 2 == 0))])
    return survey, live, work, bus


def test_where_people_tick_several_groups_a_councillor_filters_by_one_at_a_time(world):
    survey, live, work, bus = _connection_survey(world)
    councillor = world.people["councillor"]
    both = analysis.results_for(survey, viewer=councillor, filters=analysis.Filters((live.pk, work.pk)))
    assert "tick only one of them at a time" in both.refused
    workers = analysis.results_for(survey, viewer=councillor, filters=analysis.Filters((work.pk,)))
    assert not workers.refused and workers.matching == 17
    answer = next(r for r in workers.questions if r.question == bus)
    assert answer.answered == 17  # 9 and 8 said yes and no: both fewer than 10
    assert [c.hidden_label for c in answer.cells] == ["fewer than 10", "fewer than 10"]
    inside = analysis.results_for(survey, viewer=world.people["chair"],
                                  filters=analysis.Filters((live.pk, work.pk)))
    assert not inside.refused and inside.matching == 47


def test_groups_reached_by_answers_are_read_once_each_not_once_per_answer(world):
    """Answer's Meta.ordering would add its id to SELECT DISTINCT and fetch every answer."""

    survey, q, options, cats, age_options = analysis_survey(world.plan)
    add_responses(survey, q, options, cats, age_options, [(30, {"age": "young"}), (30, {"age": "old"})])
    with CaptureQueriesContext(connection) as captured:
        engagement_coverage(world.plan, analysis.respondents(survey))
    distinct = next(query["sql"] for query in captured.captured_queries if "DISTINCT" in query["sql"])
    assert '"consultation_answer"."id"' not in distinct.split(" FROM ", 1)[0]
    with connection.cursor() as cursor:
        cursor.execute(distinct)
        assert len(cursor.fetchall()) == 2

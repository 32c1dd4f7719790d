"""Attacks on small numbers: a councillor outside the steering group, and the public reading
published results, try every route of issue 9 §1 to recover a hidden count of 3.

The parish: 103 people; 3 aged 18 to 24 (on paper), 40 aged 35 to 64 and 60 aged 65 to 74
(online). With the threshold at 10, the 3 are hidden, and the 40 with them (otherwise
103 − 40 − 60 = 3).
"""

import csv
import io

import pytest
from django.urls import reverse

from consultation import analysis
from consultation.models import Answer, DimensionCategory, Option, Question, QuestionKind, Response
from consultation.services import evidence as evidence_services
from tests.consultation.analysis_data import add_responses, small_group_parish

NEIGHBOUR = "hidden so that a smaller group cannot be worked out"


@pytest.fixture
def parish(world):
    return small_group_parish(world)


def _get(world, persona, name, *args, **query):
    return world.client(persona).get(reverse(name, args=args), query)


def _section(page: str, question) -> str:
    return page.split(f'aria-labelledby="q-{question.pk}"', 1)[1].split("</section>", 1)[0]


def _table(page: str, question) -> str:
    return _section(page, question).split("<table", 1)[1]


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[-1][0] == "End of file"  # a whole file says so (consultation/analysis/spreadsheet.py)
    return rows[:-1]


def _crosstab_url(world, survey, question):
    return reverse("consultation:crosstab", args=[world.plan.pk, survey.pk, question.pk])


def _census(world, cats):
    evidence_services.baseline_save(
        dimension=cats["young"].dimension, source="Census 2021", year=2021,
        figures={cats["young"].pk: 300, cats["middle"].pk: 400, cats["old"].pk: 300},
        actor=world.people["chair"])


# --- the weighted view --------------------------------------------------------------------------

def test_weighted_as_answered_column_cannot_be_narrowed_to_three_people(world, parish):
    survey, q, cats = parish
    _census(world, cats)
    page = world.client("councillor").get(_crosstab_url(world, survey, q["yes_no"]), {
        "dimension": cats["young"].dimension.pk, "weighted": "1", "category": cats["young"].pk}).text
    assert "67%" not in page and "33%" not in page  # 2 of 3 said No
    assert "Clear the filters to see it" in page or "clear the filters to see it" in page


def test_weighted_figures_are_withheld_when_they_would_solve_for_hidden_cells(world, parish):
    survey, q, cats = parish
    _census(world, cats)
    url = _crosstab_url(world, survey, q["yes_no"])
    query = {"dimension": cats["young"].dimension.pk, "weighted": "1"}
    page = world.client("councillor").get(url, query).text
    weighted = page.split('id="weighted-title"', 1)[1]
    assert "The weighted figures are not shown" in weighted
    rows = weighted.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    # "As answered" is the overall result (69% Yes, 31% No: nothing small), "Weighted" is blank.
    assert "69%" in rows and "31%" in rows and rows.count("–") == 2
    inside = world.client("chair").get(url, query).text.split('id="weighted-title"', 1)[1]
    assert "The weighted figures are not shown" not in inside


# --- cross-tab pages and downloads ----------------------------------------------------------------

def test_crosstab_download_prints_group_sizes_as_the_page_hides_them(world, parish):
    survey, q, cats = parish
    url = reverse("consultation:crosstab_download", args=[world.plan.pk, survey.pk, q["yes_no"].pk, "csv"])
    rows = _csv(world.client("councillor").get(url, {"dimension": cats["young"].dimension.pk}))
    assert rows[0][1:4] == ["18 to 24 (people)", "35 to 64 (people)", "65 to 74 (people)"]
    assert rows[-1] == ["People in the group who answered", "fewer than 10", NEIGHBOUR, "60", "", "", ""]
    yes, no = rows[1], rows[2]
    assert yes[1:4] == ["fewer than 10", NEIGHBOUR, "40"] and no[1:4] == ["fewer than 10", NEIGHBOUR, "20"]
    assert yes[4:7] == ["", "", "67"] and no[4:7] == ["", "", "33"]
    inside = _csv(world.client("chair").get(url, {"dimension": cats["young"].dimension.pk}))
    assert inside[-1][1:4] == ["3", "40", "60"]


def test_pages_agree_about_the_size_of_a_group(world, parish):
    survey, q, cats = parish
    results = _get(world, "councillor", "consultation:results", world.plan.pk, survey.pk).text
    age_table = _section(results, q["age"])
    heard = _get(world, "councillor", "consultation:representation", world.plan.pk).text
    crosstab = world.client("councillor").get(_crosstab_url(world, survey, q["single"]),
                                              {"dimension": cats["young"].dimension.pk}).text
    for page in (crosstab, age_table, heard):
        assert ">40<" not in page and "(40 people)" not in page
    for page in (crosstab, age_table, heard):
        assert NEIGHBOUR in page
    assert "35 to 64 (number of people hidden)" in crosstab and "(60 people)" in crosstab


def test_crosstab_percentages_do_not_reveal_a_hidden_group_size(world, parish):
    survey, q, cats = parish
    tab = analysis.results_for(survey, viewer=world.people["councillor"]).crosstab(
        q["yes_no"], cats["young"].dimension)
    middle = [c.pk for c in tab.columns].index(cats["middle"].pk)
    for _label, cells in tab.table():
        assert cells[middle]["hidden"] or cells[middle]["percent"] is None


# --- differencing filters ---------------------------------------------------------------------------

def test_overall_minus_a_filter_cannot_give_the_hidden_group(world, parish):
    survey, q, cats = parish
    response = _get(world, "councillor", "consultation:results", world.plan.pk, survey.pk,
                    category=[cats["middle"].pk, cats["old"].pk])
    page = response.text
    assert "These results cannot be shown with this filter" in page
    assert "Showing 100 of 103" not in page
    assert f'aria-labelledby="q-{q["yes_no"].pk}"' not in page
    # The steering group may filter as it likes.
    inside = _get(world, "chair", "consultation:results", world.plan.pk, survey.pk,
                  category=[cats["middle"].pk, cats["old"].pk]).text
    assert "Showing 100 of 103" in inside


def test_a_channel_filter_on_top_of_an_age_filter_is_refused(world, parish):
    survey, q, cats = parish
    page = _get(world, "councillor", "consultation:results", world.plan.pk, survey.pk,
                category=[cats["old"].pk], channel="paper").text
    assert "filtered by one thing at a time" in page
    assert f'aria-labelledby="q-{q["yes_no"].pk}"' not in page


def test_a_channel_that_only_the_three_used_cannot_be_filtered(world, parish):
    survey, q, cats = parish
    page = _get(world, "councillor", "consultation:results", world.plan.pk, survey.pk,
                channel="paper").text
    assert "These results cannot be shown with this filter" in page
    assert "fewer than 10" in page


def test_a_filter_that_leaves_out_fewer_than_ten_people_is_refused(world, parish):
    survey, q, cats = parish
    # Four people aged 25 to 34: the 3 and the 4 hide each other, so no group you can tick is
    # hidden, but ticking the two big groups leaves out only 7.
    age = cats["young"].dimension
    cats["twenties"] = DimensionCategory.objects.create(dimension=age, label="25 to 34", position=1)
    option = Option.objects.create(question=q["age"], label="25 to 34", category=cats["twenties"])
    travel = {o.label: o for o in q["single"].options.all()}
    add_responses(survey, q, travel, cats, {cats["twenties"].pk: option},
                  [(4, {"yes": True, "travel": "Car", "rating": 4, "age": "twenties"})], channel="interview")
    seen = analysis.results_for(survey, viewer=world.people["councillor"],
                                filters=analysis.Filters((cats["middle"].pk, cats["old"].pk)))
    assert "leaves out fewer than 10 people" in seen.refused
    assert seen.questions == []


def test_an_allowed_filter_shows_only_sums_of_visible_cells(world, parish):
    survey, q, cats = parish
    seen = analysis.results_for(survey, viewer=world.people["councillor"],
                                filters=analysis.Filters((cats["old"].pk,)))
    assert not seen.refused and seen.matching == 60
    by_question = {r.question.pk: r for r in seen.questions}
    assert [(c.label, c.count) for c in by_question[q["yes_no"].pk].cells] == [("Yes", 40), ("No", 20)]
    # The average of the old would give, with the overall average, the young's average.
    assert by_question[q["rating"].pk].mean is None


def test_two_downloads_with_and_without_one_group_cannot_be_subtracted(world, parish):
    survey, q, cats = parish
    client = world.client("councillor")
    url = reverse("consultation:results_download", args=[world.plan.pk, survey.pk, "csv"])
    every_group = client.get(url, {"category": [cats["young"].pk, cats["middle"].pk, cats["old"].pk]})
    without_young = client.get(url, {"category": [cats["middle"].pk, cats["old"].pk]})
    page = reverse("consultation:results", args=[world.plan.pk, survey.pk])
    for response in (every_group, without_young):
        assert response.status_code == 302 and response["Location"].startswith(page)
    explained = client.get(every_group["Location"]).text
    assert "These results cannot be shown with this filter" in explained


# --- means and rankings -----------------------------------------------------------------------------

def test_a_rating_average_is_not_shown_beside_hidden_counts(world, parish):
    survey, q, cats = parish
    page = _get(world, "councillor", "consultation:results", world.plan.pk, survey.pk).text
    rating = _section(page, q["rating"])
    assert "fewer than 10" in rating
    assert "Average score" not in rating
    assert "Average score" in _section(_get(world, "chair", "consultation:results",
                                            world.plan.pk, survey.pk).text, q["rating"])


def _ranking(survey, q):
    question = Question.objects.create(survey=survey, section=q["yes_no"].section, kind=QuestionKind.RANKING,
                                       text="Rank what matters", position=9)
    a, b, d = (Option.objects.create(question=question, label=x, position=i)
               for i, x in enumerate(["Buses", "Parking", "Youth club"]))
    for n, response in enumerate(Response.objects.filter(survey=survey).order_by("pk")):
        ranks = {a: 1, b: 2} if n >= 3 else {d: 1, a: 2, b: 3}  # only 3 people ranked the club
        Answer.objects.bulk_create(Answer(response=response, question=question, option=o, number=r)
                                   for o, r in ranks.items())
    return question


def test_a_ranking_score_of_three_people_is_hidden(world, parish, client):
    survey, q, cats = parish
    ranking = _ranking(survey, q)
    page = _get(world, "councillor", "consultation:results", world.plan.pk, survey.pk).text
    table = _section(page, ranking)
    club = table.split("Youth club", 1)[1].split("</tr>", 1)[0]
    assert "fewer than 10" in club and "mean rank" not in club
    evidence_services.results_set_published(survey=survey, published=True, actor=world.people["chair"])
    survey.refresh_from_db()
    public = client.get(reverse("consultation:public_results", args=[survey.public_id])).text
    club = _section(public, ranking).split("Youth club", 1)[1].split("</tr>", 1)[0]
    assert "fewer than 10" in club and ">9<" not in club
    inside = _section(_get(world, "chair", "consultation:results", world.plan.pk, survey.pk).text, ranking)
    assert "mean rank 1.0, score 9" in inside


# --- the public, on published results ---------------------------------------------------------------

def test_public_results_hide_groups_means_and_neighbours_like_the_councillors_pages(world, parish, client):
    survey, q, cats = parish
    evidence_services.results_set_published(survey=survey, published=True, actor=world.people["chair"])
    survey.refresh_from_db()
    page = client.get(reverse("consultation:public_results", args=[survey.public_id])).text
    age = _section(page, q["age"])
    assert "fewer than 10" in age and NEIGHBOUR in age and ">40<" not in age and ">60<" in age
    travel = _section(page, q["single"])
    assert "fewer than 10" in travel and NEIGHBOUR in travel and ">30<" not in travel
    assert "Average score" not in _section(page, q["rating"])
    # A filter in the address changes nothing for the public.
    filtered = client.get(reverse("consultation:public_results", args=[survey.public_id]),
                          {"category": cats["young"].pk}).text
    assert _table(filtered, q["yes_no"]) == _table(page, q["yes_no"])


def test_published_results_are_the_same_figures_the_public_entry_point_gives(world, parish):
    survey, q, cats = parish
    public = analysis.results_for(survey, viewer=None)
    councillor = analysis.results_for(survey, viewer=world.people["councillor"])
    shape = [[(c.label, c.hidden, c.count) for c in r.cells] for r in public.questions]
    assert shape == [[(c.label, c.hidden, c.count) for c in r.cells] for r in councillor.questions]
    steering = analysis.results_for(survey, viewer=world.people["member"])
    assert not any(c.hidden for r in steering.questions for c in r.cells)


# --- who we have heard ----------------------------------------------------------------------------------

def test_who_we_have_heard_hides_shares_and_flags_of_hidden_groups(world, parish):
    survey, q, cats = parish
    _census(world, cats)
    page = _get(world, "councillor", "consultation:representation", world.plan.pk).text
    young = page.split('<td data-label="Group">18 to 24</td>', 1)[1].split("</tr>", 1)[0]
    middle = page.split('<td data-label="Group">35 to 64</td>', 1)[1].split("</tr>", 1)[0]
    assert "fewer than 10" in young and "Under-represented" not in young and "3%" not in young
    assert NEIGHBOUR in middle and "39%" not in middle
    inside = _get(world, "chair", "consultation:representation", world.plan.pk).text
    young = inside.split('<td data-label="Group">18 to 24</td>', 1)[1].split("</tr>", 1)[0]
    assert "Under-represented" in young and ">3<" in young

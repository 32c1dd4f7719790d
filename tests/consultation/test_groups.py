"""Retiring a demographic choice, and a plan's own age bands counted from the census bands."""

import pytest
from django.urls import reverse

from consultation import services
from consultation.models import Answer, BaselineFigure, DimensionCategory, Question, QuestionKind, Response
from tests.consultation.factories import make_survey

CENSUS = ["Under 11", "11 to 15", "16 to 17", "18 to 24", "25 to 44", "45 to 64", "65 to 74", "75 or over"]


@pytest.fixture
def own_bands(world):
    """A survey whose age question was changed to the plan's own three bands; 30 people answered."""
    survey = make_survey(world.plan, actor=world.people["chair"])
    section = survey.sections.first()
    age = services.question_create(section=section, kind=QuestionKind.DEMOGRAPHIC, fields={},
                                   actor=world.people["chair"], dimension_kind="age",
                                   options=["18–34", "35–64", "65+"])
    bands = {o.label: o for o in age.options.all() if o.category_id}
    for label, n in [("18–34", 10), ("35–64", 8), ("65+", 12)]:
        for _i in range(n):
            response = Response.objects.create(survey=survey, status="submitted")
            Answer.objects.create(response=response, question=age, option=bands[label],
                                  category=bands[label].category)
    return survey, age, age.dimension


def _cat(dimension, label):
    return DimensionCategory.objects.get(dimension=dimension, label=label)


def _rows(world):
    page = world.client("member").get(reverse("consultation:representation", args=[world.plan.pk])).text
    return page


def _groups_url(world, dimension):
    return reverse("consultation:dimension_groups", args=[world.plan.pk, dimension.pk])


def test_census_bands_show_as_empty_rows_until_retired_then_never_again(world, own_bands):
    survey, age, dimension = own_bands
    assert '<td data-label="Group">Under 11</td>' in _rows(world)
    form = {f"retired_{_cat(dimension, label).pk}": "on" for label in CENSUS}
    response = world.client("member").post(_groups_url(world, dimension), form)
    assert response.status_code == 302
    page = _rows(world)
    assert '<td data-label="Group">Under 11</td>' not in page
    assert '<td data-label="Group">35–64</td>' in page
    # A new survey's age question no longer offers the retired groups.
    other = make_survey(world.plan, actor=world.people["chair"])
    question = services.question_create(section=other.sections.first(), kind=QuestionKind.DEMOGRAPHIC,
                                        fields={}, actor=world.people["chair"], dimension_kind="age")
    assert [o.label for o in question.options.all()] == ["18–34", "35–64", "65+", "Prefer not to say"]
    # Breakdown columns leave them out too.
    yes_no = Question.objects.filter(survey=survey, kind=QuestionKind.RATING).first()
    crosstab = world.client("member").get(
        reverse("consultation:crosstab", args=[world.plan.pk, survey.pk, yes_no.pk]),
        {"dimension": dimension.pk}).text
    assert ">Under 11<" not in crosstab and ">65+<" in crosstab


def test_a_retired_group_people_answered_with_is_still_shown(world, own_bands):
    _survey, _age, dimension = own_bands
    form = world.client("member").get(_groups_url(world, dimension)).text
    assert "Nobody has answered with this group." in form
    assert "People have answered with this group, so it stays in their results." in form
    world.client("member").post(_groups_url(world, dimension), {f"retired_{_cat(dimension, '65+').pk}": "on"})
    assert _cat(dimension, "65+").retired
    assert '<td data-label="Group">65+</td>' in _rows(world)


def test_census_bands_counted_in_the_plans_own_bands_fill_the_population_form(world, own_bands):
    _survey, _age, dimension = own_bands
    into = {"18 to 24": "18–34", "25 to 44": "35–64", "45 to 64": "35–64", "65 to 74": "65+",
            "75 or over": "65+"}
    form = {f"part_of_{_cat(dimension, census).pk}": _cat(dimension, band).pk
            for census, band in into.items()}
    form.update({f"retired_{_cat(dimension, label).pk}": "on"
                 for label in ["Under 11", "11 to 15", "16 to 17"]})
    assert world.client("member").post(_groups_url(world, dimension), form).status_code == 302
    baseline_url = reverse("consultation:baseline", args=[world.plan.pk, dimension.pk])
    page = world.client("member").get(baseline_url).text
    assert "45 to 64 (counted in 35–64)" in page
    assert f'name="cat_{_cat(dimension, "35–64").pk}"' not in page  # added up, not typed in
    assert f'name="cat_{_cat(dimension, "Under 11").pk}"' not in page  # retired, not demanded
    figures = {"18 to 24": 100, "25 to 44": 250, "45 to 64": 250, "65 to 74": 250, "75 or over": 150}
    data = {"source": "Census 2021", "year": 2021}
    data.update({f"cat_{_cat(dimension, label).pk}": n for label, n in figures.items()})
    assert world.client("member").post(baseline_url, data).status_code == 302
    assert BaselineFigure.objects.count() == 5
    page = _rows(world)
    row = page[page.index('<td data-label="Group">35–64</td>'):]
    assert "50%" in row[:row.index("</tr>")]  # 500 of the 1,000 people in the parish
    assert '<td data-label="Group">45 to 64</td>' not in page


def test_a_band_cannot_be_counted_in_a_band_that_is_itself_counted_in_another(world, own_bands):
    _survey, _age, dimension = own_bands
    response = world.client("member").post(_groups_url(world, dimension), {
        f"part_of_{_cat(dimension, '65 to 74').pk}": _cat(dimension, "65+").pk,
        f"part_of_{_cat(dimension, '65+').pk}": _cat(dimension, "35–64").pk})
    assert response.status_code == 200
    assert "cannot be counted in" in response.text
    assert not DimensionCategory.objects.filter(part_of__isnull=False).exists()


"""Publishing a survey's results from the pages volunteers use, with a preview of the public page."""

import pytest
from django.test import Client
from django.urls import reverse

from consultation.models import Survey
from tests.consultation.analysis_data import add_responses, analysis_survey


@pytest.fixture
def survey(world):
    survey, q, options, cats, age_options = analysis_survey(world.plan)
    add_responses(survey, q, options, cats, age_options, [
        (12, {"yes": True, "travel": "Car", "age": "old"}),
        (3, {"yes": False, "travel": "Bus", "age": "young"}),
    ])
    return survey


def _results_url(survey):
    return reverse("consultation:results", args=[survey.plan_id, survey.pk])


def test_results_page_links_to_the_downloads_and_the_preview(world, survey):
    page = world.client("member").get(_results_url(survey), {"channel": "online"}).text
    assert reverse("consultation:results_download", args=[survey.plan_id, survey.pk, "csv"]) + \
        "?channel=online" in page
    assert reverse("consultation:results_preview", args=[survey.plan_id, survey.pk]) in page
    assert "Preview and publish the results for residents" in page


def test_councillor_gets_the_downloads_but_no_publishing_link(world, survey):
    page = world.client("councillor").get(_results_url(survey)).text
    assert reverse("consultation:results_download", args=[survey.plan_id, survey.pk, "xlsx"]) in page
    assert reverse("consultation:results_preview", args=[survey.plan_id, survey.pk]) not in page


def test_crosstab_page_links_to_its_downloads_with_the_dimension(world, survey):
    q = survey.questions.get(kind="yes_no")
    url = reverse("consultation:crosstab", args=[survey.plan_id, survey.pk, q.pk])
    page = world.client("member").get(url).text
    dimension = world.plan.dimensions.get()
    link = reverse("consultation:crosstab_download", args=[survey.plan_id, survey.pk, q.pk, "csv"])
    assert f"{link}?dimension={dimension.pk}" in page
    response = world.client("member").get(link, {"dimension": dimension.pk})
    assert response.status_code == 200


def test_preview_shows_exactly_the_public_page_and_the_chair_publishes_from_it(world, survey):
    preview_url = reverse("consultation:results_preview", args=[survey.plan_id, survey.pk])
    public_url = reverse("consultation:public_results", args=[survey.public_id])
    assert Client().get(public_url).status_code == 404
    preview = world.client("chair").get(preview_url).text
    assert "These results are not public yet" in preview
    # The small group (3 people) is hidden in the preview just as it will be in public.
    assert "fewer than 10" in preview
    response = world.client("chair").post(
        reverse("consultation:results_publish", args=[survey.plan_id, survey.pk]), {"publish": "1"})
    assert response["Location"] == preview_url
    assert Survey.objects.get(pk=survey.pk).results_published
    public = Client().get(public_url).text
    assert "fewer than 10" in public
    assert "Publish these results" not in public
    community = Client().get(world.community.get_absolute_url()).text
    assert public_url in community


def test_member_sees_the_preview_but_only_the_chair_or_secretary_may_publish(world, survey):
    preview = world.client("member").get(
        reverse("consultation:results_preview", args=[survey.plan_id, survey.pk])).text
    assert "The chair or secretary can publish them." in preview
    assert "Publish these results" not in preview

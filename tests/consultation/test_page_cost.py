"""The coding queue and "who we have heard" cost the same at two sizes, and never count or read
every answer of the plan."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultation.views.issues import UNCODED_CAP
from tests.consultation.analysis_data import add_responses, analysis_survey


@pytest.fixture
def data(world):
    return analysis_survey(world.plan)


def _queries(client, url):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    return [q["sql"] for q in queries], page.text


def _unbounded_answer_counts(sql: list[str]) -> list[str]:
    return [q for q in sql if re.search(r"COUNT\(", q) and '"consultation_answer"' in q and "LIMIT" not in q]


def test_the_coding_queue_costs_the_same_at_two_sizes_and_counts_no_further_than_it_says(world, data):
    survey, q, options, cats, age_options = data
    chair = world.client("chair")
    url = reverse("consultation:coding", args=[world.plan.pk])
    add_responses(survey, q, options, cats, age_options, [(30, {"text": "More buses please"})])
    small, page = _queries(chair, url)
    assert "30 written answers still need a theme" in page
    assert _unbounded_answer_counts(small) == []
    add_responses(survey, q, options, cats, age_options,
                  [(UNCODED_CAP + 20, {"text": "Fix the potholes on the lane"})])
    large, page = _queries(chair, url)
    assert len(large) == len(small)
    assert _unbounded_answer_counts(large) == []
    # "Not yet coded" is an anti-join (NOT EXISTS), which PostgreSQL can stop once a page is full;
    # a LEFT JOIN … IS NULL made it fetch and sort every written answer of the plan.
    answer_lists = [s for s in large if 'FROM "consultation_answer"' in s]
    assert answer_lists and [s for s in answer_lists if "NOT (EXISTS" not in s] == []
    assert not [s for s in large if 'LEFT OUTER JOIN "consultation_answercoding"' in s]
    assert f"More than {UNCODED_CAP} written answers still need a theme" in page
    assert "Page 1" in page and "page=2" in page
    second = chair.get(url, {"page": 2}).text
    assert "page=1" in second and "page=3" in second


def test_the_last_page_of_the_coding_queue_has_no_next_link(world, data):
    survey, q, options, cats, age_options = data
    add_responses(survey, q, options, cats, age_options, [(25, {"text": "A bench by the pond"})])
    chair = world.client("chair")
    page = chair.get(reverse("consultation:coding", args=[world.plan.pk]), {"page": 2}).text
    assert "Page 2" in page and "page=1" in page and "page=3" not in page


def test_who_we_have_heard_reads_no_answers_at_either_size(world, data):
    survey, q, options, cats, age_options = data
    chair = world.client("chair")
    url = reverse("consultation:representation", args=[world.plan.pk]) + f"?survey={survey.pk}"
    add_responses(survey, q, options, cats, age_options, [(12, {"age": "old"}), (11, {"age": "young"})])
    small, page = _queries(chair, url)
    assert [s for s in small if 'FROM "consultation_answer"' in s] == []
    add_responses(survey, q, options, cats, age_options, [(300, {"age": "old"})])
    large, page = _queries(chair, url)
    assert len(large) == len(small)
    assert [s for s in large if 'FROM "consultation_answer"' in s] == []
    assert "312" in page  # the 65 to 74s, counted afresh for the new version


def test_the_written_answers_cost_the_same_at_two_sizes(world, data):
    survey, q, options, cats, age_options = data
    chair = world.client("chair")
    url = reverse("consultation:text_answers", args=[world.plan.pk, survey.pk])
    add_responses(survey, q, options, cats, age_options, [(30, {"text": "Slower traffic"})])
    small, page = _queries(chair, url)
    assert "30 answers" in page and "page=2" not in page
    add_responses(survey, q, options, cats, age_options, [(1100, {"text": "A new playground"})])
    large, page = _queries(chair, url)
    assert len(large) == len(small)
    assert _unbounded_answer_counts(large) == []
    assert "More than 1000 answers" in page and "page=2" in page

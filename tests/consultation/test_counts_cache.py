"""The survey's cached count tables: results cost O(questions), and are never stale or fragile.

Unfiltered results (the public's, councillors' and the steering group's) read the survey's
count tables from the cache for the current version of its answers; every submit, entry, import
and deletion starts a new version. These tests play a resident who has just sent answers, and a
Redis that dies under the cache.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultation import services
from consultation.models import Answer, Response, ResponsesVersion
from consultation.services import evidence as evidence_services
from tests.consultation.analysis_data import add_responses, analysis_survey
from tests.realservices import RedisServer, cache_settings


@pytest.fixture
def data(world):
    survey, q, options, cats, age_options = analysis_survey(world.plan)
    add_responses(survey, q, options, cats, age_options, [
        (12, {"travel": "Car", "age": "old"}), (15, {"travel": "Bus", "age": "young"})])
    evidence_services.results_set_published(survey=survey, published=True, actor=world.people["chair"])
    return survey, q, options, cats, age_options


def _public(survey) -> str:
    page = Client().get(reverse("consultation:public_results", args=[survey.public_id]))
    assert page.status_code == 200
    return page.text


def _travel(page: str, question) -> str:
    section = page.split(f'aria-labelledby="q-{question.pk}"', 1)[1].split("</section>", 1)[0]
    return section.split("<table", 1)[1].split("</table>", 1)[0]


def _send(survey, q, option):
    """A resident's draft, sent through the service the survey pages use."""
    draft = Response.objects.create(survey=survey)
    Answer.objects.bulk_create([Answer(response=draft, question=q, option=option)])
    services.response_submit(response=draft)
    return draft


def _answer_queries(queries) -> list[str]:
    """Queries that read the answers themselves (published quotes join a few of them: fine)."""
    return [q["sql"] for q in queries if 'FROM "consultation_answer"' in q["sql"]]


def test_a_sent_response_shows_in_the_public_results_at_once(data):
    survey, q, options, *_rest = data
    assert ">12<" in _travel(_public(survey), q["single"])
    _send(survey, q["single"], options["Car"])
    assert ">13<" in _travel(_public(survey), q["single"])


def test_a_deleted_response_leaves_the_councillors_results_at_once(world, data):
    survey, q, options, *_rest = data
    url = reverse("consultation:results", args=[world.plan.pk, survey.pk])
    councillor = world.client("councillor")
    assert ">15<" in _travel(councillor.get(url).text, q["single"])
    bus = Response.objects.filter(answers__option=options["Bus"]).first()
    services.response_delete(response=bus, reason="Entered twice", actor=world.people["chair"])
    assert ">14<" in _travel(councillor.get(url).text, q["single"])


def test_each_change_to_the_answers_starts_a_new_version(world, data):
    survey, q, options, *_rest = data
    before = ResponsesVersion.objects.get(survey=survey).number
    sent = _send(survey, q["single"], options["Walk"])
    after_submit = ResponsesVersion.objects.get(survey=survey).number
    assert after_submit > before
    services.response_delete(response=sent, reason="Test", actor=world.people["chair"])
    assert ResponsesVersion.objects.get(survey=survey).number > after_submit


@pytest.mark.parametrize("who", ["public", "councillor", "chair"])
def test_warm_unfiltered_results_read_no_answers_and_cost_the_same_at_two_sizes(world, data, who):
    survey, q, options, cats, age_options = data
    client = Client() if who == "public" else world.client(who)
    url = (reverse("consultation:public_results", args=[survey.public_id]) if who == "public"
           else reverse("consultation:results", args=[world.plan.pk, survey.pk]))

    def measure():
        assert client.get(url).status_code == 200  # counts the tables once for this version
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return queries

    small = measure()
    assert _answer_queries(small) == []
    add_responses(survey, q, options, cats, age_options, [
        (40, {"travel": "Walk", "age": "old"}), (60, {"travel": "Car", "age": "young"})])
    large = measure()
    assert _answer_queries(large) == []
    assert len(large) == len(small)


def test_filtered_results_cost_the_same_number_of_queries_at_two_sizes(world, data):
    survey, q, options, cats, age_options = data
    chair = world.client("chair")
    url = reverse("consultation:results", args=[world.plan.pk, survey.pk]) + f"?category={cats['old'].pk}"

    def count():
        chair.get(url)
        with CaptureQueriesContext(connection) as queries:
            page = chair.get(url)
        return len(queries), page

    small, _page = count()
    add_responses(survey, q, options, cats, age_options, [(50, {"travel": "Walk", "age": "old"})])
    large, page = count()
    assert large == small
    assert ">50<" in _travel(page.text, q["single"])  # the filter is counted afresh


def test_a_cache_outage_still_serves_correct_results(settings, world, data):
    survey, q, options, *_rest = data
    server = RedisServer().start()
    settings.CACHES = cache_settings(server.url, retry_after=60)
    try:
        assert ">12<" in _travel(_public(survey), q["single"])  # kept in this Redis
        server.stop()
        _send(survey, q["single"], options["Car"])
        councillor = world.client("councillor")
        page = councillor.get(reverse("consultation:results", args=[world.plan.pk, survey.pk]))
        assert page.status_code == 200 and ">13<" in _travel(page.text, q["single"])
        assert ">13<" in _travel(_public(survey), q["single"])
    finally:
        server.stop()

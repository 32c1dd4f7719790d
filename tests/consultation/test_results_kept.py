"""The results page is kept drawn (consultation/views/results.py): these tests play a councillor,
a member who has left and a resident against the kept copies, and check a kept page never
outlives a change to the answers or the questionnaire.

The parish of tests/consultation/test_analysis_attacks.py: 103 people, 3 aged 18 to 24. The
steering group sees the 3; everyone else sees "fewer than 10", and the 40 aged 35 to 64 hidden
with them.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultation import services
from consultation.models import Answer, Response
from plans.models import Membership
from tests.consultation.analysis_data import small_group_parish
from tests.consultation.test_analysis_attacks import _table

HIDDEN = "fewer than 10"


@pytest.fixture
def parish(world):
    return small_group_parish(world)


def _url(world, survey, **query):
    url = reverse("consultation:results", args=[world.plan.pk, survey.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _age(page, q):
    return _table(page, q["age"]).split("</table>", 1)[0]


@pytest.mark.parametrize("first", ["officer", "councillor"])
def test_each_viewer_gets_the_page_drawn_for_their_own_tier_whoever_came_first(world, parish, first):
    """The support officer reads every figure, the councillor does not, and neither may publish:
    their pages differ by tier alone."""
    survey, q, cats = parish
    url = _url(world, survey)
    pages, clients = {}, {p: world.client(p) for p in ("officer", "councillor")}  # signing in is a write
    for persona in ([first] + [p for p in ("officer", "councillor") if p != first]) * 2:
        page = clients[persona].get(url)
        assert page.status_code == 200
        pages.setdefault(persona, []).append(_age(page.text, q))
    for persona, seen in pages.items():
        assert seen[0] == seen[1], persona  # the kept copy is the drawn one
    assert ">3<" in pages["officer"][0] and HIDDEN not in pages["officer"][0]
    assert ">3<" not in pages["councillor"][0] and ">40<" not in pages["councillor"][0]
    assert HIDDEN in pages["councillor"][0]


def test_a_filter_the_steering_group_may_use_is_still_refused_to_a_councillor_after_it(world, parish):
    survey, q, cats = parish
    url = _url(world, survey, category=cats["young"].pk, channel="paper")
    officer, councillor = world.client("officer"), world.client("councillor")
    assert "These results cannot be shown with this filter" not in officer.get(url).text
    councillor = councillor.get(url).text
    assert "These results cannot be shown with this filter" in councillor
    assert ">3<" not in councillor and ">2<" not in councillor


def test_only_those_who_may_publish_see_the_publish_link_on_a_kept_page(world, parish):
    survey, _q, _cats = parish
    url = _url(world, survey)
    chair, member, officer = world.client("chair"), world.client("member"), world.client("officer")
    assert "Preview and publish" in chair.get(url).text
    assert "Preview and publish" not in officer.get(url).text  # the same figures, not the link
    assert "Preview and publish" in member.get(url).text


def test_a_member_who_leaves_cannot_read_the_page_kept_for_them(world, parish):
    survey, _q, _cats = parish
    url = _url(world, survey)
    member = world.people["member"]
    client = world.client("member")
    assert client.get(url).status_code == 200
    Membership.objects.filter(plan=world.plan, user=member).update(left_on=date(2026, 11, 30))
    assert client.get(url).status_code == 404


def test_a_sent_response_and_an_edited_question_show_at_once_on_a_kept_page(world, parish):
    survey, q, cats = parish
    url = _url(world, survey)
    chair, councillor = world.client("chair"), world.client("councillor")
    for client in (chair, councillor):
        client.get(url)
    draft = Response.objects.create(survey=survey)
    Answer.objects.create(response=draft, question=q["single"], option=q["single"].options.get(label="Walk"))
    services.response_submit(response=draft)
    page = chair.get(url).text
    assert "104 responses" in page and "104 responses" in councillor.get(url).text
    assert ">4<" in _table(page, q["single"])  # Walk: 3 + 1
    q["rating"].text = "Rate the bus service, please"
    q["rating"].save()
    assert "Rate the bus service, please" in councillor.get(url).text


def test_a_kept_page_is_read_not_drawn_again(world, parish):
    survey, _q, _cats = parish
    url = _url(world, survey)
    client = world.client("councillor")
    with CaptureQueriesContext(connection) as drawn:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url)
    assert again.status_code == 200 and HIDDEN in again.text
    drawn_tables = {q["sql"].split(" FROM ", 1)[-1].split(" ", 1)[0] for q in drawn.captured_queries}
    kept_tables = {q["sql"].split(" FROM ", 1)[-1].split(" ", 1)[0] for q in kept.captured_queries}
    assert '"consultation_question"' in drawn_tables and '"consultation_question"' not in kept_tables
    assert len(kept.captured_queries) < len(drawn.captured_queries)

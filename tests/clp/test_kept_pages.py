"""Whole pages kept drawn (clp.freshness.kept_page and kept_for_viewer): a kept copy must work
exactly as a drawn page (its forms carry the reader's own CSRF token, its scripts the response's
nonce), must never reach anyone it was not drawn for, and must never outlive a change, a lost
role, a sign-out, a waiting message or a stopped Redis."""

import re
import time

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clp import cache as fail_open
from clp import freshness
from consultation.models import Response, SurveyStatus
from plans import services
from plans.models import Membership
from tests.consultation.factories import make_survey, submitted_response
from tests.realservices import RedisServer, cache_settings
from tests.security_headers import NONCE

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# A kept copy still costs the view's own checks: the session, the account and the viewer's roles
# (a member's or councillor's role names the plan, so the plan itself is not read); for the
# portfolio, the organisation and whether the viewer is its officer. Nothing else is read.
PLAN_CHECK = 3
PORTFOLIO_CHECK = 4


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    return page, len(captured)


def _start_url(survey):
    return reverse("consultation:public_start", kwargs={"public_id": survey.public_id})


def test_a_kept_survey_start_page_gives_each_resident_a_working_form_of_their_own(world):
    survey = make_survey(world.plan)
    url = _start_url(survey)
    Client().get(url)  # drawn and kept
    tokens = []
    for _ in range(2):
        resident = Client(enforce_csrf_checks=True)
        page, queries = _get(resident, url)
        assert page.status_code == 200 and queries == 0  # the kept copy: nothing read
        assert survey.title in page.text
        nonce = NONCE.findall(page["Content-Security-Policy"])[0]
        assert page.text.count(f'nonce="{nonce}"') == page.text.count("<script")
        [token] = TOKEN.findall(page.text)
        tokens.append(token)
        started = resident.post(url, {"consent": "on", "csrfmiddlewaretoken": token})
        assert started.status_code == 302, started.content  # the token in the kept copy works
    assert tokens[0] != tokens[1]
    assert Response.objects.filter(survey=survey).count() == 2


def test_a_kept_survey_start_page_never_outlives_the_survey_closing(world):
    survey = make_survey(world.plan)
    url = _start_url(survey)
    assert Client().get(url).status_code == 200
    assert _get(Client(), url)[1] == 0
    survey.status = SurveyStatus.CLOSED
    survey.save()
    assert Client().get(url).status_code == 404


def test_a_kept_page_without_a_form_sets_no_cookie_as_when_drawn(world):
    url = world.community.get_absolute_url()
    drawn = Client().get(url)
    kept, queries = _get(Client(), url)
    assert queries == 0 and kept.text.count("<script") == drawn.text.count("<script")
    assert not drawn.cookies and not kept.cookies


def test_a_process_that_lost_touch_with_redis_starts_a_new_generation_once_it_is_back(settings):
    """A bump dropped while Redis was unreachable must not leave the old pages current."""
    server = RedisServer().start()
    settings.CACHES = cache_settings(server.url)
    try:
        before = freshness.generation()
        location = caches["default"]._location
        with fail_open._lock:
            fail_open._down_until[location] = time.monotonic() - 1  # it failed; its pause is over
        caches["default"].get("anything")
        assert freshness.generation() not in ("", before)
    finally:
        server.stop()


def test_a_resident_with_answers_under_way_is_drawn_their_own_start_page(world):
    survey = make_survey(world.plan)
    url = _start_url(survey)
    Client().get(url)
    resident = Client()
    resident.post(url, {"consent": "on"})
    page = resident.get(url)
    assert "Carry on with your answers" in page.text
    assert "Carry on with your answers" not in Client().get(url).text


def _plan_home(world):
    return world.plan.get_absolute_url()


def test_the_plan_home_is_kept_for_its_viewer_alone(world):
    chair, member = world.client("chair"), world.client("member")  # signing in is a write
    url = _plan_home(world)
    first, drawn = _get(chair, url)
    again, kept = _get(chair, url)
    assert first.status_code == again.status_code == 200
    assert kept == PLAN_CHECK < drawn
    assert TOKEN.findall(first.text) != TOKEN.findall(again.text)  # a token of its own each time
    assert _get(member, url)[1] > PLAN_CHECK  # another member is drawn their own page
    signed_out = world.client("secretary")
    assert signed_out.get(url).status_code == 200
    cookie = signed_out.cookies["sessionid"].value
    signed_out.post(reverse("account_logout"))
    replayed = Client()
    replayed.cookies["sessionid"] = cookie
    assert replayed.get(url).status_code == 302  # to sign in: a signed-out session gets nothing


def test_the_forms_of_a_kept_plan_home_take_the_viewers_own_token(world):
    chair = world.client("chair")
    chair.handler.enforce_csrf_checks = True
    url = _plan_home(world)
    chair.get(url)
    kept, queries = _get(chair, url)
    assert queries == PLAN_CHECK
    token = TOKEN.findall(kept.text)[0]  # the sign-out form in the header
    assert chair.post(reverse("account_logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert chair.get(url).status_code == 302  # signed out: to the sign-in page


def test_a_member_who_leaves_gets_no_kept_copy_of_the_plan(world):
    member = world.client("member")
    url = _plan_home(world)
    assert member.get(url).status_code == 200
    assert _get(member, url)[1] == PLAN_CHECK
    services.membership_end(
        membership=Membership.objects.active().get(plan=world.plan, user=world.people["member"]),
        actor=world.people["chair"])
    assert member.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["officer", "councillor", "admin"])
def test_every_kind_of_viewer_gets_their_kept_plan_home_and_loses_it_with_the_role(world, persona):
    client = world.client(persona)
    url = _plan_home(world)
    assert client.get(url).status_code == 200
    page, queries = _get(client, url)
    assert page.status_code == 200 and world.plan.title in page.text
    # An officer's role is by community, so the plan's community_id is read (one query more); a
    # site admin's needs no roles at all.
    assert queries == {"officer": PLAN_CHECK + 1, "councillor": PLAN_CHECK, "admin": 2}[persona]
    person = world.people[persona]
    with connection.cursor() as cursor:  # raw SQL: no signal, no new generation
        if persona == "officer":
            cursor.execute(f"DELETE FROM {world.organisation.officers.through._meta.db_table} "
                           "WHERE user_id = %s", [person.pk])
        elif persona == "councillor":
            cursor.execute("DELETE FROM plans_councillorlink WHERE plan_id = %s", [world.plan.pk])
        else:
            cursor.execute("UPDATE clp_user SET is_superuser = %s WHERE id = %s", [False, person.pk])
    assert client.get(url).status_code == 404


def test_a_plan_that_does_not_exist_is_refused_even_to_a_site_admin(world):
    from plans.models import Plan

    admin = world.client("admin")
    missing = reverse("plans:detail", args=[Plan.objects.order_by("-pk")[0].pk + 100])
    assert admin.get(missing).status_code == 404
    officer = world.client("officer")
    assert officer.get(missing).status_code == 404


def test_an_officer_taken_off_the_organisation_gets_no_kept_copy_of_its_portfolio(world):
    officer = world.client("officer")
    url = reverse("portfolio:overview", args=[world.organisation.pk])
    assert officer.get(url).status_code == 200
    assert _get(officer, url)[1] == PORTFOLIO_CHECK
    # Raw SQL: no signal, no new generation. Only the check on every request can see it.
    before = freshness.generation()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {world.organisation.officers.through._meta.db_table} "
                       "WHERE user_id = %s", [world.people["officer"].pk])
    assert freshness.generation() == before
    assert officer.get(url).status_code == 404
    assert officer.get(reverse("portfolio:bank", args=[world.organisation.pk])).status_code == 404


def test_a_waiting_message_is_shown_not_a_kept_copy(world):
    chair = world.client("chair")
    url = _plan_home(world)
    chair.get(url)
    assert _get(chair, url)[1] == PLAN_CHECK
    storage = CookieStorage(RequestFactory().get("/"))
    chair.cookies[CookieStorage.cookie_name] = storage._encode([Message(constants.SUCCESS, "Minutes filed.")])
    page, queries = _get(chair, url)
    assert "Minutes filed." in page.text and queries > PLAN_CHECK


def test_kept_results_and_portfolio_change_with_the_answers_and_the_plans(world):
    survey = make_survey(world.plan)
    results = reverse("consultation:results", args=[world.plan.pk, survey.pk])
    portfolio = reverse("portfolio:overview", args=[world.organisation.pk])
    chair, officer = world.client("chair"), world.client("officer")
    for client, url, check in ((chair, results, PLAN_CHECK), (officer, portfolio, PORTFOLIO_CHECK)):
        assert client.get(url).status_code == 200
        assert _get(client, url)[1] == check
    world.community.name = "Wicketby St Mary"
    world.community.save()
    assert "Wicketby St Mary" in officer.get(portfolio).text
    assert _get(chair, results)[1] > PLAN_CHECK  # drawn again after the change


@pytest.mark.django_db(transaction=True)
def test_kept_pages_are_drawn_correctly_while_redis_is_stopped(settings, world):
    server = RedisServer().start()
    settings.CACHES = cache_settings(server.url, retry_after=60)
    try:
        survey = make_survey(world.plan)
        chair, officer = world.client("chair"), world.client("officer")
        pages = [(Client(), _start_url(survey)), (Client(), world.community.get_absolute_url()),
                 (chair, _plan_home(world)),
                 (officer, reverse("portfolio:overview", args=[world.organisation.pk])),
                 (chair, reverse("consultation:results", args=[world.plan.pk, survey.pk]))]
        for client, url in pages:
            assert client.get(url).status_code == 200
            assert client.get(url).status_code == 200  # now kept in this Redis
        server.stop()
        world.community.name = "Wicketby Renamed"
        world.community.save()
        for client, url in pages:
            page = client.get(url)
            assert page.status_code == 200, url
            assert "Wicketby Renamed" in page.text, url
        started = Client(enforce_csrf_checks=True)
        [token] = TOKEN.findall(started.get(_start_url(survey)).text)
        sent = started.post(_start_url(survey), {"consent": "on", "csrfmiddlewaretoken": token})
        assert sent.status_code == 302
    finally:
        server.stop()


RESPONSES_CELL = re.compile(r'data-label="Survey responses">(\d+)')


def test_a_sent_response_redraws_its_own_plans_pages_and_the_portfolio_and_nothing_else(world):
    """While one parish's survey is receiving answers, every other plan's kept pages (and the
    public pages, which show no answers) stay kept: a send replaces its plan's token only. Its
    own plan's pages and the portfolio that counts its answers are drawn again, with the new
    figures."""
    own = world.reviewing_plan  # the community's current plan, the one its portfolio row shows
    survey = make_survey(own)
    chair, officer, visitor = world.client("chair"), world.client("officer"), Client()
    own_home, other_home = own.get_absolute_url(), _plan_home(world)
    results = reverse("consultation:results", args=[own.pk, survey.pk])
    portfolio = reverse("portfolio:overview", args=[world.organisation.pk])
    community, start = world.community.get_absolute_url(), _start_url(survey)
    pages = {"own home": (chair, own_home, PLAN_CHECK), "other home": (chair, other_home, PLAN_CHECK),
             "results": (chair, results, PLAN_CHECK), "portfolio": (officer, portfolio, PORTFOLIO_CHECK),
             "community": (visitor, community, 0), "start": (visitor, start, 0)}
    for client, url, check in pages.values():
        assert client.get(url).status_code == 200
        assert _get(client, url)[1] == check, url  # kept
    assert RESPONSES_CELL.findall(officer.get(portfolio).text) == ["0"]

    submitted_response(survey, actor=world.people["chair"])

    for name in ("other home", "community", "start"):
        client, url, check = pages[name]
        assert _get(client, url)[1] == check, name  # still the kept copy
    for name in ("own home", "results", "portfolio"):
        client, url, check = pages[name]
        page, queries = _get(client, url)
        assert page.status_code == 200 and queries > check, name  # drawn again
    assert RESPONSES_CELL.findall(officer.get(portfolio).text) == ["1"]
    assert _get(officer, portfolio)[1] == PORTFOLIO_CHECK  # and kept again


def test_answers_changed_in_another_organisations_plan_leave_the_portfolio_kept(world):
    """The portfolio's key holds where its own plans' answers have got to, nobody else's."""
    elsewhere = make_survey(world.other_plan)  # a community outside the portfolio
    portfolio = reverse("portfolio:overview", args=[world.organisation.pk])
    officer = world.client("officer")
    officer.get(portfolio)
    assert _get(officer, portfolio)[1] == PORTFOLIO_CHECK
    submitted_response(elsewhere, actor=world.people["outsider"])
    assert _get(officer, portfolio)[1] == PORTFOLIO_CHECK

"""clp.rows reads the rows every signed-in request needs (session, account, plan, survey) without
the ORM's compiler; clp.sessions and clp.auth use it. What they return must be exactly what the
ORM returns, on SQLite and PostgreSQL alike, and each refusal must hold: an expired session, an
account that may not sign in, a survey asked for under another plan."""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clp import rows
from clp.models import User
from consultation.models import Response, Survey
from plans.models import Membership, Plan, Role
from tests.consultation.factories import make_survey
from tests.factories import PASSWORD, MembershipFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {name: value for name, value in instance.__dict__.items() if name != "_state"}


def test_a_survey_with_its_plan_and_community_is_what_the_orm_reads():
    plan = PlanFactory(vision="A greener village", start_date=datetime.date(2026, 3, 1))
    survey = make_survey(plan)
    expected = Survey.objects.select_related("plan__community").get(pk=survey.pk)
    with CaptureQueriesContext(connection) as captured:
        found = rows.one(Survey, survey.pk, "plan__community")
        assert _fields(found) == _fields(expected)
        assert _fields(found.plan) == _fields(expected.plan)
        assert _fields(found.plan.community) == _fields(expected.plan.community)
        assert not found._state.adding and found._state.db == "default"
    assert len(captured) == 1  # the plan and the community came with the survey


def test_dates_and_json_come_back_converted_as_the_orm_converts_them():
    member = MembershipFactory(represents=["young families", "farmers"], role=Role.CHAIR)
    found = rows.one(Membership, member.pk, "plan__community", "user")
    assert found.represents == ["young families", "farmers"]
    assert isinstance(found.joined_on, datetime.date)
    assert found.user.date_joined == User.objects.get(pk=member.user_id).date_joined
    assert found.user.date_joined.tzinfo is not None
    assert _fields(found) == _fields(Membership.objects.get(pk=member.pk))


def test_an_empty_foreign_key_is_cached_as_none():
    survey = make_survey(PlanFactory())
    response = Response.objects.create(survey=survey)
    with CaptureQueriesContext(connection) as captured:
        found = rows.one(Response, response.pk, "code", "survey")
        assert found.code is None
        assert found.survey.pk == survey.pk
    assert len(captured) == 1


@pytest.mark.parametrize("key", [0, 999_999, 10**25, -(10**25), "abc", None, "1; DROP TABLE clp_user"])
def test_no_row_and_a_key_that_cannot_be_one_give_none(key):
    PlanFactory()
    assert rows.one(Plan, key, "community") is None
    assert Plan.objects.exists()


def test_a_survey_under_another_plan_is_not_found():
    mine, theirs = PlanFactory(), PlanFactory()
    chair = MembershipFactory(plan=mine, role=Role.CHAIR).user
    survey = make_survey(theirs)
    client = Client()
    client.force_login(chair)
    url = reverse("consultation:results", kwargs={"pk": mine.pk, "sid": survey.pk})
    assert client.get(url).status_code == 404


def test_an_expired_session_signs_nobody_in():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert client.get(reverse("home")).context["user"] == user
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("home")).context["user"].is_anonymous


def test_an_account_that_may_not_sign_in_is_signed_out_on_its_next_request():
    user = UserFactory()
    plan = PlanFactory()
    MembershipFactory(plan=plan, user=user, role=Role.CHAIR)
    client = Client()
    client.force_login(user)
    url = reverse("plans:detail", kwargs={"pk": plan.pk})
    assert client.get(url).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)  # no signal: only the lookup can see it
    assert client.get(url).status_code == 302


def test_a_session_whose_account_is_gone_signs_nobody_in():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    session = Session.objects.get()
    assert session.get_decoded()[SESSION_KEY] == str(user.pk)
    User.objects.filter(pk=user.pk).delete()
    assert client.get(reverse("home")).context["user"].is_anonymous


def test_signing_in_with_a_password_still_works_through_the_backends():
    UserFactory(email="sam@example.org")
    client = Client()
    response = client.post(reverse("account_login"), {"login": "sam@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].email == "sam@example.org"


@pytest.mark.parametrize("old", ["django.contrib.auth.backends.ModelBackend",
                                 "allauth.account.auth_backends.AuthenticationBackend"])
def test_a_session_signed_in_before_the_backends_were_renamed_stays_signed_in(old):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    user = UserFactory()
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), old
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    client = Client()
    client.cookies["sessionid"] = session.session_key
    assert client.get(reverse("home")).context["user"] == user


def test_a_key_too_long_for_its_column_is_a_missing_plan_not_an_error():
    plan = PlanFactory()
    chair = MembershipFactory(plan=plan, role=Role.CHAIR).user
    client = Client()
    client.force_login(chair)
    assert client.get(f"/plans/{10**25}/").status_code == 404
    assert client.get(f"/plans/{plan.pk}/surveys/{10**25}/results/").status_code == 404


def test_a_changed_session_is_written_back_in_one_statement_and_read_back_the_same():
    from clp.sessions import SessionStore

    session = SessionStore()
    session["answers"] = "kept"
    session.create()
    session = SessionStore(session.session_key)
    session["answers"], session["receipt"] = "sent", "12-ABC123"
    session.set_expiry(3600)
    with CaptureQueriesContext(connection) as queries:
        session.save()
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["UPDATE"]
    again = SessionStore(session.session_key)
    assert again["answers"] == "sent" and again["receipt"] == "12-ABC123"
    stored = Session.objects.get(session_key=session.session_key)
    assert abs((stored.expire_date - timezone.now()).total_seconds() - 3600) < 60


def test_a_session_ended_elsewhere_is_not_written_back_and_the_request_is_told():
    # Signed out in another tab while this request ran: the row is gone, nothing brings it back
    # (Django's forced update refuses the same way, and its middleware answers 400).
    from django.contrib.sessions.backends.base import UpdateError

    from clp.sessions import SessionStore

    session = SessionStore()
    session["answers"] = "kept"
    session.create()
    session = SessionStore(session.session_key)
    assert session["answers"] == "kept"  # read at the start of the request
    Session.objects.filter(session_key=session.session_key).delete()
    session["answers"] = "changed"
    with pytest.raises(UpdateError):
        session.save()
    assert not Session.objects.exists()

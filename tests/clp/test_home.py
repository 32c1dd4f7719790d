from django.urls import reverse

from plans.models import Role
from tests import factories


def test_visitors_see_what_clp_is_and_how_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert "Plan your community's future, together" in response.text
    assert reverse("account_login") in response.text


def test_the_home_page_shows_each_person_what_matters_to_them(world):
    chair_home = world.client("chair").get(reverse("home")).text
    assert "Your plans" in chair_home and world.plan.title in chair_home
    assert "Your portfolio" not in chair_home

    officer_home = world.client("officer").get(reverse("home")).text
    assert "Your portfolio" in officer_home and "Wessex Action" in officer_home

    councillor_home = world.client("councillor").get(reverse("home")).text
    assert "Plans you follow as a councillor" in councillor_home
    assert world.plan.title in councillor_home

    resident_home = world.client("resident").get(reverse("home")).text
    assert "You are not part of any plan yet" in resident_home


def test_pending_invitations_are_shown_on_home_to_whoever_proved_the_address(world):
    from allauth.account.models import EmailAddress

    from clp import services

    EmailAddress.objects.create(user=world.people["resident"], email=world.people["resident"].email,
                                verified=True, primary=True)
    services.invitation_create(email=world.people["resident"].email, kind="steering",
                               role=Role.CHAMPION, target_id=world.plan.pk,
                               actor=world.people["chair"])
    text = world.client("resident").get(reverse("home")).text
    assert "Invitations waiting for you" in text
    assert "as Community champion" in text


def _plans_for(user, n):
    for _ in range(n):
        factories.MembershipFactory(user=user, role=Role.MEMBER)


def test_home_query_count_does_not_grow_with_plans(world, django_assert_max_num_queries):
    chair = world.people["chair"]
    client = world.client("chair")
    _plans_for(chair, 2)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("home"))
    _plans_for(chair, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("home"))
    assert response.text.count("card-body") >= 32


def test_an_officer_adds_a_community_to_their_portfolio(world):
    client = world.client("officer")
    url = reverse("organisation_community_new", args=[world.organisation.pk])
    response = client.post(url, {"name": "Wicketby", "kind": "parish"})
    assert "There is already a community called Wicketby." in response.text
    response = client.post(url, {"name": "Upper Wicket", "kind": "village", "households": "210"})
    assert response.status_code == 302
    community = world.organisation.communities.get(name="Upper Wicket")
    assert (community.slug, community.households) == ("upper-wicket", 210)
    portfolio = client.get(reverse("portfolio:overview", args=[world.organisation.pk])).text
    assert "Upper Wicket" in portfolio and reverse("plans:create", args=["upper-wicket"]) in portfolio


def test_an_officer_sets_the_data_controller_and_how_long_answers_are_kept(world):
    client = world.client("officer")
    url = reverse("organisation_community_new", args=[world.organisation.pk])
    refused = client.post(url, {"name": "Lower Wicket", "kind": "village", "retention_months": "0"})
    assert "Ensure this value is greater than or equal to 1" in refused.text \
        or "must be 1 or more" in refused.text
    assert 'value="Lower Wicket"' in refused.text
    client.post(url, {"name": "Lower Wicket", "kind": "village", "retention_months": "12",
                      "controller": "Lower Wicket Parish Council"})
    community = world.organisation.communities.get(name="Lower Wicket")
    assert (community.retention_months, community.data_controller) == (12, "Lower Wicket Parish Council")
    notice = client.get(reverse("privacy_notice", args=[community.slug])).text
    assert "kept for 12 months" in notice

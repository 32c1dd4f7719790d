"""Who may open a plan's pages: `plan_for` checks the user's roles in Python, the lists use
`Plan.objects.visible_to` in SQL. The two must agree for every kind of person, or a plan would
be listed to someone who then gets a 404 (or, worse, opened by someone it is not listed to)."""

from datetime import date

import pytest
from django.urls import reverse

from clp.models import AuditEvent, AuditKind
from plans.models import Membership, Plan
from tests import factories


def _people(world):
    people = dict(world.people)
    left = factories.UserFactory(email="left@test.org")
    factories.MembershipFactory(plan=world.plan, user=left, left_on=date(2026, 1, 1))
    people["left the group"] = left
    people["inactive admin"] = factories.UserFactory(email="gone@test.org", is_superuser=True,
                                                     is_active=False)
    officer = factories.UserFactory(email="other.officer@test.org")
    factories.OrganisationFactory(name="Another county").officers.add(officer)
    people["officer elsewhere"] = officer
    return people


def test_plan_pages_open_for_exactly_the_people_the_plan_lists_show_them_to(world, client):
    people = _people(world)
    plans = [world.plan, world.reviewing_plan, world.other_plan]
    for name, user in people.items():
        listed = set(Plan.objects.visible_to(user).values_list("pk", flat=True))
        client.force_login(user)
        for plan in plans:
            status = client.get(reverse("plans:detail", args=[plan.pk])).status_code
            if not user.is_active:  # cannot be signed in at all: sent to the sign-in page
                assert status == 302 and not listed, name
                continue
            assert status == (200 if plan.pk in listed else 404), (name, plan.title, status)
        client.logout()
    # Each role in the world opens what it should, so the agreement above is not vacuous.
    def sees(persona):
        return Plan.objects.visible_to(people[persona]).filter(pk=world.plan.pk).exists()

    assert sees("councillor") and sees("officer") and sees("member")
    assert not sees("left the group") and not sees("officer elsewhere") and not sees("outsider")


def test_a_plan_that_does_not_exist_and_one_that_is_hidden_look_the_same_and_are_recorded(world, client):
    client.force_login(world.people["outsider"])
    hidden = client.get(reverse("plans:detail", args=[world.plan.pk]))
    missing = client.get(reverse("plans:detail", args=[Plan.objects.order_by("-pk")[0].pk + 100]))
    assert hidden.status_code == missing.status_code == 404
    refused = AuditEvent.objects.filter(kind=AuditKind.REFUSED, actor=world.people["outsider"])
    assert refused.count() == 2


@pytest.mark.parametrize("persona", ["councillor", "officer"])
def test_a_permission_beyond_seeing_the_plan_is_still_refused(world, client, persona):
    client.force_login(world.people[persona])
    response = client.get(reverse("plans:edit", args=[world.plan.pk]))
    assert response.status_code == 403


def test_leaving_the_group_closes_the_plan_at_once(world, client):
    member = world.people["member"]
    client.force_login(member)
    assert client.get(reverse("plans:detail", args=[world.plan.pk])).status_code == 200
    Membership.objects.filter(plan=world.plan, user=member).update(left_on=date(2026, 11, 30))
    assert client.get(reverse("plans:detail", args=[world.plan.pk])).status_code == 404

"""A community's public page is kept drawn for visitors who are not signed in (clp.freshness):
what changes shows at once, and nobody signed in is ever given the visitors' copy."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories


def _get(client, world):
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("plans:community", args=[world.community.slug]))
    assert page.status_code == 200
    return page.text, len(captured)


def _main(page):
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def test_visitors_get_the_kept_page_and_see_each_change_at_once(world):
    visitor = Client()
    first, queries = _get(visitor, world)
    kept, again = _get(visitor, world)
    assert again < queries  # drawn once, then served as kept
    assert _main(kept) == _main(first)
    factories.MeetingFactory(plan=world.plan, title="Harvest supper", is_public=True,
                             date=timezone.localdate() + timedelta(days=3))
    assert "Harvest supper" in _get(visitor, world)[0]
    world.plan.title = "The Wicketby plan, renamed"
    world.plan.save()
    assert "The Wicketby plan, renamed" in _get(visitor, world)[0]


def test_signed_in_people_never_get_the_visitors_copy(world):
    visitor = Client()
    assert "Open the plan" not in _get(visitor, world)[0]  # now kept for visitors
    member, _queries = _get(world.client("chair"), world)
    assert "Open the plan" in member and world.plan.get_absolute_url() in member
    assert "Sign out" in member or "Show menu" in member

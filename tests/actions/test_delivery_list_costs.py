"""Every Deliver list page costs the same number of queries with 2 or 12 of its rows: updates on
an action, partner bodies, offers to help, raised issues, community updates, the plan review and
the delivery overview. (The public progress page has its own, in test_public_progress.py.)"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import delivery
from plans.models import Plan
from plans.steps import Step
from tests.actions.factories import ActionFactory, PriorityFactory

PAGES = ["action", "partners", "offers", "raised_issues", "community_updates", "plan_review",
         "delivery"]


@pytest.fixture
def plan(world):
    Plan.objects.filter(pk=world.plan.pk).update(step=Step.REVIEWING)
    return Plan.objects.get(pk=world.plan.pk)


def _grow(plan, action, chair, start, stop):
    """Rows of every kind the Deliver lists show, numbered start..stop-1."""
    for n in range(start, stop):
        other = ActionFactory(priority=PriorityFactory(plan=plan, title=f"Priority {n}"),
                              what=f"Action {n}", lead_email=f"lead{n}@vol.test")
        for target in (action, other):
            delivery.update_post(action=target, status="on_track", percent=10 + n,
                                 note=f"Note {n}", reason=f"Reason {n}")
        delivery.partner_create(plan=plan, fields={"name": f"Partner {n}",
                                                    "contact_email": f"p{n}@council.test"},
                                actor=chair)
        offer = delivery.offer_submit(action=other, name=f"Helper {n}", email=f"h{n}@res.test",
                                      what="I can dig")
        delivery.offer_confirm(offer=offer)
        delivery.raised_issue_submit(plan=plan, title=f"Issue {n}", description="Potholes")
        delivery.community_update_save(plan=plan, title=f"Update {n}", body="We did things",
                                       publish=n % 2 == 0, actor=chair)


def _queries(client, url) -> int:
    client.get(url)  # warm: caches and sessions are not what is measured
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_deliver_list_pages_cost_the_same_at_two_sizes(world, plan, page):
    chair = world.people["chair"]
    action = ActionFactory(priority=PriorityFactory(plan=plan, title="Footpaths"), what="Clear path",
                           lead_email="jo@vol.test")
    kwargs = {"pk": plan.pk}
    if page == "action":
        kwargs.update(prid=action.priority_id, aid=action.pk)
    url = reverse(f"actions:{page}", kwargs=kwargs)
    client = world.client("chair")
    _grow(plan, action, chair, 0, 2)
    small = _queries(client, url)
    _grow(plan, action, chair, 2, 12)
    large = _queries(client, url)
    assert large == small, f"{page}: {small} queries with 2 rows, {large} with 12"

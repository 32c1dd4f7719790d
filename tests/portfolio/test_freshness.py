"""The portfolio is kept between requests (clp.freshness) and never shows what has changed since.

Each test loads the page (so it is kept), changes one thing the way the app or the admin would,
and loads it again: the kept page must not be what the officer sees."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import UpdateStatus
from clp import freshness
from consultation.models import Channel, Response
from plans.models import CouncillorLink
from tests import factories
from tests.actions.factories import ActionFactory, PriorityFactory
from tests.consultation.analysis_data import add_responses, analysis_survey


def _url(world):
    return reverse("portfolio:overview", kwargs={"pk": world.organisation.pk})


def _plan(world, name, **fields):
    community = factories.CommunityFactory(name=name, district="Mid Wessex", households=100)
    world.organisation.communities.add(community)
    return factories.PlanFactory(community=community, title=f"{name} plan", **fields)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200
    return len(captured), page.text


def test_a_kept_page_is_served_without_reading_the_plans_again(world):
    _plan(world, "Keptby")
    client = world.client("officer")
    first, page = _queries(client, _url(world))
    again, kept = _queries(client, _url(world))
    assert again < first  # the rows and the table were kept
    assert "Keptby plan" in kept and kept.count('name="plans"') == page.count('name="plans"')


def test_every_kind_of_change_shows_at_once(world):
    plan = _plan(world, "Changeby")
    client = world.client("officer")
    url = _url(world)
    unlinked = client.get(url).text.count("No councillor is attached to the plan.")
    assert unlinked >= 1

    CouncillorLink.objects.create(plan=plan, councillor=world.people["councillor"].councillor_profile)
    assert client.get(url).text.count("No councillor is attached to the plan.") == unlinked - 1

    action = ActionFactory(priority=PriorityFactory(plan=plan))
    assert "0% of 1" in client.get(url).text
    action.progress = UpdateStatus.DONE
    action.save()
    assert "100% of 1" in client.get(url).text

    plan.community.name = "Renamedby"
    plan.community.save()
    page = client.get(url).text
    assert "Renamedby" in page and ">Changeby<" not in page

    survey, q, options, cats, age_options = analysis_survey(plan)
    add_responses(survey, q, options, cats, age_options, [(7, {"yes": True})])  # bulk, no signals
    assert "7 (7% of households)" in client.get(url).text

    world.organisation.communities.remove(plan.community)  # a many-to-many change
    assert "Renamedby" not in client.get(url).text


@pytest.mark.django_db(transaction=True)
def test_a_write_replaces_the_generation_now_and_again_when_it_commits():
    before = freshness.generation()
    with transaction.atomic():
        community = factories.CommunityFactory(name="Commitby")
        during = freshness.generation()
        assert during != before  # the writer's own next page sees the change
        factories.PlanFactory(community=community)  # a second write: still one replacement due
        assert sum(1 for entry in connection.run_on_commit if entry[1] is freshness._replace) == 1
    assert freshness.generation() != during  # a page drawn before the commit was kept under a
    # token that is gone now, so it is never served


def test_a_residents_draft_does_not_replace_it(world):
    survey, *_rest = analysis_survey(world.plan)
    before = freshness.generation()
    Response.objects.create(survey=survey, channel=Channel.ONLINE)  # a draft: nothing shown changes
    assert freshness.generation() == before


def test_bumps_inside_a_held_block_happen_once_at_its_end_and_not_at_all_if_it_raised(db):
    first = freshness.generation()
    with freshness.bumps_after():
        freshness.bump()
        with freshness.bumps_after():  # nested: the outermost block bumps
            freshness.bump()
        assert freshness.generation() == first  # nothing replaced inside the block
    second = freshness.generation()
    assert second != first
    with pytest.raises(RuntimeError), freshness.bumps_after():
        freshness.bump()
        raise RuntimeError("refused: its transaction was rolled back")
    assert freshness.generation() == second
    freshness.bump()  # outside any block, at once as before
    assert freshness.generation() != second

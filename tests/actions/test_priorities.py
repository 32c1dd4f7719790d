"""Priorities: both sections, ranking by buttons and by drag and drop, quick wins first, the
prioritisation aid, and query counts of the action plan page."""

import pytest
from django.urls import reverse

from actions import services
from actions.models import PrioritisationDecision, Priority, Section
from plans.models import PlanEvent
from tests.actions.factories import ActionFactory, PriorityFactory


def _titles(plan, section):
    return list(Priority.objects.filter(plan=plan, section=section).in_plan_order()
                .values_list("title", flat=True))


def _add(client, plan, **data):
    defaults = {"title": "Speeding on the main road", "why": "212 of 460 households said so.",
                "section": "2", "theme": "Transport"}
    return client.post(reverse("actions:priority_new", kwargs={"pk": plan.pk}), {**defaults, **data})


def test_member_adds_priorities_to_both_sections(world):
    client = world.client("member")
    _add(client, world.plan, title="Speeding", section="2")
    _add(client, world.plan, title="Litter pick", section="1")
    response = _add(client, world.plan, title="Bus to town", section="2")
    bus = Priority.objects.get(title="Bus to town")
    assert response.status_code == 302 and response["Location"] == bus.get_absolute_url()
    assert _titles(world.plan, Section.HELP) == ["Speeding", "Bus to town"]
    assert _titles(world.plan, Section.COMMUNITY) == ["Litter pick"]
    assert bus.rank == 2 and bus.created_by == world.people["member"]
    assert PlanEvent.objects.filter(plan=world.plan, summary__contains="Bus to town").exists()
    page = client.get(reverse("actions:plan", kwargs={"pk": world.plan.pk}))
    assert page.status_code == 200
    assert "Move down<span class=\"visually-hidden\">: Speeding" in page.text


def test_invalid_priority_is_shown_again_with_errors_beside_fields(world):
    response = _add(world.client("member"), world.plan, title="", is_long_term="on")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter priority" in response.text
    assert "Say what makes this priority long-term" in response.text
    assert 'value="212 of 460 households said so."' in response.text or \
        "212 of 460 households said so." in response.text
    assert not Priority.objects.exists()


def test_move_up_and_down_swap_neighbours_and_record_the_history(world):
    a, b, c = (PriorityFactory(plan=world.plan, title=t, rank=i) for i, t in enumerate("ABC", 1))
    client = world.client("member")
    url = reverse("actions:priority_move", kwargs={"pk": world.plan.pk, "prid": c.pk})
    response = client.post(url, {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?moved={c.pk}&dir=up#priority-{c.pk}")
    assert _titles(world.plan, Section.COMMUNITY) == ["A", "C", "B"]
    client.post(reverse("actions:priority_move", kwargs={"pk": world.plan.pk, "prid": a.pk}),
                {"direction": "down"})
    assert _titles(world.plan, Section.COMMUNITY) == ["C", "A", "B"]
    assert PlanEvent.objects.filter(summary__contains="Moved priority “C” to number 2").exists()
    # At the top already: nothing moves, and the group is told why.
    response = client.post(url, {"direction": "up"}, follow=True)
    assert _titles(world.plan, Section.COMMUNITY) == ["C", "A", "B"]
    assert "cannot move further up" in response.text


def test_quick_wins_are_listed_first_and_other_priorities_cannot_pass_them(world):
    PriorityFactory(plan=world.plan, title="Big", rank=1)
    quick = PriorityFactory(plan=world.plan, title="Quick", rank=2, is_quick_win=True)
    assert _titles(world.plan, Section.COMMUNITY) == ["Quick", "Big"]
    big = Priority.objects.get(title="Big")
    assert services.priority_move(priority=big, direction="up", actor=world.people["chair"]) is None
    assert services.priority_move(priority=quick, direction="down", actor=world.people["chair"]) is None
    page = world.client("chair").get(reverse("actions:plan", kwargs={"pk": world.plan.pk}))
    assert "Move up<span" not in page.text and "Move down<span" not in page.text


def test_drag_and_drop_saves_a_whole_section_order(world):
    a, b, c = (PriorityFactory(plan=world.plan, title=t, section=Section.HELP, rank=i)
               for i, t in enumerate("ABC", 1))
    url = reverse("actions:priorities_reorder", kwargs={"pk": world.plan.pk})
    response = world.client("member").post(url, {"section": "2", "order": f"{c.pk},{a.pk},{b.pk}"},
                                           HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 204
    assert _titles(world.plan, Section.HELP) == ["C", "A", "B"]
    # A priority of another plan in the list is ignored, not moved.
    stranger = PriorityFactory(plan=world.other_plan, section=Section.HELP)
    world.client("member").post(url, {"section": "2", "order": f"{stranger.pk},{b.pk}"})
    assert _titles(world.plan, Section.HELP) == ["B", "C", "A"]
    assert Priority.objects.get(pk=stranger.pk).rank == stranger.rank


def test_changing_section_puts_the_priority_at_the_end_of_the_other_section(world):
    PriorityFactory(plan=world.plan, title="One", section=Section.HELP, rank=1)
    moving = PriorityFactory(plan=world.plan, title="Footpaths", section=Section.COMMUNITY, rank=1)
    PriorityFactory(plan=world.plan, title="Two", section=Section.COMMUNITY, rank=2)
    url = reverse("actions:priority_edit", kwargs={"pk": world.plan.pk, "prid": moving.pk})
    world.client("member").post(url, {"title": "Footpaths", "why": "Muddy.", "section": "2"})
    assert _titles(world.plan, Section.HELP) == ["One", "Footpaths"]
    assert [p.rank for p in Priority.objects.filter(plan=world.plan, section=1)] == [1]


def test_group_accepts_or_overrides_the_suggested_order_and_the_override_is_recorded(world):
    low = PriorityFactory(plan=world.plan, title="Low", rank=1, support_score=2, impact_score=2,
                          effort_score=5)
    PriorityFactory(plan=world.plan, title="High", rank=2, support_score=5, impact_score=4,
                    effort_score=2)
    PriorityFactory(plan=world.plan, title="Unscored", rank=3)
    assert low.suggested_score == 5
    client = world.client("member")
    aid = client.get(reverse("actions:prioritise", kwargs={"pk": world.plan.pk}))
    assert "Accept or override the suggestion for section 1" in aid.text
    url = reverse("actions:prioritise_decide", kwargs={"pk": world.plan.pk, "section": 1})
    refused = client.post(url, {"choice": "keep"})
    assert refused.status_code == 200 and "Say why the group keeps its own order" in refused.text
    client.post(url, {"choice": "keep", "reason": "The youth forum put Low first."})
    assert _titles(world.plan, 1) == ["Low", "High", "Unscored"]
    kept = PrioritisationDecision.objects.get()
    assert not kept.accepted and kept.suggested == ["High", "Low", "Unscored"]
    assert kept.chosen == ["Low", "High", "Unscored"] and kept.by == world.people["member"]
    client.post(url, {"choice": "accept"})
    assert _titles(world.plan, 1) == ["High", "Low", "Unscored"]
    assert PlanEvent.objects.filter(summary__contains="Kept the group's own order",
                                    reason="The youth forum put Low first.").exists()


def _fill(plan, n):
    for i in range(n):
        priority = PriorityFactory(plan=plan, section=Section.HELP if i % 2 else Section.COMMUNITY)
        ActionFactory.create_batch(2, priority=priority)


@pytest.mark.parametrize("name", ["actions:plan", "actions:endorsements", "actions:draft"])
def test_list_pages_do_not_query_per_priority(world, django_assert_max_num_queries, name):
    from actions.models import Endorsement

    url = reverse(name, kwargs={"pk": world.plan.pk})
    client = world.client("chair")
    _fill(world.plan, 3)
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    _fill(world.plan, 30)
    profile = world.people["councillor"].councillor_profile
    Endorsement.objects.bulk_create(Endorsement(priority=p, councillor=profile, decision="endorse")
                                    for p in Priority.objects.filter(plan=world.plan))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200

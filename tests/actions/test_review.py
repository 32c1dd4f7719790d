"""Review and refresh (step 9): every action achieved, carried forward or dropped, then a new
version starts with the plan's own transition."""

import pytest
from django.urls import reverse

from actions import delivery
from actions.models import Action, PlanReview, PlanVersion, ProgressUpdate
from plans.models import Plan
from plans.steps import Step
from tests.actions.factories import ActionFactory, PriorityFactory


@pytest.fixture
def reviewing(world):
    plan = world.reviewing_plan
    PlanVersion.objects.create(plan=plan, number=1, data={}, frozen_by=world.people["chair"])
    priority = PriorityFactory(plan=plan, title="Buses")
    actions = {
        "bench": ActionFactory(priority=priority, what="New bench"),
        "bus": ActionFactory(priority=priority, what="Saturday bus"),
        "hut": ActionFactory(priority=priority, what="Bike hut"),
    }
    delivery.update_post(action=actions["bench"], status="done", percent=100, reason="Installed")
    delivery.update_post(action=actions["bus"], status="on_track", percent=30, reason="Talks")
    return plan, actions


def _post(world, plan, actions, **extra):
    data = {"meeting-kind": "light", "meeting-held_on": "2026-11-20",
            "meeting-minute_reference": "SG 2026/14",
            f"outcome_{actions['bench'].pk}": "achieved",
            f"outcome_{actions['bus'].pk}": "carry",
            f"outcome_{actions['hut'].pk}": "drop",
            f"reason_{actions['hut'].pk}": "The landowner refused", **extra}
    return world.client("chair").post(reverse("actions:plan_review", kwargs={"pk": plan.pk}), data)


def test_dropping_needs_a_reason_and_keeps_what_was_chosen(world, reviewing):
    plan, actions = reviewing
    response = _post(world, plan, actions, **{f"reason_{actions['hut'].pk}": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "Say why the group drops “Bike hut”." in page
    assert "SG 2026/14" in page
    assert not PlanReview.objects.exists()


def test_review_saved_in_progress_then_recorded_starts_the_next_version(world, reviewing):
    plan, actions = reviewing
    _post(world, plan, actions, **{f"outcome_{actions['bus'].pk}": "", "complete": "0"})
    review = PlanReview.objects.get()
    assert review.completed_at is None and review.decisions.count() == 2
    refused = _post(world, plan, actions, **{f"outcome_{actions['bus'].pk}": "", "complete": "1"})
    assert refused.status_code == 302
    assert Plan.objects.get(pk=plan.pk).step == Step.REVIEWING
    response = _post(world, plan, actions, complete="1")
    assert response.status_code == 302
    moved = Plan.objects.get(pk=plan.pk)
    assert (moved.step, moved.version) == (Step.PRIORITISING, 2)
    review = PlanReview.objects.get()
    assert review.completed_by == world.people["chair"] and review.minute_reference == "SG 2026/14"
    hut = Action.objects.get(pk=actions["hut"].pk)
    assert hut.progress == "dropped" and hut.latest_update.reason == "The landowner refused"
    bus = Action.objects.get(pk=actions["bus"].pk)
    assert bus.carried_forward_from == 1 and bus.progress == "on_track"
    assert ProgressUpdate.objects.filter(action=bus).count() == 1  # history kept
    assert moved.events.filter(kind="review").exists()


def test_full_review_goes_back_to_understanding(world, reviewing):
    plan, actions = reviewing
    _post(world, plan, actions, complete="1", **{"meeting-kind": "full"})
    assert Plan.objects.get(pk=plan.pk).step == Step.UNDERSTANDING


def test_review_held_gate_item(world, reviewing):
    from actions import gates

    plan, actions = reviewing
    assert gates.review_held(plan) is False
    _post(world, plan, actions, complete="0")
    assert gates.review_held(Plan.objects.get(pk=plan.pk)) is True


def test_only_managers_review(world, reviewing):
    plan, _actions = reviewing
    assert world.client("member").get(reverse("actions:plan_review", kwargs={"pk": plan.pk})
                                      ).status_code == 403


def test_review_page_lists_new_issues(world, reviewing):
    from consultation.models import Issue

    plan, _actions = reviewing
    Issue.objects.create(plan=plan, title="Potholes", description="On Mill Lane")
    page = world.client("chair").get(reverse("actions:plan_review", kwargs={"pk": plan.pk}))
    assert "Potholes" in page.content.decode()

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from clp.exceptions import Refused
from plans import gates, services
from plans.gates import GateItem
from plans.models import EventKind, Plan, PlanStatus
from plans.steps import Step
from tests import factories


def _fresh(plan) -> Plan:
    return Plan.objects.get(pk=plan.pk)  # protected FSM fields cannot refresh_from_db


@pytest.fixture
def new_plan(world):
    plan = factories.PlanFactory(community=world.community)
    for role, persona in [("chair", "chair"), ("secretary", "secretary")]:
        factories.MembershipFactory(plan=plan, user=world.people[persona], role=role)
    return plan


def test_a_new_plan_starts_at_getting_started(new_plan):
    assert new_plan.step == Step.GETTING_STARTED
    assert new_plan.stage_label == "Launch"
    assert new_plan.step_number == 1


def test_the_step_cannot_be_written_outside_a_transition(new_plan):
    with pytest.raises(AttributeError):
        new_plan.step = Step.UNDERSTANDING


def test_advance_is_refused_naming_every_unmet_item(world, new_plan):
    client = world.client("chair")
    response = client.post(reverse("plans:advance", args=[new_plan.pk]),
                           {"expected_step": new_plan.step}, follow=True)
    text = response.text
    assert "The plan cannot move on yet" in text
    for label in ["Open community meeting held and recorded", "Parish or town council informed",
                  "Councillors of each tier told about the plan early"]:
        assert label in text
    assert _fresh(new_plan).step == Step.GETTING_STARTED


def test_plan_moves_on_when_the_gate_is_met(world, new_plan):
    chair = world.people["chair"]
    factories.MeetingFactory(plan=new_plan, attendance=52)
    services.checklist_tick(plan=new_plan, key="parish_council_informed", actor=chair,
                            note="Letter to the clerk")
    services.checklist_tick(plan=new_plan, key="councillors_told", actor=chair)
    client = world.client("chair")
    client.post(reverse("plans:advance", args=[new_plan.pk]), {"expected_step": Step.GETTING_STARTED})
    plan = _fresh(new_plan)
    assert plan.step == Step.STEERING_GROUP
    event = plan.events.filter(kind=EventKind.ADVANCED).get()
    assert (event.from_step, event.to_step, event.actor) == (Step.GETTING_STARTED,
                                                             Step.STEERING_GROUP, chair)


def test_a_support_officer_waiver_counts_and_is_shown(world, new_plan):
    officer_client = world.client("officer")
    response = officer_client.post(reverse("plans:waive", args=[new_plan.pk, "open_meeting"]),
                                   {"reason": "Meeting held last year before CLP."})
    assert response.status_code == 302
    checklist = gates.checklist(new_plan)
    waived = next(s for s in checklist.items if s.item.key == "open_meeting")
    assert waived.met and not waived.done
    history = world.client("chair").get(reverse("plans:history", args=[new_plan.pk])).text
    assert "Marked as not needed: Open community meeting held and recorded" in history
    assert "Meeting held last year before CLP." in history


def test_a_waiver_needs_a_reason(world, new_plan):
    response = world.client("officer").post(
        reverse("plans:waive", args=[new_plan.pk, "open_meeting"]), {"reason": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert not new_plan.checklist_entries.exists()


def test_going_back_needs_a_reason_which_the_history_shows(world, plan):
    client = world.client("secretary")
    url = reverse("plans:revisit", args=[plan.pk])
    response = client.post(url, {"to_step": Step.STEERING_GROUP, "reason": ""})
    assert "There is a problem" in response.text
    assert _fresh(plan).step == Step.TAKING_STOCK
    client.post(url, {"to_step": Step.STEERING_GROUP, "reason": "Our chair stood down."})
    assert _fresh(plan).step == Step.STEERING_GROUP
    history = client.get(reverse("plans:history", args=[plan.pk])).text
    assert "Went back to “Establishing the steering group”" in history
    assert "Our chair stood down." in history


def test_revisit_cannot_jump_forward(world, plan):
    response = world.client("chair").post(reverse("plans:revisit", args=[plan.pk]),
                                          {"to_step": Step.DRAFTING, "reason": "x"})
    assert response.status_code == 200
    assert _fresh(plan).step == Step.TAKING_STOCK


def test_a_paused_plan_cannot_move_on_until_resumed(world, plan):
    chair = world.people["chair"]
    services.plan_set_paused(plan=plan, actor=chair, paused=True)
    assert _fresh(plan).status == PlanStatus.PAUSED
    with pytest.raises(Refused, match="paused"):
        services.plan_advance(plan=_fresh(plan), actor=chair)
    services.plan_set_paused(plan=plan, actor=chair, paused=False)
    assert _fresh(plan).is_active


def test_review_cycle_opens_a_new_version(world):
    reviewing = world.reviewing_plan
    client = world.client("chair")
    client.post(reverse("plans:review", args=[reviewing.pk]),
                {"to_step": Step.PRIORITISING, "reason": "Five years on"})
    plan = _fresh(reviewing)
    assert (plan.step, plan.version) == (Step.PRIORITISING, 2)
    assert plan.events.filter(kind=EventKind.REVIEW).exists()


def test_an_out_of_date_page_cannot_move_the_plan(world, plan):
    chair = world.people["chair"]
    with pytest.raises(Refused, match="already moved to"):
        services.plan_advance(plan=plan, actor=chair, expected_step=Step.GETTING_STARTED)


def test_other_apps_can_add_gate_items_without_plans_importing_them(world, plan):
    chair = world.people["chair"]
    item = GateItem("test_external", Step.TAKING_STOCK, "Something another app checks",
                    check=lambda p: False)
    with gates.registry.override(item):
        for key in ["process_plan", "support_recorded"]:
            services.checklist_waive(plan=plan, key=key, actor=world.people["officer"], reason="t")
        services.checklist_tick(plan=plan, key="evidence_reviewed", actor=chair)
        with pytest.raises(Refused) as refused:
            services.plan_advance(plan=plan, actor=chair)
        assert refused.value.unmet == ["Something another app checks"]
    assert services.plan_advance(plan=plan, actor=chair).step == Step.UNDERSTANDING


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_advances_cannot_skip_a_step(world):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL (CI runs this on PostgreSQL)")
    plan, chair = world.plan, world.people["chair"]
    for key in ["process_plan", "support_recorded", "evidence_reviewed"]:
        services.checklist_waive(plan=plan, key=key, actor=world.people["officer"], reason="t")
    # Make the next step's gate open too, so a second advance would skip a step if it could.
    for key in ["priorities_agreed"]:
        services.checklist_tick(plan=plan, key=key, actor=chair)
    barrier = threading.Barrier(2)
    outcomes = []

    def advance():
        try:
            barrier.wait()
            services.plan_advance(plan=plan, actor=chair, expected_step=Step.TAKING_STOCK)
            outcomes.append("moved")
        except Refused as refused:
            outcomes.append(refused.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=advance) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[0].startswith("This plan has already moved")
    assert outcomes.count("moved") == 1
    assert _fresh(plan).step == Step.UNDERSTANDING
    assert plan.events.filter(kind=EventKind.ADVANCED).count() == 1


def test_closing_a_plan_needs_a_reason_and_stops_it_moving(world, plan):
    client = world.client("chair")
    url = reverse("plans:close", args=[plan.pk])
    response = client.post(url, {"outcome": "abandoned", "reason": ""})
    assert "There is a problem" in response.text
    client.post(url, {"outcome": "abandoned", "reason": "Not enough volunteers."})
    closed = _fresh(plan)
    assert closed.status == PlanStatus.ABANDONED
    with pytest.raises(Refused):
        services.plan_advance(plan=closed, actor=world.people["chair"])
    with pytest.raises(Refused):
        services.plan_set_paused(plan=closed, actor=world.people["chair"], paused=True)
    page = client.get(plan.get_absolute_url()).text
    assert "This plan is abandoned." in page
    assert "Move on to the next step" not in page
    assert client.get(url).status_code == 404


def test_a_community_runs_one_plan_at_a_time(world, plan):
    officer = world.client("officer")
    url = reverse("plans:create", args=[world.community.slug])
    # The test world also has a plan at Reviewing; close both.
    response = officer.post(url, {"title": "Second plan", "start_date": "2026-12-01"}, follow=True)
    assert "already has a plan under way" in response.text
    assert not Plan.objects.filter(title="Second plan").exists()
    for p in (plan, world.reviewing_plan):
        services.plan_close(plan=p, actor=world.people["chair"], outcome="completed", reason="Done")
    officer.post(url, {"title": "Second plan", "start_date": "2026-12-01"})
    assert Plan.objects.get(title="Second plan").step == Step.GETTING_STARTED


def test_an_item_that_is_the_step_itself_cannot_be_waived(world, plan):
    item = GateItem("test_core", Step.TAKING_STOCK, "The step's own work", check=lambda p: False,
                    waivable=False)
    with gates.registry.override(item):
        with pytest.raises(Refused, match="cannot be marked as not needed"):
            services.checklist_waive(plan=plan, key="test_core", actor=world.people["officer"], reason="x")
        url = reverse("plans:waive", args=[plan.pk, "test_core"])
        assert world.client("officer").get(url).status_code == 404
        page = world.client("officer").get(plan.get_absolute_url()).text
        assert "Mark as not needed" in page  # for the other items
        assert page.count("Mark as not needed") == 3

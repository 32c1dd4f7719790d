"""Actions and the SMART check: what is missing is named per action, the check fails then
passes as the group fills the gaps, and volunteers' contact details stay private."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionStatus, Section
from tests.actions.factories import ActionFactory, PriorityFactory

GAPS = {
    "outcome": ("", "no intended outcome"),
    "measure": ("", "no way to measure the outcome"),
    "lead_name": ("", "no community lead"),
    "target_date": (None, "no target date"),
    "partners": ("", "no partner organisation or agency named"),
}


@pytest.mark.parametrize("section", [Section.COMMUNITY, Section.HELP])
@pytest.mark.parametrize("missing", [(), *itertools.combinations(GAPS, 1), ("outcome", "target_date"),
                                     tuple(GAPS)])
def test_smart_check_names_each_gap_and_the_queryset_agrees(db, section, missing):
    action = ActionFactory(priority=PriorityFactory(section=section), lead_contact="",
                           **{field: GAPS[field][0] for field in missing})
    expected = [GAPS[f][1] for f in GAPS if f in missing
                and (f != "partners" or section == Section.HELP)]
    assert action.smart_gaps() == expected
    assert Action.objects.failing_smart().filter(pk=action.pk).exists() == bool(expected)


def test_a_dropped_action_no_longer_needs_to_be_smart(db):
    action = ActionFactory(outcome="", status=ActionStatus.DROPPED)
    assert action.smart_gaps() == []
    assert not Action.objects.failing_smart().exists()


def test_group_sees_the_smart_check_fail_then_pass(world):
    priority = PriorityFactory(plan=world.plan, section=Section.HELP, title="Speeding")
    client = world.client("member")
    url = reverse("actions:action_new", kwargs={"pk": world.plan.pk, "prid": priority.pk})
    response = client.post(url, {"what": "Ask for a 20 mph limit", "update_cadence": "quarterly",
                                 "status": "not_started"}, follow=True)
    assert "To pass the SMART check it still needs: no intended outcome; no way to measure" in response.text
    action = Action.objects.get()
    plan_page = client.get(reverse("actions:plan", kwargs={"pk": world.plan.pk}))
    assert "SMART check: 1 thing to fix" in plan_page.text
    assert "“Ask for a 20 mph limit” has no intended outcome" in plan_page.text

    edit = reverse("actions:action_edit", kwargs={"pk": world.plan.pk, "prid": priority.pk,
                                                  "aid": action.pk})
    response = client.post(edit, {
        "what": "Ask for a 20 mph limit", "outcome": "Safer walk to school",
        "measure": "Speed survey average under 25 mph", "lead_user": world.people["member"].pk,
        "partners": "County highways", "target_date": (timezone.localdate() + timedelta(90)).isoformat(),
        "update_cadence": "quarterly", "status": "in_progress",
    }, follow=True)
    assert "It passes the SMART check." in response.text
    assert Action.objects.get().lead_label == str(world.people["member"])
    assert "SMART check:" not in client.get(reverse("actions:plan", kwargs={"pk": world.plan.pk})).text


def test_contradictions_are_errors_beside_the_field_and_input_is_kept(world):
    priority = PriorityFactory(plan=world.plan)
    url = reverse("actions:action_new", kwargs={"pk": world.plan.pk, "prid": priority.pk})
    today = timezone.localdate()
    response = world.client("member").post(url, {
        "what": "Litter pick", "start_date": today.isoformat(),
        "target_date": (today - timedelta(days=3)).isoformat(), "lead_contact": "07700 900000",
        "cost_estimate": "-5", "update_cadence": "monthly", "status": "not_started",
    })
    assert response.status_code == 200
    for message in ["The target date must be on or after the start date",
                    "Enter the volunteer&#x27;s name", "The cost estimate cannot be negative"]:
        assert message in response.text
    assert 'value="Litter pick"' in response.text
    assert not Action.objects.exists()


def test_only_current_members_can_be_chosen_as_lead(world):
    priority = PriorityFactory(plan=world.plan)
    url = reverse("actions:action_new", kwargs={"pk": world.plan.pk, "prid": priority.pk})
    response = world.client("member").post(url, {"what": "x", "lead_user": world.people["outsider"].pk,
                                                  "update_cadence": "monthly", "status": "not_started"})
    assert "Select a valid choice" in response.text


def test_volunteer_contact_details_are_private_to_the_group_and_officers(world):
    ActionFactory(priority=PriorityFactory(plan=world.plan, section=Section.HELP),
                  lead_name="Jo Volunteer", lead_contact="07700 900123")
    url = reverse("actions:priority", kwargs={"pk": world.plan.pk,
                                              "prid": world.plan.priorities.get().pk})
    for persona, sees in [("member", True), ("officer", True), ("councillor", False)]:
        text = world.client(persona).get(url).text
        assert "Jo Volunteer" in text
        assert ("07700 900123" in text) is sees, persona


def test_editing_an_action_posts_back_to_its_own_page(world):
    """The shared form template reads `action` as the form's address: the view must not pass one."""
    action = ActionFactory(priority=PriorityFactory(plan=world.plan), what="Litter pick")
    url = reverse("actions:action_edit", kwargs={"pk": world.plan.pk, "prid": action.priority_id,
                                                 "aid": action.pk})
    page = world.client("member").get(url).text
    main = page[page.index("<main"):]
    form_tag = main[main.index("<form method=\"post\" "):].split(">", 1)[0]
    assert "action=" not in form_tag and "novalidate" in form_tag

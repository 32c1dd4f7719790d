"""The Finalising gate, the frozen version and what changed between versions."""

import pytest
from django.urls import reverse

from actions import services, versions
from actions.models import Action, ActionStatus, FrozenVersionError, PlanVersion, Priority, Section
from clp.exceptions import Refused
from plans import services as plan_services
from plans.gates import checklist
from plans.models import Plan, PlanStatus
from plans.steps import Step
from tests import factories
from tests.actions.factories import ActionFactory, PriorityFactory


@pytest.fixture
def finalising(world):
    """The world's steering group and councillor, on a plan at step 7 with a SMART action plan."""
    plan = factories.PlanFactory(community=factories.CommunityFactory(), step=Step.FINALISING,
                                 vision="A village where everyone can get about safely.")
    for persona, role in [("chair", "chair"), ("member", "member")]:
        factories.MembershipFactory(plan=plan, user=world.people[persona], role=role)
    profile = world.people["councillor"].councillor_profile
    plan_services.councillor_attach(plan=plan, councillor=profile, actor=world.people["chair"])
    help_needed = PriorityFactory(plan=plan, section=Section.HELP, title="Speeding", rank=1)
    ours = PriorityFactory(plan=plan, section=Section.COMMUNITY, title="Litter", rank=1)
    ActionFactory(priority=help_needed, what="Ask for a 20 mph limit")
    ActionFactory(priority=ours, what="Monthly litter pick", partners="")
    plan_services.checklist_tick(plan=plan, key="plan_adopted", actor=world.people["chair"])
    world.finalising = plan
    world.help_needed, world.ours, world.profile = help_needed, ours, profile
    return world


def _unmet(plan):
    return [s.item.key for s in checklist(Plan.objects.get(pk=plan.pk), Step.FINALISING).unmet]


def _endorse(w):
    services.endorsement_record(priority=w.help_needed, councillor=w.profile, decision="endorse",
                                comment="", actor=w.profile.user)


def test_gate_waits_for_section_two_endorsement_and_smart_actions(finalising):
    plan = finalising.finalising
    assert _unmet(plan) == ["section_two_endorsed", "plan_version_frozen"]
    services.endorsement_record(priority=finalising.help_needed, councillor=finalising.profile,
                                decision="decline", comment="", actor=finalising.profile.user)
    assert "section_two_endorsed" in _unmet(plan)  # a decline is not an endorsement
    _endorse(finalising)
    assert _unmet(plan) == ["plan_version_frozen"]
    Action.objects.filter(what="Monthly litter pick").update(target_date=None)
    assert "actions_smart" in _unmet(plan)
    Action.objects.filter(what="Monthly litter pick").update(status=ActionStatus.DROPPED)
    assert "actions_smart" in _unmet(plan)  # the litter priority has no live action now
    ActionFactory(priority=finalising.ours)
    assert _unmet(plan) == ["plan_version_frozen"]
    detail = finalising.client("chair").get(plan.get_absolute_url())
    assert "Every section 2 priority endorsed by a councillor" in detail.text
    assert "Plan version frozen" in detail.text


def test_an_empty_action_plan_cannot_be_finalised(world):
    plan = factories.PlanFactory(step=Step.FINALISING)
    assert "actions_smart" in _unmet(plan)


def test_finalise_refuses_naming_what_is_missing_and_freezes_nothing(finalising):
    plan = finalising.finalising
    response = finalising.client("chair").post(reverse("actions:finalise", kwargs={"pk": plan.pk}),
                                               follow=True)
    assert "The plan cannot be finalised yet. Still to do: Every section 2 priority endorsed" in response.text
    assert not PlanVersion.objects.exists()
    assert Plan.objects.get(pk=plan.pk).step == Step.FINALISING


def test_a_support_officer_can_waive_both_with_a_reason(finalising):
    plan = finalising.finalising
    Action.objects.filter(what="Monthly litter pick").update(lead_name="")
    officer = factories.UserFactory()
    for key in ("section_two_endorsed", "actions_smart"):
        plan_services.checklist_waive(plan=plan, key=key, actor=officer, reason="Agreed at the AGM")
    version = services.plan_finalise(plan=plan, actor=finalising.people["chair"])
    assert version.number == 1


def test_generic_move_on_cannot_skip_freezing_the_version(finalising):
    _endorse(finalising)
    with pytest.raises(Refused) as refused:
        plan_services.plan_advance(plan=finalising.finalising, actor=finalising.people["chair"])
    assert [str(label) for label in refused.value.unmet] == ["Plan version frozen"]


def test_chair_finalises_v1_and_the_plan_moves_to_implementing(finalising):
    plan = finalising.finalising
    _endorse(finalising)
    response = finalising.client("chair").post(reverse("actions:finalise", kwargs={"pk": plan.pk}))
    version = PlanVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == version.get_absolute_url()
    assert Plan.objects.get(pk=plan.pk).step == Step.IMPLEMENTING
    assert version.number == 1 and version.frozen_by == finalising.people["chair"]
    speeding = next(p for p in version.data["priorities"] if p["title"] == "Speeding")
    assert speeding["section"] == 2 and speeding["actions"][0]["what"] == "Ask for a 20 mph limit"
    assert speeding["support"][0]["decision"] == "endorse"
    assert "07700" not in str(version.data)  # volunteers' contact details are never frozen
    page = finalising.client("councillor").get(version.get_absolute_url())
    assert "Ask for a 20 mph limit" in page.text and "A village where everyone" in page.text


def test_an_edit_after_finalising_does_not_change_v1(finalising):
    plan = finalising.finalising
    _endorse(finalising)
    services.plan_finalise(plan=plan, actor=finalising.people["chair"])
    frozen = PlanVersion.objects.get().data
    chair = finalising.people["chair"]

    speeding = Priority.objects.get(title="Speeding")
    speeding.title = "Speeding and lorries"
    services.priority_update(priority=speeding, old_section=Section.HELP, changed=["title"], actor=chair)
    action = Action.objects.get(what="Ask for a 20 mph limit")
    action.status = ActionStatus.DONE
    services.action_save(action=action, created=False, actor=chair)
    services.priority_delete(priority=Priority.objects.get(title="Litter"), actor=chair)
    services.priority_create(plan=plan, fields={"title": "Allotments", "why": "Waiting list.",
                                                "section": Section.COMMUNITY}, actor=chair)

    assert PlanVersion.objects.get().data == frozen
    page = finalising.client("member").get(reverse("actions:version", kwargs={"pk": plan.pk, "number": 1}))
    assert "Speeding and lorries" not in page.text and "Litter" in page.text
    changes = finalising.client("member").get(reverse("actions:versions", kwargs={"pk": plan.pk}))
    assert "Changes since version 1 (not yet frozen)" in changes.text
    assert "Priority added: “Allotments”" in changes.text
    assert "Priority removed: “Litter”" in changes.text
    assert "Action completed (“Speeding and lorries”): Ask for a 20 mph limit" in changes.text


def test_a_frozen_version_cannot_be_saved_again_or_deleted(finalising):
    _endorse(finalising)
    version = services.plan_finalise(plan=finalising.finalising, actor=finalising.people["chair"])
    version.data = {"priorities": []}
    with pytest.raises(FrozenVersionError):
        version.save()
    with pytest.raises(FrozenVersionError):
        version.delete()


def test_nothing_is_frozen_when_the_plan_cannot_move_on(finalising):
    plan = finalising.finalising
    _endorse(finalising)
    plan_services.plan_set_paused(plan=plan, actor=finalising.people["chair"], paused=True)
    with pytest.raises(Refused):
        services.plan_finalise(plan=plan, actor=finalising.people["chair"])
    assert not PlanVersion.objects.exists()
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.PAUSED


def test_finalise_is_refused_at_another_step(world):
    with pytest.raises(Refused, match="finalised at step 7"):
        services.plan_finalise(plan=world.plan, actor=world.people["chair"])


def test_diff_names_priorities_and_actions_added_removed_reranked_and_completed():
    def p(pid, rank, section=1, actions=()):
        return {"id": pid, "title": f"P{pid}", "section": section, "rank": rank,
                "actions": [{"id": a, "what": f"A{a}", "status": s} for a, s in actions]}

    old = {"priorities": [p(1, 1, actions=[(10, "in_progress"), (11, "not_started")]), p(2, 2),
                          p(3, 3)]}
    new = {"priorities": [p(2, 1), p(1, 2, actions=[(10, "done"), (12, "not_started")]),
                          p(4, 1, section=2)]}
    kinds = sorted((c.kind, c.text) for c in versions.diff(old, new))
    assert kinds == sorted([
        ("reranked", "Priority “P2” moved from section 1, number 2 to section 1, number 1"),
        ("reranked", "Priority “P1” moved from section 1, number 1 to section 1, number 2"),
        ("completed", "Action completed (“P1”): A10"),
        ("action_added", "Action added to “P1”: A12"),
        ("action_removed", "Action removed from “P1”: A11"),
        ("added", "Priority added: “P4” (section 2, number 1)"),
        ("removed", "Priority removed: “P3”"),
    ])


def test_version_history_shows_changes_between_frozen_versions(finalising):
    plan = finalising.finalising
    _endorse(finalising)
    services.plan_finalise(plan=plan, actor=finalising.people["chair"])
    services.priority_create(plan=plan, fields={"title": "Allotments", "why": "Waiting list.",
                                                "section": Section.COMMUNITY},
                             actor=finalising.people["chair"])
    # A review cycle makes version 2, which is frozen in turn.
    PlanVersion.objects.create(plan=plan, number=2, data=versions.snapshot(plan))
    page = finalising.client("member").get(reverse("actions:versions", kwargs={"pk": plan.pk}))
    assert "What changed since version 1" in page.text
    assert "Priority added: “Allotments” (section 1, number 2)" in page.text

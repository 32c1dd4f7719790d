import io

from django.core.management import call_command

from actions.models import Action, Endorsement, EndorsementRequest, Message, PlanVersion, Priority
from plans.gates import checklist
from plans.models import Plan
from plans.steps import Step


def test_seed_demo_gives_agree_and_deliver_plans_realistic_action_plans_once(db):
    call_command("seed_demo", stdout=io.StringIO())
    counts = [m.objects.count() for m in (Priority, Action, Endorsement, EndorsementRequest, PlanVersion)]
    call_command("seed_demo", stdout=io.StringIO())
    assert [m.objects.count() for m in (Priority, Action, Endorsement, EndorsementRequest,
                                        PlanVersion)] == counts

    cheriton = Plan.objects.get(community__slug="cheriton-market")
    assert set(cheriton.priorities.values_list("section", flat=True)) == {1, 2}
    awaited = cheriton.priorities.filter(section=2).exclude(endorsements__is_current=True)
    assert awaited.exists()  # some endorsements still pending
    assert Message.objects.filter(priority__plan=cheriton, from_councillor=True).exists()
    assert Action.objects.filter(priority__plan=cheriton).failing_smart().exists()

    eastfield = Plan.objects.get(community__slug="eastfield-ward")
    assert eastfield.step == Step.IMPLEMENTING
    v1 = eastfield.versions.get()
    assert v1.number == 1 and len(v1.data["priorities"]) == eastfield.priorities.count()
    final_gate = checklist(eastfield, Step.FINALISING)
    assert all(state.done for state in final_gate.items if state.item.key != "plan_adopted")

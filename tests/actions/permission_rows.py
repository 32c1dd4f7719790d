"""Permission rows for every action plan URL (merged into tests/permissions.py)."""

from django.utils import timezone

from actions.models import DraftComment, DraftPlan, Message, PlanVersion, Section
from tests.actions.factories import ActionFactory, PriorityFactory
from tests.permissions import (
    EDIT_PLAN,
    INVITE_TO_PLAN,
    MANAGE_PLAN,
    PLAN_VIEWERS,
    POST_EDIT,
    POST_MANAGE,
    PUBLIC,
    VIEW_PLAN,
    Row,
    expect,
)

# Only a councillor attached to the plan responds; others who see the plan get 403.
RESPOND = expect({"councillor"}, visible=PLAN_VIEWERS - {"councillor"})


def plan(w):
    return {"pk": w.plan.pk}


def priority(w):
    return {"pk": w.plan.pk, "prid": w.priority.pk}


def action(w):
    return {**priority(w), "aid": w.action.pk}


def extend_world(world) -> None:
    chair = world.people["chair"]
    world.priority = PriorityFactory(plan=world.plan, section=Section.HELP, title="Speeding")
    world.other_priority = PriorityFactory(plan=world.plan, section=Section.HELP, title="Buses")
    world.action = ActionFactory(priority=world.priority)
    world.councillor_profile = world.people["councillor"].councillor_profile
    Message.objects.create(priority=world.priority, councillor=world.councillor_profile,
                           from_councillor=True, body="Who owns the road?",
                           author=world.people["councillor"])
    DraftPlan.objects.create(plan=world.plan, published_at=timezone.now(), published_by=chair)
    world.comment = DraftComment.objects.create(plan=world.plan, body="Please add the footpath.")
    PlanVersion.objects.create(plan=world.plan, number=1, data={"title": "v1", "priorities": []},
                               frozen_by=chair)


ROWS = {
    "actions:plan": Row(plan, VIEW_PLAN),
    "actions:priority_new": Row(plan, EDIT_PLAN),
    "actions:priorities_reorder": Row(plan, POST_EDIT, method="post",
                                      data=lambda w: {"section": "2", "order": ""}),
    "actions:prioritise": Row(plan, VIEW_PLAN),
    "actions:prioritise_decide": Row(lambda w: {"pk": w.plan.pk, "section": 2}, EDIT_PLAN),
    "actions:priority": Row(priority, VIEW_PLAN),
    "actions:priority_edit": Row(priority, EDIT_PLAN),
    "actions:priority_delete": Row(priority, EDIT_PLAN),
    "actions:priority_move": Row(priority, POST_EDIT, method="post",
                                 data=lambda w: {"direction": "down"}),
    "actions:action_new": Row(priority, EDIT_PLAN),
    "actions:action_edit": Row(action, EDIT_PLAN),
    "actions:action_delete": Row(action, EDIT_PLAN),
    "actions:reply": Row(lambda w: {**priority(w), "cid": w.councillor_profile.pk}, EDIT_PLAN),
    "actions:endorsements": Row(plan, VIEW_PLAN),
    "actions:request_new": Row(plan, INVITE_TO_PLAN),
    "actions:review": Row(plan, RESPOND),
    "actions:respond": Row(priority, RESPOND),
    "actions:draft": Row(plan, VIEW_PLAN),
    "actions:draft_edit": Row(plan, EDIT_PLAN),
    "actions:draft_publish": Row(plan, POST_MANAGE, method="post", data=lambda w: {"publish": "1"}),
    "actions:comments": Row(plan, MANAGE_PLAN),
    "actions:comment_moderate": Row(lambda w: {"pk": w.plan.pk, "cid": w.comment.pk}, POST_MANAGE,
                                    method="post", data=lambda w: {"decision": "approve"}),
    "actions:finalise": Row(plan, MANAGE_PLAN),
    "actions:versions": Row(plan, VIEW_PLAN),
    "actions:version": Row(lambda w: {"pk": w.plan.pk, "number": 1}, VIEW_PLAN),
    "actions:public_draft": Row(plan, PUBLIC),
    "actions:public_adopted": Row(plan, PUBLIC),
}

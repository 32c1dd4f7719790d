"""Plan versions: the action plan as plain data, and what changed from one version to the next.

A snapshot holds what the published plan shows (never a volunteer's contact details), keyed by
the ids of priorities and actions so that renamed items are still recognised between versions.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import ActionStatus, DraftPlan, Section
from actions.summary import load_action_plan

SCHEMA = 1


def snapshot(plan) -> dict:
    """The whole action plan of `plan` as it stands now, as JSON-ready data."""
    draft = DraftPlan.objects.filter(plan=plan).first()
    return {
        "schema": SCHEMA,
        "taken_at": timezone.now().isoformat(),
        "title": plan.title,
        "vision": plan.vision,
        "monitoring": draft.monitoring if draft else "",
        "priorities": [_priority(p) for p in load_action_plan(plan)],
    }


def _priority(priority) -> dict:
    return {
        "id": priority.pk,
        "title": priority.title,
        "why": priority.why,
        "theme": priority.theme,
        "section": priority.section,
        "rank": priority.position,
        "quick_win": priority.is_quick_win,
        "long_term": priority.is_long_term,
        "long_term_note": priority.long_term_note,
        "actions": [_action(a) for a in priority.actions.all()],
        "support": [
            {"councillor": e.councillor.short_name, "tier": e.councillor.get_tier_display(),
             "decision": e.decision, "decision_label": e.get_decision_display(),
             "at": e.at.isoformat()}
            for tier in priority.support_by_tier for e in tier.decisions
        ],
    }


def _action(action) -> dict:
    return {
        "id": action.pk,
        "what": action.what,
        "outcome": action.outcome,
        "measure": action.measure,
        "lead": action.lead_label,
        "partners": action.partners,
        "start": action.start_date.isoformat() if action.start_date else None,
        "target": action.target_date.isoformat() if action.target_date else None,
        "cost": str(action.cost_estimate) if action.cost_estimate is not None else None,
        "funding": action.funding_source,
        "cadence": action.get_update_cadence_display(),
        "status": action.status,
        "status_label": action.get_status_display(),
    }


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, reranked, action_added, action_removed, completed
    text: str


def _place(p: dict) -> str:
    return _("section %(s)s, number %(n)s") % {"s": p["section"], "n": p["rank"]}


def diff(old: dict, new: dict) -> list[Change]:
    """Priorities and actions added, removed, re-ranked and completed between two snapshots."""
    before = {p["id"]: p for p in old["priorities"]}
    after = {p["id"]: p for p in new["priorities"]}
    changes = []
    for pid, p in after.items():
        if pid not in before:
            changes.append(Change("added", _("Priority added: “%(t)s” (%(place)s)")
                                  % {"t": p["title"], "place": _place(p)}))
            continue
        was = before[pid]
        if (was["section"], was["rank"]) != (p["section"], p["rank"]):
            changes.append(Change("reranked", _("Priority “%(t)s” moved from %(a)s to %(b)s")
                                  % {"t": p["title"], "a": _place(was), "b": _place(p)}))
        changes += _action_changes(p, was)
    for pid, p in before.items():
        if pid not in after:
            changes.append(Change("removed", _("Priority removed: “%(t)s”") % {"t": p["title"]}))
    return changes


def _action_changes(p: dict, was: dict) -> list[Change]:
    changes = []
    old_actions = {a["id"]: a for a in was["actions"]}
    new_actions = {a["id"]: a for a in p["actions"]}
    for aid, a in new_actions.items():
        if aid not in old_actions:
            changes.append(Change("action_added", _("Action added to “%(p)s”: %(a)s")
                                  % {"p": p["title"], "a": a["what"]}))
        elif a["status"] == ActionStatus.DONE and old_actions[aid]["status"] != ActionStatus.DONE:
            changes.append(Change("completed", _("Action completed (“%(p)s”): %(a)s")
                                  % {"p": p["title"], "a": a["what"]}))
    for aid, a in old_actions.items():
        if aid not in new_actions:
            changes.append(Change("action_removed", _("Action removed from “%(p)s”: %(a)s")
                                  % {"p": p["title"], "a": a["what"]}))
    return changes


def sections_of(data: dict) -> list[dict]:
    """A snapshot's priorities grouped by section, for showing a frozen version."""
    return [{"number": s.value, "label": s.label,
             "priorities": [p for p in data["priorities"] if p["section"] == s.value]}
            for s in Section]

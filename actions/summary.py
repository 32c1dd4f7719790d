"""Loading the action plan once per page, with each priority's councillor support by tier.

Pages that show many priorities call `load_action_plan`; it runs a fixed number of queries
whatever the plan's size, and attaches what the templates need to each priority.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from actions.models import Action, Endorsement, EndorsementRequest, Priority, Section
from clp.models import CouncilTier

TIER_ORDER = {tier: i for i, tier in enumerate(CouncilTier.values)}


@dataclass
class TierSupport:
    tier: str
    label: str
    decisions: list = field(default_factory=list)  # current Endorsement rows
    awaited: list = field(default_factory=list)  # CouncillorProfiles asked, no decision yet


@dataclass
class SectionOfPlan:
    number: int
    label: str
    priorities: list


def load_action_plan(plan, *, with_support: bool = True) -> list[Priority]:
    """Every priority of the plan in plan order, with actions, lead and support attached."""
    actions = Action.objects.select_related("lead_user").order_by("position", "pk")
    queryset = Priority.objects.filter(plan=plan).in_plan_order().prefetch_related(
        Prefetch("actions", queryset=actions))
    if with_support:
        current = Endorsement.objects.current().select_related("councillor__user")
        queryset = queryset.prefetch_related(Prefetch("endorsements", queryset=current,
                                                      to_attr="current_endorsements"))
    priorities = list(queryset)
    requests = []
    if with_support:
        requests = list(EndorsementRequest.objects.filter(plan=plan)
                        .select_related("councillor__user"))
    for priority in priorities:
        for action in priority.actions.all():
            action.priority = priority  # the SMART check reads the section without a query
        if with_support:
            attach_support(priority, requests)
    _number(priorities)
    return priorities


def _number(priorities) -> None:
    counters = {}
    for priority in priorities:
        counters[priority.section] = counters.get(priority.section, 0) + 1
        priority.position = counters[priority.section]


def attach_support(priority, requests) -> None:
    """Group current decisions by tier; for section 2, list councillors asked who have not
    decided yet."""
    decided = {e.councillor_id for e in priority.current_endorsements}
    tiers: dict[str, TierSupport] = {}

    def tier_of(profile) -> TierSupport:
        if profile.tier not in tiers:
            tiers[profile.tier] = TierSupport(profile.tier, profile.get_tier_display())
        return tiers[profile.tier]

    for endorsement in priority.current_endorsements:
        tier_of(endorsement.councillor).decisions.append(endorsement)
    if priority.needs_help:
        for request in requests:
            if request.councillor_id not in decided:
                tier_of(request.councillor).awaited.append(request.councillor)
    priority.support_by_tier = sorted(tiers.values(), key=lambda t: TIER_ORDER.get(t.tier, 99))
    priority.is_endorsed = any(e.is_positive for e in priority.current_endorsements)
    priority.awaited_count = sum(len(t.awaited) for t in priority.support_by_tier)


def by_section(priorities) -> list[SectionOfPlan]:
    """Priorities per section, each knowing whether it can move up or down (quick wins stay
    above the rest, so a priority only swaps with a neighbour of the same kind)."""
    sections = [SectionOfPlan(s.value, s.label, [p for p in priorities if p.section == s.value])
                for s in Section]
    for section in sections:
        items = section.priorities
        for i, priority in enumerate(items):
            priority.can_move_up = i > 0 and items[i - 1].is_quick_win == priority.is_quick_win
            priority.can_move_down = (i + 1 < len(items)
                                      and items[i + 1].is_quick_win == priority.is_quick_win)
    return sections


def smart_problems(priorities) -> list[dict]:
    """What stops the action plan being SMART: priorities with no action, actions with gaps."""
    problems = []
    for priority in priorities:
        actions = list(priority.actions.all())
        if not any(a.status != "dropped" for a in actions):
            problems.append({"priority": priority, "action": None, "gaps": []})
        for action in actions:
            gaps = action.smart_gaps()
            if gaps:
                problems.append({"priority": priority, "action": action, "gaps": gaps})
    return problems


def consulted_surveys(plan) -> list:
    """How we consulted: every survey that has been opened, with its sent responses."""
    from consultation.models import Survey, SurveyStatus

    surveys = list(Survey.objects.filter(plan=plan).exclude(status=SurveyStatus.DRAFT)
                   .with_response_counts().order_by("opened_at", "pk"))
    households = plan.community.households
    for survey in surveys:
        survey.household_share = (round(100 * survey.response_count / households)
                                  if households else None)
    return surveys

"""Loading the plan's delivery once per page: every action with its computed health, and the
plan-level figures (RAG summary, quick wins achieved, self-delivery against the 47% reference).

Runs a fixed number of queries whatever the plan's size.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from actions import health
from actions.models import Action, Priority, ProgressUpdate, Section, UpdateStatus

# ACRE's guidance (shared/domain/002, "A Community Plan is...", "About the communities taking
# action themselves"): the figure shown beside the plan's own self-delivery share.
EAST_OF_ENGLAND_SHARE = 47
EAST_OF_ENGLAND_SENTENCE = ("Evidence from the East of England has shown that rural communities "
                            "were able to implement 47% of proposed action without help from "
                            "external agencies.")


@dataclass
class Delivery:
    priorities: list
    actions: list
    rag: dict = field(default_factory=dict)
    overdue: list = field(default_factory=list)
    stalled: list = field(default_factory=list)
    flagged: list = field(default_factory=list)  # no owner or declined
    waiting: list = field(default_factory=list)
    help_requested: list = field(default_factory=list)
    quick_wins_done: list = field(default_factory=list)
    done_by_section: dict = field(default_factory=dict)

    @property
    def self_delivery_share(self) -> int | None:
        """Of the completed actions, the share the community did itself (section 1)."""
        total = sum(self.done_by_section.values())
        return round(100 * self.done_by_section.get(Section.COMMUNITY, 0) / total) if total else None


def load_delivery(plan, *, with_history: bool = False) -> Delivery:
    """Every priority and action of the plan, each action with `flags` and `rag` attached."""
    actions = Action.objects.select_related("lead_user", "partner_body", "latest_update__by").order_by(
        "position", "pk")
    if with_history:
        actions = actions.prefetch_related(Prefetch(
            "updates", queryset=ProgressUpdate.objects.order_by("-at", "-pk"), to_attr="history"))
    priorities = list(Priority.objects.filter(plan=plan).in_plan_order().prefetch_related(
        Prefetch("actions", queryset=actions)))
    now, today = timezone.now(), timezone.localdate()
    result = Delivery(priorities=priorities, actions=[],
                      rag=dict.fromkeys(["red", "amber", "green", "done", "dropped"], 0),
                      done_by_section={Section.COMMUNITY: 0, Section.HELP: 0})
    for priority in priorities:
        for action in priority.actions.all():
            action.priority = priority
            action.flags = action.health(now, today)
            action.rag = health.rag(action, action.flags)
            _file(result, action)
    return result


def _file(result: Delivery, action) -> None:
    result.actions.append(action)
    result.rag[action.rag] += 1
    flags = set(action.flags)
    if health.Flag.OVERDUE in flags:
        result.overdue.append(action)
    if health.Flag.STALLED in flags:
        result.stalled.append(action)
    if flags & {health.Flag.NO_OWNER, health.Flag.DECLINED}:
        result.flagged.append(action)
    if health.Flag.WAITING_ON_PARTNER in flags:
        result.waiting.append(action)
    if health.Flag.HELP_REQUESTED in flags:
        result.help_requested.append(action)
    if action.progress == UpdateStatus.DONE:
        result.done_by_section[action.priority.section] += 1
        if action.priority.is_quick_win:
            result.quick_wins_done.append(action)


def review_due_on(plan):
    """A year after the current version was frozen or the last review was recorded."""
    latest_review = plan.reviews.filter(completed_at__isnull=False).order_by("-completed_at").first()
    frozen = plan.versions.order_by("-number").first()
    moments = [m for m in (latest_review and latest_review.completed_at,
                           frozen and frozen.frozen_at) if m]
    return health.review_due_on(timezone.localdate(max(moments))) if moments else None

"""Gate checklists: what must be true before a plan moves on from each step.

Items are either ticked by the group (`manual`) or computed from data. Later apps register their
own computed items for the steps they own (e.g. consultation for Understanding your community)
with `register`, so `plans` never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from clp.registry import Registry
from plans.steps import Step


@dataclass(frozen=True)
class GateItem:
    key: str
    step: str
    label: str
    help: str = ""
    # None for items the group ticks; otherwise a function of the plan returning True when met.
    check: Callable[[object], bool] | None = None
    # Where to go to do something about it: a function of the plan returning a URL, or None.
    link: Callable[[object], str] | None = None
    # The permission that link's page needs, if not every viewer of the plan may follow it.
    link_perm: str = ""
    # False for items that are the step itself (e.g. freezing the plan version): never waived.
    waivable: bool = True
    # For a computed item, the same rule as `check` as a condition on a Plan queryset (a function
    # returning a Q or boolean expression), so many plans are checked in one query (`met_among`).
    met_when: Callable[[], object] | None = None

    @property
    def is_manual(self) -> bool:
        return self.check is None


@dataclass
class ItemState:
    item: GateItem
    done: bool
    entry: object | None = None  # the tick, if ticked
    waiver: object | None = None
    url: str = ""

    @property
    def met(self) -> bool:
        return self.done or self.waiver is not None


@dataclass
class Checklist:
    step: str
    items: list[ItemState] = field(default_factory=list)

    @property
    def unmet(self) -> list[ItemState]:
        return [s for s in self.items if not s.met]

    @property
    def is_met(self) -> bool:
        return not self.unmet


registry: Registry[GateItem] = Registry("gate item")
register = registry.register
get_item = registry.get


def items_for(step: str) -> list[GateItem]:
    return [item for item in registry if item.step == step]


def checklist(plan, step: str | None = None, *, viewer=None) -> Checklist:
    """The step's items; given a viewer, links they may not follow are left out."""
    from plans.models import ChecklistEntry

    step = step or plan.step
    entries = {(e.key, e.kind): e for e in _entries_counted(plan, step)}
    result = Checklist(step=step)
    for item in items_for(step):
        tick = entries.get((item.key, ChecklistEntry.Kind.TICK))
        waiver = entries.get((item.key, ChecklistEntry.Kind.WAIVER))
        done = tick is not None if item.is_manual else bool(item.check(plan))
        followable = viewer is None or not item.link_perm or viewer.has_perm(item.link_perm, plan)
        url = item.link(plan) if item.link and followable else ""
        result.items.append(ItemState(item=item, done=done, entry=tick, waiver=waiver, url=url))
    return result


def met_among(plan_ids) -> dict[int, set[str]]:
    """The computed items of each plan's own step that are met, for every item with a `met_when`
    (items without one are left out): one query however many plans."""
    from django.db.models import BooleanField, Case, Q, Value, When

    from plans.models import Plan

    items = [i for i in registry if i.met_when is not None]
    conditions = {f"met_{n}": Case(When(Q(step=item.step) & item.met_when(), then=Value(True)),
                                   default=Value(False), output_field=BooleanField())
                  for n, item in enumerate(items)}
    met = {}
    for row in (Plan.objects.filter(pk__in=plan_ids).order_by().annotate(**conditions)
                .values("pk", *conditions)):
        met[row["pk"]] = {item.key for n, item in enumerate(items) if row[f"met_{n}"]}
    return met


def _entries_counted(plan, step: str) -> list:
    """Ticks and waivers that count for `step`: a review cycle redoes the steps from where it
    restarts, so there only this cycle's entries count."""
    from plans import steps

    entries = list(plan.checklist_entries.all())
    if plan.cycle_started_at is None or steps.number(step) < steps.number(steps.REVIEW_RESTART_STEPS[0]):
        return entries
    return [e for e in entries if e.at >= plan.cycle_started_at]


def _url(name: str) -> Callable[[object], str]:
    from django.urls import reverse

    return lambda plan: reverse(name, kwargs={"pk": plan.pk})


def register_builtin_items() -> None:
    from plans import checks

    items = [
        GateItem("open_meeting", Step.GETTING_STARTED, _("Open community meeting held and recorded"),
                 _("Hold a meeting open to everyone to explain the plan and ask for support. Record it "
                   "under Meetings and events as an open community meeting, with how many people came "
                   "(edit a planned meeting afterwards to add the number)."),
                 checks.open_meeting_recorded, _url("plans:meetings"),
                 met_when=checks.open_meeting_recorded_where),
        GateItem("parish_council_informed", Step.GETTING_STARTED,
                 _("Parish or town council informed and on board"),
                 _("Write to the clerk or speak at a council meeting. Tick this when the council has "
                   "agreed to support the plan; add a link to the minutes if you have one.")),
        GateItem("councillors_told", Step.GETTING_STARTED,
                 _("Councillors of each tier told about the plan early"),
                 _("Tell your parish or town, district or borough and county councillors now: you will "
                   "need their help with some priorities later.")),
        GateItem("three_members", Step.STEERING_GROUP, _("At least 3 active steering group members"),
                 check=checks.has_three_members, link=_url("plans:members"),
                 met_when=checks.has_three_members_where),
        GateItem("has_chair", Step.STEERING_GROUP, _("The steering group has a chair"),
                 check=checks.has_chair, link=_url("plans:members"), met_when=checks.has_chair_where),
        GateItem("terms_of_reference", Step.STEERING_GROUP, _("Terms of reference written"),
                 check=checks.has_terms_of_reference, link=_url("plans:edit"),
                 met_when=checks.has_terms_of_reference_where),
        GateItem("councillors_invited", Step.STEERING_GROUP,
                 _("Councillors from the tiers that matter invited"),
                 _("Attach or invite at least one councillor to the plan."),
                 checks.councillors_invited, _url("plans:members"),
                 met_when=checks.councillors_invited_where),
        GateItem("process_plan", Step.TAKING_STOCK,
                 _("Process plan with at least 3 milestones and dates"),
                 check=checks.has_process_plan, link=_url("plans:milestones"),
                 met_when=checks.has_process_plan_where),
        GateItem("support_recorded", Step.TAKING_STOCK, _("Support and funding sources recorded"),
                 check=checks.has_support_sources, link=_url("plans:support"),
                 met_when=checks.has_support_sources_where),
        GateItem("evidence_reviewed", Step.TAKING_STOCK, _("Existing evidence gathered and reviewed"),
                 _("Add what already exists (census, earlier surveys) to the evidence library, "
                   "then tick this when the group has looked at it."),
                 link=_url("plans:evidence")),
        GateItem("priorities_agreed", Step.PRIORITISING,
                 _("Priorities agreed at a steering group meeting"),
                 _("Tick this when the group has agreed its priorities; link to the minutes.")),
        GateItem("draft_consulted", Step.DRAFTING,
                 _("Draft plan shared with residents, the parish council and service providers"),
                 _("Give people a few weeks to comment, and say what changed as a result.")),
        GateItem("plan_adopted", Step.FINALISING, _("Plan adopted by the parish or town council"),
                 _("Link to the council minutes that record the adoption.")),
        GateItem("first_review", Step.IMPLEMENTING,
                 _("Progress reviewed and reported back to the community"),
                 _("Review progress at least every three months and tell residents what has been done.")),
    ]
    for item in items:
        register(item)

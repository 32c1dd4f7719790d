"""The portfolio: every community of an organisation with its current plan's figures and health
flags, in a fixed number of queries whatever the portfolio's size.

One query loads the communities with their current plan's id, one loads those plans with every
figure annotated as a correlated subquery, and a handful compute representativeness for all the
plans at once. Flags, filters and sorting then work on plain values, so the page, the export and
a weekly digest (`portfolio_rows`) agree on what needs attention.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from actions import health
from actions.models import (
    Action,
    Endorsement,
    EndorsementRequest,
    PlanReview,
    PlanVersion,
    UpdateStatus,
)
from clp import freshness
from clp.models import User
from consultation import analysis
from consultation.analysis import counts as counted
from consultation.models import Answer, Dimension, Question, Response, Survey, SurveyStatus
from plans import gates, steps
from plans.models import ChecklistEntry, CouncillorLink, Plan, PlanEvent, PlanStatus
from plans.steps import Step

RUNNING = [PlanStatus.ACTIVE, PlanStatus.PAUSED]
DEPENDENCY_WINDOW_DAYS = 90
DELIVERY_STEPS = [Step.IMPLEMENTING, Step.REVIEWING]


class PortfolioFlag:
    STALLED = "stalled"
    STUCK = "stuck"
    ONE_PERSON = "one_person"
    NO_COUNCILLOR = "no_councillor"
    LOW_REPRESENTATION = "low_representation"
    REVIEW_OVERDUE = "review_overdue"

    choices = [
        (STALLED, gettext_lazy("Stalled")),
        (STUCK, gettext_lazy("Stuck at a gate")),
        (ONE_PERSON, gettext_lazy("Depends on one person")),
        (NO_COUNCILLOR, gettext_lazy("No councillor involved")),
        (LOW_REPRESENTATION, gettext_lazy("Low representativeness")),
        (REVIEW_OVERDUE, gettext_lazy("Review overdue")),
    ]
    labels = dict(choices)


@dataclass(frozen=True)
class Filters:
    district: str = ""
    flag: str = ""
    step: str = ""
    q: str = ""
    sort: str = "community"
    descending: bool = False


@dataclass(frozen=True)
class FlagNote:
    key: str
    why: str

    @property
    def label(self) -> str:
        return PortfolioFlag.labels[self.key]


@dataclass
class Row:
    community: object
    plan: object | None
    flags: list[FlagNote] = field(default_factory=list)
    review_due: date | None = None

    @property
    def flag_keys(self) -> set[str]:
        return {f.key for f in self.flags}

    @property
    def response_rate(self) -> float | None:
        households = self.community.households
        return analysis.percent(self.plan.responses, households) if self.plan and households else None

    @property
    def done_share(self) -> float | None:
        return analysis.percent(self.plan.actions_done, self.plan.actions_total) if self.plan else None


def _count(queryset, group: str):
    """A correlated COUNT for one plan (Meta orderings cleared: they would split the groups)."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _latest(queryset, column: str):
    """The newest moment for one plan, as MAX over the plan's own rows: ORDER BY … LIMIT 1 let
    PostgreSQL walk the whole time index backwards for each plan (0.8 ms × 300 plans)."""
    newest = queryset.order_by().values("plan").annotate(m=Max(column)).values("m")
    return Subquery(newest[:1], output_field=DateTimeField())


def annotated_plans(plan_ids, now: datetime, today: date):
    """The plans with every portfolio figure annotated: one query however many plans."""
    plan = OuterRef("pk")
    actions = Action.objects.filter(priority__plan=plan)
    since = now - timedelta(days=DEPENDENCY_WINDOW_DAYS)
    recent = PlanEvent.objects.filter(plan=plan, at__gte=since)
    # Ties broken by the id: ordering by "actor" would join the users to sort by their names.
    top_actor = (recent.filter(actor__isnull=False).order_by().values("actor")
                 .annotate(n=Count("pk")).order_by("-n", "actor_id"))
    decided = Endorsement.objects.current().filter(councillor=OuterRef("councillor"),
                                                   priority__plan=OuterRef("plan"))
    # The long texts (vision, terms of reference) are never shown here: not read for 300 plans.
    return Plan.objects.filter(pk__in=plan_ids).order_by().defer(
        "vision", "terms_of_reference").annotate(
        last_activity=_latest(PlanEvent.objects.filter(plan=plan), "at"),
        actions_total=_count(actions.exclude(progress=UpdateStatus.DROPPED), "priority__plan"),
        actions_done=_count(actions.filter(progress=UpdateStatus.DONE), "priority__plan"),
        actions_overdue=_count(actions.overdue(today), "priority__plan"),
        actions_stalled=_count(actions.update_due(now), "priority__plan"),
        endorsements_pending=_count(
            EndorsementRequest.objects.filter(plan=plan).exclude(Exists(decided)), "plan"),
        last_frozen=_latest(PlanVersion.objects.filter(plan=plan), "frozen_at"),
        last_reviewed=_latest(PlanReview.objects.filter(plan=plan, completed_at__isnull=False),
                              "completed_at"),
        has_councillor=Exists(CouncillorLink.objects.filter(plan=plan)),
        recent_events=_count(recent, "plan"),
        top_actor_events=Subquery(top_actor.values("n")[:1], output_field=IntegerField()),
        top_actor_id=Subquery(top_actor.values("actor")[:1]),
    )


def _current_plan_ids(communities):
    """Each community's current plan: the newest running one, else its newest closed one."""
    current = (Plan.objects.filter(community=OuterRef("pk")).exclude(status=PlanStatus.ABANDONED)
               .order_by(Case(When(status__in=RUNNING, then=Value(0)), default=Value(1)),
                         "-start_date", "-pk").values("pk")[:1])
    return communities.annotate(current_plan_id=Subquery(current))


def low_representation(plan_ids) -> dict[int, list[str]]:
    """For each plan, the groups heard at under half their population share (or not at all) in
    its headline survey, as the "who we have heard" page picks it; a fixed number of queries."""
    chosen, surveys = {}, []
    for survey in (Survey.objects.filter(plan_id__in=plan_ids).exclude(status=SurveyStatus.DRAFT)
                   .only("pk", "plan_id")  # ids are all it needs: 300 plans' intros are not read
                   .annotate(heard=Exists(Response.objects.submitted().filter(survey=OuterRef("pk"))))
                   .filter(heard=True)):
        if survey.plan_id not in chosen:
            chosen[survey.plan_id] = survey.pk
            surveys.append(survey)
    if not chosen:
        return {}
    asked = set(Question.objects.filter(survey__in=chosen.values(), dimension__isnull=False)
                .order_by().values_list("dimension", "survey").distinct())
    # The people heard in each group read every answer of the survey: kept per version of its
    # answers (consultation.analysis.counts), so only a survey that changed since is counted again.
    counts = counted.remember_many(surveys, "portfolio-groups", _group_counts)
    dimensions = (Dimension.objects.filter(plan_id__in=chosen, baseline__isnull=False)
                  .select_related("baseline").prefetch_related("categories", "baseline__figures"))
    result = defaultdict(list)
    for dimension in dimensions:
        survey_id = chosen[dimension.plan_id]
        if (dimension.pk, survey_id) not in asked:
            continue
        shares = analysis.dimension_shares(dimension, counts[survey_id])
        if shares.flagged:  # a plan whose groups are all heard has no flag, not an empty one
            result[dimension.plan_id] += [_group_sentence(g) for g in shares.flagged]
    return dict(result)


def _responses(plan_ids) -> dict[int, int]:
    """Responses sent to each plan's surveys, added up from each survey's count kept per version
    of its answers (consultation.analysis.counts): counting them in the plans' query read every response."""
    surveys = list(Survey.objects.filter(plan_id__in=plan_ids).order_by().only("pk", "plan_id"))
    totals = counted.remember_many(surveys, "portfolio-responses", _response_totals)
    found = defaultdict(int)
    for survey in surveys:
        found[survey.plan_id] += totals.get(survey.pk, 0)
    return dict(found)


def _response_totals(surveys) -> dict[int, int]:
    found = {survey.pk: 0 for survey in surveys}
    found.update(Response.objects.submitted().filter(survey__in=found).order_by()
                 .values_list("survey").annotate(n=Count("pk")))
    return found


def _group_counts(surveys) -> dict[int, dict[int, int]]:
    """{survey id: {category id: people who gave it}} for these surveys, in one query."""
    found = {survey.pk: {} for survey in surveys}
    for survey_id, category_id, n in (
            Answer.objects.filter(response__survey__in=found, response__status="submitted",
                                  category__isnull=False)
            .order_by().values_list("response__survey", "category")
            .annotate(n=Count("response", distinct=True))):
        found[survey_id][category_id] = n
    return found


def _group_sentence(group) -> str:
    if group.respondents == 0:
        return _("%(group)s: nobody heard (%(pop)s of residents)") % {
            "group": group.category.label, "pop": analysis.rounded(group.population_share) + "%"}
    return _("%(group)s: %(share)s of respondents, %(pop)s of residents") % {
        "group": group.category.label, "share": analysis.rounded(group.share) + "%",
        "pop": analysis.rounded(group.population_share) + "%"}


def review_due(plan) -> date | None:
    """A year after the current version was frozen or the last review was completed
    (the same rule as the plan's own delivery page, from the annotated dates)."""
    moments = [m for m in (plan.last_frozen, plan.last_reviewed) if m]
    return health.review_due_on(timezone.localdate(max(moments))) if moments else None


def _ticked_keys(plan_ids) -> dict[int, set[str]]:
    """Checklist items ticked or waived, per plan (one query)."""
    ticked = defaultdict(set)
    for plan_id, key in (ChecklistEntry.objects.filter(plan_id__in=plan_ids).order_by()
                         .values_list("plan_id", "key")):
        ticked[plan_id].add(key)
    return ticked


def _unmet_items(plan, items_by_step: dict | None = None) -> list[str]:
    """Items of the plan's step neither met nor waived: ticked items from the plan's ticks, and
    computed items from `gates.met_among` (all the portfolio's plans in one query). A computed item
    with no `met_when` needs the plan's own data, so only the plan page's checklist shows it.
    `items_by_step` keeps each step's (key, label) pairs for the whole portfolio: 300 plans share
    nine steps."""
    done = plan.ticked_keys | plan.computed_met
    if items_by_step is None:
        items_by_step = {}
    if plan.step not in items_by_step:
        items_by_step[plan.step] = [(i.key, str(i.label)) for i in gates.items_for(plan.step)
                                    if i.is_manual or i.met_when is not None]
    return [label for key, label in items_by_step[plan.step] if key not in done]


def flags_for(row: Row, now: datetime, today: date, names: dict, unheard: dict,
              items_by_step: dict | None = None) -> list[FlagNote]:
    plan = row.plan
    if plan is None or plan.status not in RUNNING:
        return []
    flags = []
    last = plan.last_activity or plan.created_at
    idle = (now - last).days
    if plan.status == PlanStatus.ACTIVE and idle >= settings.PORTFOLIO_STALLED_DAYS:
        flags.append(FlagNote(PortfolioFlag.STALLED, _(
            "No activity for %(n)s days (last on %(d)s).")
            % {"n": idle, "d": date_format(timezone.localdate(last), "j F Y")}))
    unmet = _unmet_items(plan, items_by_step)
    if unmet and plan.days_in_step >= settings.PORTFOLIO_GATE_DAYS:
        flags.append(FlagNote(PortfolioFlag.STUCK, ngettext(
            "%(days)s days at step %(step)s with %(n)s item not done: %(items)s.",
            "%(days)s days at step %(step)s with %(n)s items not done: %(items)s.", len(unmet))
            % {"days": plan.days_in_step, "step": plan.step_number, "n": len(unmet),
               "items": "; ".join(unmet)}))
    flags += _people_flags(plan, names)
    if plan.pk in unheard:
        flags.append(FlagNote(PortfolioFlag.LOW_REPRESENTATION, _(
            "Under half their population share: %(groups)s.") % {"groups": "; ".join(unheard[plan.pk])}))
    if row.review_due and row.review_due < today and plan.step in DELIVERY_STEPS:
        flags.append(FlagNote(PortfolioFlag.REVIEW_OVERDUE, _("The review was due on %(d)s.")
                              % {"d": date_format(row.review_due, "j F Y")}))
    return flags


def _people_flags(plan, names: dict) -> list[FlagNote]:
    flags = []
    total, top = plan.recent_events, plan.top_actor_events or 0
    if (total >= settings.PORTFOLIO_DEPENDENCY_MIN_EVENTS
            and top * 100 >= settings.PORTFOLIO_DEPENDENCY_SHARE * total):
        flags.append(FlagNote(PortfolioFlag.ONE_PERSON, _(
            "%(name)s did %(top)s of the %(total)s things recorded in the last %(days)s days.")
            % {"name": names.get(plan.top_actor_id, _("One person")), "top": top, "total": total,
               "days": DEPENDENCY_WINDOW_DAYS}))
    if not plan.has_councillor:
        flags.append(FlagNote(PortfolioFlag.NO_COUNCILLOR,
                              _("No councillor is attached to the plan.")))
    return flags


def portfolio_rows(organisation, filters: Filters = Filters()) -> list[Row]:
    """Every community of the organisation (narrowed by `filters`), each with its current plan,
    figures and flags, sorted as asked. A fixed number of queries; call it from a digest too."""
    now, today = timezone.now(), timezone.localdate()
    communities = organisation.communities.order_by("name")
    if filters.district:
        communities = communities.filter(district=filters.district)
    if filters.q:
        communities = communities.filter(name__icontains=filters.q)
    communities = list(_current_plan_ids(communities))
    plan_ids = [c.current_plan_id for c in communities if c.current_plan_id]
    plans = {p.pk: p for p in annotated_plans(plan_ids, now, today)} if plan_ids else {}
    responses = _responses(plan_ids) if plan_ids else {}
    for plan in plans.values():
        plan.responses = responses.get(plan.pk, 0)
    names = {u.pk: str(u) for u in User.objects.filter(
        pk__in={p.top_actor_id for p in plans.values() if p.top_actor_id})}
    unheard = low_representation(plan_ids) if plan_ids else {}
    ticked = _ticked_keys(plan_ids)
    computed = gates.met_among(plan_ids) if plan_ids else {}
    rows, items_by_step = [], {}
    for community in communities:
        row = Row(community=community, plan=plans.get(community.current_plan_id))
        if row.plan is not None:
            row.plan.community = community
            row.plan.ticked_keys = ticked[row.plan.pk]
            row.plan.computed_met = computed.get(row.plan.pk, set())
            row.review_due = review_due(row.plan)
        row.flags = flags_for(row, now, today, names, unheard, items_by_step)
        rows.append(row)
    return rows


def answers_scope(organisation) -> tuple[str]:
    """The portfolio's token for its plans' answers (clp.freshness.scope): every change to the
    answers of a survey in one of its communities replaces it, and nothing else does."""
    return (freshness.scope("organisation", organisation.pk),)


def remembered_rows(organisation, filters: Filters = Filters()) -> list[Row]:
    """`portfolio_rows` for the page and its export, kept under the planning data's generation
    (clp.freshness: any change to a plan, action, endorsement, councillor, checklist or group
    starts a new one, and entries expire within minutes) and its answers' token, which a sent
    response in any of its plans replaces (`answers_scope`). A digest calls `portfolio_rows`
    itself: it is sent once a week and must read the data as it is."""
    key = freshness.key("portfolio-rows", organisation.pk, filters.district, filters.q,
                        get_language(), scopes=answers_scope(organisation))
    rows = cache.get(key) if key else None
    if rows is None:
        rows = portfolio_rows(organisation, filters)
        if key:
            cache.set(key, rows, freshness.TIMEOUT)
    return rows


def narrow(rows: list[Row], filters: Filters) -> list[Row]:
    """The rows the table shows: by flag and step, then sorted."""
    if filters.flag:
        rows = [r for r in rows if filters.flag in r.flag_keys]
    if filters.step:
        rows = [r for r in rows if r.plan is not None and r.plan.step == filters.step]
    key = SORTS.get(filters.sort, SORTS["community"])[1]
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]  # always last, whichever way the sort goes
    return sorted(present, key=key, reverse=filters.descending) + missing


def _plan(attr):
    return lambda r: getattr(r.plan, attr) if r.plan is not None else None


SORTS = {
    "community": (gettext_lazy("Community"), lambda r: r.community.name.lower()),
    "district": (gettext_lazy("District"), lambda r: r.community.district.lower() or None),
    "step": (gettext_lazy("Step"), lambda r: r.plan.step_number if r.plan else None),
    "days": (gettext_lazy("Days in step"), _plan("days_in_step")),
    "activity": (gettext_lazy("Last activity"), _plan("last_activity")),
    "responses": (gettext_lazy("Responses"), _plan("responses")),
    "rate": (gettext_lazy("Response rate"), lambda r: r.response_rate),
    "done": (gettext_lazy("Actions done"), lambda r: r.done_share),
    "overdue": (gettext_lazy("Overdue actions"), _plan("actions_overdue")),
    "stalled": (gettext_lazy("Stalled actions"), _plan("actions_stalled")),
    "endorsements": (gettext_lazy("Endorsements awaited"), _plan("endorsements_pending")),
    "review": (gettext_lazy("Next review"), lambda r: r.review_due),
    "flags": (gettext_lazy("Flags"), lambda r: len(r.flags)),
}


def step_counts(rows: list[Row]) -> list[tuple[str, str, int]]:
    """How many running plans sit at each of the nine steps: (step, label, count)."""
    counts = defaultdict(int)
    for row in rows:
        if row.plan is not None and row.plan.status in RUNNING:
            counts[row.plan.step] += 1
    return [(s.value, f"{steps.number(s.value)}. {s.label}", counts[s.value]) for s in Step]


def flag_counts(rows: list[Row]) -> list[tuple[str, str, int]]:
    counts = defaultdict(int)
    for row in rows:
        for key in row.flag_keys:
            counts[key] += 1
    return [(key, label, counts[key]) for key, label in PortfolioFlag.choices]

"""Who has been heard: each group's share of the respondents against its share of the population
(the census baseline), the groups under- or over-represented, and which of the groups a plan must
reach its answers and events have reached. Each function runs a fixed number of queries."""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from consultation.analysis.base import Cell, percent, whole_percents
from consultation.analysis.groups import rolled_up, shown
from consultation.analysis.suppression import CHANNEL, Disclosure
from consultation.models import Answer, Dimension, DimensionCategory, DimensionKind, Question, Survey
from plans.models import Meeting, Plan
from plans.steps import CommunityGroup


@dataclass
class GroupShare:
    category: DimensionCategory
    respondents: int
    share: float | None          # of the people who gave a group in this dimension
    population: int | None
    population_share: float | None
    hidden_label: str = ""       # the number of people is hidden (why); so is anything from it
    whole_share: int | None = None

    @property
    def hidden(self) -> bool:
        return bool(self.hidden_label)

    @property
    def ratio(self) -> float | None:
        if self.hidden or self.share is None or not self.population_share:
            return None
        return self.share / self.population_share

    @property
    def flag(self) -> str:
        if not self.population_share or self.hidden:
            return ""  # no population figure, nobody of this group to hear from, or hidden
        if self.respondents == 0:
            return "not_heard"
        if self.ratio is not None and self.ratio < UNDER_REPRESENTED:
            return "under"
        if self.ratio is not None and self.ratio > OVER_REPRESENTED:
            return "over"
        return ""


UNDER_REPRESENTED = 0.5
OVER_REPRESENTED = 1.5


@dataclass
class DimensionShares:
    dimension: Dimension
    groups: list[GroupShare]
    answered: int                # people (not ticks) who gave a group other than "prefer not to say"
    baseline: object | None
    answered_label: str = ""     # why `answered` is hidden, if it is

    @property
    def flagged(self) -> list[GroupShare]:
        return [g for g in self.groups if g.flag in ("under", "not_heard")]


def representation(plan, responses, survey=None, *, disclosure: Disclosure | None = None,
                   tables=None) -> list[DimensionShares]:
    """For each dimension (asked in `survey`, if given): respondents' share of each group against
    the population's. Shares are of people, so on a question where people tick several groups
    they add up to more than 100%."""
    disclosure = disclosure or Disclosure()
    dimensions = Dimension.objects.filter(plan=plan)
    if survey is not None:
        dimensions = dimensions.filter(pk__in=Question.objects.filter(survey=survey).values("dimension"))
    dimensions = list(dimensions.prefetch_related("categories").select_related("baseline")
                      .prefetch_related("baseline__figures"))
    if tables is not None and survey is not None:  # the survey's cached tables (all its answers)
        by_category = {c: n for (d, c), n in tables.groups.items() if d != CHANNEL}
        people = tables.represented
    else:
        by_category = dict(Answer.objects.filter(response__in=responses, category__dimension__plan=plan)
                           .values_list("category").annotate(n=Count("response", distinct=True))
                           .order_by())
        people = people_with_a_group(responses, dimensions)
    return [_shares(dimension, by_category, people.get(dimension.pk, 0), disclosure)
            for dimension in dimensions]


def people_with_a_group(responses, dimensions) -> dict[int, int]:
    return dict(Answer.objects.filter(response__in=responses, category__dimension__in=dimensions,
                                      category__is_prefer_not_to_say=False)
                .values_list("category__dimension").annotate(n=Count("response", distinct=True))
                .order_by())


def _shares(dimension, counts, answered, disclosure) -> DimensionShares:
    every = [c for c in dimension.categories.all() if not c.is_prefer_not_to_say]
    # Retired groups nobody answered with are not shown; census bands count in the plan's own.
    cats = shown(every, used={c.pk for c in every if counts.get(c.pk)})
    baseline = getattr(dimension, "baseline", None)
    figures = {f.category_id: f.count for f in baseline.figures.all()} if baseline else {}
    figures = rolled_up(every, figures, {c.pk for c in cats})
    pop_total = sum(figures.get(c.pk, 0) for c in cats)
    groups = [GroupShare(c, counts.get(c.pk, 0), percent(counts.get(c.pk, 0), answered),
                         figures.get(c.pk) if baseline else None,
                         percent(figures.get(c.pk, 0), pop_total) if baseline and pop_total else None,
                         hidden_label=disclosure.label(disclosure.group(dimension.pk, c.pk)))
              for c in cats]
    answered_label = disclosure.label(disclosure.represented(dimension.pk))
    for g in groups:
        if g.hidden or answered_label:
            g.respondents, g.share = (0 if g.hidden else g.respondents), None
    cells = [Cell("", g.respondents, g.share, hidden=g.hidden) for g in groups]
    whole_percents(cells, adds_up=not dimension.allows_several)
    for g, cell in zip(groups, cells, strict=True):
        g.whole_share = cell.whole_percent
    return DimensionShares(dimension, groups, 0 if answered_label else answered, baseline, answered_label)


def dimension_shares(dimension, counts: dict[int, int], answered: int | None = None,
                     disclosure: Disclosure | None = None) -> DimensionShares:
    """One dimension's groups against the population, from respondents counted per category
    (categories and baseline figures prefetched; runs no query). Without `disclosure` nothing is
    hidden: for flags worked out from the figures, not for showing them."""
    if answered is None:
        answered = sum(counts.get(c.pk, 0) for c in dimension.categories.all()
                       if not c.is_prefer_not_to_say)
    return _shares(dimension, counts, answered, disclosure or Disclosure())


# --- the groups a plan must reach ---------------------------------------------------------------

# Which answers to "About you" questions show that a group has been reached.
GROUP_OF_CATEGORY = {
    (DimensionKind.AGE, "Under 11"): CommunityGroup.YOUNG_PEOPLE,
    (DimensionKind.AGE, "11 to 15"): CommunityGroup.YOUNG_PEOPLE,
    (DimensionKind.AGE, "16 to 17"): CommunityGroup.YOUNG_PEOPLE,
    (DimensionKind.AGE, "18 to 24"): CommunityGroup.YOUNG_PEOPLE,
    (DimensionKind.AGE, "65 to 74"): CommunityGroup.OLDER_PEOPLE,
    (DimensionKind.AGE, "75 or over"): CommunityGroup.OLDER_PEOPLE,
    (DimensionKind.CONNECTION, "I run a business here"): CommunityGroup.BUSINESSES,
    (DimensionKind.DISABILITY, "Yes"): CommunityGroup.DISABLED_PEOPLE,
    (DimensionKind.HOUSEHOLD, "A family with children at home"): CommunityGroup.FAMILIES,
    (DimensionKind.HOUSEHOLD, "A single parent with children"): CommunityGroup.FAMILIES,
    (DimensionKind.ETHNICITY, "Asian or Asian British"): CommunityGroup.MINORITY_ETHNIC,
    (DimensionKind.ETHNICITY, "Black, Black British, Caribbean or African"): CommunityGroup.MINORITY_ETHNIC,
    (DimensionKind.ETHNICITY, "Mixed or multiple ethnic groups"): CommunityGroup.MINORITY_ETHNIC,
    (DimensionKind.ETHNICITY, "Another ethnic group"): CommunityGroup.MINORITY_ETHNIC,
    (DimensionKind.AREA, "Outlying farms and hamlets"): CommunityGroup.OUTLYING,
}


# Which "About you" question can show that a group has answered (none can for clubs).
KIND_OF_GROUP = {
    CommunityGroup.YOUNG_PEOPLE: DimensionKind.AGE,
    CommunityGroup.OLDER_PEOPLE: DimensionKind.AGE,
    CommunityGroup.FAMILIES: DimensionKind.HOUSEHOLD,
    CommunityGroup.DISABLED_PEOPLE: DimensionKind.DISABILITY,
    CommunityGroup.BUSINESSES: DimensionKind.CONNECTION,
    CommunityGroup.MINORITY_ETHNIC: DimensionKind.ETHNICITY,
    CommunityGroup.OUTLYING: DimensionKind.AREA,
}
YOUNG_UP_TO, OLDER_FROM = 24, 65
AGES = re.compile(r"\d+")


def community_group_of(kind: str, label: str) -> str | None:
    """The group a plan must reach that an answer shows, also for a plan's own age bands
    ("65+" or "65 and over" are older people, "16 to 24" young people)."""
    group = GROUP_OF_CATEGORY.get((kind, label))
    if group or kind != DimensionKind.AGE:
        return group
    ages = [int(n) for n in AGES.findall(label)]
    if not ages:
        return None
    lowered = label.casefold()
    if "under" in lowered or "younger" in lowered:
        low, high = 0, ages[0] - 1
    elif len(ages) == 1:  # "65+", "65 and over", "over 65"
        low, high = ages[0], 200
    else:
        low, high = ages[0], ages[-1]
    if high <= YOUNG_UP_TO:
        return CommunityGroup.YOUNG_PEOPLE
    if low >= OLDER_FROM:
        return CommunityGroup.OLDER_PEOPLE
    return None


def engagement_coverage(plan: Plan, responses, survey: Survey | None = None, *,
                        categories=None) -> list[dict]:
    """For each group a plan should reach: reached by survey answers, not reached yet, or never
    asked about (the survey has no question that could show it), and the events that reached it.
    `categories`, when given, are the groups the answers reached (from the survey's cached
    counts, consultation.analysis.counts), so no answer is read."""
    reached_by_answers, asked = set(), set()
    if categories is not None:
        reached = (DimensionCategory.objects.filter(pk__in=categories)
                   .values_list("dimension__kind", "label").order_by())
    elif responses is not None:
        reached = (Answer.objects.filter(response__in=responses, category__isnull=False)
                   .values_list("category__dimension__kind", "category__label")
                   .order_by().distinct())  # Meta.ordering would defeat DISTINCT
    else:
        reached = []
    for kind, label in reached:
        group = community_group_of(kind, label)
        if group:
            reached_by_answers.add(group)
    if survey is not None:
        asked = set(survey.questions.filter(dimension__isnull=False)
                    .values_list("dimension__kind", flat=True))
    reached_by_events = defaultdict(list)
    for title, groups in Meeting.objects.filter(plan=plan).values_list("title", "groups_reached"):
        for group in groups or []:
            reached_by_events[group].append(title)
    return [{"group": label, "by_answers": value in reached_by_answers,
             "asked": value in reached_by_answers or KIND_OF_GROUP.get(value) in asked,
             "events": reached_by_events.get(value, [])}
            for value, label in CommunityGroup.choices]

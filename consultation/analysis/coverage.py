"""Who has been heard: each group's share of the respondents against its share of the population
(the census baseline), and the groups under- or over-represented. Runs a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count

from consultation.analysis.base import Cell, percent, whole_percents
from consultation.analysis.groups import rolled_up, shown
from consultation.analysis.suppression import CHANNEL, Disclosure
from consultation.models import Answer, Dimension, DimensionCategory, Question


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

"""Survey results, worked out in the database.

Every function here issues a fixed number of queries, whatever the number of responses: the
database counts and groups, Python only arranges the figures. Percentages are of the respondents
who answered the question (multiple choice adds up to more than 100%).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Sum
from django.utils.translation import gettext as _

from consultation.models import (
    Answer,
    Channel,
    Dimension,
    DimensionCategory,
    Question,
    QuestionKind,
    Response,
)
from consultation.suppression import suppress, suppress_row

CHART_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.DEMOGRAPHIC,
               QuestionKind.RATING, QuestionKind.YES_NO}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT, QuestionKind.LOVE_HATE}


def percent(part: float, whole: float) -> float | None:
    return None if not whole else float(part) * 100 / float(whole)


def rounded(value: float | None, places: int = 0) -> str:
    if value is None:
        return "–"
    q = Decimal(1).scaleb(-places)
    return str(Decimal(str(value)).quantize(q, rounding=ROUND_HALF_UP))


# --- who is counted ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    """Narrow the respondents: by demographic answers (any of the categories chosen within one
    dimension, all of the dimensions) and by channel."""

    category_ids: tuple[int, ...] = ()
    channel: str = ""

    @classmethod
    def from_query(cls, data, plan) -> "Filters":
        valid = set(DimensionCategory.objects.filter(dimension__plan=plan).values_list("pk", flat=True))
        ids = []
        for raw in data.getlist("category"):
            if raw.isdigit() and int(raw) in valid:
                ids.append(int(raw))
        channel = data.get("channel", "")
        return cls(tuple(sorted(set(ids))), channel if channel in Channel.values else "")

    @property
    def active(self) -> bool:
        return bool(self.category_ids or self.channel)


def respondents(survey, filters: Filters = Filters()):
    """Submitted responses of the survey that match the filters (a lazy queryset)."""
    qs = Response.objects.filter(survey=survey).submitted()
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.category_ids:
        by_dimension = defaultdict(list)
        for cat_id, dim_id in DimensionCategory.objects.filter(
                pk__in=filters.category_ids).values_list("pk", "dimension_id"):
            by_dimension[dim_id].append(cat_id)
        for cat_ids in by_dimension.values():
            qs = qs.filter(Exists(Answer.objects.filter(response=OuterRef("pk"), category_id__in=cat_ids)))
    return qs


# --- results per question ----------------------------------------------------------------------

@dataclass
class Cell:
    label: str
    count: int
    percent: float | None
    hidden: bool = False
    extra: str = ""  # e.g. mean rank for a ranking question


@dataclass
class QuestionResult:
    question: Question
    answered: int
    cells: list[Cell] = field(default_factory=list)
    mean: float | None = None
    text_count: int = 0
    hidden_all: bool = False

    @property
    def has_chart(self) -> bool:
        return self.question.kind in CHART_KINDS and self.answered > 0 and not self.hidden_all

    @property
    def is_text(self) -> bool:
        return self.question.kind in TEXT_KINDS

    @property
    def is_ranking(self) -> bool:
        return self.question.kind == QuestionKind.RANKING


def _value_labels(q: Question) -> list[tuple[object, str]]:
    if q.kind == QuestionKind.YES_NO:
        return [(1, _("Yes")), (0, _("No"))]
    if q.kind == QuestionKind.RATING:
        labels = []
        for n in q.scale():
            label = str(n)
            if n == q.scale_min and q.scale_min_label:
                label = f"{n} – {q.scale_min_label}"
            elif n == q.scale_max and q.scale_max_label:
                label = f"{n} – {q.scale_max_label}"
            labels.append((n, label))
        return labels
    return [(o.pk, o.label) for o in q.options.all()]


def survey_results(survey, filters: Filters = Filters(), *, suppress_below: int | None = None
                   ) -> list[QuestionResult]:
    """Every question's figures. With `suppress_below`, small counts are hidden (public views)."""
    return _results(survey.ordered_questions(), respondents(survey, filters),
                    Answer.objects.filter(question__survey=survey), suppress_below)


def question_result(question: Question, filters: Filters = Filters(), *,
                    suppress_below: int | None = None) -> QuestionResult:
    return _results([question], respondents(question.survey, filters),
                    Answer.objects.filter(question=question), suppress_below)[0]


def _results(questions, base, answers, suppress_below) -> list[QuestionResult]:
    answers = answers.filter(response__in=base)
    answered = dict(answers.values_list("question").annotate(n=Count("response", distinct=True)))
    by_option = defaultdict(dict)
    rank_sums = {}
    for qid, oid, n, rank_sum in (answers.filter(option__isnull=False)
                                  .values_list("question", "option")
                                  .annotate(n=Count("response", distinct=True), s=Sum("number"))):
        by_option[qid][oid] = n
        rank_sums[(qid, oid)] = rank_sum
    by_number = defaultdict(dict)
    for qid, number, n in (answers.filter(question__kind__in=[QuestionKind.RATING, QuestionKind.YES_NO])
                           .values_list("question", "number")
                           .annotate(n=Count("response", distinct=True))):
        by_number[qid][number] = n
    results = []
    for q in questions:
        result = QuestionResult(question=q, answered=answered.get(q.pk, 0))
        if q.kind in TEXT_KINDS:
            result.text_count = result.answered
        elif q.kind in (QuestionKind.RATING, QuestionKind.YES_NO):
            counts = by_number[q.pk]
            result.cells = [Cell(label, counts.get(value, 0), percent(counts.get(value, 0), result.answered))
                            for value, label in _value_labels(q)]
            if q.kind == QuestionKind.RATING and result.answered:
                result.mean = sum(v * n for v, n in counts.items()) / sum(counts.values())
        else:
            counts = by_option[q.pk]
            result.cells = [Cell(label, counts.get(oid, 0), percent(counts.get(oid, 0), result.answered))
                            for oid, label in _value_labels(q)]
            if q.kind == QuestionKind.RANKING:
                _ranking(q, result, rank_sums)
        if suppress_below is not None:
            _suppress(result, suppress_below)
        results.append(result)
    return results


def _ranking(q: Question, result: QuestionResult, rank_sums: dict) -> None:
    """Mean rank and Borda score (k points for 1st of k options, 1 for last)."""
    k = len(result.cells)
    for cell, option in zip(result.cells, q.options.all(), strict=True):
        total = rank_sums.get((q.pk, option.pk)) or 0
        if cell.count:
            mean_rank = total / cell.count
            borda = cell.count * (k + 1) - total
            cell.extra = _("mean rank %(mean)s, score %(score)s") % {
                "mean": rounded(mean_rank, 1), "score": borda}
            cell.percent = None
            cell.count = borda
    result.cells.sort(key=lambda c: -c.count)


def _suppress(result: QuestionResult, limit: int) -> None:
    from consultation.suppression import threshold

    limit = max(limit, threshold()) if limit else threshold()
    if 0 < result.answered < limit:
        result.hidden_all = True
        result.cells = []
        result.mean = None
        return
    if result.is_ranking:
        return  # scores, not counts of people
    for cell, hidden in zip(result.cells, suppress_row([c.count for c in result.cells], limit), strict=True):
        if hidden:
            cell.hidden, cell.count, cell.percent = True, 0, None


# --- cross-tabulation --------------------------------------------------------------------------

@dataclass
class CrossTab:
    question: Question
    dimension: Dimension
    columns: list[DimensionCategory]
    rows: list[str]
    counts: list[list[int]]          # rows × columns
    column_totals: list[int]         # respondents per category who answered the question
    hidden: list[list[bool]]

    def percent(self, r: int, c: int) -> float | None:
        return percent(self.counts[r][c], self.column_totals[c])

    def table(self) -> list[tuple[str, list[dict]]]:
        return [(label, [{"count": self.counts[r][c], "percent": self.percent(r, c),
                          "hidden": self.hidden[r][c]} for c in range(len(self.columns))])
                for r, label in enumerate(self.rows)]


def crosstab(question: Question, dimension: Dimension, filters: Filters = Filters(), *,
             suppress_below: int | None = None) -> CrossTab:
    """One question broken down by one demographic dimension (two queries)."""
    base = respondents(question.survey, filters)
    columns = list(dimension.categories.all())
    keys = _value_labels(question)
    value_field = "number" if question.kind in (QuestionKind.RATING, QuestionKind.YES_NO) else "option"
    joined = Answer.objects.filter(question=question, response__in=base,
                                   response__answers__category__dimension=dimension)
    grid = defaultdict(int)
    for value, cat, n in (joined.values_list(value_field, "response__answers__category")
                          .annotate(n=Count("response", distinct=True))):
        grid[(value, cat)] = n
    totals = dict(joined.values_list("response__answers__category")
                  .annotate(n=Count("response", distinct=True)))
    counts = [[grid[(value, col.pk)] for col in columns] for value, _label in keys]
    column_totals = [totals.get(col.pk, 0) for col in columns]
    if suppress_below is not None:
        hidden = suppress(counts, suppress_below or None)
        for c, total in enumerate(column_totals):
            if 0 < total < max(suppress_below, 5):
                for row in hidden:
                    row[c] = True
    else:
        hidden = [[False] * len(columns) for _ in keys]
    return CrossTab(question, dimension, columns, [label for _v, label in keys], counts,
                    column_totals, hidden)


# --- representativeness and weighting -----------------------------------------------------------

@dataclass
class GroupShare:
    category: DimensionCategory
    respondents: int
    share: float | None          # of respondents who gave a category in this dimension
    population: int | None
    population_share: float | None

    @property
    def ratio(self) -> float | None:
        if self.share is None or not self.population_share:
            return None
        return self.share / self.population_share

    @property
    def flag(self) -> str:
        if not self.population_share:
            return ""  # no population figure, or nobody of this group to hear from
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
    answered: int
    baseline: object | None

    @property
    def flagged(self) -> list[GroupShare]:
        return [g for g in self.groups if g.flag in ("under", "not_heard")]


def representation(plan, responses, survey=None) -> list[DimensionShares]:
    """For each dimension (asked in `survey`, if given): respondents' share of each group against
    the population's."""
    dimensions = Dimension.objects.filter(plan=plan)
    if survey is not None:
        dimensions = dimensions.filter(questions__survey=survey).distinct()
    dimensions = list(dimensions.prefetch_related("categories").select_related("baseline")
                      .prefetch_related("baseline__figures"))
    counts = dict(Answer.objects.filter(response__in=responses, category__dimension__plan=plan)
                  .values_list("category").annotate(n=Count("response", distinct=True)))
    return [dimension_shares(dimension, counts) for dimension in dimensions]


def dimension_shares(dimension, counts: dict[int, int]) -> DimensionShares:
    """One dimension's groups against the population, from respondents counted per category
    (the dimension's categories and baseline figures prefetched; runs no query)."""
    cats = [c for c in dimension.categories.all() if not c.is_prefer_not_to_say]
    baseline = getattr(dimension, "baseline", None)
    figures = {f.category_id: f.count for f in baseline.figures.all()} if baseline else {}
    pop_total = sum(figures.get(c.pk, 0) for c in cats)
    answered = sum(counts.get(c.pk, 0) for c in cats)
    groups = [GroupShare(c, counts.get(c.pk, 0), percent(counts.get(c.pk, 0), answered),
                         figures.get(c.pk) if baseline else None,
                         percent(figures.get(c.pk, 0), pop_total) if baseline and pop_total else None)
              for c in cats]
    return DimensionShares(dimension, groups, answered, baseline)


@dataclass
class Weighted:
    raw: list[Cell]
    weighted: list[float | None]
    weights: dict[int, float]
    excluded: int                     # respondents to the question with no usable group
    unrepresented: list[str]          # groups in the population with no respondents


def weighted_result(question: Question, dimension: Dimension, filters: Filters = Filters()) -> Weighted:
    """Post-stratify one question's answers on one dimension so each group counts in proportion
    to its share of the population (weight = population share ÷ respondents' share)."""
    base = respondents(question.survey, filters)
    tab = crosstab(question, dimension, filters)
    baseline = dimension.baseline
    figures = {f.category_id: f.count for f in baseline.figures.all()}
    cats = [c for c in tab.columns if not c.is_prefer_not_to_say and figures.get(c.pk)]
    pop_total = sum(figures[c.pk] for c in cats)
    # Respondents' shares are taken over everyone who gave a group, as post-stratification does.
    group_sizes = dict(Answer.objects.filter(response__in=base, category__in=cats)
                       .values_list("category").annotate(n=Count("response", distinct=True)))
    sample_total = sum(group_sizes.values())
    weights = {}
    for c in cats:
        if group_sizes.get(c.pk):
            weights[c.pk] = (figures[c.pk] / pop_total) / (group_sizes[c.pk] / sample_total)
    col = {c.pk: i for i, c in enumerate(tab.columns)}
    denominator = sum(weights[c] * tab.column_totals[col[c]] for c in weights)
    weighted = [percent(sum(weights[c] * tab.counts[r][col[c]] for c in weights), denominator)
                for r in range(len(tab.rows))]
    raw = question_result(question, filters)
    answered_with_group = sum(tab.column_totals[col[c]] for c in weights)
    return Weighted(raw=raw.cells, weighted=weighted, weights=weights,
                    excluded=max(raw.answered - answered_with_group, 0),
                    unrepresented=[c.label for c in cats if c.pk not in weights])


def love_hate_counts(question: Question, filters: Filters = Filters()) -> dict[str, int]:
    base = respondents(question.survey, filters)
    return dict(Answer.objects.filter(question=question, response__in=base)
                .values_list("part").annotate(n=Count("response", distinct=True)))


def text_answers(survey, filters: Filters = Filters(), *, search: str = "", question_id=None):
    """Free-text answers (including "Other, please say"), newest first, for browsing and coding."""
    qs = (Answer.objects.filter(response__in=respondents(survey, filters), question__survey=survey)
          .exclude(text="").select_related("question", "option").order_by("-response__submitted_at", "pk"))
    if question_id:
        qs = qs.filter(question_id=question_id)
    if search:
        qs = qs.filter(text__icontains=search)
    return qs

"""Survey results, worked out in the database.

Every function here issues a fixed number of queries, whatever the number of responses: the
database counts and groups, Python only arranges the figures. Percentages are of the respondents
who answered the question (multiple choice adds up to more than 100%); where a column's
percentages add up to 100 they are rounded so that they do (largest remainder).

`results_for(survey, viewer=..., filters=...)` is the one way to get results as a given person
may see them (`viewer=None`: the public). It builds the survey's `Disclosure`
(consultation.analysis.suppression), which decides once which groups, cells, totals, means and ranking
scores are hidden and whether the filter may be shown; the results, the breakdowns
(`.crosstab()`), weighted figures (`.weighted()`) and "who we have heard" (`.groups()`) it
returns have been through it, for pages, downloads, PDFs and the open-data API alike.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from consultation.analysis import counts
from consultation.analysis.base import (
    CHART_KINDS,
    NUMBER_KINDS,
    TEXT_KINDS,
    Cell,
    Filters,
    count_answers,
    one_answer,
    percent,
    respondents,
    rounded,
    value_labels,
    whole_percents,
)
from consultation.analysis.coverage import DimensionShares, representation
from consultation.analysis.groups import shown
from consultation.analysis.suppression import (
    CHANNEL,
    SMALL,
    Dim,
    Disclosure,
    Figures,
    Q,
    largest_remainder,
    threshold,
)
from consultation.models import Answer, Channel, Dimension, DimensionCategory, Question, QuestionKind
from consultation.permissions import VIEW_RESPONSES

# --- results per question ----------------------------------------------------------------------

@dataclass
class QuestionResult:
    question: Question
    answered: int
    cells: list[Cell] = field(default_factory=list)
    mean: float | None = None
    text_count: int = 0
    hidden_all: bool = False
    hidden_reason: str = ""          # SMALL or NEIGHBOUR when hidden_all

    @property
    def has_chart(self) -> bool:
        return self.question.kind in CHART_KINDS and self.answered > 0 and not self.hidden_all

    @property
    def is_text(self) -> bool:
        return self.question.kind in TEXT_KINDS

    @property
    def is_ranking(self) -> bool:
        return self.question.kind == QuestionKind.RANKING

    @property
    def hidden_because_small(self) -> bool:
        return self.hidden_reason == SMALL


def survey_results(survey, filters: Filters = Filters(), *, suppress_below: int | None = None
                   ) -> list[QuestionResult]:
    """Every question's figures: as the steering group sees them, or with `suppress_below` as
    the public does (kept for callers of the old name; new code calls `results_for`)."""
    if suppress_below is None:
        return _results(survey.ordered_questions(), respondents(survey, filters),
                        Answer.objects.filter(question__survey=survey), Disclosure())
    return results_for(survey, viewer=None, filters=filters).questions


def question_result(question: Question, filters: Filters = Filters(), *,
                    disclosure: Disclosure | None = None) -> QuestionResult:
    return _results([question], respondents(question.survey, filters),
                    Answer.objects.filter(question=question), disclosure or Disclosure())[0]


def _results(questions, base, answers, disclosure: Disclosure, *, tables=None) -> list[QuestionResult]:
    """Each question's result, counted for `base`, or taken from the survey's cached `tables`."""
    if tables is not None:
        answered, by_value, rank_sums = tables.answered, defaultdict(dict, tables.by_value), tables.rank_sums
    else:
        answered, by_value, rank_sums = count_answers(base, answers)
    results = []
    for q in questions:
        result = QuestionResult(question=q, answered=answered.get(q.pk, 0))
        counts = by_value[q.pk]
        verdict = disclosure.question(q.pk, counts, result.answered)
        if q.kind in TEXT_KINDS:
            result.text_count = result.answered
        else:
            result.cells = [Cell(label, counts.get(v, 0), percent(counts.get(v, 0), result.answered), value=v)
                            for v, label in value_labels(q)]
            if q.kind == QuestionKind.RATING and result.answered:
                result.mean = sum(v * n for v, n in counts.items()) / sum(counts.values())
            if q.kind == QuestionKind.RANKING:
                _ranking(q, result, rank_sums)
        _apply(result, verdict, disclosure)
        if result.is_ranking:  # hidden scores last, so their place says nothing about them
            result.cells.sort(key=lambda c: (c.hidden, -c.count))
        results.append(result)
    return results


def _apply(result: QuestionResult, verdict, disclosure: Disclosure) -> None:
    """Hide what the Disclosure says, then round what is left."""
    if verdict.answered:
        result.hidden_all, result.hidden_reason = True, verdict.answered
        result.cells, result.mean, result.text_count = [], None, 0
        return
    for cell in result.cells:
        if cell.value in verdict.cells:
            cell.hide(disclosure.label(verdict.cells[cell.value]))
    if not verdict.mean:
        result.mean = None
    whole_percents(result.cells, adds_up=one_answer(result.question))


def _ranking(q: Question, result: QuestionResult, rank_sums: dict) -> None:
    """Mean rank and Borda score (k points for 1st of k options, 1 for last)."""
    k = len(result.cells)
    for cell, option in zip(result.cells, q.options.all(), strict=True):
        total = rank_sums.get((q.pk, option.pk)) or 0
        cell.percent = None
        if cell.count:
            mean_rank = total / cell.count
            borda = cell.count * (k + 1) - total
            cell.extra = _("mean rank %(mean)s, score %(score)s") % {
                "mean": rounded(mean_rank, 1), "score": borda}
            cell.count = borda


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
    labels: list[list[str]] = field(default_factory=list)       # why each hidden cell is hidden
    total_labels: list[str] = field(default_factory=list)       # the same for column totals
    percents: list[list[int | None]] = field(default_factory=list)

    def percent(self, r: int, c: int) -> float | None:
        if self.hidden[r][c] or self.total_labels[c]:
            return None
        return percent(self.counts[r][c], self.column_totals[c])

    def table(self) -> list[tuple[str, list[dict]]]:
        return [(label, [{"count": self.counts[r][c], "percent": self.percent(r, c),
                          "whole_percent": self.percents[r][c], "hidden": self.hidden[r][c],
                          "label": self.labels[r][c]} for c in range(len(self.columns))])
                for r, label in enumerate(self.rows)]

    def totals(self) -> list[dict]:
        return [{"count": t, "label": label} for t, label in zip(self.column_totals, self.total_labels,
                                                                  strict=True)]

    def column_label(self, c: int) -> str:
        """The group and how many of it answered, as a chart legend says it."""
        if self.total_labels[c]:
            return _("%(group)s (number of people hidden)") % {"group": self.columns[c].label}
        return _("%(group)s (%(n)s people)") % {"group": self.columns[c].label, "n": self.column_totals[c]}


def crosstab(question: Question, dimension: Dimension, filters: Filters = Filters(), *,
             disclosure: Disclosure | None = None) -> CrossTab:
    """One question broken down by one demographic dimension (two queries), hidden as
    `disclosure` says (default: every figure shown)."""
    disclosure = disclosure or Disclosure()
    base = respondents(question.survey, filters)
    columns = list(dimension.categories.all())
    keys = value_labels(question)
    value_field = "number" if question.kind in NUMBER_KINDS else "option"
    joined = Answer.objects.filter(question=question, response__in=base,
                                   response__answers__category__dimension=dimension)

    def count():
        cells = {(value, cat): n for value, cat, n in (
            joined.values_list(value_field, "response__answers__category")
            .annotate(n=Count("response", distinct=True)).order_by())}
        return cells, dict(joined.values_list("response__answers__category")
                           .annotate(n=Count("response", distinct=True)).order_by())

    # Kept for this version of the answers (consultation.analysis.counts), like the survey's tables.
    part = f"crosstab:{question.pk}:{dimension.pk}:{filters.key}"
    cells, totals = counts.remember(question.survey, part, count)
    columns = shown(columns, used={pk for pk, n in totals.items() if n})
    grid = defaultdict(int, cells)
    rows = [[grid[(value, col.pk)] for col in columns] for value, _label in keys]
    labels = [[disclosure.label(disclosure.crosstab_cell(question.pk, dimension.pk, value, col.pk))
               for col in columns] for value, _label in keys]
    tab = CrossTab(question, dimension, columns, [label for _v, label in keys], rows,
                   [totals.get(col.pk, 0) for col in columns],
                   [[bool(x) for x in row] for row in labels], labels,
                   [disclosure.label(disclosure.column_total(question.pk, dimension.pk, col.pk))
                    for col in columns])
    for r, row in enumerate(tab.counts):
        for c in range(len(columns)):
            if tab.hidden[r][c]:
                row[c] = 0
    for c, label in enumerate(tab.total_labels):
        if label:
            tab.column_totals[c] = 0
    _crosstab_percents(tab)
    return tab


def _crosstab_percents(tab: CrossTab) -> None:
    tab.percents = [[None] * len(tab.columns) for _row in tab.rows]
    for c in range(len(tab.columns)):
        cells = [Cell("", tab.counts[r][c], tab.percent(r, c), hidden=tab.hidden[r][c])
                 for r in range(len(tab.rows))]
        whole_percents(cells, adds_up=one_answer(tab.question))
        for r, cell in enumerate(cells):
            tab.percents[r][c] = cell.whole_percent


@dataclass
class Weighted:
    raw: list[Cell]
    weighted: list[float | None]
    weights: dict[int, float]
    excluded: int                     # respondents to the question with no usable group
    unrepresented: list[str]          # groups in the population with no respondents
    withheld: bool = False            # outside the steering group, when it would reveal a hidden cell
    whole: list[int | None] = field(default_factory=list)


def weighted_result(question: Question, dimension: Dimension, filters: Filters = Filters(), *,
                    disclosure: Disclosure | None = None) -> Weighted:
    """Post-stratify one question's answers on one dimension so each group counts in proportion
    to its share of the population (weight = population share ÷ respondents' share)."""
    disclosure = disclosure or Disclosure()
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
    raw = question_result(question, filters, disclosure=disclosure)
    answered_with_group = sum(tab.column_totals[col[c]] for c in weights)
    result = Weighted(raw=raw.cells, weighted=weighted, weights=weights,
                      excluded=max(raw.answered - answered_with_group, 0),
                      unrepresented=[c.label for c in cats if c.pk not in weights])
    if not disclosure.weighting_allowed(question.pk, dimension.pk, [c.pk for c in tab.columns]):
        result.withheld, result.weighted, result.weights, result.excluded = True, [], {}, 0
    result.whole = largest_remainder(result.weighted) if one_answer(question) else [
        None if w is None else int(Decimal(str(w)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        for w in result.weighted]
    return result


# --- the figures a Disclosure decides on, and results as a viewer may see them ------------------

def survey_figures(survey) -> Figures:
    """Every count of the survey that a page could show, unfiltered: the counts from the
    survey's cached tables (consultation.analysis.counts), arranged by its questions and groups as they
    are now (a fixed number of queries, none of them reading answers when the cache is warm)."""
    questions = survey.ordered_questions()
    dims = _survey_dims(questions)
    t = counts.tables(survey)
    return Figures(
        total=t.total, dims=dims, groups=dict(t.groups), answered=t.answered,
        questions={q.pk: _q(q) for q in questions},
        cells={(q, v): n for q, values in t.by_value.items() for v, n in values.items()},
        cross=dict(t.cross), column_totals=dict(t.column_totals), represented=dict(t.represented))


def _survey_dims(questions) -> dict:
    dimensions = {q.dimension for q in questions if q.dimension_id}
    categories, prefer_not = defaultdict(list), defaultdict(list)
    for cat_id, dim_id, is_pnts in (DimensionCategory.objects.filter(dimension__in=dimensions)
                                    .values_list("pk", "dimension_id", "is_prefer_not_to_say")
                                    .order_by("dimension", "position", "pk")):
        categories[dim_id].append(cat_id)
        if is_pnts:
            prefer_not[dim_id].append(cat_id)
    dims = {d.pk: Dim(categories[d.pk], several=d.allows_several, prefer_not=prefer_not[d.pk])
            for d in dimensions}
    dims[CHANNEL] = Dim(list(Channel.values))
    return dims


def _q(question: Question) -> Q:
    groups = {}
    if question.kind == QuestionKind.DEMOGRAPHIC and question.dimension_id:
        groups = {o.pk: (question.dimension_id, o.category_id)
                  for o in question.options.all() if o.category_id}
    return Q([v for v, _label in value_labels(question)] if question.kind not in TEXT_KINDS else [],
             one_answer=one_answer(question), ranking=question.kind == QuestionKind.RANKING, groups=groups)


def tier(survey, viewer=None) -> str:
    """Which of the two views of the survey's figures `viewer` gets: "open" (the steering group:
    every figure) or "hidden below N" (everyone else, the public included: what `Disclosure`
    hides at the current threshold). Two viewers of one tier are shown exactly the same figures
    for the same filters, so a page drawn for one may be kept and shown to the other
    (consultation.views.results); `disclosure_for` decides by this and nothing else."""
    if viewer is not None and viewer.has_perm(VIEW_RESPONSES, survey.plan):
        return "open"
    return f"hidden below {threshold()}"


def disclosure_for(survey, *, viewer=None, filters: Filters = Filters()) -> Disclosure:
    """What `viewer` (None: the public) may see of the survey under `filters`."""
    if tier(survey, viewer) == "open":
        return Disclosure()
    return Disclosure(threshold(), survey_figures(survey), filters.selection())


def unfiltered_count(survey) -> int:
    """The survey's submitted responses, from its cached tables."""
    return counts.tables(survey).total


@dataclass
class Results:
    """A survey's results as one viewer may see them; see `results_for`."""

    survey: object
    filters: Filters
    disclosure: Disclosure
    total: int
    matching: int
    questions: list[QuestionResult]

    @property
    def refused(self) -> str:
        return self.disclosure.refused

    @property
    def limit(self) -> int | None:
        return self.disclosure.limit

    @property
    def breakdown_refused(self) -> str:
        """Outside the steering group a breakdown is one thing at a time: with a filter it is two."""
        if self.disclosure.is_open or not self.filters.active:
            return ""
        return _("Outside the steering group, a breakdown by group is shown for everyone who "
                 "answered. Combined with a filter it could let someone work out the answers of a "
                 "few people, so clear the filters to see it.")

    def crosstab(self, question: Question, dimension: Dimension) -> CrossTab:
        return crosstab(question, dimension, self.filters, disclosure=self.disclosure)

    def weighted(self, question: Question, dimension: Dimension) -> Weighted:
        return weighted_result(question, dimension, self.filters, disclosure=self.disclosure)

    def reached_categories(self) -> list[int]:
        """The groups at least one respondent gave (unfiltered, from the cached counts)."""
        return sorted(c for (d, c), n in counts.tables(self.survey).groups.items() if d != CHANNEL and n)

    def groups(self) -> list[DimensionShares]:
        """Who we have heard, for this survey (unfiltered)."""
        return representation(self.survey.plan, respondents(self.survey), self.survey,
                              disclosure=self.disclosure, tables=counts.tables(self.survey))


def results_for(survey, *, viewer=None, filters: Filters = Filters(), questions: bool = True) -> Results:
    """The survey's results as `viewer` may see them (None: the public, as published): small
    numbers and whatever would reveal them hidden, a risky filter refused. The one entry point
    for pages, downloads, PDFs and the open-data API."""
    disclosure = disclosure_for(survey, viewer=viewer, filters=filters)
    total = counts.tables(survey).total
    if disclosure.refused:
        return Results(survey, filters, disclosure, total, 0, [])
    if not filters.active:  # every figure is in the survey's cached tables
        matching, tables = total, counts.tables(survey)
    else:  # a filter's counts are kept too, for this version of the answers
        matching, tables = counts.remember(survey, f"filtered:{filters.key}",
                                           lambda: _filtered_tables(survey, filters))
    items = _results(survey.ordered_questions(), respondents(survey, filters),
                     Answer.objects.filter(question__survey=survey), disclosure,
                     tables=tables) if questions else []
    return Results(survey, filters, disclosure, total, matching, items)


def _filtered_tables(survey, filters: Filters):
    base = respondents(survey, filters)
    answered, by_value, rank_sums = count_answers(base, Answer.objects.filter(question__survey=survey))
    return base.count(), counts.Tables(total=0, answered=answered, by_value=dict(by_value),
                                       rank_sums=rank_sums, groups={}, represented={}, cross={},
                                       column_totals={})


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

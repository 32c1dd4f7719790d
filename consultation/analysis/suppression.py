"""Small-number suppression: which figures people outside the steering group may see.

UK statistical practice hides counts below a threshold (default 10, never below 5). Hiding one
cell is not enough when a total is shown: the hidden value could be worked out by subtraction.
So every figure of a survey is one cell of one network: group sizes, each question's answers,
each answer broken down by every group and by channel, the people in each group who answered.
A *line* is a set of cells that add up (the groups of a dimension and the people who did not
say, to everyone; one answer's breakdown by age, to that answer's count). Wherever a line has
exactly one hidden cell, its smallest visible neighbour is hidden too ("secondary suppression"),
until no line gives a cell away. Breakdowns are hidden before totals, so results stay readable.

`Disclosure` is the one decision, made for a survey, the current filter and the viewer, of
what is hidden and why. Pages, charts, downloads, public results, PDFs and the open-data API all
ask it; build it with `consultation.analysis.results_for(survey, viewer=..., filters=...)`.
Outside the steering group a filter is refused when it could single out a small group: more than
one thing at a time (so two filters cannot be subtracted), a group whose number is hidden, or
leaving out fewer people than the threshold. A filtered figure is shown only when every cell it
adds up is visible in the network, so comparing two filters reveals nothing the breakdown hides.
"""

import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext as _

MINIMUM_THRESHOLD = 5
SMALL = "small"          # below the threshold itself
NEIGHBOUR = "neighbour"  # hidden so that a smaller figure cannot be worked out
# Breakdown cells are hidden first, then the people in a group who answered, then an answer's
# count, then how many answered, and group sizes last: the figures most pages show stay visible.
PRIORITY = {"X": 0, "C": 1, "T": 2, "A": 3, "R": 3, "G": 4}
CHANNEL = "channel"


def threshold() -> int:
    return max(MINIMUM_THRESHOLD, int(getattr(settings, "CONSULTATION_SUPPRESSION_THRESHOLD", 10)))


def protect(values: dict[Hashable, int], lines: Iterable[list], limit: int, *,
            fixed: Iterable = (), ties: Iterable[tuple] = (), hidden: dict | None = None
            ) -> dict[Hashable, str]:
    """Which cells to hide (key → SMALL or NEIGHBOUR) so that no line has exactly one hidden
    cell. `fixed` cells are always shown (the number of responses); a tie (a, b) hides b with a."""
    fixed = set(fixed)
    hidden = dict(hidden or {})
    for key, value in values.items():
        if 0 < value < limit and key not in fixed:
            hidden.setdefault(key, SMALL)
    lines = [line for line in lines if len(line) > 1]
    lines_of = defaultdict(list)
    for i, line in enumerate(lines):
        for key in line:
            lines_of[key].append(i)
    tied = defaultdict(list)
    for a, b in ties:
        tied[a].append(b)
    # Lines of totals are settled before lines of breakdown cells, so that a breakdown cell is
    # chosen knowing which totals are already hidden.
    level = [int(any(_rank(k) == 0 for k in line)) for line in lines]
    todo = [(level[i], i) for i in range(len(lines))]
    heapq.heapify(todo)

    def again(indexes):
        for i in indexes:
            heapq.heappush(todo, (level[i], i))

    for key in list(hidden):
        for other in tied.get(key, []):
            again(_hide(other, values, hidden, tied, lines_of, fixed))
    while todo:
        line = lines[heapq.heappop(todo)[1]]
        if sum(key in hidden for key in line) != 1:
            continue
        # A zero is never hidden: it gives nothing away, and hiding it protects nothing.
        candidates = [k for k in line if k not in hidden and k not in fixed and values.get(k, 0)]
        if candidates:
            pick = min(candidates, key=lambda k: _cost(k, values, hidden, lines, lines_of))
            again(_hide(pick, values, hidden, tied, lines_of, fixed))
    return hidden


def _cost(key, values, hidden, lines, lines_of) -> tuple:
    """Prefer a breakdown cell to a total, then a cell whose other lines already hide something
    (hiding it starts no new chain of hiding), then the smallest."""
    fresh = sum(1 for i in lines_of[key] if not any(k in hidden for k in lines[i]))
    return _rank(key), fresh, values.get(key, 0), str(key)


def _rank(key) -> int:
    return PRIORITY.get(key[0], 0) if isinstance(key, tuple) and key else 0


def _hide(key, values, hidden, tied, lines_of, fixed) -> list[int]:
    """Hide `key` (to protect another cell) and whatever is tied to it; return the lines to
    look at again."""
    todo, stack = [], [key]
    while stack:
        key = stack.pop()
        if key in fixed or key in hidden or not values.get(key, 0):
            continue
        hidden[key] = NEIGHBOUR
        todo += lines_of.get(key, [])
        stack += tied.get(key, [])
    return todo


def suppress(table: list[list[int]], limit: int | None = None) -> list[list[bool]]:
    """Which cells of a table of counts to hide (True), given that row and column totals are shown."""
    limit = threshold() if limit is None else max(MINIMUM_THRESHOLD, limit)
    values = {(r, c): v for r, row in enumerate(table) for c, v in enumerate(row)}
    lines = [[(r, c) for c in range(len(row))] for r, row in enumerate(table)]
    if len(table) > 1:
        cols = max((len(r) for r in table), default=0)
        lines += [[(r, c) for r in range(len(table)) if c < len(table[r])] for c in range(cols)]
    hidden = protect(values, lines, limit)
    return [[(r, c) in hidden for c in range(len(row))] for r, row in enumerate(table)]


def suppress_row(counts: list[int], limit: int | None = None) -> list[bool]:
    """The same rule for one list of counts shown with its total (e.g. one question's answers)."""
    return suppress([counts], limit)[0]


def hidden_label(reason: str, limit: int | None) -> str:
    """What a hidden figure says instead of its value: the truth about why it is hidden."""
    if not reason:
        return ""
    if reason == SMALL:
        return _("fewer than %(n)s") % {"n": limit}
    return _("hidden so that a smaller group cannot be worked out")


def largest_remainder(values: list[float | None]) -> list[int | None]:
    """Whole-number percentages that add up to the rounded total (100 for a full column): round
    down, then give the points left to the largest remainders."""
    known = [(i, Decimal(str(v))) for i, v in enumerate(values) if v is not None]
    target = int(sum((v for _i, v in known), Decimal(0)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    floors = {i: int(v) for i, v in known}
    left = target - sum(floors.values())
    for i, _v in sorted(known, key=lambda iv: (-(iv[1] - int(iv[1])), iv[0]))[:max(left, 0)]:
        floors[i] += 1
    return [floors.get(i) for i in range(len(values))]


# --- the figures of a survey, and the decision -------------------------------------------------

@dataclass
class Dim:
    """A way of grouping respondents, reduced to what suppression needs (channel is one too)."""

    categories: list
    several: bool = False    # a person may be in more than one group
    prefer_not: list = field(default_factory=list)   # "prefer not to say" categories


@dataclass
class Q:
    values: list
    one_answer: bool         # each person gives at most one of the values (answers add up)
    ranking: bool = False
    groups: dict = field(default_factory=dict)   # value → (dimension, category) it stands for


@dataclass
class Figures:
    """Every count of a survey that any page may show, as plain numbers (built by analysis)."""

    total: int
    dims: dict                                    # dimension key → Dim
    groups: dict                                  # (dimension, category) → people
    questions: dict                               # question id → Q
    answered: dict                                # question id → people who answered
    cells: dict                                   # (question, value) → people
    cross: dict                                   # (question, dimension, value, category) → people
    column_totals: dict                           # (question, dimension, category) → people
    represented: dict = field(default_factory=dict)  # dimension → people who gave a group

    def key(self, q, v):
        """An answer of an "About you" question is the group itself: one cell, not two."""
        group = self.questions[q].groups.get(v)
        return ("G", *group) if group else ("T", q, v)

    def parts(self, d) -> list:
        """The pieces one person belongs to exactly one of, for one dimension."""
        dim = self.dims[d]
        if dim.several:
            return [c for cat in dim.categories for c in (cat, ("not", cat))]
        return [*dim.categories, None]


def network(f: Figures):
    """All cells, the lines they add up along, the fixed total and the ties between equal cells."""
    values, lines, ties = {("N",): f.total}, [], []
    values.update({("G", d, c): f.groups.get((d, c), 0) for d in f.dims for c in f.dims[d].categories})
    for d, dim in f.dims.items():
        _split(values, lines, d, dim, lambda c, d=d: ("G", d, c), ("N",))
        if d in f.represented:
            values[("R", d)] = f.represented[d]
            if not dim.several:  # the people who gave a group, "prefer not to say" aside
                groups = [("G", d, c) for c in dim.categories if c not in dim.prefer_not]
                lines.append([*groups, ("R", d)])
                lines.append([("R", d), *[("G", d, c) for c in [*dim.prefer_not, None]], ("N",)])
    for q, question in f.questions.items():
        values[("A", q)] = f.answered.get(q, 0)
        for v in question.values:
            values.setdefault(f.key(q, v), f.cells.get((q, v), 0))
        if question.one_answer and not question.ranking:
            lines.append([f.key(q, v) for v in question.values] + [("A", q)])
        for d, dim in f.dims.items():
            _question_by_dimension(f, values, lines, ties, q, question, d, dim)
    return values, lines, ties


def _split(values, lines, d, dim, key, total):
    """Fill in the people not in a group (by subtraction) and add the dimension's lines."""
    cats = dim.categories
    if dim.several:
        for c in cats:
            values[key(("not", c))] = max(values[total] - values[key(c)], 0)
            lines.append([key(c), key(("not", c)), total])
        return
    values[key(None)] = max(values[total] - sum(values[key(c)] for c in cats), 0)
    lines.append([key(c) for c in [*cats, None]] + [total])


def _question_by_dimension(f, values, lines, ties, q, question, d, dim):
    for c in dim.categories:
        values[("C", q, d, c)] = f.column_totals.get((q, d, c), 0)
        group = ("G", d, c)
        ties.append((group, ("C", q, d, c)))
        if values[("C", q, d, c)] == values[group]:
            ties.append((("C", q, d, c), group))
    _split(values, lines, d, dim, lambda c: ("C", q, d, c), ("A", q))
    for v in question.values:
        for c in dim.categories:
            values[("X", q, d, v, c)] = f.cross.get((q, d, v, c), 0)
        _split(values, lines, d, dim, lambda c, v=v: ("X", q, d, v, c), f.key(q, v))
    if question.one_answer and not question.ranking:
        for c in f.parts(d):
            lines.append([("X", q, d, v, c) for v in question.values] + [("C", q, d, c)])


@dataclass
class Verdict:
    """What one question may show: reasons (SMALL / NEIGHBOUR) for what is hidden."""

    answered: str = ""
    cells: dict = field(default_factory=dict)    # value → reason
    mean: bool = True


class Disclosure:
    """What the viewer may see of a survey under a filter: decided once, asked everywhere.

    `Disclosure()` is the steering group's (every figure shown); `Disclosure.build(...)` is for
    everyone else. `selection` is the filter as {dimension key: chosen categories}."""

    def __init__(self, limit: int | None = None, figures: Figures | None = None,
                 selection: dict | None = None):
        self.limit = limit                 # None: the steering group sees every figure
        self.figures = figures
        self.hidden = {}
        self.selection = None              # (dimension, categories) of the one filter allowed
        self.refused = ""                  # why the filter cannot be shown, in plain words
        if limit is not None and figures is not None:
            values, lines, ties = network(figures)
            self.hidden = protect(values, lines, limit, fixed=[("N",)], ties=ties)
            self.selection, self.refused = self._choose(selection or {})

    @property
    def is_open(self) -> bool:
        return self.limit is None

    def label(self, reason: str) -> str:
        return hidden_label(reason, self.limit)

    def group(self, d, c) -> str:
        """Why the number of people in a group is hidden ("" when shown)."""
        return self.hidden.get(("G", d, c), "")

    def represented(self, d) -> str:
        """Why the number of people who gave a group of a dimension is hidden ("" when shown)."""
        return self.hidden.get(("R", d), "")

    def question(self, q, counts: dict, answered: int) -> Verdict:
        """The verdict for one question's figures as shown under the current filter."""
        if self.is_open or q not in self.figures.questions:
            return Verdict()
        f, question = self.figures, self.figures.questions[q]
        if self.selection is None:
            verdict = Verdict(answered=self.hidden.get(("A", q), ""),
                              cells={v: self.hidden[f.key(q, v)] for v in question.values
                                     if f.key(q, v) in self.hidden})
            verdict.mean = not verdict.cells and not verdict.answered
            return verdict
        return self._filtered(q, question, counts, answered)

    def _filtered(self, q, question, counts, answered) -> Verdict:
        d, chosen = self.selection
        if d not in self.figures.dims:
            return Verdict()  # nobody was asked: every figure is 0
        verdict = Verdict()
        if any(("C", q, d, c) in self.hidden for c in chosen) or 0 < answered < self.limit:
            verdict.answered = SMALL if 0 < answered < self.limit else NEIGHBOUR
            verdict.mean = False
            return verdict
        everyone = self.figures.parts(d)
        for v in question.values:
            # A ranking's score differs from the overall score by the other groups' ranks, so
            # every group of the row must be visible; a count only needs the groups it adds up.
            parts = everyone if question.ranking else chosen
            if any(("X", q, d, v, c) in self.hidden for c in parts):
                verdict.cells[v] = SMALL if 0 < counts.get(v, 0) < self.limit else NEIGHBOUR
        if question.one_answer and not question.ranking:
            line = {v: counts.get(v, 0) for v in question.values} | {"answered": answered}
            more = protect(line, [list(line)], self.limit, fixed=["answered"], hidden=verdict.cells)
            verdict.cells = {v: r for v, r in more.items() if v != "answered"}
        verdict.mean = not any(k[0] in ("X", "C") and k[1] == q and k[2] == d for k in self.hidden)
        return verdict

    def crosstab_cell(self, q, d, v, c) -> str:
        return self.hidden.get(("X", q, d, v, c), "")

    def column_total(self, q, d, c) -> str:
        return self.hidden.get(("C", q, d, c), "")

    def weighting_allowed(self, q, d, cats) -> bool:
        """Weighted figures are sums of the breakdown with known weights: with population shares
        they solve for hidden cells, so outside the group they need every cell of it visible."""
        if self.is_open:
            return True
        values = self.figures.questions[q].values if q in self.figures.questions else []
        return not any(k in self.hidden for c in cats for k in
                       [("G", d, c), ("C", q, d, c)] + [("X", q, d, v, c) for v in values])

    def _choose(self, selection: dict) -> tuple[tuple | None, str]:
        """The one (dimension, categories) a filter selects, or the reason it is refused."""
        if not selection:
            return None, ""
        if len(selection) > 1:
            return None, _("Outside the steering group, results can be filtered by one thing at a "
                           "time (one group of boxes, or how the answers reached us). Combining "
                           "filters could let someone work out the answers of a few people by "
                           "comparing the results.")
        (d, chosen), = selection.items()
        chosen = tuple(chosen)
        dim = self.figures.dims.get(d)
        if dim is None:
            return (d, chosen), ""
        if dim.several and len(chosen) > 1:
            return None, _("People can be in more than one of these groups, so outside the steering "
                           "group you can tick only one of them at a time.")
        for c in chosen:
            if self.group(d, c):
                return None, _("The number of people in a group you chose is hidden (%(why)s), so "
                               "its results cannot be shown on their own.") % {
                                   "why": self.label(self.group(d, c))}
        size = sum(self.figures.groups.get((d, c), 0) for c in chosen)
        if 0 < self.figures.total - size < self.limit:
            return None, _("This filter leaves out fewer than %(n)s people. Comparing it with the "
                           "full results would show how those few people answered, so it cannot be "
                           "shown. Tick fewer groups.") % {"n": self.limit}
        return (d, chosen), ""

"""What every part of the analysis shares: who is counted (`Filters`, `respondents`), one figure
(`Cell`), how percentages are rounded, and the answer counts a question's result is made of."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Sum
from django.utils.translation import gettext as _

from consultation.analysis.suppression import CHANNEL, largest_remainder
from consultation.models import Answer, Channel, DimensionCategory, Question, QuestionKind, Response

CHART_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.DEMOGRAPHIC,
               QuestionKind.RATING, QuestionKind.YES_NO}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT, QuestionKind.LOVE_HATE}
NUMBER_KINDS = {QuestionKind.RATING, QuestionKind.YES_NO}


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
    def key(self) -> str:
        """The filter in a cache key (consultation.analysis.counts)."""
        return f"{','.join(map(str, self.category_ids))}|{self.channel}"

    @property
    def active(self) -> bool:
        return bool(self.category_ids or self.channel)

    def selection(self) -> dict:
        """The filter as {dimension id (or "channel"): chosen categories}, for the Disclosure."""
        chosen = defaultdict(list)
        for cat_id, dim_id in (DimensionCategory.objects.filter(pk__in=self.category_ids)
                               .values_list("pk", "dimension_id").order_by("pk")):
            chosen[dim_id].append(cat_id)
        if self.channel:
            chosen[CHANNEL].append(self.channel)
        return dict(chosen)


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


@dataclass
class Cell:
    label: str
    count: int
    percent: float | None
    hidden: bool = False
    extra: str = ""  # e.g. mean rank for a ranking question
    value: object = None
    hidden_label: str = ""           # what is shown instead of a hidden figure, and why
    whole_percent: int | None = None  # the percentage as shown, rounded to add up to 100

    def hide(self, label: str) -> None:
        self.hidden, self.hidden_label = True, label
        self.count, self.percent, self.whole_percent, self.extra = 0, None, None, ""


def value_labels(q: Question) -> list[tuple[object, str]]:
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


def one_answer(q: Question) -> bool:
    """Each person gives one of the answers, so the answers add up to the people who answered."""
    return q.kind != QuestionKind.RANKING and q.kind not in TEXT_KINDS and not q.allows_several


def count_answers(base, answers) -> tuple[dict, dict, dict]:
    """People who answered each question, and each answer's count (three queries)."""
    answers = answers.filter(response__in=base)
    answered = dict(answers.values_list("question").annotate(n=Count("response", distinct=True)))
    by_value = defaultdict(dict)
    rank_sums = {}
    for qid, oid, n, rank_sum in (answers.filter(option__isnull=False)
                                  .values_list("question", "option")
                                  .annotate(n=Count("response", distinct=True), s=Sum("number"))):
        by_value[qid][oid] = n
        rank_sums[(qid, oid)] = rank_sum
    for qid, number, n in (answers.filter(question__kind__in=NUMBER_KINDS)
                           .values_list("question", "number")
                           .annotate(n=Count("response", distinct=True))):
        by_value[qid][number] = n
    return answered, by_value, rank_sums


def whole_percents(cells: list[Cell], *, adds_up: bool) -> None:
    """Whole-number percentages: a full column adds up to 100. With a cell hidden, each is only
    rounded, since sharing out the rounding would depend on the hidden figure."""
    values = [c.percent for c in cells]
    if adds_up and not any(c.hidden for c in cells):
        whole = largest_remainder(values)
    else:
        whole = [None if v is None else int(Decimal(str(v)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
                 for v in values]
    for cell, value in zip(cells, whole, strict=True):
        cell.whole_percent = value

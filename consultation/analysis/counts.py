"""A survey's count tables, kept between requests so results cost O(questions), not O(answers).

Every unfiltered figure of a survey (how many responded, how many answered each question, each
answer's count and rank sum, each group's size, each answer broken down by every group and by
channel, and the people in each group who answered) comes from a handful of GROUP BY queries
that read every answer: about a second at 20,000 responses. Those tables are the inputs of the
`Disclosure` (what the public and councillors may see) and of the steering group's unfiltered
results, and they change only when a response is sent, keyed in, imported or deleted.

So they are computed once per *version of the survey's answers* and kept in the Django cache
(Redis in production) under the key ``survey-counts:<database>:<survey id>:<version>:<part>``:

- The version is a row of its own (`ResponsesVersion`), bumped by every service that changes
  submitted answers (consultation.services), **in the same transaction** as the
  change, and as a safety net by a signal whenever a submitted response or an answer of one is
  saved or a response deleted. Readers read the version first, in its own statement, then the
  counts: under READ COMMITTED a reader that sees version n sees every answer committed with
  it, so an entry can be newer than its key, never older. Old versions are never asked for again
  and simply expire (`TIMEOUT`).
- Nothing is ever invalidated by deleting a key, so a cache that drops writes (clp.cache fails
  open while Redis is down) cannot leave stale figures behind: it only means the tables are
  computed again for each request, which is slower and still right.
- Only plain counts are cached; the questions, options and groups the figures are arranged by
  are read fresh on every request, so an edited questionnaire never meets old structure.

A filter's counts and one question's breakdown are kept the same way (`remember`), under the
same version and a key naming the filter: the first look at a filter counts the matching
respondents' answers in the database, later looks until the next response read the cache.
"""

import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.db.models.signals import post_save

from consultation.analysis.base import NUMBER_KINDS, count_answers, one_answer, respondents
from consultation.analysis.coverage import people_with_a_group
from consultation.analysis.suppression import CHANNEL
from consultation.models import (
    Answer,
    Dimension,
    DimensionCategory,
    Question,
    Response,
    ResponseStatus,
    ResponsesVersion,
)

logger = logging.getLogger(__name__)

TIMEOUT = 60 * 60 * 24  # a day: a version is replaced by the next submit long before that
FORMAT = 1              # bump when Tables changes shape, so old entries are not read


@dataclass
class Tables:
    """Plain numbers only (picklable, no model instances)."""

    total: int
    answered: dict                  # question id → people who answered
    by_value: dict                  # question id → {option id or number → people}
    rank_sums: dict                 # (question id, option id) → sum of ranks
    groups: dict                    # (dimension id or CHANNEL, category id or channel) → people
    represented: dict               # dimension id → people who gave a group
    cross: dict                     # (question, dimension, value, category) → people
    column_totals: dict             # (question, dimension, category) → people
    categories: dict = field(default_factory=dict)   # category id → people (any dimension)


def version(survey) -> int:
    return (ResponsesVersion.objects.filter(survey_id=survey.pk)
            .values_list("number", flat=True).first()) or 0


def _key(survey, number: int) -> str:
    # The database's name too: two databases sharing one Redis (a test run beside a
    # development copy) have surveys with the same ids.
    return f"survey-counts:{FORMAT}:{connection.settings_dict['NAME']}:{survey.pk}:{number}"


def tables(survey) -> Tables:
    """The survey's unfiltered count tables: from the cache for the current version, or counted
    (and kept) when missing. A cache that fails only makes this slower."""
    return remember(survey, "tables", lambda: count(survey))


def remember(survey, part: str, compute):
    """`compute()` (plain numbers) for the current version of the survey's answers, kept in the
    cache under `part`: the unfiltered tables, or one filter's or one breakdown's counts, which
    people look at again and again between two responses."""
    key = f"{_key(survey, version(survey))}:{part}"
    memo = survey.__dict__.setdefault("_counts_memo", {})
    if key in memo:
        return memo[key]
    try:
        found = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache fault is a slower page, never a failing one
        logger.warning("Survey counts cache unreadable; counting in the database", exc_info=True)
        found = None
    if found is None:
        found = compute()
        try:
            cache.set(key, found, TIMEOUT)
        except Exception:  # noqa: BLE001
            logger.warning("Survey counts cache unwritable; figures counted again next time",
                           exc_info=True)
    memo[key] = found
    return found


def remember_many(surveys, part: str, compute_missing) -> dict:
    """`remember` for many surveys at once, in one query and one cache round trip whatever their
    number (the portfolio's 300 plans): {survey id: value}. `compute_missing(surveys)` answers
    {survey id: value} for the surveys whose current version has no entry yet."""
    surveys = list(surveys)
    numbers = dict(ResponsesVersion.objects.filter(survey_id__in=[s.pk for s in surveys])
                   .values_list("survey_id", "number"))
    keys = {s.pk: f"{_key(s, numbers.get(s.pk, 0))}:{part}" for s in surveys}
    try:
        cached = cache.get_many(list(keys.values()))
    except Exception:  # noqa: BLE001 - a cache fault is a slower page, never a failing one
        logger.warning("Survey counts cache unreadable; counting in the database", exc_info=True)
        cached = {}
    found = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [s for s in surveys if s.pk not in found]
    if missing:
        computed = compute_missing(missing)
        found.update(computed)
        try:
            cache.set_many({keys[pk]: value for pk, value in computed.items()}, TIMEOUT)
        except Exception:  # noqa: BLE001
            logger.warning("Survey counts cache unwritable; figures counted again next time",
                           exc_info=True)
    return found


def changed(survey_id: int) -> None:
    """The survey's submitted answers changed: figures belong to a new version from now on."""
    ResponsesVersion.bump(survey_id=survey_id)


def _response_saved(sender, instance, **kwargs) -> None:
    if instance.status == ResponseStatus.SUBMITTED:
        changed(instance.survey_id)


def _answer_saved(sender, instance, **kwargs) -> None:
    ResponsesVersion.bump(response_id=instance.response_id)


def connect() -> None:
    """A safety net under the services: a submitted response or an answer saved one at a time
    (the admin, a shell, a test's factory) starts a new version too. Bulk writes and deletes go
    through the services, which bump the version themselves."""
    post_save.connect(_response_saved, sender=Response, dispatch_uid="counts-response")
    post_save.connect(_answer_saved, sender=Answer, dispatch_uid="counts-answer")


def count(survey) -> Tables:
    """Count every table in the database (a fixed number of queries, each reading every answer)."""
    base = respondents(survey)
    dimensions = list(Dimension.objects.filter(
        pk__in=Question.objects.filter(survey=survey).values("dimension")))
    answered, by_value, rank_sums = count_answers(base, Answer.objects.filter(question__survey=survey))
    single = {q.pk: one_answer(q) for q in Question.objects.filter(survey=survey)
              .select_related("dimension")}
    t = Tables(total=base.count(), answered=answered, by_value=dict(by_value),
                      rank_sums=rank_sums, groups={}, represented={}, cross={}, column_totals={})
    _fill_groups(t, base, dimensions)
    _fill_breakdowns(t, survey, base, single,
                     dict(DimensionCategory.objects.filter(dimension__in=dimensions)
                          .values_list("pk", "dimension_id")))
    return t


def _fill_groups(t, base, dimensions) -> None:
    for dim_id, cat_id, n in (Answer.objects.filter(response__in=base, category__dimension__in=dimensions)
                              .values_list("category__dimension", "category")
                              .annotate(n=Count("response", distinct=True)).order_by()):
        t.groups[(dim_id, cat_id)] = n
    for channel, n in base.values_list("channel").annotate(n=Count("pk")).order_by():
        t.groups[(CHANNEL, channel)] = n
    t.represented = people_with_a_group(base, dimensions)


def _fill_breakdowns(t, survey, base, single: dict, dim_of: dict) -> None:
    """Each answer by each group and by channel, and the people in each who answered."""
    answers = Answer.objects.filter(question__survey=survey, response__in=base).order_by()
    grouped = answers.filter(response__answers__category__isnull=False)
    by_group, by_channel = "response__answers__category", "response__channel"
    # One answer per person and value, and one answer per person and group: rows are people.
    rows = Count("pk")
    for value, kinds in (("option", {"option__isnull": False}),
                         ("number", {"question__kind__in": NUMBER_KINDS})):
        for q, v, c, n in grouped.filter(**kinds).values_list("question", value, by_group).annotate(n=rows):
            if c in dim_of:
                t.cross[(q, dim_of[c], v, c)] = n
        for q, v, c, n in answers.filter(**kinds).values_list("question", value, by_channel).annotate(n=rows):
            t.cross[(q, CHANNEL, v, c)] = n
    for (q, d, _v, c), n in t.cross.items():
        if single.get(q):  # the people who answered are the answers added up
            t.column_totals[(q, d, c)] = t.column_totals.get((q, d, c), 0) + n
    several = {"question__in": [q for q, one in single.items() if not one]}
    people = Count("response", distinct=True)
    for q, c, n in grouped.filter(**several).values_list("question", by_group).annotate(n=people):
        if c in dim_of:
            t.column_totals[(q, dim_of[c], c)] = n
    for q, c, n in answers.filter(**several).values_list("question", by_channel).annotate(n=people):
        t.column_totals[(q, CHANNEL, c)] = n

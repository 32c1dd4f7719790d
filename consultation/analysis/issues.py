"""The issues register as figures: who raised each issue, their groups, priorities-round ratings,
and its flags, each decided by its one rule in consultation.analysis.flags. Read-only; the
register's writes are consultation.services.evidence."""

from collections import defaultdict

from django.db.models import Avg, Count, F, Q

from clp.registry import Registry
from consultation.analysis import counts, flags
from consultation.analysis.suppression import CHANNEL
from consultation.models import (
    Answer,
    BaselineFigure,
    DimensionCategory,
    DimensionKind,
    Issue,
    QuestionKind,
    Response,
    Survey,
    SurveyKind,
)
from plans.models import Plan


def issue_support(issue: Issue) -> dict:
    """Who raised the issue: respondents, their groups, priorities-round ratings and its flags."""
    supporters = Response.objects.filter(answers__issues=issue).distinct()
    raised = supporters.count()
    plan_respondents = Response.objects.submitted().filter(survey__plan=issue.plan,
                                                           survey__kind=SurveyKind.OPEN_ROUND)
    total = plan_respondents.count()
    groups = _groups_of(supporters, plan_respondents, issue.plan)
    rating = _priority_rating(issue)
    minority = [g for g in groups if flags.is_minority_need(g["supporters"], g["share_of_supporters"],
                                                            g["share_of_community"])]
    mandate = flags.Mandate(raised=raised, respondents=total,
                            raters=rating["answered"] if rating else 0,
                            important=rating["important"] if rating else 0)
    return {"raised": raised, "of": total, "share": raised / total if total else None,
            "share_label": flags.share_label(raised, total), "groups": groups, "rating": rating,
            "minority": minority, "mandate": mandate.is_clear, "mandate_reason": mandate.reason}


def population_shares(plan: Plan) -> tuple[dict[int, float], set[int]]:
    """Each group's share of its dimension's population, and the dimensions that have figures."""
    rows = list(BaselineFigure.objects.filter(baseline__dimension__plan=plan)
                .values_list("category_id", "count", "baseline__dimension_id"))
    totals = defaultdict(int)
    for _cat, n, dim in rows:
        totals[dim] += n
    return {cat: n / totals[dim] for cat, n, dim in rows if totals[dim]}, set(totals)


def _groups_of(supporters, everyone, plan) -> list[dict]:
    by_cat = dict(Answer.objects.filter(response__in=supporters, category__isnull=False,
                                        category__is_prefer_not_to_say=False)
                  .values_list("category").annotate(n=Count("response", distinct=True)))
    all_cat = dict(Answer.objects.filter(response__in=everyone, category__isnull=False,
                                         category__is_prefer_not_to_say=False)
                   .values_list("category").annotate(n=Count("response", distinct=True)))
    pop_shares, with_baseline = population_shares(plan)
    totals_by_dim = defaultdict(lambda: [0, 0])
    cats = list(DimensionCategory.objects.filter(dimension__plan=plan)
                .values_list("pk", "label", "dimension__kind", "dimension_id"))
    for cat, _label, _kind, dim in cats:
        totals_by_dim[dim][0] += by_cat.get(cat, 0)
        totals_by_dim[dim][1] += all_cat.get(cat, 0)
    groups = []
    for cat, label, kind, dim in cats:
        if not by_cat.get(cat):
            continue
        sup_total, all_total = totals_by_dim[dim]
        share_of_all = all_cat.get(cat, 0) / all_total if all_total else 0
        groups.append({"kind": DimensionKind(kind).label, "label": label, "supporters": by_cat[cat],
                       "share_of_supporters": by_cat[cat] / sup_total if sup_total else 0,
                       "share_of_all": share_of_all,
                       "share_of_population": pop_shares.get(cat) if dim in with_baseline else None,
                       "share_of_community": flags.group_share(cat, share_of_all, pop_shares,
                                                               dim in with_baseline)})
    return groups


def _priority_rating(issue: Issue) -> dict | None:
    """Results of priorities-round rating questions about this issue."""
    answers = Answer.objects.filter(question__issue=issue, question__kind=QuestionKind.RATING,
                                    response__status="submitted")
    stats = answers.aggregate(n=Count("pk"), important=Count("pk", filter=_important()))
    if not stats["n"]:
        return None
    mean = answers.aggregate(mean=Avg("number"))["mean"]
    return {"answered": stats["n"], "mean": mean, "important": stats["important"],
            "important_share": stats["important"] / stats["n"],
            "important_label": flags.share_label(stats["important"], stats["n"])}


def _important():
    # 4 or 5 on a 1–5 scale: the top two points of whatever scale was used.
    return Q(number__gte=F("question__scale_max") - 1)


# --- where an issue came from --------------------------------------------------------------------
# Later apps say which issues reached the register their way (actions: raised by a resident from the
# public page after the plan was published), so the group sees the new evidence at a glance. Each
# origin takes the plan and a list of issue ids and answers {issue id: label}, in one query.
origins: Registry = Registry("issue origin", key=lambda origin: f"{origin.__module__}.{origin.__qualname__}")
register_issue_origin = origins.register


def issue_origins(plan: Plan, issue_ids: list[int]) -> dict[int, list[str]]:
    """The origin labels of each issue, one query per registered origin whatever the count."""
    found = defaultdict(list)
    if issue_ids:
        for origin in origins:
            for issue_id, label in origin(plan, issue_ids).items():
                found[issue_id].append(label)
    return dict(found)


def issues_register(plan: Plan) -> dict:
    """Every issue with its support and flags, in a fixed number of queries."""
    issues = list(Issue.objects.filter(plan=plan).with_support().select_related("theme")
                  .annotate(evidence_count=Count("questions", distinct=True)
                            + Count("evidence_items", distinct=True) + Count("meetings", distinct=True)))
    total, all_cat = _open_round_groups(plan)
    dim_of = dict(DimensionCategory.objects.filter(dimension__plan=plan).values_list("pk", "dimension_id"))
    all_by_dim = defaultdict(int)
    for cat, n in all_cat.items():
        all_by_dim[dim_of.get(cat)] += n
    per_issue = defaultdict(dict)
    for issue_id, cat, n in (Answer.objects.filter(category__isnull=False,
                                                   category__is_prefer_not_to_say=False,
                                                   response__answers__issues__plan=plan)
                             .values_list("response__answers__issues", "category")
                             .annotate(n=Count("response", distinct=True))):
        per_issue[issue_id][cat] = n
    labels = dict(DimensionCategory.objects.filter(dimension__plan=plan).values_list("pk", "label"))
    ratings = _ratings_by_issue(plan)
    population = population_shares(plan)
    origins = issue_origins(plan, [issue.pk for issue in issues])
    for issue in issues:
        issue.origins = origins.get(issue.pk, [])
        raters, important = ratings.get(issue.pk, (0, 0))
        mandate = flags.Mandate(raised=issue.support, respondents=total, raters=raters,
                                important=important)
        issue.share = issue.support / total if total else None
        issue.share_label = flags.share_label(issue.support, total)
        issue.mandate, issue.mandate_reason = mandate.is_clear, mandate.reason
        issue.minority_groups = _minority(per_issue.get(issue.pk, {}), all_cat, dim_of, all_by_dim,
                                          labels, population)
    return {"issues": issues, "respondents": total}


def _ratings_by_issue(plan: Plan) -> dict[int, tuple[int, int]]:
    """Priorities-round ratings of each issue: (people who rated it, of whom rated it important)."""
    rows = (Answer.objects.filter(question__issue__plan=plan, question__kind=QuestionKind.RATING,
                                  response__status="submitted")
            .values_list("question__issue")
            .annotate(n=Count("pk"), important=Count("pk", filter=_important())))
    return {issue_id: (n, important) for issue_id, n, important in rows}


def _open_round_groups(plan: Plan) -> tuple[int, dict]:
    """Respondents to the plan's open-round surveys, and how many gave each group ("prefer not
    to say" aside), added up from each survey's cached counts (consultation.analysis.counts): a response
    belongs to one survey, so the sums count people once, and no answer is read."""
    prefer_not = set(DimensionCategory.objects.filter(dimension__plan=plan, is_prefer_not_to_say=True)
                     .values_list("pk", flat=True))
    total, all_cat = 0, defaultdict(int)
    for survey in Survey.objects.filter(plan=plan, kind=SurveyKind.OPEN_ROUND).order_by("pk"):
        tables = counts.tables(survey)
        total += tables.total
        for (dim, cat), n in tables.groups.items():
            if dim != CHANNEL and cat not in prefer_not and n:
                all_cat[cat] += n
    return total, dict(all_cat)


def _minority(counts, all_cat, dim_of, all_by_dim, labels, population) -> list[str]:
    pop_shares, with_baseline = population
    by_dim = defaultdict(int)
    for cat, n in counts.items():
        by_dim[dim_of.get(cat)] += n
    found = []
    for cat, n in counts.items():
        dim = dim_of.get(cat)
        if not (by_dim[dim] and all_by_dim[dim]):
            continue
        community = flags.group_share(cat, all_cat.get(cat, 0) / all_by_dim[dim], pop_shares,
                                      dim in with_baseline)
        if flags.is_minority_need(n, n / by_dim[dim], community):
            found.append(labels.get(cat, ""))
    return found

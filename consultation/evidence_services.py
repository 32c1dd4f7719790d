"""Services for the Evidence analysis: baselines, representation reviews, coverage, themes, coding,
the issues register, priorities rounds and published free text. Views call these."""

import re
from collections import defaultdict

from django.db import transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clp.audit import AuditKind, audit_record
from clp.models import User
from consultation import flags
from consultation.models import (
    Answer,
    Dimension,
    DimensionCategory,
    DimensionKind,
    Question,
    QuestionKind,
    Response,
    Section,
    Survey,
    SurveyKind,
)
from consultation.models_evidence import (
    STARTER_THEMES,
    AnswerCoding,
    BaselineFigure,
    Issue,
    PopulationBaseline,
    PublishedText,
    RepresentationReview,
    Theme,
)
from plans.models import EventKind, Meeting, Plan
from plans.services import record
from plans.steps import CommunityGroup

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

# --- baselines and representation ---------------------------------------------------------------

@transaction.atomic
def baseline_save(*, dimension: Dimension, source: str, year: int, figures: dict[int, int],
                  actor: User) -> PopulationBaseline:
    """Store the population's split across a dimension (replacing earlier figures)."""
    baseline, _created = PopulationBaseline.objects.update_or_create(
        dimension=dimension, defaults={"source": source, "year": year, "updated_by": actor})
    baseline.figures.all().delete()
    BaselineFigure.objects.bulk_create(
        BaselineFigure(baseline=baseline, category_id=cat, count=n) for cat, n in figures.items())
    record(dimension.plan, actor, EventKind.CONTENT,
           _("Population figures for %(d)s: %(source)s") % {"d": dimension, "source": source})
    return baseline


@transaction.atomic
def dimension_groups_save(*, dimension: Dimension, retired: set[int], part_of: dict[int, int | None],
                          actor: User) -> None:
    """Retire groups or bring them back, and say which of the plan's own wider bands each
    census band is counted in (checked by the form: one level, never a band in itself)."""
    categories = list(dimension.categories.filter(is_prefer_not_to_say=False))
    for category in categories:
        category.retired = category.pk in retired
        category.part_of_id = part_of.get(category.pk)
    DimensionCategory.objects.bulk_update(categories, ["retired", "part_of"])
    names = [c.label for c in categories if c.retired]
    record(dimension.plan, actor, EventKind.CONTENT,
           _("Updated the groups of %(d)s") % {"d": dimension},
           reason=_("Retired: %(names)s") % {"names": ", ".join(names)} if names else "")


@transaction.atomic
def representation_review_record(*, plan: Plan, survey: Survey | None, note: str,
                                 actor: User) -> RepresentationReview:
    """A volunteer confirms the group has looked at who has and has not been heard."""
    review = RepresentationReview.objects.create(plan=plan, survey=survey, note=note, reviewed_by=actor)
    record(plan, actor, EventKind.CONTENT, _("Reviewed who has been heard"), reason=note)
    return review


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
    counts, consultation.counts), so no answer is read."""
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


# --- themes and coding -------------------------------------------------------------------------

def themes_ensure(plan: Plan) -> list[Theme]:
    """The plan's themes, starting from the starter list the first time."""
    if not plan.themes.exists():
        Theme.objects.bulk_create(Theme(plan=plan, name=name, keywords=words, position=i)
                                  for i, (name, words) in enumerate(STARTER_THEMES))
    return list(plan.themes.all())


@transaction.atomic
def coding_set(*, answer: Answer, themes: list[Theme], actor: User) -> None:
    """Set exactly these themes on one answer."""
    AnswerCoding.objects.filter(answer=answer).exclude(theme__in=themes).delete()
    existing = set(AnswerCoding.objects.filter(answer=answer).values_list("theme_id", flat=True))
    AnswerCoding.objects.bulk_create(AnswerCoding(answer=answer, theme=t, coded_by=actor)
                                     for t in themes if t.pk not in existing)


@transaction.atomic
def coding_save_page(*, plan: Plan, choices: dict[int, list[int]], actor: User) -> int:
    """Save a page of coding decisions {answer id: [theme ids]}; returns how many answers now
    have at least one theme (answers left with none stay in the queue)."""
    themes = {t.pk: t for t in plan.themes.all()}
    answers = Answer.objects.filter(pk__in=choices, question__survey__plan=plan)
    coded = 0
    for answer in answers:
        chosen = [themes[t] for t in choices[answer.pk] if t in themes]
        coding_set(answer=answer, themes=chosen, actor=actor)
        coded += bool(chosen)
    if coded:
        record(plan, actor, EventKind.CONTENT, _("Coded %(n)s answers into themes") % {"n": coded})
    return coded


@transaction.atomic
def coding_bulk(*, plan: Plan, answers, theme: Theme, actor: User) -> int:
    """Add one theme to every answer in `answers` (e.g. all that mention "bus")."""
    ids = list(answers.values_list("pk", flat=True))
    existing = set(AnswerCoding.objects.filter(answer_id__in=ids, theme=theme)
                   .values_list("answer_id", flat=True))
    AnswerCoding.objects.bulk_create(AnswerCoding(answer_id=pk, theme=theme, coded_by=actor)
                                     for pk in ids if pk not in existing)
    added = len(ids) - len(existing)
    record(plan, actor, EventKind.CONTENT,
           _("Coded %(n)s answers as %(theme)s") % {"n": added, "theme": theme})
    return added


def suggested_themes(text: str, themes: list[Theme]) -> list[Theme]:
    lowered = text.lower()
    return [t for t in themes if any(k in lowered for k in t.keyword_list())]


# --- issues ------------------------------------------------------------------------------------

@transaction.atomic
def issue_save(*, issue: Issue, actor: User, created: bool) -> Issue:
    if created:
        issue.created_by = actor
    issue.save()
    record(issue.plan, actor, EventKind.CONTENT,
           (_("Added issue: %(t)s") if created else _("Updated issue: %(t)s")) % {"t": issue.title})
    return issue


@transaction.atomic
def issue_link_answers(*, issue: Issue, answer_ids: list[int], actor: User) -> int:
    answers = list(Answer.objects.filter(pk__in=answer_ids, question__survey__plan=issue.plan))
    issue.answers.add(*answers)
    issue.save(update_fields=["updated_at"])  # the issue was looked at again
    record(issue.plan, actor, EventKind.CONTENT,
           _("Linked %(n)s answers to issue: %(t)s") % {"n": len(answers), "t": issue.title})
    return len(answers)


@transaction.atomic
def issue_unlink_answer(*, issue: Issue, answer_id: int, actor: User) -> None:
    issue.answers.remove(answer_id)


@transaction.atomic
def issue_delete(*, issue: Issue, actor: User) -> None:
    plan, title = issue.plan, issue.title
    issue.delete()
    record(plan, actor, EventKind.CONTENT, _("Removed issue: %(t)s") % {"t": title})


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


@transaction.atomic
def priorities_round_create(*, plan: Plan, issues: list[Issue], title: str, actor: User) -> Survey:
    """A draft survey asking residents to rate how important each chosen issue is."""
    survey = Survey.objects.create(plan=plan, title=title, kind=SurveyKind.PRIORITIES,
                                   created_by=actor,
                                   intro=_("Earlier, people told us about these issues. Please tell "
                                           "us how important it is to tackle each one."))
    section = Section.objects.create(survey=survey, title=_("How important is each issue?"), position=0)
    for i, issue in enumerate(issues):
        Question.objects.create(
            survey=survey, section=section, kind=QuestionKind.RATING, position=i, issue=issue,
            text=_("How important is it to tackle: %(t)s?") % {"t": issue.title},
            help_text=issue.description[:500], scale_min=1, scale_max=5,
            scale_min_label=_("Not important"), scale_max_label=_("Very important"))
    record(plan, actor, EventKind.CONTENT,
           _("Priorities round survey drafted from %(n)s issues") % {"n": len(issues)})
    return survey


# --- published free text -------------------------------------------------------------------------

@transaction.atomic
def text_publish(*, answer: Answer, text: str, actor: User) -> PublishedText:
    published, _created = PublishedText.objects.update_or_create(
        answer=answer, defaults={"text": text, "approved_by": actor, "approved_at": timezone.now()})
    audit_record(kind=AuditKind.PUBLICATION, actor=actor, target=answer,
                 summary="Free-text answer approved for publication, as redacted")
    return published


@transaction.atomic
def text_unpublish(*, answer: Answer, actor: User) -> None:
    PublishedText.objects.filter(answer=answer).delete()


# --- where an issue came from --------------------------------------------------------------------
# Later apps say which issues reached the register their way (actions: raised by a resident from the
# public page after the plan was published), so the group sees the new evidence at a glance. Each
# origin takes the plan and a list of issue ids and answers {issue id: label}, in one query.
_ORIGINS: list = []


def register_issue_origin(origin) -> None:
    if origin not in _ORIGINS:
        _ORIGINS.append(origin)


def issue_origins(plan: Plan, issue_ids: list[int]) -> dict[int, list[str]]:
    """The origin labels of each issue, one query per registered origin whatever the count."""
    found = defaultdict(list)
    if issue_ids:
        for origin in _ORIGINS:
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
    to say" aside), added up from each survey's cached counts (consultation.counts): a response
    belongs to one survey, so the sums count people once, and no answer is read."""
    from consultation import counts
    from consultation.suppression import CHANNEL

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


@transaction.atomic
def results_set_published(*, survey: Survey, published: bool, actor: User) -> None:
    """Show or hide the survey's results (suppressed, approved text only) on the public page."""
    Survey.objects.filter(pk=survey.pk).update(results_published=published)
    audit_record(kind=AuditKind.PUBLICATION, actor=actor, target=survey,
                 summary="Survey results published" if published else "Survey results withdrawn")
    record(survey.plan, actor, EventKind.CONTENT,
           (_("Published the results of %(s)s") if published else _("Withdrew the results of %(s)s"))
           % {"s": survey.title})

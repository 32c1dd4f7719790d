"""Demo surveys with hundreds of responses for every community at or past the Evidence step, then
the analysis done on them: Census-style baselines, themes, coded answers, issues and reviews.

Bramley Green's household questionnaire is deliberately answered mostly by older residents, so
the analysis has a skew to find. Responses are generated with a fixed seed and bulk-inserted.

The support organisation's question bank is seeded here too, and three communities' surveys
carry copies of its questions (added as a steering group would, with "Add a standard
question"), so the portfolio's comparison page has rows to show: Cheriton Market's and Eastfield
Ward's large household surveys, and Kingsley Vale's small open round, whose small numbers the
public results hide.
"""

import random
from datetime import timedelta

from django.utils import timezone

from consultation import services
from consultation.analysis import counts
from consultation.models import (
    AccessCode,
    AccessMode,
    Answer,
    AnswerPart,
    Channel,
    Dimension,
    DimensionKind,
    Issue,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    StandardQuestion,
    Survey,
    SurveyStatus,
)
from consultation.models.starters import STARTERS
from consultation.services import bank as bank_services
from consultation.services import evidence as evidence_services
from plans.models import Plan

# community slug → [(starter, status, responses, weeks ago opened, older-skewed?)]
PLAN_SURVEYS = {
    "bramley-green": [("love_hate", SurveyStatus.CLOSED, 140, 10, False),
                      ("household", SurveyStatus.OPEN, 320, 4, True),
                      ("youth", SurveyStatus.DRAFT, 0, 0, False)],
    "cheriton-market": [("household", SurveyStatus.CLOSED, 460, 16, False),
                        ("business", SurveyStatus.CLOSED, 110, 14, False),
                        ("priorities", SurveyStatus.OPEN, 190, 3, False)],
    "eastfield-ward": [("household", SurveyStatus.CLOSED, 380, 40, False),
                       ("priorities", SurveyStatus.CLOSED, 210, 30, False)],
    # A small parish's short open round: few enough answers that its published results hide
    # small numbers. Only its results are published (no analysis), see _seed_small.
    "kingsley-vale": [("love_hate", SurveyStatus.CLOSED, 24, 70, False)],
}
SMALL = {"kingsley-vale"}
# (kind, text, choices, extra fields): the support organisation's standard questions.
BANK = [
    ("single", "How safe do you feel walking around the village after dark?",
     ["Very safe", "Fairly safe", "A bit unsafe", "Very unsafe"], {"required": True}),
    ("yes_no", "Would you use a community minibus for appointments and shopping?", [], {}),
    ("rating", "How would you rate your broadband?", [],
     {"scale_min_label": "Very poor", "scale_max_label": "Very good"}),
    ("demographic", "How old are you?", [], {"dimension_kind": "age"}),
]
# (community slug, starter) → the bank questions (by their first words) that survey asks.
BANK_COPIES = {
    ("cheriton-market", "household"): ["How safe", "Would you use", "How would you rate your"],
    ("eastfield-ward", "household"): ["How safe", "Would you use"],
    ("kingsley-vale", "love_hate"): ["How safe", "Would you use"],
}
TITLES = {"love_hate": "Love it, hate it: what do you think of %s?",
          "household": "%s household questionnaire", "youth": "%s young people's survey",
          "business": "%s business survey", "priorities": "%s: what matters most?"}
CHANNELS = [(Channel.ONLINE, 52), (Channel.PAPER, 34), (Channel.INTERVIEW, 6), (Channel.EVENT, 6),
            (Channel.YOUTH_FORUM, 2)]
AGE_BALANCED = [1, 3, 3, 8, 27, 30, 16, 9, 3]
AGE_OLDER = [0, 1, 1, 2, 7, 20, 34, 32, 3]
LOVES = [
    "The green and the views across the fields.", "Friendly neighbours who look out for each other.",
    "It is quiet and safe for the children.", "The village shop and post office.",
    "Walks straight from the front door.", "The pub quiz and the summer fete.",
    "Knowing people by name.", "The church and the old school building.",
    "Wildlife: we see deer and owls.", "The primary school is excellent.",
]
HATES = [
    "Speeding traffic on the main road, especially at school time.",
    "The bus only runs twice a day and not at all on Sundays.",
    "Nowhere affordable for my children to live locally.", "Dog mess on the footpaths.",
    "Mobile signal and broadband are terrible.", "Lorries using the lanes as a short cut.",
    "Nothing for teenagers to do in the evenings.", "Parking on the pavements near the shop.",
    "Potholes everywhere.", "Flooding on the lane every winter.",
]
IDEAS = [
    "A 20 mph limit through the village.", "A community minibus for appointments.",
    "Small homes for local young people and for downsizing.", "A youth shelter on the rec.",
    "Better broadband, even if we club together.", "A speed watch group.",
    "More benches along the river walk.", "A monthly market on the green.", "",
]
OTHERS = ["Farm shop", "Allotments", "Mobile library", "Flooding", "Noise from the bypass"]
# Age bands of each community's population (Census-style), scaled to its population.
AGE_SHARES = {"Under 11": 0, "11 to 15": 60, "16 to 17": 25, "18 to 24": 75, "25 to 44": 230,
              "45 to 64": 300, "65 to 74": 170, "75 or over": 140}
ISSUES = [
    ("Speeding traffic through the village", "Transport and roads", "speeding",
     "Cars and lorries drive too fast on the main road and lanes, especially at school times.",
     "Families walking to school, older people crossing the road"),
    ("Poor bus service", "Transport and roads", "bus",
     "Buses are too infrequent to get to work, appointments or college.",
     "People without a car, young people, older people"),
    ("No affordable homes for local people", "Housing", "affordable",
     "Young adults and older people wanting to downsize cannot find homes they can afford here.",
     "Young adults, older people"),
    ("Nothing for teenagers to do", "Young people", "teenagers",
     "There is nowhere for teenagers to meet in the evenings.", "Young people and their families"),
    ("Slow broadband and poor mobile signal", "Local economy", "broadband",
     "Working from home and running a business are hard with the current connections.",
     "Home workers, businesses, students"),
]



def seed_bank(officer, organisation) -> None:
    for kind, text, options, extra in BANK:
        StandardQuestion.objects.get_or_create(organisation=organisation, text=text, defaults={
            "kind": kind, "options": options, "created_by": officer, **extra})


def seed(context: dict) -> None:
    officer = context["officer"]
    seed_bank(officer, context["organisation"])
    for slug, specs in PLAN_SURVEYS.items():
        plan = Plan.objects.filter(community=context["communities"][slug]).select_related(
            "community").first()
        if plan is None or plan.surveys.exists():
            continue
        rng = random.Random(slug)
        volunteers = [m.user for m in plan.memberships.active().select_related("user")] or [officer]
        for starter, status, count, weeks, older in specs:
            _survey(plan, starter, status, count, weeks, older, volunteers, rng)
    _seed_evidence(context)


def _survey(plan, starter, status, count, weeks, older, volunteers, rng) -> Survey:
    chair = volunteers[0]
    title = TITLES[starter] % plan.community.name
    survey = services.survey_create(plan=plan, title=title, kind=STARTERS[starter]["kind"],
                                    actor=chair, starter=starter)
    if starter == "household":
        survey.access = AccessMode.BOTH
        services.survey_update(survey=survey, actor=chair, changed=[])
    _add_standards(survey, BANK_COPIES.get((plan.community.slug, starter), []), chair)
    if status == SurveyStatus.DRAFT:
        return survey
    if survey.uses_codes:
        services.codes_generate(survey=survey, count=min(plan.community.households or 300, 600),
                                batch="Delivered with the parish newsletter", actor=chair)
    services.survey_open(survey=survey, actor=chair)
    opened = timezone.now() - timedelta(weeks=weeks)
    _respond(survey, count, opened, AGE_OLDER if older else AGE_BALANCED, volunteers, rng)
    if status == SurveyStatus.CLOSED:
        services.survey_close(survey=survey, actor=chair)
        closed = opened + timedelta(weeks=6)
        Survey.objects.filter(pk=survey.pk).update(closed_at=closed, closes_on=closed.date())
    Survey.objects.filter(pk=survey.pk).update(opened_at=opened, milestone_notified=_milestone(count))
    return survey


def _add_standards(survey, beginnings, chair) -> None:
    """Copy bank questions to the survey's last page, as "Add a standard question" does."""
    if not beginnings:
        return
    section = survey.sections.order_by("-position", "-pk").first()
    offered = list(bank_services.standards_for(survey.plan))
    for beginning in beginnings:
        standard = next(s for s in offered if s.text.startswith(beginning))
        bank_services.standard_question_add(standard=standard, section=section, actor=chair)


def _milestone(count: int) -> int:
    return max((m for m in services.MILESTONES if m <= count), default=0)


def _respond(survey, count, opened, ages, volunteers, rng) -> None:
    questions = survey.ordered_questions()
    codes = list(survey.codes.all()) if survey.uses_codes else []
    rng.shuffle(codes)
    span = max(1, min(6 * 7 * 24, int((timezone.now() - opened).total_seconds() // 3600) - 1))
    responses, used = [], []
    for _i in range(count):
        channel = rng.choices([c for c, _w in CHANNELS], [w for _c, w in CHANNELS])[0]
        code = codes.pop() if codes and rng.random() < 0.7 else None
        if code:
            used.append(code.pk)
        responses.append(Response(
            survey=survey, channel=channel, code=code, status=ResponseStatus.SUBMITTED,
            entered_by=None if channel == Channel.ONLINE else rng.choice(volunteers),
            submitted_at=opened + timedelta(hours=int(span * rng.random() ** 1.6)),
            started_at=opened))
    responses.sort(key=lambda r: r.submitted_at)
    for response, number in zip(responses, Response.take_numbers(survey.pk, len(responses)), strict=True):
        response.number = number
    responses = Response.objects.bulk_create(responses)
    answers = [a for r in responses for q in questions for a in _answers(q, r, ages, rng)]
    Answer.objects.bulk_create(answers, batch_size=2000)
    AccessCode.objects.filter(pk__in=used).update(used_at=opened + timedelta(days=3))
    counts.changed(survey.pk)


def _answers(q: Question, response: Response, ages: list[int], rng) -> list[Answer]:
    if not q.required and rng.random() < 0.12:
        return []
    options = [o for o in q.options.all() if not o.is_other]
    other = next((o for o in q.options.all() if o.is_other), None)
    make = lambda **kw: Answer(response_id=response.pk, question_id=q.pk, **kw)  # noqa: E731
    if q.kind == QuestionKind.LOVE_HATE:
        return [make(part=AnswerPart.LOVE, text=rng.choice(LOVES)),
                make(part=AnswerPart.HATE, text=rng.choice(HATES))][: rng.choice([1, 2, 2, 2])]
    if q.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        text = rng.choice(IDEAS + HATES[:3])
        return [make(text=text)] if text else []
    if q.kind == QuestionKind.RATING:
        weights = [8, 15, 30, 30, 17] if len(q.scale()) == 5 else None
        return [make(number=rng.choices(q.scale(), weights)[0])]
    if q.kind == QuestionKind.YES_NO:
        return [make(number=1 if rng.random() < 0.64 else 0)]
    if q.kind == QuestionKind.RANKING:
        order = sorted(options, key=lambda o: o.position + rng.gauss(0, 1.6))
        return [make(option_id=o.pk, number=n) for n, o in enumerate(order, start=1)]
    return _choices(q, options, other, ages, rng, make)


def _choices(q, options, other, ages, rng, make) -> list[Answer]:
    if q.kind == QuestionKind.DEMOGRAPHIC:
        if q.dimension.kind == DimensionKind.AGE and len(options) == len(ages):
            picked = [rng.choices(options, ages)[0]]
        elif q.dimension.allows_several:
            picked = [options[0]] + [o for o in options[1:-1] if rng.random() < 0.2]
        else:
            weights = [8] * (len(options) - 1) + [1]
            weights[min(len(weights) - 2, 3 if q.dimension.kind == DimensionKind.ETHNICITY else 0)] = 40
            picked = [rng.choices(options, weights)[0]]
        return [make(option_id=o.pk, category_id=o.category_id) for o in picked]
    if other and rng.random() < 0.06:
        return [make(option_id=other.pk, text=rng.choice(OTHERS))]
    if q.allows_several:
        picked = [o for o in options if rng.random() < 0.4] or [rng.choice(options)]
        return [make(option_id=o.pk) for o in picked]
    weights = [len(options) - i + 2 for i in range(len(options))]
    return [make(option_id=rng.choices(options, weights)[0].pk)]


# --- the analysis -----------------------------------------------------------------------------

def _seed_evidence(context: dict) -> None:
    """After the surveys and responses exist: baselines, themes, coding, issues, reviews."""
    officer = context["officer"]
    plans = (Plan.objects.filter(surveys__isnull=False).exclude(community__slug__in=SMALL)
             .distinct().select_related("community"))
    for plan in plans:
        if plan.themes.exists():
            continue  # already seeded
        people = list(plan.memberships.active().select_related("user"))
        volunteer = people[0].user if people else officer
        _baseline(plan, volunteer)
        themes = {t.name: t for t in evidence_services.themes_ensure(plan)}
        _code(plan, themes, volunteer)
        if plan.step in ("understanding",):
            _issues(plan, themes, volunteer, ISSUES[:2])
        else:
            _issues(plan, themes, volunteer, ISSUES)
            evidence_services.representation_review_record(
                plan=plan, survey=None, actor=volunteer,
                note="Young people were under-represented: we ran a youth forum and a school survey.")
            _publish(plan, volunteer)
    _seed_small(context)


def _seed_small(context: dict) -> None:
    """The small parishes' rounds are only published: nothing to analyse in two dozen answers."""
    for survey in Survey.objects.filter(plan__community__slug__in=SMALL, status="closed",
                                        results_published=False).select_related("plan"):
        people = [m.user for m in survey.plan.memberships.active().select_related("user")]
        evidence_services.results_set_published(survey=survey, published=True,
                                                actor=people[0] if people else context["officer"])


def _baseline(plan, actor) -> None:
    dimension = Dimension.objects.filter(plan=plan, kind=DimensionKind.AGE).first()
    if dimension is None:
        return
    scale = (plan.community.population or 1000) / sum(AGE_SHARES.values())
    figures = {c.pk: round(AGE_SHARES[c.label] * scale) for c in dimension.categories.all()
               if c.label in AGE_SHARES}
    evidence_services.baseline_save(dimension=dimension, source="Census, table TS007 (age)",
                                    year=2021, figures=figures, actor=actor)


def _code(plan, themes, actor) -> None:
    """Code answers by keyword, as a volunteer using "code many at once" would."""
    answers = (Answer.objects.filter(question__survey__plan=plan, response__status="submitted")
               .exclude(text=""))
    for theme in themes.values():
        for word in theme.keyword_list()[:4]:
            matching = answers.filter(text__icontains=word)
            if matching.exists():
                evidence_services.coding_bulk(plan=plan, answers=matching, theme=theme, actor=actor)


def _issues(plan, themes, actor, specs) -> None:
    for title, theme, word, description, who in specs:
        issue = evidence_services.issue_save(
            issue=Issue(plan=plan, title=title, description=description, who_affected=who,
                        theme=themes.get(theme)), actor=actor, created=True)
        ids = list(Answer.objects.filter(question__survey__plan=plan, response__status="submitted",
                                         text__icontains=word).values_list("pk", flat=True)[:400])
        evidence_services.issue_link_answers(issue=issue, answer_ids=ids, actor=actor)


def _publish(plan, actor) -> None:
    survey = Survey.objects.filter(plan=plan, status="closed", kind="open").first()
    if survey is None:
        return
    evidence_services.results_set_published(survey=survey, published=True, actor=actor)
    for answer in Answer.objects.filter(question__survey=survey, response__status="submitted",
                                        part="hate").exclude(text="")[:5]:
        evidence_services.text_publish(answer=answer, text=answer.text, actor=actor)

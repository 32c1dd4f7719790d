"""Demo data for the analysis: Census-style baselines, themes, coded answers, issues and reviews.

Called at the end of consultation.demo.seed, after the surveys and responses exist.
"""

from consultation import evidence_services
from consultation.models import Answer, Dimension, DimensionKind, Survey
from consultation.models_evidence import Issue
from plans.models import Plan

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


def seed(context: dict) -> None:
    officer = context["officer"]
    for plan in Plan.objects.filter(surveys__isnull=False).distinct().select_related("community"):
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

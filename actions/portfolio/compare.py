"""A standard question's answers compared across the portfolio's communities.

Each row is one survey's copy of the question (`Question.standard`), showing exactly the figures
that survey's public results show: they come from `consultation.analysis.results_for(survey,
viewer=None)`, so the survey's own Disclosure hides small numbers and whatever would let them be
worked out, and no second rule is involved. Nothing is added up across communities, so choosing a
different set of communities (a district, a page) changes which rows are shown, never a figure in
a row: comparing two selections cannot reveal a hidden count.

Who sees which surveys: everyone (the public, councillors, partner contacts) sees surveys whose
results the steering group has published; the organisation's support officers also see surveys
that have opened but not yet published results, under the same public rules.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from consultation import analysis
from consultation.models import CHOICE_KINDS, Question, QuestionKind, StandardQuestion, SurveyStatus
from consultation.models.starters import DIMENSIONS, PREFER_NOT_TO_SAY
from consultation.services.base import OTHER_LABEL

PAGE_SIZE = 20


@dataclass
class Column:
    key: object  # an option's label (casefolded) or a score
    label: str


@dataclass
class ComparedRow:
    question: Question
    result: analysis.QuestionResult
    cells: list = field(default_factory=list)  # a Cell per column, or None: not asked there
    limit: int | None = None

    @property
    def survey(self):
        return self.question.survey

    @property
    def community(self):
        return self.question.survey.plan.community

    @property
    def published(self) -> bool:
        return self.question.survey.results_published

    @property
    def asked_differently(self) -> bool:
        """The parish changed the wording: the row shows what it asked."""
        return self.question.text.strip() != self.question.standard.text.strip()


def option_labels(standard: StandardQuestion) -> list[str]:
    """The answers the bank offers, as the copies are made from them."""
    if standard.kind == QuestionKind.DEMOGRAPHIC and not standard.options:
        spec = DIMENSIONS.get(standard.dimension_kind, {"categories": []})
        return [str(c) for c in spec["categories"]] + [str(PREFER_NOT_TO_SAY)]
    labels = list(standard.options)
    if standard.kind == QuestionKind.DEMOGRAPHIC:
        labels = [x for x in labels if x.casefold() != str(PREFER_NOT_TO_SAY).casefold()]
        labels.append(str(PREFER_NOT_TO_SAY))
    if standard.allow_other and standard.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        labels.append(OTHER_LABEL)
    return labels


def columns(standard: StandardQuestion) -> list[Column]:
    if standard.kind == QuestionKind.YES_NO:
        return [Column(1, _("Yes")), Column(0, _("No"))]
    if standard.kind == QuestionKind.RATING:
        return [Column(n, str(n)) for n in range(standard.scale_min, standard.scale_max + 1)]
    if standard.kind in CHOICE_KINDS:
        return [Column(label.casefold(), label) for label in option_labels(standard)]
    return []  # free text: how many people wrote something


def copies(standard: StandardQuestion, *, unpublished: bool, district: str = ""):
    """The surveys' copies of the question in the organisation's portfolio, by community."""
    questions = (Question.objects.filter(
        standard=standard, survey__plan__community__organisations=standard.organisation)
        .exclude(survey__status=SurveyStatus.DRAFT))
    if not unpublished:
        questions = questions.filter(survey__results_published=True)
    if district:
        questions = questions.filter(survey__plan__community__district=district)
    return (questions.select_related("survey__plan__community", "standard")
            .order_by("survey__plan__community__name", "-survey__opened_at", "pk"))


def districts(standard: StandardQuestion, *, unpublished: bool) -> list[str]:
    found = copies(standard, unpublished=unpublished).exclude(survey__plan__community__district="")
    return sorted(set(found.values_list("survey__plan__community__district", flat=True)))


def rows(questions, standard: StandardQuestion) -> list[ComparedRow]:
    """Each copy's result as the public sees it, with its cells lined up under the columns."""
    wanted = columns(standard)
    by_number = standard.kind in (QuestionKind.YES_NO, QuestionKind.RATING)
    compared = []
    for question in questions:
        results = analysis.results_for(question.survey, viewer=None)
        result = next(r for r in results.questions if r.question.pk == question.pk)
        found = {(c.value if by_number else c.label.casefold()): c for c in result.cells}
        compared.append(ComparedRow(question=question, result=result, limit=results.limit,
                                    cells=[found.get(col.key) for col in wanted]))
    return compared


def in_use(organisation):
    """The organisation's standard questions with how many surveys of its portfolio ask each."""
    asked = Q(copies__survey__plan__community__organisations=organisation,
              copies__survey__status__in=[SurveyStatus.OPEN, SurveyStatus.CLOSED])
    return (StandardQuestion.objects.filter(organisation=organisation)
            .annotate(surveys=Count("copies", filter=asked, distinct=True),
                      published=Count("copies", distinct=True, filter=asked & Q(
                          copies__survey__results_published=True)))
            .order_by("retired", "text", "pk"))

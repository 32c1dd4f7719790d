"""Services for the Evidence analysis: baselines, representation reviews, themes, coding, the
issues register, priorities rounds and published free text. Views call these; each writes the
plan's history. What they show is worked out, read-only, in consultation.analysis (coverage,
issues)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clp.audit import AuditKind, audit_record
from clp.models import User
from consultation.models import (
    STARTER_THEMES,
    Answer,
    AnswerCoding,
    BaselineFigure,
    Dimension,
    DimensionCategory,
    Issue,
    PopulationBaseline,
    PublishedText,
    Question,
    QuestionKind,
    RepresentationReview,
    Section,
    Survey,
    SurveyKind,
    Theme,
)
from plans.models import EventKind, Plan
from plans.services import record

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


@transaction.atomic
def theme_save(*, theme: Theme, actor: User, created: bool) -> Theme:
    """Add a theme to the plan's list, or save its new name and keywords."""
    theme.save()
    record(theme.plan, actor, EventKind.CONTENT,
           (_("Added theme: %(t)s") if created else _("Updated theme: %(t)s")) % {"t": theme.name})
    return theme


def suggested_themes(text: str, themes: list[Theme]) -> list[Theme]:
    lowered = text.lower()
    return [t for t in themes if any(k in lowered for k in t.keyword_list())]


# --- issues ------------------------------------------------------------------------------------

@transaction.atomic
def issue_save(*, issue: Issue, actor: User, created: bool, links: dict | None = None) -> Issue:
    """Save an issue and, with `links` ({"questions": [...], "meetings": [...], ...}), exactly the
    evidence it rests on, in one transaction with its history row."""
    if created:
        issue.created_by = actor
    issue.save()
    for name, items in (links or {}).items():
        getattr(issue, name).set(items)
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
    issue.save(update_fields=["updated_at"])
    record(issue.plan, actor, EventKind.CONTENT,
           _("Unlinked an answer from issue: %(t)s") % {"t": issue.title})


@transaction.atomic
def issue_delete(*, issue: Issue, actor: User) -> None:
    plan, title = issue.plan, issue.title
    issue.delete()
    record(plan, actor, EventKind.CONTENT, _("Removed issue: %(t)s") % {"t": title})


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
    record(answer.question.survey.plan, actor, EventKind.CONTENT,
           _("Approved a written answer to “%(q)s” for publication") % {"q": answer.question.text})
    return published


@transaction.atomic
def text_unpublish(*, answer: Answer, actor: User) -> None:
    deleted, _rows = PublishedText.objects.filter(answer=answer).delete()
    if not deleted:
        return  # already withdrawn
    audit_record(kind=AuditKind.PUBLICATION, actor=actor, target=answer,
                 summary="Free-text answer withdrawn from publication")
    record(answer.question.survey.plan, actor, EventKind.CONTENT,
           _("Withdrew a written answer to “%(q)s” from publication") % {"q": answer.question.text})


@transaction.atomic
def results_set_published(*, survey: Survey, published: bool, actor: User) -> None:
    """Show or hide the survey's results (suppressed, approved text only) on the public page."""
    Survey.objects.filter(pk=survey.pk).update(results_published=published)
    audit_record(kind=AuditKind.PUBLICATION, actor=actor, target=survey,
                 summary="Survey results published" if published else "Survey results withdrawn")
    record(survey.plan, actor, EventKind.CONTENT,
           (_("Published the results of %(s)s") if published else _("Withdrew the results of %(s)s"))
           % {"s": survey.title})

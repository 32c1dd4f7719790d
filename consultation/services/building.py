"""Building surveys: dimensions, surveys and their lifecycle, pages and questions."""


from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clp.exceptions import Refused
from clp.models import User
from consultation.analysis import groups
from consultation.models import (
    Answer,
    Dimension,
    DimensionCategory,
    Option,
    Question,
    QuestionKind,
    Section,
    Survey,
    SurveyStatus,
)
from consultation.models.starters import DIMENSIONS, PREFER_NOT_TO_SAY, STARTERS
from consultation.services.base import OTHER_LABEL, record_event
from plans import services as plan_services
from plans.models import EventKind, Plan

# --- dimensions ---------------------------------------------------------------------------------

def dimension_for(*, plan: Plan, kind: str) -> Dimension:
    """The plan's dimension of this kind, created with its standard groups the first time."""
    dimension, created = Dimension.objects.get_or_create(plan=plan, kind=kind)
    if created:
        labels = [str(label) for label in DIMENSIONS[kind]["categories"]]
        categories = [DimensionCategory(dimension=dimension, label=label, position=i)
                      for i, label in enumerate(labels)]
        categories.append(DimensionCategory(dimension=dimension, label=str(PREFER_NOT_TO_SAY),
                                            position=len(labels), is_prefer_not_to_say=True))
        DimensionCategory.objects.bulk_create(categories)
    return dimension


# --- surveys ------------------------------------------------------------------------------------

@transaction.atomic
def survey_create(*, plan: Plan, title: str, kind: str, actor: User, starter: str = "") -> Survey:
    """Start a draft survey, blank (one empty page) or copied from a starter template."""
    survey = Survey.objects.create(
        plan=plan, title=title, kind=kind, created_by=actor,
        run_by=_("the %(name)s community plan steering group") % {"name": plan.community.name},
    )
    if starter:
        for position, spec in enumerate(STARTERS[starter]["sections"], start=1):
            section = Section.objects.create(survey=survey, title=str(spec["title"]),
                                             intro=str(spec["intro"]), position=position)
            for q_position, q in enumerate(spec["questions"], start=1):
                _question_from_spec(section, q, q_position)
    else:
        Section.objects.create(survey=survey, title=_("Your views"), position=1)
    record_event(survey, actor, _("Created the survey “%(title)s”") % {"title": title})
    return survey


def _question_from_spec(section: Section, spec: dict, position: int) -> Question:
    scale = spec["scale"] or (1, 5, "", "")
    return question_create(
        section=section, kind=spec["kind"], actor=None, dimension_kind=spec["dimension"],
        options=[str(o) for o in spec["options"]], position=position,
        fields={"text": str(spec["text"]), "help_text": str(spec["help"]),
                "required": spec["required"], "allow_other": spec["other"],
                "scale_min": scale[0], "scale_max": scale[1],
                "scale_min_label": str(scale[2]), "scale_max_label": str(scale[3])},
    )


@transaction.atomic
def survey_update(*, survey: Survey, actor: User, changed: list[str]) -> Survey:
    """Save the survey's settings (the form has set them on `survey`)."""
    survey.save()
    if changed:
        record_event(survey, actor, _("Survey “%(title)s”: changed %(fields)s")
                % {"title": survey.title, "fields": ", ".join(changed)})
    return survey


@transaction.atomic
def survey_duplicate(*, survey: Survey, actor: User) -> Survey:
    """Copy a survey's pages and questions into a new draft (no responses, no codes)."""
    copy = Survey.objects.create(
        plan=survey.plan, title=(_("Copy of %(title)s") % {"title": survey.title})[:200],
        kind=survey.kind, intro=survey.intro, access=survey.access, run_by=survey.run_by,
        contact=survey.contact, retention=survey.retention, created_by=actor,
    )
    for section in survey.sections.prefetch_related("questions__options"):
        new_section = Section.objects.create(survey=copy, title=section.title, intro=section.intro,
                                             position=section.position)
        for question in section.questions.all():
            _copy_question(question, new_section, question.position)
    record_event(copy, actor, _("Copied the survey “%(title)s”") % {"title": survey.title})
    return copy


def _copy_question(question: Question, section: Section, position: int) -> Question:
    options = list(question.options.all())
    question.pk = None
    question.survey_id, question.section, question.position = section.survey_id, section, position
    question.save()
    Option.objects.bulk_create([
        Option(question=question, label=o.label, position=o.position, is_other=o.is_other,
               category_id=o.category_id) for o in options
    ])
    return question


@transaction.atomic
def survey_open(*, survey: Survey, actor: User) -> Survey:
    """Open the survey to residents (from draft, or again after closing)."""
    locked = Survey.objects.select_for_update().select_related("plan").get(pk=survey.pk)
    if locked.status == SurveyStatus.OPEN:
        return locked
    if not locked.questions.exists():
        raise Refused(_("Add at least one question before opening the survey."))
    if locked.closes_on and locked.closes_on < timezone.localdate():
        raise Refused(_("The closing date has passed. Change it in the survey settings first."))
    locked.open()
    locked.save()
    record_event(locked, actor, _("Opened the survey “%(title)s”") % {"title": locked.title})
    return locked


@transaction.atomic
def survey_close(*, survey: Survey, actor: User | None) -> Survey:
    """Stop collecting answers. Paper returns can still be keyed in afterwards."""
    locked = Survey.objects.select_for_update().select_related("plan").get(pk=survey.pk)
    if locked.status != SurveyStatus.OPEN:
        return locked
    locked.close()
    locked.save()
    record_event(locked, actor, _("Closed the survey “%(title)s”") % {"title": locked.title})
    return locked


@transaction.atomic
def survey_delete(*, survey: Survey, actor: User) -> None:
    """Delete a survey that has never collected anything."""
    if survey.responses.exists():
        raise Refused(_("This survey has answers, so it cannot be deleted. Close it instead."))
    title = survey.title
    plan = survey.plan
    survey.delete()
    plan_services.record(plan, actor, EventKind.CONTENT,
                         _("Deleted the survey “%(title)s”") % {"title": title})


# --- sections -----------------------------------------------------------------------------------

@transaction.atomic
def section_save(*, section: Section, actor: User, created: bool) -> Section:
    if created:
        last = section.survey.sections.aggregate(m=Max("position"))["m"] or 0
        section.position = last + 1
    section.save()
    return section


@transaction.atomic
def section_delete(*, section: Section, actor: User) -> None:
    """Delete a page and its questions, unless any of them has answers."""
    survey = section.survey
    if survey.sections.count() == 1:
        raise Refused(_("A survey needs at least one page."))
    answered = Answer.objects.filter(question__section=section).count()
    if answered:
        raise Refused(_("Questions on this page have %(n)s answers, so it cannot be deleted.")
                      % {"n": answered})
    section.delete()
    _renumber(survey.sections.all())


def _renumber(queryset) -> list:
    items = list(queryset.order_by("position", "pk"))
    for i, item in enumerate(items, start=1):
        if item.position != i:
            item.position = i
            item.save(update_fields=["position"])
    return items


def _move(queryset, obj, direction: str) -> None:
    items = _renumber(queryset)
    index = next(i for i, item in enumerate(items) if item.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        a, b = items[index], items[other]
        a.position, b.position = b.position, a.position
        a.save(update_fields=["position"])
        b.save(update_fields=["position"])


@transaction.atomic
def section_move(*, section: Section, direction: str, actor: User) -> None:
    _move(section.survey.sections.select_for_update(), section, direction)


# --- questions ----------------------------------------------------------------------------------

@transaction.atomic
def question_create(*, section: Section, kind: str, fields: dict, actor: User | None,
                    options: list[str] | None = None, dimension_kind: str | None = None,
                    position: int | None = None) -> Question:
    """Add a question at the end of a page (or at `position`)."""
    if position is None:
        position = (section.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    dimension = None
    if kind == QuestionKind.DEMOGRAPHIC:
        dimension = dimension_for(plan=section.survey.plan, kind=dimension_kind)
        spec = DIMENSIONS[dimension_kind]
        fields = {**fields, "text": fields.get("text") or str(spec["question"]),
                  "help_text": fields.get("help_text") or str(spec.get("help", "")),
                  "allow_other": False, "required": False}
        options = options or [c.label for c in groups.offered(dimension.categories.all())]
    question = Question.objects.create(survey_id=section.survey_id, section=section, kind=kind,
                                       position=position, dimension=dimension, **fields)
    if question.has_options:
        _sync_options(question, options or [])
    return question


@transaction.atomic
def question_update(*, question: Question, fields: dict, actor: User,
                    options: list[str] | None = None) -> Question:
    """Change a question; edits that would orphan answers are refused with the reason."""
    stored = Question.objects.select_for_update().get(pk=question.pk)
    low, high = fields.get("scale_min", stored.scale_min), fields.get("scale_max", stored.scale_max)
    if stored.kind == QuestionKind.RATING:
        outside = stored.answers.exclude(number=None).exclude(number__gte=low, number__lte=high).count()
        if outside:
            raise Refused(_("%(n)s answers use scores outside %(low)s to %(high)s, so the scale "
                            "cannot be narrowed.") % {"n": outside, "low": low, "high": high})
    section = fields.pop("section", None)
    for key, value in fields.items():
        setattr(question, key, value)
    if section is not None and section.pk != stored.section_id:
        question.section = section
        question.position = (section.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question.save()
    if question.has_options and options is not None:
        _sync_options(question, options)
    return question


def _sync_options(question: Question, labels: list[str]) -> None:
    """Make the question's options match `labels` (kept by label, so answers keep their choice)."""
    wanted = _clean_labels(labels, question)
    existing = {o.label.casefold(): o for o in question.options.filter(is_other=False)}
    removed = [o for key, o in existing.items() if key not in {w.casefold() for w in wanted}]
    _refuse_if_answered(removed, _("“%(label)s” has %(n)s answers, so it cannot be removed or "
                                   "renamed. You can add new choices instead."))
    Option.objects.filter(pk__in=[o.pk for o in removed]).delete()
    for position, label in enumerate(wanted, start=1):
        option = existing.get(label.casefold())
        if option is None:
            Option.objects.create(question=question, label=label, position=position,
                                  category=_category(question, label))
        elif (option.position, option.label) != (position, label):
            option.position, option.label = position, label
            option.save(update_fields=["position", "label"])
    _sync_other(question)


def _clean_labels(labels: list[str], question: Question) -> list[str]:
    seen, wanted = set(), []
    for label in (x.strip()[:200] for x in labels):
        if label and label.casefold() not in seen:
            seen.add(label.casefold())
            wanted.append(label)
    if question.kind == QuestionKind.DEMOGRAPHIC:
        prefer = str(PREFER_NOT_TO_SAY)
        wanted = [w for w in wanted if w.casefold() != prefer.casefold()] + [prefer]
    return wanted


def _refuse_if_answered(options: list[Option], message: str) -> None:
    for option in options:
        n = option.answers.count()
        if n:
            raise Refused(message % {"label": option.label, "n": n})


def _category(question: Question, label: str) -> DimensionCategory | None:
    if question.dimension_id is None:
        return None
    category = question.dimension.categories.filter(label__iexact=label).first()
    if category is None:
        last = question.dimension.categories.aggregate(m=Max("position"))["m"] or 0
        category = DimensionCategory.objects.create(
            dimension=question.dimension, label=label, position=last + 1,
            is_prefer_not_to_say=label.casefold() == str(PREFER_NOT_TO_SAY).casefold())
    return category


def _sync_other(question: Question) -> None:
    other = question.options.filter(is_other=True).first()
    if question.offers_other and other is None:
        Option.objects.create(question=question, label=OTHER_LABEL, position=999, is_other=True)
    elif not question.offers_other and other is not None:
        _refuse_if_answered([other], _("“%(label)s” has %(n)s answers, so it must stay."))
        other.delete()


@transaction.atomic
def question_delete(*, question: Question, actor: User) -> None:
    n = question.answers.count()
    if n:
        raise Refused(_("This question has %(n)s answers, so it cannot be deleted. You can "
                        "reword it, or make it optional.") % {"n": n})
    section = question.section
    question.delete()
    _renumber(section.questions.all())


@transaction.atomic
def question_move(*, question: Question, direction: str, actor: User) -> None:
    _move(question.section.questions.select_for_update(), question, direction)


@transaction.atomic
def question_duplicate(*, question: Question, actor: User) -> Question:
    """Put a copy of the question straight after it, on the same page."""
    section = question.section
    section.questions.filter(position__gt=question.position).update(position=F("position") + 1)
    original = Question.objects.prefetch_related("options").get(pk=question.pk)
    original.text = (_("%(text)s (copy)") % {"text": original.text})[:500]
    return _copy_question(original, section, question.position + 1)

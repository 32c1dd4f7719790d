"""The survey builder: surveys of a plan, their pages and questions, lifecycle and preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clp.access import show_refused
from clp.exceptions import Refused
from consultation import documents, services
from consultation.analysis import counts
from consultation.forms import AnswerForm, QuestionForm, SectionForm, SurveyCreateForm, SurveyForm
from consultation.models import Answer, Question, QuestionKind, Section, Survey
from consultation.views.common import posted, survey_for
from plans.access import plan_for
from plans.permissions import EDIT_PLAN_CONTENT, MANAGE_PLAN

KIND_HELP = {
    QuestionKind.SHORT_TEXT: gettext_lazy("A few words, e.g. a street name or one idea."),
    QuestionKind.LONG_TEXT: gettext_lazy("Room for comments and stories."),
    QuestionKind.SINGLE: gettext_lazy("Pick one answer from a list, with “Other, please say” if you like."),
    QuestionKind.MULTIPLE: gettext_lazy("Tick all that apply, with “Other, please say” if you like."),
    QuestionKind.RATING: gettext_lazy("A score, e.g. 1 (very poor) to 5 (very good)."),
    QuestionKind.RANKING: gettext_lazy("Put issues in order of importance."),
    QuestionKind.YES_NO: gettext_lazy("A simple yes or no."),
    QuestionKind.LOVE_HATE: gettext_lazy("Two boxes: what people love about where they live, and what they "
                              "would change."),
    QuestionKind.DEMOGRAPHIC: gettext_lazy("Age, connection to the area, part of the parish, disability, "
                                "household, ethnicity or gender: always optional, with “Prefer not "
                                "to say”. Lets you check who you have heard from."),
}


@login_required
def surveys(request, pk):
    plan = plan_for(request, pk)
    rows = plan.surveys.with_response_counts().order_by("-created_at")
    return render(request, "consultation/survey_list.html", {"plan": plan, "surveys": rows})


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request, pk):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    form = SurveyCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        survey = services.survey_create(plan=plan, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Survey created as a draft. Check the questions, then open it."))
        return redirect(survey)
    return render(request, "consultation/survey_new.html", {
        "plan": plan, "form": form, "has_issues": plan.issues.exists()})


def _sections(survey: Survey, summary: dict) -> list[Section]:
    """Pages with their questions (numbered through the survey), how many people answered each
    (from the survey's cached counts) and whether it has any answer at all, a draft's too
    (an index probe per question, so a question with answers is never offered for deletion)."""
    sections = list(survey.sections.prefetch_related(
        Prefetch("questions", queryset=Question.objects.select_related("dimension",
                                                                       "standard__organisation")
                 .prefetch_related("options")
                 .annotate(has_answers=Exists(Answer.objects.filter(question=OuterRef("pk"))))
                 .order_by("position", "pk"))
    ))
    number = 0
    for section in sections:
        for question in section.questions.all():
            number += 1
            question.number = number
            question.answered = summary["answered"].get(question.pk, 0)
    return sections


def _summary(tables) -> dict:
    return {"total": tables.total, "answered": dict(tables.answered)}


@login_required
def survey_detail(request, pk, sid):
    """Its cost does not grow with the responses: the figures are the survey's count tables,
    kept per version of its answers (consultation.analysis.counts) and shared with the results."""
    survey = survey_for(request, pk, sid)
    # Only the two figures it shows, kept as their own small entry: unpickling the whole tables
    # (every answer by every group) costs more than the page, and grows with the responses.
    summary = counts.remember(survey, "summary", lambda: _summary(counts.tables(survey)))
    return render(request, "consultation/survey_detail.html", {
        "plan": survey.plan, "survey": survey, "sections": _sections(survey, summary),
        "response_count": summary["total"],
        "public_url": request.build_absolute_uri(survey.get_public_url()),
        "print_copies": documents.latest_copies(survey),
        "has_standards": services.standards_for(survey.plan).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk, sid):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    form = SurveyForm(posted(request), instance=survey)
    if request.method == "POST" and form.is_valid():
        services.survey_update(survey=form.instance, actor=request.user, changed=form.changed_labels())
        messages.success(request, _("Survey settings saved."))
        return redirect(survey)
    return render(request, "consultation/survey_form.html",
                  {"plan": survey.plan, "survey": survey, "form": form})


@require_POST
@login_required
def survey_duplicate(request, pk, sid):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    copy = services.survey_duplicate(survey=survey, actor=request.user)
    messages.success(request, _("This is a copy, saved as a draft. Rename it in the settings."))
    return redirect(copy)


@require_POST
@login_required
def survey_open(request, pk, sid):
    survey = survey_for(request, pk, sid, MANAGE_PLAN)
    try:
        services.survey_open(survey=survey, actor=request.user)
        messages.success(request, _("The survey is open. Share the link below with residents."))
    except Refused as refused:
        show_refused(request, refused)
    return redirect(survey)


@require_POST
@login_required
def survey_close(request, pk, sid):
    survey = survey_for(request, pk, sid, MANAGE_PLAN)
    services.survey_close(survey=survey, actor=request.user)
    messages.success(request, _("The survey is closed. You can still type in paper returns."))
    return redirect(survey)


@login_required
@require_http_methods(["GET", "POST"])
def survey_delete(request, pk, sid):
    survey = survey_for(request, pk, sid, MANAGE_PLAN)
    if request.method == "POST":
        try:
            services.survey_delete(survey=survey, actor=request.user)
            messages.success(request, _("Survey deleted."))
            return redirect("consultation:surveys", pk=survey.plan.pk)
        except Refused as refused:
            show_refused(request, refused)
            return redirect(survey)
    return render(request, "consultation/confirm_delete.html", {
        "plan": survey.plan, "survey": survey, "what": survey.title,
        "cancel": survey.get_absolute_url(),
    })


@login_required
def survey_preview(request, pk, sid):
    """The survey as residents will see it, every page at once; nothing is saved."""
    survey = survey_for(request, pk, sid)
    questions = survey.ordered_questions()
    pages = [{"section": s, "form": AnswerForm(questions=[q for q in questions if q.section_id == s.pk])}
             for s in survey.sections.all()]
    return render(request, "consultation/survey_preview.html",
                  {"plan": survey.plan, "survey": survey, "pages": pages})


# --- pages (sections) ---------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk, sid, sec=None):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    section = get_object_or_404(survey.sections, pk=sec) if sec else Section(survey=survey)
    form = SectionForm(posted(request), instance=section)
    if request.method == "POST" and form.is_valid():
        services.section_save(section=form.instance, actor=request.user, created=sec is None)
        messages.success(request, _("Page saved."))
        return redirect(f"{survey.get_absolute_url()}#section-{form.instance.pk}")
    return render(request, "consultation/section_form.html",
                  {"plan": survey.plan, "survey": survey, "form": form, "editing": sec is not None})


@login_required
@require_http_methods(["GET", "POST"])
def section_delete(request, pk, sid, sec):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    section = get_object_or_404(survey.sections, pk=sec)
    if request.method == "POST":
        try:
            services.section_delete(section=section, actor=request.user)
            messages.success(request, _("Page deleted."))
        except Refused as refused:
            show_refused(request, refused)
        return redirect(survey)
    return render(request, "consultation/confirm_delete.html", {
        "plan": survey.plan, "survey": survey, "cancel": survey.get_absolute_url(),
        "what": _("The page “%(title)s” and its questions") % {"title": section.title},
    })


@require_POST
@login_required
def section_move(request, pk, sid, sec):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    section = get_object_or_404(survey.sections, pk=sec)
    services.section_move(section=section, direction=_direction(request), actor=request.user)
    return redirect(f"{survey.get_absolute_url()}#section-{section.pk}")


def _direction(request) -> str:
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    return direction


# --- questions ----------------------------------------------------------------------------------

@login_required
def question_kind(request, pk, sid, sec):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    section = get_object_or_404(survey.sections, pk=sec)
    kinds = [(k, KIND_HELP[k]) for k in QuestionKind]
    return render(request, "consultation/question_kind.html", {
        "plan": survey.plan, "survey": survey, "section": section, "kinds": kinds,
        "has_standards": services.standards_for(survey.plan).exists()})


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request, pk, sid, sec, kind):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    section = get_object_or_404(survey.sections, pk=sec)
    if kind not in QuestionKind.values:
        raise Http404
    form = QuestionForm(posted(request), kind=kind, survey=survey,
                        initial={"section": section, "required": kind != QuestionKind.DEMOGRAPHIC},
                        instance=Question(survey=survey, section=section, kind=kind))
    if request.method == "POST" and form.is_valid():
        fields = form.question_fields()
        question = services.question_create(
            section=fields.pop("section"), kind=kind, fields=fields, actor=request.user,
            options=form.option_labels(), dimension_kind=form.cleaned_data.get("dimension_kind"))
        messages.success(request, _("Question added."))
        return redirect(f"{survey.get_absolute_url()}#question-{question.pk}")
    return render(request, "consultation/question_form.html", {
        "plan": survey.plan, "survey": survey, "form": form,
        "kind_label": QuestionKind(kind).label, "editing": False})


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk, sid, qid):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    question = get_object_or_404(survey.questions.prefetch_related("options"), pk=qid)
    form = QuestionForm(posted(request), kind=question.kind, survey=survey, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, fields=form.question_fields(),
                                     options=form.option_labels() if "options_text" in form.fields
                                     else None, actor=request.user)
            messages.success(request, _("Question saved."))
            return redirect(f"{survey.get_absolute_url()}#question-{question.pk}")
        except Refused as refused:
            form.add_error(None, refused.message)
    return render(request, "consultation/question_form.html", {
        "plan": survey.plan, "survey": survey, "form": form, "question": question,
        "kind_label": question.get_kind_display(), "editing": True,
        "answer_count": question.answers.count()})


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request, pk, sid, qid):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    question = get_object_or_404(survey.questions, pk=qid)
    if request.method == "POST":
        try:
            services.question_delete(question=question, actor=request.user)
            messages.success(request, _("Question deleted."))
        except Refused as refused:
            show_refused(request, refused)
        return redirect(survey)
    return render(request, "consultation/confirm_delete.html", {
        "plan": survey.plan, "survey": survey, "cancel": survey.get_absolute_url(),
        "what": _("The question “%(text)s”") % {"text": question.text}})


@require_POST
@login_required
def question_move(request, pk, sid, qid):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    question = get_object_or_404(survey.questions, pk=qid)
    services.question_move(question=question, direction=_direction(request), actor=request.user)
    return redirect(f"{survey.get_absolute_url()}#question-{question.pk}")


@require_POST
@login_required
def question_duplicate(request, pk, sid, qid):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    question = get_object_or_404(survey.questions, pk=qid)
    copy = services.question_duplicate(question=question, actor=request.user)
    messages.success(request, _("Question copied. The copy is just below the original."))
    return redirect(f"{survey.get_absolute_url()}#question-{copy.pk}")

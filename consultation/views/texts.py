"""Reading free-text answers, approving redacted ones for publication, and published results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clp.paging import Window, capped_count
from consultation import analysis
from consultation.analysis.redaction import identifying_bits, redact
from consultation.analysis.suppression import threshold
from consultation.forms import PublishForm
from consultation.models import Answer, PublishedText, Survey
from consultation.permissions import VIEW_RESPONSES
from consultation.services import evidence as evidence_services
from consultation.views.common import survey_for
from consultation.views.results import _chart
from plans.permissions import EDIT_PLAN_CONTENT, MANAGE_PLAN

ANSWERS_CAP = 1000  # "more than 1,000 answers": counting further would read every answer


@login_required
def text_answers(request, pk, sid):
    survey = survey_for(request, pk, sid, VIEW_RESPONSES)
    questions = [q for q in survey.ordered_questions() if q.kind in analysis.TEXT_KINDS or q.offers_other]
    question_id = request.GET.get("question", "")
    search = request.GET.get("q", "").strip()
    answers = analysis.text_answers(survey, search=search,
                                    question_id=int(question_id) if question_id.isdigit() else None)
    # Newest first by primary key, a page at a time, counted no further than ANSWERS_CAP: the
    # page costs the same at 200 responses and at 20,000 (clp.paging).
    answers = answers.select_related("publication").prefetch_related("codings__theme").order_by("-pk")
    page = Window(answers, 50, request.GET.get("page"))
    found, more = capped_count(answers, ANSWERS_CAP)
    query = "&".join(f"{k}={v}" for k, v in (("question", question_id), ("q", search)) if v)
    return render(request, "consultation/results/text_answers.html", {
        "plan": survey.plan, "survey": survey, "questions": questions, "page": page,
        "found": found, "more": more,
        "question_id": question_id, "search": search, "query": query,
    })


@login_required
@require_http_methods(["GET", "POST"])
def text_publish(request, pk, sid, aid):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=aid,
                               question__survey=survey, response__status="submitted")
    existing = PublishedText.objects.filter(answer=answer).first()
    form = PublishForm(request.POST or None,
                       initial={"text": existing.text if existing else redact(answer.text)})
    if request.method == "POST" and form.is_valid():
        evidence_services.text_publish(answer=answer, text=form.cleaned_data["text"], actor=request.user)
        messages.success(request, _("The answer is approved for publication as shown."))
        return redirect(f"{_texts_url(survey)}?question={answer.question_id}")
    shown = form["text"].value() or ""
    return render(request, "consultation/results/text_publish.html", {
        "plan": survey.plan, "survey": survey, "answer": answer, "form": form, "existing": existing,
        "may_identify": identifying_bits(shown)})


@require_POST
@login_required
def text_unpublish(request, pk, sid, aid):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    answer = get_object_or_404(Answer, pk=aid, question__survey=survey)
    evidence_services.text_unpublish(answer=answer, actor=request.user)
    messages.success(request, _("The answer will no longer be published."))
    return redirect(f"{_texts_url(survey)}?question={answer.question_id}")


def _texts_url(survey) -> str:
    return reverse("consultation:text_answers", kwargs={"pk": survey.plan_id, "sid": survey.pk})


@require_POST
@login_required
def results_publish(request, pk, sid):
    survey = survey_for(request, pk, sid, MANAGE_PLAN)
    publish = request.POST.get("publish") == "1"
    evidence_services.results_set_published(survey=survey, published=publish, actor=request.user)
    messages.success(request, _("The results are now on the community's public page.") if publish
                     else _("The results are no longer public."))
    return redirect("consultation:results_preview", pk=survey.plan_id, sid=survey.pk)


def _public_context(survey) -> dict:
    """What the public results page shows: the one rendering for the public page and its preview."""
    limit = threshold()
    items = [(r, _chart(r)) for r in analysis.survey_results(survey, suppress_below=limit)]
    quotes = (PublishedText.objects.filter(answer__question__survey=survey)
              .select_related("answer__question").order_by("answer__question_id", "pk"))
    by_question = {}
    for quote in quotes:
        by_question.setdefault(quote.answer.question_id, []).append(quote.text)
    return {"survey": survey, "community": survey.plan.community, "items": items,
            "quotes": by_question, "suppressed": limit, "total": analysis.respondents(survey).count()}


def public_results(request, public_id):
    """Published results for anyone: small counts hidden, only approved free text shown."""
    survey = get_object_or_404(Survey.objects.select_related("plan__community"), public_id=public_id)
    if not survey.results_published:
        raise Http404
    return render(request, "consultation/results/public_results.html", _public_context(survey))


@login_required
def results_preview(request, pk, sid):
    """The public results page exactly as residents will see it, with the publish controls."""
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    context = _public_context(survey)
    context.update(preview=True, plan=survey.plan,
                   can_publish=request.user.has_perm(MANAGE_PLAN, survey.plan))
    return render(request, "consultation/results/public_results.html", context)

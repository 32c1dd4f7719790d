"""The resident's side: answer an open survey without an account, one page at a time.

Answers are kept on an unsent response as the resident moves between pages; the session (or the
resume link, or their code) brings them back to it. Every POST is rate limited per address.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

from clp import freshness, rows
from clp.exceptions import Refused
from consultation import services
from consultation.analysis.exports import describe
from consultation.forms import AnswerForm, DeletionRequestForm, ResumeForm, StartForm
from consultation.forms.answers import initial_for
from consultation.models import Response, ResponseStatus, Survey, SurveyStatus
from consultation.views.common import posted


def _rate(setting: str):
    return lambda group, request: getattr(settings, setting)


limit_posts = ratelimit(key="ip", rate=_rate("CONSULTATION_RATE_PUBLIC"), method="POST",
                        block=False, group="consultation.public")


def _session_key(survey: Survey) -> str:
    return f"consultation.response.{survey.pk}"


def client_key(request, survey: Survey) -> str:
    """A salted hash of the address and browser: spots repeats without storing either."""
    address = request.META.get(settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR", "")
    raw = f"{address}|{request.META.get('HTTP_USER_AGENT', '')[:200]}"
    return salted_hmac(f"consultation.client.{survey.pk}", raw, algorithm="sha256").hexdigest()


def _not_open(request, survey: Survey | None):
    shown = survey if survey is not None and survey.status != SurveyStatus.DRAFT else None
    ended = shown is not None and (shown.status == SurveyStatus.CLOSED or bool(
        shown.closes_on and shown.closes_on < timezone.localdate()))
    return render(request, "consultation/public/not_open.html", {"survey": shown, "ended": ended},
                  status=404)


def _limited(request, survey: Survey):
    return render(request, "consultation/public/limited.html", {"survey": survey}, status=429)


def _no_answers(request, survey: Survey):
    """Someone opened a page of the survey without having started it in this browser. A POST
    (pressing Send again once the answers have gone) changed nothing: a conflict, not a 200."""
    return render(request, "consultation/public/no_answers.html", {"survey": survey},
                  status=409 if request.method == "POST" else 200)


def _survey(public_id: str) -> Survey | None:
    # Every resident's page starts here: one row read by its unique public id (clp.rows).
    return rows.one(Survey, public_id, "plan__community", by="public_id")


def _response(request, survey: Survey) -> Response | None:
    """The unsent answers this browser's session holds for `survey`: read by their (unique)
    token through `clp.rows`, then checked to be a draft of this very survey."""
    token = request.session.get(_session_key(survey))
    found = rows.one(Response, token, by="resume_token") if token else None
    if found is None or found.survey_id != survey.pk or found.status != ResponseStatus.DRAFT:
        return None
    found.survey = survey
    return found


def _pages(survey: Survey) -> list:
    return list(survey.sections.all())


def _too_many_codes(request) -> bool:
    """Code guesses are limited per address; starting without a code is not counted here."""
    return is_ratelimited(request, group="consultation.code", key="ip", method="POST",
                          rate=settings.CONSULTATION_RATE_CODE, increment=True)


@limit_posts
@require_http_methods(["GET", "POST"])
def public_start(request, public_id):
    """The survey's first page. A resident arriving from the leaflet or a link (no session yet)
    is given the page kept whole (`freshness.kept_page`): no query, nothing drawn."""
    return freshness.kept_page(request, ("survey-start", public_id), lambda: _start(request, public_id))


def _start(request, public_id):
    survey = _survey(public_id)
    if survey is None or not survey.is_accepting:
        return _not_open(request, survey)
    if getattr(request, "limited", False):
        return _limited(request, survey)
    form = StartForm(posted(request), survey=survey)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            return redirect("consultation:public_done", public_id=public_id)
        draft = _response(request, survey)
        if draft is not None and not form.cleaned_data.get("code"):
            return redirect("consultation:public_page", public_id=public_id, n=1)
        if form.cleaned_data.get("code") and _too_many_codes(request):
            return _limited(request, survey)
        try:
            response = services.response_start(survey=survey, code_text=form.cleaned_data.get("code", ""),
                                               client_key=client_key(request, survey),
                                               held_token=request.session.get(_session_key(survey), ""))
        except services.CodeRefused as refused:
            form.add_error("code", refused.message)
        else:
            request.session[_session_key(survey)] = response.resume_token
            return redirect("consultation:public_page", public_id=public_id, n=1)
    return render(request, "consultation/public/start.html", {
        "survey": survey, "form": form, "pages": len(_pages(survey)),
        "draft": _response(request, survey),
    })


@limit_posts
@require_http_methods(["GET", "POST"])
def public_page(request, public_id, n):
    survey = _survey(public_id)
    if survey is None or not survey.is_accepting:
        return _not_open(request, survey)
    response = _response(request, survey)
    if response is None:
        return _no_answers(request, survey)
    pages = _pages(survey)
    if not 1 <= n <= len(pages):
        return redirect("consultation:public_check", public_id=public_id)
    if getattr(request, "limited", False):
        return _limited(request, survey)
    section = pages[n - 1]
    questions = [q for q in survey.ordered_questions() if q.section_id == section.pk]
    form = AnswerForm(posted(request), questions=questions,
                      initial=_initial(response, questions))
    if request.method == "POST" and form.is_valid():
        services.answers_save(response=response, rows=form.answer_rows())
        if n < len(pages) and not request.GET.get("change"):
            return redirect("consultation:public_page", public_id=public_id, n=n + 1)
        return redirect("consultation:public_check", public_id=public_id)
    return render(request, "consultation/public/page.html", {
        "survey": survey, "section": section, "form": form, "n": n, "count": len(pages),
        "previous": n - 1, "resume_url": _resume_url(request, survey, response),
    })


def _initial(response: Response, questions: list) -> dict:
    saved: dict = {}
    for answer in response.answers.filter(question__in=questions):
        saved.setdefault(answer.question_id, []).append(answer)
    initial = {}
    for q in questions:
        initial.update(initial_for(q, saved.get(q.pk, [])))
    return initial


def _resume_url(request, survey: Survey, response: Response) -> str:
    # Also for answers started with a code: the code brings them back only on this device. The
    # token goes after "#": browsers never send that part, so it is in no request line or log.
    path = reverse("consultation:public_resume", kwargs={"public_id": survey.public_id})
    return f"{request.build_absolute_uri(path)}#{response.resume_token}"


def _summary(survey: Survey, response: Response) -> list:
    saved: dict = {}
    for answer in response.answers.all():
        saved.setdefault(answer.question_id, []).append(answer)
    questions = survey.ordered_questions()
    return [{"number": n, "section": s,
             "items": [(q, describe(q, saved.get(q.pk, []))) for q in questions
                       if q.section_id == s.pk]}
            for n, s in enumerate(_pages(survey), start=1)]


@limit_posts
@ratelimit(key="ip", rate=_rate("CONSULTATION_RATE_SUBMIT"), method="POST", block=False,
           group="consultation.submit")
@require_http_methods(["GET", "POST"])
def public_check(request, public_id):
    """Check your answers, then send them."""
    survey = _survey(public_id)
    if survey is None or not survey.is_accepting:
        return _not_open(request, survey)
    response = _response(request, survey)
    if response is None:
        return _no_answers(request, survey)
    missing, problem, status = [], "", 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _limited(request, survey)
        try:
            services.response_submit(response=response, client_key=client_key(request, survey))
        except services.Incomplete as incomplete:
            missing, problem = incomplete.missing, incomplete.message
        except Refused as refused:
            # Not sent (already sent, a repeat, closed): a conflict, so no client takes it as done.
            problem, status = refused.message, 409
        else:
            request.session.pop(_session_key(survey), None)
            request.session[_receipt_key(survey)] = response.receipt
            return redirect("consultation:public_done", public_id=public_id)
    page_of = {s.pk: i for i, s in enumerate(_pages(survey), start=1)}
    return render(request, "consultation/public/check.html", {
        "survey": survey, "pages": _summary(survey, response), "problem": problem,
        "missing": [(q, page_of[q.section_id]) for q in missing],
        "missing_ids": {q.pk for q in missing}, "count": len(page_of),
    }, status=status)


def _receipt_key(survey: Survey) -> str:
    return f"consultation.receipt.{survey.pk}"


def public_done(request, public_id):
    survey = _survey(public_id)
    if survey is None or not survey.is_accepting:
        return _not_open(request, survey)
    return render(request, "consultation/public/done.html", {
        "survey": survey, "receipt": request.session.get(_receipt_key(survey), "")})


@limit_posts
@require_http_methods(["GET", "POST"])
def public_deletion_request(request, public_id):
    """A resident asks the group to delete the answers they sent, by their receipt number."""
    survey = Survey.objects.select_related("plan__community").filter(public_id=public_id).exclude(
        status=SurveyStatus.DRAFT).first()
    if survey is None:
        return _not_open(request, None)
    form = DeletionRequestForm(request.POST or None, survey=survey,
                               initial={"receipt": request.session.get(_receipt_key(survey), "")})
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _limited(request, survey)
        if form.is_valid():
            services.deletion_request_make(response=form.cleaned_data["receipt"])
            return render(request, "consultation/public/deletion_requested.html", {"survey": survey})
    return render(request, "consultation/public/deletion_request.html",
                  {"survey": survey, "form": form})


def _draft_by_token(survey: Survey, token: str) -> Response | None:
    return Response.objects.filter(survey=survey, resume_token=token,
                                   status=ResponseStatus.DRAFT).first() if token else None


@ratelimit(key="ip", rate=_rate("CONSULTATION_RATE_CODE"), method="POST", block=False,
           group="consultation.code")
@require_http_methods(["GET", "POST"])
def public_resume(request, public_id):
    """The 'carry on later' link: its token arrives in a POST (filled in by the page's script
    from the link's "#" part, or pasted), so it never appears in a URL that is logged."""
    survey = _survey(public_id)
    if survey is None or not survey.is_accepting:
        return _not_open(request, survey)
    if getattr(request, "limited", False):
        return _limited(request, survey)
    form = ResumeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        response = _draft_by_token(survey, form.cleaned_data["link"])
        if response is not None:
            request.session[_session_key(survey)] = response.resume_token
            return render(request, "consultation/public/welcome_back.html", {
                "survey": survey, "answered": response.answers.values("question").distinct().count()})
        form.add_error("link", _("This link does not work any more: the answers it kept have been "
                                 "sent, or the link is not complete. Check you copied all of it."))
    return render(request, "consultation/public/resume.html", {"survey": survey, "form": form},
                  status=400 if form.errors else 200)


@ratelimit(key="ip", rate=_rate("CONSULTATION_RATE_CODE"), method="GET", block=False,
           group="consultation.code")
def public_resume_link(request, public_id, token):
    """Links made before tokens moved after "#": the token in this (logged) URL is replaced at
    once, so the logged copy (or one sent on in a Referer) opens nothing."""
    survey = _survey(public_id)
    if survey is None or not survey.is_accepting:
        return _not_open(request, survey)
    if getattr(request, "limited", False):
        return _limited(request, survey)
    response = _draft_by_token(survey, token)
    if response is None:
        return render(request, "consultation/public/no_answers.html",
                      {"survey": survey, "bad_link": True}, status=404)
    request.session[_session_key(survey)] = services.response_renew_token(response=response)
    return render(request, "consultation/public/welcome_back.html", {
        "survey": survey, "answered": response.answers.values("question").distinct().count()})

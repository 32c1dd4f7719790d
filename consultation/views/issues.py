"""Themes, coding free text into themes, the issues register and the priorities round."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clp.paging import Window, capped_count
from consultation.analysis import flags
from consultation.analysis.issues import issue_origins, issue_support, issues_register
from consultation.forms import CodingBulkForm, IssueForm, PrioritiesRoundForm, ThemeForm
from consultation.models import Answer, AnswerCoding, Issue, Survey, Theme
from consultation.services import evidence as evidence_services
from plans.access import plan_for
from plans.permissions import EDIT_PLAN_CONTENT

CODING_PAGE = 20
UNCODED_CAP = 500  # "more than 500 still need a theme": counting further would read every answer


# --- themes ------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def themes(request, pk):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    existing = evidence_services.themes_ensure(plan)
    form = ThemeForm(request.POST or None, instance=Theme(plan=plan, position=len(existing)))
    if request.method == "POST" and form.is_valid():
        if plan.themes.filter(name__iexact=form.cleaned_data["name"]).exists():
            form.add_error("name", _("There is already a theme called that."))
        else:
            theme = evidence_services.theme_save(theme=form.save(commit=False), actor=request.user,
                                                 created=True)
            messages.success(request, _("Theme “%(t)s” added.") % {"t": theme.name})
            return redirect("consultation:themes", pk=plan.pk)
    return render(request, "consultation/issues/themes.html",
                  {"plan": plan, "themes": plan.themes.all(), "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request, pk, tid):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    theme = get_object_or_404(Theme, pk=tid, plan=plan)
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        evidence_services.theme_save(theme=form.save(commit=False), actor=request.user, created=False)
        messages.success(request, _("Theme “%(t)s” saved.") % {"t": theme.name})
        return redirect("consultation:themes", pk=plan.pk)
    return render(request, "consultation/issues/theme_form.html",
                  {"plan": plan, "form": form, "theme": theme})


# --- coding ------------------------------------------------------------------------------------

def _coding_answers(plan, params):
    answers = (Answer.objects.filter(question__survey__plan=plan, response__status="submitted")
               .exclude(text="").select_related("question__survey", "option")
               .prefetch_related(Prefetch("codings",
                                          queryset=AnswerCoding.objects.only("answer_id", "theme_id")))
               # In the order they reached us: the primary key's index gives a page without
               # sorting every answer of the plan (clp.paging).
               .order_by("pk"))
    if params.get("survey", "").isdigit():
        answers = answers.filter(question__survey_id=int(params["survey"]))
    if params.get("show", "uncoded") == "uncoded":
        # NOT EXISTS, not a LEFT JOIN … IS NULL: PostgreSQL then knows how many rows are left and
        # walks the answers in order (the answer_with_text index) until a page is full, instead
        # of fetching every answer of the plan and sorting them.
        answers = answers.exclude(Exists(AnswerCoding.objects.filter(answer=OuterRef("pk"))))
    if params.get("q"):
        answers = answers.filter(text__icontains=params["q"])
    return answers


@login_required
@require_http_methods(["GET", "POST"])
def coding(request, pk):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    theme_list = evidence_services.themes_ensure(plan)
    params = request.GET
    if request.method == "POST":
        choices = {}
        for raw in request.POST.getlist("answer"):
            if raw.isdigit():
                choices[int(raw)] = [int(t) for t in request.POST.getlist(f"themes_{raw}") if t.isdigit()]
        saved = evidence_services.coding_save_page(plan=plan, choices=choices, actor=request.user)
        if saved:
            messages.success(request, _("Saved the themes of %(n)s answers.") % {"n": saved})
        else:
            messages.warning(request, _("No themes were ticked, so nothing was saved."))
        return redirect(f"{request.path}?{request.POST.get('return_query', '')}")
    return _coding_page(request, plan, theme_list, params, CodingBulkForm(plan=plan))


def _coding_page(request, plan, theme_list, params, bulk):
    """The coding queue; after a refused bulk coding, with that form and its errors (the page's
    links and forms then name the queue's address, as it is drawn at the bulk form's)."""
    answers = _coding_answers(plan, params)
    page = Window(answers, CODING_PAGE, params.get("page"))
    rows = []
    for answer in page:
        coded = {c.theme_id for c in answer.codings.all()}
        suggested = [] if coded else [
            t.pk for t in evidence_services.suggested_themes(answer.text, theme_list)]
        rows.append({"answer": answer, "coded": coded, "suggested": suggested})
    keep = {k: v for k, v in params.items() if k in ("survey", "show", "q") and v}
    return render(request, "consultation/issues/coding.html", {
        "plan": plan, "themes": theme_list, "rows": rows, "page": page, "bulk": bulk,
        "page_base": reverse("consultation:coding", args=[plan.pk]),
        "surveys": Survey.objects.filter(plan=plan).exclude(status="draft"),
        "params": params, "show": params.get("show", "uncoded"), "query": urlencode(keep),
        **dict(zip(("uncoded", "uncoded_more"),
                   capped_count(_coding_answers(plan, {"show": "uncoded"}), UNCODED_CAP), strict=True)),
    })


@require_POST
@login_required
def coding_bulk(request, pk):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    form = CodingBulkForm(request.POST, plan=plan)
    if not form.is_valid():
        return _coding_page(request, plan, evidence_services.themes_ensure(plan), QueryDict(), form)
    term, theme = form.cleaned_data["term"], form.cleaned_data["theme"]
    answers = _coding_answers(plan, {"show": "all", "q": term})
    added = evidence_services.coding_bulk(plan=plan, answers=answers, theme=theme, actor=request.user)
    messages.success(request, _("%(n)s answers mentioning “%(term)s” are now coded as %(theme)s.")
                     % {"n": added, "term": term, "theme": theme})
    return redirect(f"{reverse('consultation:coding', args=[plan.pk])}?"
                    f"{urlencode({'show': 'all', 'q': term})}")


# --- issues register ---------------------------------------------------------------------------

@login_required
def issues(request, pk):
    plan = plan_for(request, pk)
    register = issues_register(plan)
    return render(request, "consultation/issues/issues.html", {
        "plan": plan, **register, **_flag_rules(),
        "raised_after": any(issue.origins for issue in register["issues"])})


@login_required
@require_http_methods(["GET", "POST"])
def issue_edit(request, pk, iid=None):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    evidence_services.themes_ensure(plan)
    issue = get_object_or_404(Issue, pk=iid, plan=plan) if iid else Issue(plan=plan)
    form = IssueForm(request.POST or None, instance=issue, plan=plan)
    if request.method == "POST" and form.is_valid():
        links = {name: form.cleaned_data[name] for name in ("questions", "evidence_items", "meetings")}
        issue = evidence_services.issue_save(issue=form.save(commit=False), actor=request.user,
                                             created=iid is None, links=links)
        messages.success(request, _("Issue “%(t)s” saved. Now link the answers that raised it.")
                         % {"t": issue.title})
        return redirect(issue)
    return render(request, "consultation/issues/issue_form.html",
                  {"plan": plan, "form": form, "issue": iid and issue})


@login_required
def issue_detail(request, pk, iid):
    plan = plan_for(request, pk)
    issue = get_object_or_404(Issue.objects.select_related("theme"), pk=iid, plan=plan)
    linked = issue.answers.select_related("question__survey").order_by("question__survey_id", "pk")
    candidates = None
    term = request.GET.get("q", "").strip()
    theme_id = request.GET.get("theme", "")
    if request.user.has_perm(EDIT_PLAN_CONTENT, plan) and (term or theme_id.isdigit()):
        candidates = _coding_answers(plan, {"show": "all", "q": term}).exclude(issues=issue)
        if theme_id.isdigit():
            candidates = candidates.filter(codings__theme_id=int(theme_id))
        candidates = candidates[:50]
    return render(request, "consultation/issues/issue_detail.html", {**_flag_rules(),
        "plan": plan, "issue": issue, "support": issue_support(issue),
        "origins": issue_origins(plan, [issue.pk]).get(issue.pk, []),
        "linked": Paginator(linked, 50).get_page(request.GET.get("page")), "candidates": candidates,
        "term": term, "theme_id": theme_id, "themes": plan.themes.all(),
        "questions": issue.questions.select_related("survey"),
        "evidence_items": issue.evidence_items.all(), "meetings": issue.meetings.all(),
    })


@require_POST
@login_required
def issue_link(request, pk, iid):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    issue = get_object_or_404(Issue, pk=iid, plan=plan)
    ids = [int(a) for a in request.POST.getlist("answer") if a.isdigit()]
    if not ids:
        messages.error(request, _("Tick at least one answer to link to the issue."))
    else:
        n = evidence_services.issue_link_answers(issue=issue, answer_ids=ids, actor=request.user)
        messages.success(request, _("%(n)s answers linked to this issue.") % {"n": n})
    return redirect(issue)


@require_POST
@login_required
def issue_unlink(request, pk, iid, aid):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    issue = get_object_or_404(Issue, pk=iid, plan=plan)
    evidence_services.issue_unlink_answer(issue=issue, answer_id=aid, actor=request.user)
    messages.success(request, _("The answer is no longer linked to this issue."))
    return redirect(issue)


@login_required
@require_http_methods(["GET", "POST"])
def issue_delete(request, pk, iid):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    issue = get_object_or_404(Issue, pk=iid, plan=plan)
    if request.method == "POST":
        evidence_services.issue_delete(issue=issue, actor=request.user)
        messages.success(request, _("Issue removed."))
        return redirect("consultation:issues", pk=plan.pk)
    return render(request, "consultation/issues/issue_delete.html", {"plan": plan, "issue": issue})


@login_required
@require_http_methods(["GET", "POST"])
def priorities_round(request, pk):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    form = PrioritiesRoundForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        survey = evidence_services.priorities_round_create(
            plan=plan, issues=list(form.cleaned_data["issues"]), title=form.cleaned_data["title"],
            actor=request.user)
        messages.success(request, _("A draft priorities survey has been made. Check it, then open it "
                                    "to residents."))
        return redirect(survey)
    return render(request, "consultation/issues/priorities_round.html", {"plan": plan, "form": form})


def _flag_rules() -> dict:
    return {"mandate_rule": flags.MANDATE_RULE, "minority_rule": flags.MINORITY_RULE}

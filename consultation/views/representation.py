"""Who has been heard: respondents against the population, and the groups engagement reached."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consultation import analysis
from consultation.analysis import groups
from consultation.analysis.coverage import engagement_coverage
from consultation.forms import BaselineCsvForm, BaselineForm, ReviewForm
from consultation.models import Dimension, Survey
from consultation.services import evidence as evidence_services
from plans.access import plan_for
from plans.permissions import EDIT_PLAN_CONTENT


def _chosen_survey(request, plan):
    surveys = list(Survey.objects.filter(plan=plan).exclude(status="draft").with_response_counts())
    chosen = request.GET.get("survey", "")
    survey = next((s for s in surveys if str(s.pk) == chosen), None)
    if survey is None:
        survey = next((s for s in surveys if s.response_count), surveys[0] if surveys else None)
    return surveys, survey


@login_required
def representation(request, pk):
    plan = plan_for(request, pk)
    surveys, survey = _chosen_survey(request, plan)
    seen = analysis.results_for(survey, viewer=request.user, questions=False) if survey else None
    shares = seen.groups() if seen else []
    return render(request, "consultation/results/representation.html", {
        "suppressed": seen.limit if seen else None,
        "plan": plan, "surveys": surveys, "survey": survey, "shares": shares,
        "coverage": engagement_coverage(
            plan, None, survey, categories=seen.reached_categories() if seen else None),
        "reviews": plan.representation_reviews.select_related("reviewed_by")[:5],
        "review_form": ReviewForm(),
    })


@require_POST
@login_required
def representation_review(request, pk):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    form = ReviewForm(request.POST)
    survey = Survey.objects.filter(plan=plan, pk=request.POST.get("survey") or 0).first()
    if form.is_valid():
        evidence_services.representation_review_record(
            plan=plan, survey=survey, note=form.cleaned_data["note"], actor=request.user)
        messages.success(request, _("Recorded that the group has reviewed who has been heard."))
    return redirect("consultation:representation", pk=plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def baseline_edit(request, pk, did):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    dimension = get_object_or_404(Dimension.objects.filter(plan=plan).prefetch_related("categories"), pk=did)
    form = BaselineForm(request.POST or None, dimension=dimension)
    csv_form = BaselineCsvForm(dimension=dimension)
    if request.method == "POST" and "csv-source" in request.POST:
        csv_form = BaselineCsvForm(request.POST, request.FILES, dimension=dimension)
        if csv_form.is_valid():
            evidence_services.baseline_save(dimension=dimension, actor=request.user,
                                            **csv_form.cleaned_values())
            messages.success(request, _("Population figures imported for %(d)s.") % {"d": dimension})
            return redirect("consultation:representation", pk=plan.pk)
        form = BaselineForm(dimension=dimension)
    elif request.method == "POST" and form.is_valid():
        evidence_services.baseline_save(dimension=dimension, actor=request.user, **form.cleaned_values())
        messages.success(request, _("Population figures saved for %(d)s.") % {"d": dimension})
        return redirect("consultation:representation", pk=plan.pk)
    return render(request, "consultation/results/baseline_form.html", {
        "plan": plan, "dimension": dimension, "form": form, "csv_form": csv_form})


@login_required
def baseline_template(request, pk, did):
    plan = plan_for(request, pk)
    dimension = get_object_or_404(Dimension.objects.filter(plan=plan), pk=did)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["group", "number of people"])
    for category in groups.asked_for_figures(list(dimension.categories.all())):
        writer.writerow([category.label, ""])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="population-{dimension.kind}.csv"'
    return response

"""The survey builder's "Add a standard question": the question banks of the support
organisations whose portfolio holds the plan's community (consultation.services.standards_for)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consultation import services
from consultation.views.common import survey_for
from plans.permissions import EDIT_PLAN_CONTENT


@login_required
@require_http_methods(["GET", "POST"])
def standard_add(request, pk, sid, sec):
    survey = survey_for(request, pk, sid, EDIT_PLAN_CONTENT)
    section = get_object_or_404(survey.sections, pk=sec)
    offered = services.standards_for(survey.plan)
    asked = set(survey.questions.exclude(standard=None).values_list("standard_id", flat=True))
    error = ""
    if request.method == "POST":
        chosen = offered.filter(pk=request.POST.get("standard") or 0).first() \
            if str(request.POST.get("standard", "")).isdigit() else None
        if chosen is None:
            error = _("Choose a standard question to add")
        else:
            try:
                question = services.standard_question_add(standard=chosen, section=section,
                                                          actor=request.user)
            except services.Refused as refused:
                error = refused.message
            else:
                messages.success(request, _("Standard question added. Its answers can be "
                                            "compared with other communities that ask it."))
                return redirect(f"{survey.get_absolute_url()}#question-{question.pk}")
    return render(request, "consultation/standard_add.html", {
        "plan": survey.plan, "survey": survey, "section": section, "offered": offered,
        "asked": asked, "error": error}, status=400 if error else 200)

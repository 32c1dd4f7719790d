"""The groups of an "About you" question: retiring a choice, and counting census bands in the
plan's own wider bands."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consultation.forms import DimensionGroupsForm
from consultation.models import Answer, Dimension
from consultation.services import evidence as evidence_services
from plans.access import plan_for
from plans.permissions import EDIT_PLAN_CONTENT


@login_required
@require_http_methods(["GET", "POST"])
def dimension_groups(request, pk, did):
    plan = plan_for(request, pk, EDIT_PLAN_CONTENT)
    dimension = get_object_or_404(Dimension.objects.filter(plan=plan).prefetch_related("categories"), pk=did)
    used = set(Answer.objects.filter(category__dimension=dimension).values_list("category_id", flat=True)
               .order_by().distinct())
    form = DimensionGroupsForm(request.POST or None, dimension=dimension, used=used)
    if request.method == "POST" and form.is_valid():
        evidence_services.dimension_groups_save(dimension=dimension, retired=form.retired(),
                                                part_of=form.part_of(), actor=request.user)
        messages.success(request, _("Saved the groups of %(d)s.") % {"d": dimension})
        return redirect("consultation:representation", pk=plan.pk)
    return render(request, "consultation/results/dimension_groups.html",
                  {"plan": plan, "dimension": dimension, "form": form})

"""The send ledger, for the people who answer for a plan: who was emailed what, when, and
whether it went. The chair and secretary see their plan; a support officer their portfolio."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from clp.access import organisation_for
from clp.models import Reminder
from plans.access import plan_for
from plans.permissions import VIEW_NOTIFICATIONS

PAGE_SIZE = 50


@login_required
def plan_notifications(request, pk):
    plan = plan_for(request, pk, VIEW_NOTIFICATIONS)
    rows = Reminder.objects.filter(plan_id=plan.pk).select_related("recipient__user")
    return render(request, "plans/notification_ledger.html", {
        "plan": plan, "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
    })


@login_required
def portfolio_notifications(request, pk):
    organisation = organisation_for(request, pk)
    rows = (Reminder.objects.filter(community__organisations=organisation)
            .select_related("recipient__user", "community"))
    return render(request, "plans/notification_ledger.html", {
        "organisation": organisation,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
    })

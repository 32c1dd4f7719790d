"""The "you said, we did" panel on a community's public page, for its finalised plans."""

from django.db.models import Count, Q

from clp.panels import Panel


def _you_said_we_did(community):
    from actions.models import CommunityUpdate, UpdateStatus
    from plans.models import Plan, PlanStatus

    plans = list(Plan.objects.filter(community=community, versions__isnull=False)
                 .exclude(status=PlanStatus.ABANDONED).distinct().order_by("-start_date")
                 .annotate(done=Count("priorities__actions", distinct=True,
                                      filter=Q(priorities__actions__progress=UpdateStatus.DONE)),
                           total=Count("priorities__actions", distinct=True)))
    if not plans:
        return None
    latest = {}
    for update in (CommunityUpdate.objects.filter(plan__in=plans, published_at__isnull=False)
                   .order_by("plan_id", "-published_at", "-pk")):
        latest.setdefault(update.plan_id, update)  # one query for every plan's latest update
    for plan in plans:
        plan.latest_update = latest.get(plan.pk)
    return {"plans": plans}


def register_panels() -> None:
    from plans.community import register_panel

    register_panel(Panel("you_said_we_did", "actions/includes/community_progress.html", 5,
                         _you_said_we_did))

"""The "you said, we did" panel on a community's public page, for its finalised plans."""

from django.db.models import Count, Q


def _you_said_we_did(community):
    from actions.models import UpdateStatus
    from plans.models import Plan, PlanStatus

    plans = list(Plan.objects.filter(community=community, versions__isnull=False)
                 .exclude(status=PlanStatus.ABANDONED).distinct().order_by("-start_date")
                 .annotate(done=Count("priorities__actions", distinct=True,
                                      filter=Q(priorities__actions__progress=UpdateStatus.DONE)),
                           total=Count("priorities__actions", distinct=True)))
    if not plans:
        return None
    for plan in plans:
        plan.latest_update = (plan.community_updates.filter(published_at__isnull=False)
                              .order_by("-published_at").first())
    return {"plans": plans}


def register_panels() -> None:
    from plans.community import CommunityPanel, register_panel

    register_panel(CommunityPanel("you_said_we_did", "actions/includes/community_progress.html", 5,
                                  _you_said_we_did))

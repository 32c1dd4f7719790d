"""Home page panel: plans whose steering group has asked this councillor to review priorities."""

from clp.home import register
from clp.panels import Panel


def _awaiting(user):
    from actions.models import Endorsement, EndorsementRequest, Priority, Section
    from plans.models import PlanStatus

    requests = list(
        EndorsementRequest.objects.filter(councillor__user=user,
                                          plan__councillor_links__councillor__user=user,
                                          plan__status__in=[PlanStatus.ACTIVE, PlanStatus.PAUSED])
        .select_related("plan__community").order_by("respond_by")
    )
    if not requests:
        return None
    plan_ids = [r.plan_id for r in requests]
    section_two = list(Priority.objects.filter(plan_id__in=plan_ids, section=Section.HELP)
                       .values_list("pk", "plan_id"))
    decided = set(Endorsement.objects.current().filter(councillor__user=user,
                                                       priority__plan_id__in=plan_ids)
                  .values_list("priority_id", flat=True))
    for request in requests:
        request.awaiting = sum(1 for pk, plan_id in section_two
                               if plan_id == request.plan_id and pk not in decided)
    return {"requests": requests}


def _inboxes(user):
    """Links to the inboxes and partner directories this user may open."""
    from actions.models import RegisteredPartner
    from clp.models import CouncillorProfile, Organisation

    partners = list(RegisteredPartner.objects.filter(contacts__user=user).distinct())
    directories = list(Organisation.objects.filter(officers=user))
    councillor = CouncillorProfile.objects.filter(user=user).exists()
    if not (partners or directories or councillor):
        return None
    return {"partners": partners, "directories": directories, "councillor": councillor}


def register_panels() -> None:
    register(Panel("awaiting_endorsement", "actions/includes/home_awaiting.html", 25, _awaiting))
    register(Panel("agency_inbox", "actions/includes/home_inbox.html", 26, _inboxes))


def _community_plan(community):
    """The adopted plan and any draft open for comment, for the community's public page."""
    from actions.models import DraftPlan, PlanVersion

    latest = {}
    for version in (PlanVersion.objects.filter(plan__community=community).select_related("plan").defer("data")
                    .order_by("-number")):
        latest.setdefault(version.plan_id, version)
    adopted = list(latest.values())
    drafts = list(DraftPlan.objects.filter(plan__community=community, published_at__isnull=False)
                  .select_related("plan"))
    if not adopted and not drafts:
        return None
    return {"adopted": adopted, "drafts": drafts}


def register_community_panels() -> None:
    from plans.community import register_panel

    register_panel(Panel("action_plan", "actions/includes/community_plan.html", 5,
                         _community_plan))

"""Invitation kinds owned by plans: to the steering group, and councillors to a plan."""

from django.utils.translation import gettext as _

from clp.invitations import InvitationKind, register


def _plan(pk):
    from plans.models import Plan

    return Plan.objects.select_related("community").filter(pk=pk).first()


def _describe_steering(invitation) -> str:
    from plans.models import Role

    return _("join the steering group of %(plan)s as %(role)s") % {
        "plan": _plan(invitation.target_id), "role": Role(invitation.role).label,
    }


def _accept_steering(invitation, user) -> str:
    from plans import services

    plan = _plan(invitation.target_id)
    services.membership_add(plan=plan, user=user, role=invitation.role,
                            theme=invitation.detail.get("theme", ""), actor=invitation.invited_by)
    return plan.get_absolute_url()


def _describe_councillor(invitation) -> str:
    return _("follow and review %(plan)s as a councillor") % {"plan": _plan(invitation.target_id)}


def _accept_councillor(invitation, user) -> str:
    from clp.models import CouncillorProfile
    from plans import services

    plan = _plan(invitation.target_id)
    detail = invitation.detail
    profile, _created = CouncillorProfile.objects.get_or_create(
        user=user,
        defaults={"tier": detail.get("tier", "parish"), "council_name": detail.get("council", ""),
                  "ward": detail.get("ward", "")},
    )
    profile.communities.add(plan.community)
    services.councillor_attach(plan=plan, councillor=profile, actor=invitation.invited_by)
    return plan.get_absolute_url()


def register_kinds() -> None:
    register(InvitationKind("steering", _plan, _describe_steering, _accept_steering))
    register(InvitationKind("plan_councillor", _plan, _describe_councillor, _accept_councillor))

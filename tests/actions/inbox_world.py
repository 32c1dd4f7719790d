"""Builders for the agency inbox tests: a support organisation's directory body and the asks that
plans of several communities send it."""

from datetime import timedelta

from django.utils import timezone

from actions import delivery
from actions.models import (
    PartnerBody,
    PartnerContact,
    PlanVersion,
    RegisteredPartner,
    Section,
)
from plans.models import Plan
from plans.steps import Step
from tests import factories
from tests.actions.factories import ActionFactory, PriorityFactory


def registered_partner(organisation, name="Downshire County Highways", contact_user=None):
    partner = RegisteredPartner.objects.create(organisation=organisation, name=name,
                                               email="highways@downshire.test")
    if contact_user is not None:
        PartnerContact.objects.create(partner=partner, name=str(contact_user),
                                      email=contact_user.email, user=contact_user)
    return partner


def ask(partner, *, community=None, theme="20 mph limits", what="Ask for a 20 mph limit",
        asked_days_ago=0, published=True):
    """A running plan in `community` whose section 2 action asks `partner` to help."""
    community = community or factories.CommunityFactory()
    partner.organisation.communities.add(community)
    plan = factories.PlanFactory(community=community, step=Step.IMPLEMENTING)
    chair = factories.UserFactory()
    factories.MembershipFactory(plan=plan, user=chair, role="chair")
    if published:
        PlanVersion.objects.create(plan=plan, number=1, data={}, frozen_by=chair)
    body = PartnerBody.objects.create(plan=plan, name=partner.name, registered=partner,
                                      contact_email=partner.email)
    priority = PriorityFactory(plan=plan, section=Section.HELP, theme=theme,
                               title=f"{theme} in {community.name}")
    action = ActionFactory(priority=priority, what=what, partner_body=body)
    request = delivery.owner_request_send(action=action, role="partner", actor=chair)
    if asked_days_ago:
        type(request).objects.filter(pk=request.pk).update(
            sent_at=timezone.now() - timedelta(days=asked_days_ago))
    action.refresh_from_db()
    action.priority.plan = Plan.objects.get(pk=plan.pk)
    return action

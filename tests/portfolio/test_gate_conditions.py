"""The portfolio checks the computed checklist items of every plan in one query (`gates.met_among`):
each item's condition must agree with its own `check` on the plan page, for plans that meet it, that
nearly meet it and that met it in an earlier review cycle."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.models import (
    CommunityUpdate,
    Endorsement,
    OwnerStatus,
    PlanReview,
    PlanVersion,
    ReviewDecision,
    ReviewOutcome,
    Section,
    UpdateStatus,
)
from consultation.models import Issue, RepresentationReview, Survey, SurveyKind, SurveyStatus
from plans import gates
from plans.models import CouncillorLink, Plan, Role
from plans.steps import Step
from tests import factories
from tests.actions.factories import ActionFactory, PriorityFactory
from tests.consultation.factories import make_survey, submitted_response

pytestmark = pytest.mark.django_db


def _closed_survey(plan, kind=SurveyKind.OPEN_ROUND, status=SurveyStatus.CLOSED):
    survey = make_survey(plan)
    response = submitted_response(survey)
    Survey.objects.filter(pk=survey.pk).update(status=status, kind=kind, closed_at=timezone.now())
    return response


def _every_item_met(name):
    plan = factories.PlanFactory(title=name, terms_of_reference="We meet monthly.")
    factories.MeetingFactory(plan=plan)
    factories.MembershipFactory(plan=plan, role=Role.CHAIR)
    factories.MembershipFactory.create_batch(2, plan=plan)
    CouncillorLink.objects.create(plan=plan, councillor=factories.CouncillorFactory())
    factories.MilestoneFactory.create_batch(3, plan=plan)
    plan.support_sources.create(name="Parish grant")
    response = _closed_survey(plan)
    _closed_survey(plan, kind=SurveyKind.PRIORITIES)
    RepresentationReview.objects.create(plan=plan)
    issue = Issue.objects.create(plan=plan, title="Speeding", description="Too fast")
    issue.answers.add(response.answers.first())
    priority = PriorityFactory(plan=plan, section=Section.HELP)
    Endorsement.objects.create(priority=priority, decision="endorse",
                               councillor=plan.councillor_links.get().councillor)
    PlanVersion.objects.create(plan=plan, number=plan.version, data={})
    action = ActionFactory(priority=priority)
    type(action).objects.filter(pk=action.pk).update(lead_status=OwnerStatus.ACCEPTED)
    ActionFactory(priority=priority, progress=UpdateStatus.DROPPED)  # dropped: needs no lead
    CommunityUpdate.objects.create(plan=plan, title="News", body="Done", covers_from=timezone.now(),
                                   published_at=timezone.now())
    review = PlanReview.objects.create(plan=plan, version=plan.version, held_on=timezone.localdate(),
                                       minute_reference="SG 2027/14")
    ReviewDecision.objects.create(review=review, action=action, outcome=ReviewOutcome.CARRY)
    return plan


def _nearly_met():
    """Each item just missed: blank terms, a chair who left, two milestones, no attendance…"""
    plan = factories.PlanFactory(title="Nearly", terms_of_reference="  \n ", version=2)
    factories.MeetingFactory(plan=plan, attendance=None)
    factories.MembershipFactory(plan=plan, role=Role.CHAIR, left_on=timezone.localdate())
    factories.MembershipFactory.create_batch(2, plan=plan)
    factories.InvitationFactory(kind="plan_councillor", target_id=plan.pk,
                                expires_at=timezone.now() - timedelta(days=1))
    factories.MilestoneFactory.create_batch(2, plan=plan)
    _closed_survey(plan, kind=SurveyKind.PRIORITIES, status=SurveyStatus.OPEN)
    Issue.objects.create(plan=plan, title="Speeding", description="No evidence linked")
    priority = PriorityFactory(plan=plan, section=Section.HELP)
    Endorsement.objects.create(priority=priority, decision="decline",
                               councillor=factories.CouncillorFactory())
    PlanVersion.objects.create(plan=plan, number=1, data={})
    ActionFactory(priority=priority)
    accepted = ActionFactory(priority=priority)
    type(accepted).objects.filter(pk=accepted.pk).update(lead_status=OwnerStatus.ACCEPTED)
    CommunityUpdate.objects.create(plan=plan, title="Old news", body="Done",
                                   covers_from=timezone.now(),
                                   published_at=timezone.now() - timedelta(days=250))
    CommunityUpdate.objects.create(plan=plan, title="Draft", body="Soon", covers_from=timezone.now())
    ActionFactory(priority=priority, partners="")  # a section 2 action naming no partner
    # The review of version 1, not of the current version 2; this one's has no minute reference.
    PlanReview.objects.create(plan=plan, version=1, held_on=timezone.localdate(), minute_reference="SG 1")
    review = PlanReview.objects.create(plan=plan, version=2, held_on=timezone.localdate())
    ReviewDecision.objects.create(review=review, action=accepted, outcome=ReviewOutcome.CARRY)
    return plan


def _reviewed(name, *, undecided=False, unexplained_drop=False, achieved_before=False):
    """A plan whose review of this version lacks one thing, or (achieved_before) needs no decision
    on an action achieved at an earlier review; and a priority whose only action is dropped."""
    plan = factories.PlanFactory(title=name, version=2)
    priority = PriorityFactory(plan=plan)
    kept, other = ActionFactory(priority=priority), ActionFactory(priority=priority)
    review = PlanReview.objects.create(plan=plan, version=2, held_on=timezone.localdate(),
                                       minute_reference="SG 9")
    ReviewDecision.objects.create(review=review, action=kept, outcome=ReviewOutcome.CARRY)
    if achieved_before:
        earlier = PlanReview.objects.create(plan=plan, version=1, completed_at=timezone.now())
        ReviewDecision.objects.create(review=earlier, action=other, outcome=ReviewOutcome.ACHIEVED)
    elif not undecided:
        ReviewDecision.objects.create(review=review, action=other, outcome=ReviewOutcome.DROP,
                                      reason="" if unexplained_drop else "Nobody to do it")
    if name == "Dropped only":
        ActionFactory(priority=PriorityFactory(plan=plan), status="dropped", progress=UpdateStatus.DROPPED)
    return plan


def _plans():
    bare = factories.PlanFactory(title="Bare")
    invited = factories.PlanFactory(title="Invited")
    factories.InvitationFactory(kind="plan_councillor", target_id=invited.pk)
    ActionFactory(priority=PriorityFactory(plan=invited), progress=UpdateStatus.DROPPED)
    earlier_cycle = _every_item_met("Reviewed")
    Plan.objects.filter(pk=earlier_cycle.pk).update(cycle_started_at=timezone.now() + timedelta(hours=1))
    reviewed = [_reviewed("Undecided", undecided=True), _reviewed("Unexplained drop", unexplained_drop=True),
                _reviewed("Achieved before", achieved_before=True), _reviewed("Dropped only")]
    return [bare, invited, _every_item_met("Everything"), _nearly_met(), earlier_cycle, *reviewed]


def test_each_computed_items_condition_agrees_with_its_check_at_every_step():
    plans = {p.title: p for p in _plans()}
    ids = [p.pk for p in plans.values()]
    with_condition = [item for item in gates.registry if item.met_when is not None]
    assert len(with_condition) >= 17  # every computed item, the SMART check and the review too
    disagreements = []
    for step in Step.values:
        Plan.objects.filter(pk__in=ids).update(step=step)
        met = gates.met_among(ids)
        for plan in Plan.objects.filter(pk__in=ids):
            for item in gates.items_for(step):
                if item.met_when is not None and bool(item.check(plan)) != (item.key in met[plan.pk]):
                    disagreements.append(f"{item.key} on {plan.title}: check says {item.check(plan)}")
        # Not vacuous: the fully equipped plan meets every item, the bare one almost none (with no
        # section 2 priority it has none left to endorse).
        assert met[plans["Everything"].pk] == {i.key for i in gates.items_for(step) if i.met_when}
        assert met[plans["Bare"].pk] <= {"section_two_endorsed"}
        if step == Step.REVIEWING:
            held = {t for t, p in plans.items() if "review_held" in met[p.pk]}
            assert held == {"Everything", "Reviewed", "Achieved before", "Dropped only"}
        if step == Step.FINALISING:
            smart = {t for t, p in plans.items() if "actions_smart" in met[p.pk]}
            assert "Everything" in smart and "Nearly" not in smart and "Dropped only" not in smart
    assert not disagreements

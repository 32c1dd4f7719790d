"""A plan at step 8 with something in every part of a meeting pack and a community update: an
overdue, a stalled, a declined and an unowned action, progress before and after the last meeting,
a councillor's endorsement awaited, an offer to help and an issue raised by a resident."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from actions import delivery, versions
from actions.models import (
    Action,
    Cadence,
    EndorsementRequest,
    HelpOffer,
    OfferStatus,
    OwnerStatus,
    PlanVersion,
    ProgressUpdate,
    RaisedIssue,
    Section,
    UpdateStatus,
)
from plans.models import Meeting, MeetingKind, Plan, PlanEvent
from plans.steps import Step
from tests.actions.factories import ActionFactory, PriorityFactory


@dataclass
class Delivering:
    plan: Plan
    meeting: Meeting
    previous: Meeting
    overdue: Action
    stalled: Action
    declined: Action
    unowned: Action
    done: Action
    reported_before: Action


def delivering(world, *, meeting_title: str = "Steering group, March") -> Delivering:
    Plan.objects.filter(pk=world.plan.pk).update(step=Step.IMPLEMENTING)
    plan = Plan.objects.get(pk=world.plan.pk)
    now, today = timezone.now(), timezone.localdate()
    litter = PriorityFactory(plan=plan, title="Litter at the recreation ground", section=Section.COMMUNITY,
                             is_quick_win=True)
    speeding = PriorityFactory(plan=plan, title="Speeding through the village", section=Section.HELP)
    overdue = ActionFactory(priority=speeding, what="Ask the county for a 20 mph limit",
                            target_date=today - timedelta(days=10), lead_name="Sam Secretary",
                            lead_status=OwnerStatus.ACCEPTED)
    stalled = ActionFactory(priority=speeding, what="Run a speed watch group",
                            update_cadence=Cadence.MONTHLY, lead_name="Ravi Speedwatch",
                            lead_status=OwnerStatus.ACCEPTED)
    Action.objects.filter(pk=stalled.pk).update(created_at=now - timedelta(days=80))
    declined = ActionFactory(priority=speeding, what="Put up vehicle-activated signs",
                             lead_name="Pat Parish", lead_status=OwnerStatus.DECLINED)
    unowned = ActionFactory(priority=litter, what="Buy more litter bins", lead_name="", lead_contact="")
    done = ActionFactory(priority=litter, what="Monthly volunteer litter pick", lead_name="Jo Volunteer",
                         lead_status=OwnerStatus.ACCEPTED)
    reported_before = ActionFactory(priority=litter, what="Clean the bus shelter", lead_name="Jo Volunteer",
                                    lead_status=OwnerStatus.ACCEPTED)
    previous = Meeting.objects.create(plan=plan, title="Steering group, February",
                                      kind=MeetingKind.STEERING, date=today - timedelta(days=30))
    meeting = Meeting.objects.create(plan=plan, title=meeting_title, kind=MeetingKind.STEERING,
                                     date=today + timedelta(days=3))
    chair = world.people["chair"]
    earlier = delivery.update_post(action=reported_before, status=UpdateStatus.ON_TRACK, percent=40,
                                   reason="Started with the shelter by the school", actor=chair)
    ProgressUpdate.objects.filter(pk=earlier.pk).update(at=now - timedelta(days=40))
    PlanEvent.objects.filter(plan=plan, summary__contains="Clean the bus shelter").update(
        at=now - timedelta(days=40))
    delivery.update_post(action=done, status=UpdateStatus.DONE, percent=100,
                         reason="Twelve volunteers cleared the recreation ground", actor=chair)
    EndorsementRequest.objects.create(plan=plan, councillor=world.people["councillor"].councillor_profile,
                                      message="Please review our priorities.",
                                      respond_by=today + timedelta(days=14), sent_by=world.people["chair"])
    HelpOffer.objects.create(action=done, name="Helen Helper", email="helen@test.org",
                             what="I can bring litter pickers", nonce="n", status=OfferStatus.CONFIRMED,
                             confirmed_at=now)
    RaisedIssue.objects.create(plan=plan, title="Dog fouling on the footpath", description="Every morning.")
    # Agreed two months ago: residents can follow it, and the first update counts from then.
    PlanVersion.objects.create(plan=plan, number=1, data=versions.snapshot(plan),
                               frozen_by=world.people["chair"], frozen_at=now - timedelta(days=60))
    return Delivering(plan=plan, meeting=meeting, previous=previous, overdue=overdue, stalled=stalled,
                      declined=declined, unowned=unowned, done=done, reported_before=reported_before)

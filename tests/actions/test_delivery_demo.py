import io

from django.core.management import call_command

from actions.models import (
    OwnerRequest,
    PartnerBody,
    PlanReview,
    ProgressUpdate,
    RaisedIssue,
    RegisteredPartner,
)
from actions.progress import load_delivery
from plans.models import Plan
from plans.steps import Step


def test_demo_has_delivery_at_step_8_and_a_review_at_step_9_once(db):
    call_command("seed_demo", stdout=io.StringIO())
    counts = [m.objects.count() for m in (ProgressUpdate, OwnerRequest, RaisedIssue, PlanReview)]
    call_command("seed_demo", stdout=io.StringIO())
    assert [m.objects.count() for m in (ProgressUpdate, OwnerRequest, RaisedIssue,
                                        PlanReview)] == counts
    eastfield = load_delivery(Plan.objects.get(community__slug="eastfield-ward"))
    assert eastfield.overdue and eastfield.stalled and eastfield.flagged and eastfield.waiting
    assert eastfield.quick_wins_done
    assert OwnerRequest.objects.filter(answer="accepted").exists()
    assert OwnerRequest.objects.filter(answer="declined").exists()
    kingsley = Plan.objects.get(community__slug="kingsley-vale")
    assert kingsley.step == Step.REVIEWING
    assert kingsley.reviews.get().completed_at is None


def test_demo_partner_bodies_are_in_the_directory_with_response_times(db):
    from actions import inbox

    call_command("seed_demo", stdout=io.StringIO())
    bodies = PartnerBody.objects.filter(plan__community__slug="eastfield-ward")
    assert bodies.exists() and not bodies.filter(registered__isnull=True).exists()
    times = inbox.response_times(list(RegisteredPartner.objects.all()))
    assert any(t.answered and t.median_days == 3.0 for t in times.values())
    assert any(t.waiting for t in times.values())

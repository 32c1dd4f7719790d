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


def test_demo_ledger_has_sent_deliver_reminders_and_eastfield_has_followers(db):
    from actions.models import Follower
    from clp.models import Reminder, ReminderStatus

    call_command("seed_demo", stdout=io.StringIO())
    eastfield = Plan.objects.get(community__slug="eastfield-ward")
    ledger = list(Reminder.objects.filter(kind__in=[
        "action_update_due", "action_overdue", "owner_request_unanswered"], plan_id=eastfield.pk))
    assert {r.kind for r in ledger} == {"action_update_due", "action_overdue",
                                        "owner_request_unanswered"}
    assert {r.status for r in ledger} == {ReminderStatus.SENT}
    digests = Reminder.objects.filter(kind="followed_progress")
    assert digests.exists() and {r.recipient.email for r in digests} <= {
        "sue.barker@example.org", "tom.okafor@example.org"}
    assert "Delivered to all 140 new households" in " ".join(r.context["detail"] for r in digests)
    assert Follower.objects.filter(plan=eastfield, confirmed_at__isnull=False).count() == 2
    counts = (Reminder.objects.count(), Follower.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Reminder.objects.count(), Follower.objects.count()) == counts

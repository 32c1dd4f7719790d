"""Deliver reminders through the ledger: progress updates due (with a link to report), actions
overdue (lead, then chair, then support officer), owner requests unanswered, milestones due.

Celery runs eagerly here and mail goes to Django's test outbox."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from actions import tokens
from actions.models import Action, OwnerRequest, OwnerRole, ProgressUpdate, UpdateLink
from clp import services
from clp.models import Reminder, ReminderStatus
from plans.models import Milestone, MilestoneStatus, Plan
from plans.steps import Step
from tests.actions.factories import ActionFactory, PriorityFactory


@pytest.fixture
def priority(world):
    Plan.objects.filter(pk=world.plan.pk).update(step=Step.IMPLEMENTING)
    return PriorityFactory(plan=world.plan, title="Speeding")


def sweep(capture, today=None):
    with capture(execute=True):
        return services.reminders_sweep(today=today or timezone.localdate())


def test_update_due_asks_the_lead_by_email_once_with_a_link_that_posts_the_update(
        world, priority, mailoutbox, django_capture_on_commit_callbacks):
    action = ActionFactory(priority=priority, what="Speed survey", lead_email="jo@vol.test",
                           update_cadence="monthly")
    Action.objects.filter(pk=action.pk).update(created_at=timezone.now() - timedelta(days=45))
    sweep(django_capture_on_commit_callbacks)
    sweep(django_capture_on_commit_callbacks)
    to_lead = [m for m in mailoutbox if m.to == ["jo@vol.test"]]
    assert len(to_lead) == 1 and "time for a progress update on “Speed survey”" in to_lead[0].body
    reminder = Reminder.objects.get(kind="action_update_due")
    assert reminder.recipient.user_id is None and reminder.status == ReminderStatus.SENT
    assert UpdateLink.objects.filter(action=action).count() == 1  # one link, not one per sweep
    url = re.search(r"http\S+/delivery-links/actions/\d+/update/\S+/", to_lead[0].body).group(0)
    path = url[url.index("/delivery-links"):]
    client = Client()
    assert client.get(path).status_code == 200
    response = client.post(path, {"status": "on_track", "percent": 40, "note": "Counted 300 cars",
                                  "reason": "Started the count"})
    assert response.status_code == 200
    assert ProgressUpdate.objects.get(action=action).by_name == "Jo Volunteer"
    # Reported now: nothing more is due, and the link does not work twice.
    assert Action.objects.update_due(timezone.now()).filter(pk=action.pk).exists() is False
    assert "already been used" in client.get(path).content.decode()


def test_overdue_ladder_lead_then_chair_then_officer_each_once(
        world, priority, mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    action = ActionFactory(priority=priority, what="Bus shelter", lead_email="jo@vol.test",
                           target_date=today - timedelta(days=1))
    Action.objects.filter(pk=action.pk).update(update_cadence="yearly")

    def overdue_to():
        return sorted((r.recipient.email, r.period.rsplit("-", 1)[1])
                      for r in Reminder.objects.filter(kind="action_overdue").select_related("recipient"))

    sweep(django_capture_on_commit_callbacks, today)
    sweep(django_capture_on_commit_callbacks, today)
    assert overdue_to() == [("jo@vol.test", "lead")]
    sweep(django_capture_on_commit_callbacks, today + timedelta(days=13))
    sweep(django_capture_on_commit_callbacks, today + timedelta(days=13))
    assert overdue_to() == [("chair@test.org", "chair"), ("jo@vol.test", "lead")]
    sweep(django_capture_on_commit_callbacks, today + timedelta(days=27))
    assert overdue_to() == [("chair@test.org", "chair"), ("jo@vol.test", "lead"),
                            ("officer@test.org", "officer")]
    sent = [m for m in mailoutbox if "past its target date" in m.body]
    assert sorted(m.to[0] for m in sent) == ["chair@test.org", "jo@vol.test", "officer@test.org"]
    # A revised target date starts the ladder again, from the lead.
    new_date = today + timedelta(days=40)
    Action.objects.filter(pk=action.pk).update(target_date=today + timedelta(days=30))
    sweep(django_capture_on_commit_callbacks, new_date)
    assert ("jo@vol.test", "lead") in overdue_to() and len(overdue_to()) == 4


def test_overdue_email_gives_a_lead_without_an_account_a_link_that_opens_the_update_form(
        world, priority, mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    action = ActionFactory(priority=priority, what="Bus shelter", lead_name="Jo Volunteer",
                           lead_email="jo@vol.test", target_date=today - timedelta(days=3))
    Action.objects.filter(pk=action.pk).update(update_cadence="yearly")
    sweep(django_capture_on_commit_callbacks, today)
    [email] = [m for m in mailoutbox if m.to == ["jo@vol.test"]]
    assert "“Bus shelter” is 3 days past its target date" in email.body
    assert "without signing in" in email.body
    url = re.search(r"http\S+/delivery-links/actions/\d+/update/\S+/", email.body).group(0)
    path = url[url.index("/delivery-links"):]
    client = Client()
    form = client.get(path)
    assert form.status_code == 200 and "Bus shelter" in form.content.decode()
    response = client.post(path, {"status": "stuck", "percent": 20, "note": "Waiting on parts"})
    assert response.status_code == 200
    assert ProgressUpdate.objects.get(action=action).by_name == "Jo Volunteer"
    # Still overdue: later sweeps neither email the lead again nor make links nobody is sent.
    sweep(django_capture_on_commit_callbacks, today + timedelta(days=1))
    assert len([m for m in mailoutbox if m.to == ["jo@vol.test"]]) == 1
    assert UpdateLink.objects.filter(action=action).count() == 1


def test_owner_request_unanswered_after_a_week_asks_the_person_again_once(
        world, priority, mailoutbox, django_capture_on_commit_callbacks):
    action = ActionFactory(priority=priority, what="Litter pick")
    request = OwnerRequest.objects.create(
        action=action, role=OwnerRole.PARTNER, recipient_name="Meonbridge DC",
        recipient_email="highways@meonbridge.test", nonce=tokens.new_nonce(),
        emailed_at=timezone.now())
    sweep(django_capture_on_commit_callbacks)
    assert not Reminder.objects.filter(kind="owner_request_unanswered").exists()  # asked today
    OwnerRequest.objects.filter(pk=request.pk).update(sent_at=timezone.now() - timedelta(days=8))
    sweep(django_capture_on_commit_callbacks)
    sweep(django_capture_on_commit_callbacks)
    asked = [m for m in mailoutbox if m.to == ["highways@meonbridge.test"]]
    assert len(asked) == 1 and "will you take on “Litter pick”?" in asked[0].body
    url = re.search(r"http\S+/answer/\S+/", asked[0].body).group(0)
    assert Client().get(url[url.index("/delivery-links"):]).status_code == 200
    OwnerRequest.objects.filter(pk=request.pk).update(answered_at=timezone.now(), answer="accepted")
    Reminder.objects.all().delete()
    sweep(django_capture_on_commit_callbacks)
    assert not Reminder.objects.filter(kind="owner_request_unanswered").exists()


def test_milestone_due_reminds_the_chair_once_and_not_when_done(
        world, priority, mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    due = Milestone.objects.create(plan=world.plan, title="Print the questionnaire",
                                   owner="Sam", target_date=today + timedelta(days=5))
    Milestone.objects.create(plan=world.plan, title="Far off", target_date=today + timedelta(days=30))
    Milestone.objects.create(plan=world.plan, title="Done already", target_date=today,
                             status=MilestoneStatus.DONE)
    sweep(django_capture_on_commit_callbacks)
    sweep(django_capture_on_commit_callbacks)
    rows = Reminder.objects.filter(kind="milestone_due").select_related("recipient")
    assert [(r.recipient.email, r.subject_key) for r in rows] == [("chair@test.org", f"milestone:{due.pk}")]
    assert sum("“Print the questionnaire” is due on" in m.body for m in mailoutbox) == 1


def test_a_persons_deliver_items_come_in_one_digest(
        world, priority, mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    chair = world.people["chair"]
    for n in range(3):
        ActionFactory(priority=priority, what=f"Action {n}", lead_name="", lead_user=chair,
                      target_date=today - timedelta(days=2))
    Milestone.objects.create(plan=world.plan, title="Print", target_date=today)
    sweep(django_capture_on_commit_callbacks)
    to_chair = [m for m in mailoutbox if m.to == ["chair@test.org"]]
    assert len(to_chair) == 1
    body = to_chair[0].body
    assert all(f"“Action {n}” is 2 days past its target date" in body for n in range(3))
    assert "“Print” is due on" in body
    assert set(Reminder.objects.filter(recipient__email="chair@test.org")
               .values_list("kind", flat=True)) >= {"action_overdue", "milestone_due"}


@pytest.mark.parametrize("count", [1, 6])
def test_update_due_costs_the_same_queries_for_one_or_many_actions(
        world, priority, count, django_assert_max_num_queries):
    from actions.reminders import updates_due

    for n in range(count):
        ActionFactory(priority=priority, what=f"Action {n}", lead_email=f"lead{n}@vol.test",
                      update_cadence="monthly")
    Action.objects.update(created_at=timezone.now() - timedelta(days=45))
    with django_assert_max_num_queries(4):
        assert len(updates_due(timezone.localdate())) == count
    assert UpdateLink.objects.count() == count
    assert len(updates_due(timezone.localdate())) == count and UpdateLink.objects.count() == count

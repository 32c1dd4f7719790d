"""Reminders: the send ledger, digests, preferences and the no-login links in every email.

Celery runs eagerly here and mail goes to Django's test outbox; tests/clp/test_reminders_real.py
runs the same path through a real worker, real Redis and a real SMTP server."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Endorsement, EndorsementRequest, PlanVersion, Section
from actions.reminders import add_years, review_due
from clp import reminders, services
from clp.models import Preference, Recipient, Reminder, ReminderStatus
from consultation.models import Survey
from plans.models import Plan, PlanEvent, Role
from plans.steps import Step
from tests import factories
from tests.actions.factories import PriorityFactory

TODAY = date(2026, 12, 1)


def open_survey(plan, closes_on, title="Village survey"):
    survey = Survey.objects.create(plan=plan, title=title, closes_on=closes_on)
    survey.open()
    survey.save()
    return survey


def sweep(today=TODAY, capture=None):
    if capture is None:
        return services.reminders_sweep(today=today)
    with capture(execute=True):
        return services.reminders_sweep(today=today)


def test_survey_closing_reminds_chair_and_secretary_once_however_often_the_sweep_runs(
        world, django_capture_on_commit_callbacks):
    open_survey(world.plan, TODAY + timedelta(days=3))
    sweep(capture=django_capture_on_commit_callbacks)
    sweep(capture=django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["chair@test.org", "sec@test.org"]
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}
    message = next(m for m in mail.outbox if m.to == ["chair@test.org"])
    assert message.subject == "“Village survey” closes on 4 December 2026"
    assert message.body.startswith("Hello Cath,")
    assert "Why you got this: You are the chair of the steering group of" in message.body
    html = message.alternatives[0][0]
    assert "Why you got this:" in html and "Village survey" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")


def test_surveys_not_closing_within_three_days_remind_nobody(world, django_capture_on_commit_callbacks):
    open_survey(world.plan, TODAY + timedelta(days=4))
    open_survey(world.plan, TODAY - timedelta(days=1), title="Closed yesterday")
    sweep(capture=django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_five_due_items_make_one_digest(world, django_capture_on_commit_callbacks):
    for n in range(5):
        open_survey(world.plan, TODAY + timedelta(days=1), title=f"Survey {n}")
    sweep(capture=django_capture_on_commit_callbacks)
    to_chair = [m for m in mail.outbox if m.to == ["chair@test.org"]]
    assert len(to_chair) == 1
    assert to_chair[0].subject == "5 things need your attention"
    assert all(f"Survey {n}" in to_chair[0].body for n in range(5))


def test_a_kind_turned_off_is_recorded_as_skipped_and_not_sent(world, django_capture_on_commit_callbacks):
    Recipient.objects.create(email="chair@test.org", preferences={"survey_closing": "off"})
    open_survey(world.plan, TODAY + timedelta(days=2))
    sweep(capture=django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["sec@test.org"]]
    assert Reminder.objects.get(recipient__email="chair@test.org").status == ReminderStatus.SKIPPED


def test_weekly_digest_goes_at_most_once_a_week(world, django_capture_on_commit_callbacks):
    chair = Recipient.objects.create(email="chair@test.org", preferences={"survey_closing": "weekly"})
    open_survey(world.plan, TODAY + timedelta(days=3), title="First")
    sweep(capture=django_capture_on_commit_callbacks)
    open_survey(world.plan, TODAY + timedelta(days=3), title="Second")
    sweep(capture=django_capture_on_commit_callbacks)
    assert len([m for m in mail.outbox if m.to == ["chair@test.org"]]) == 1
    assert Reminder.objects.get(context__title__icontains="Second", recipient=chair).status == "due"
    Recipient.objects.filter(pk=chair.pk).update(weekly_sent_at=timezone.now() - timedelta(days=7))
    sweep(capture=django_capture_on_commit_callbacks)
    to_chair = [m for m in mail.outbox if m.to == ["chair@test.org"]]
    assert len(to_chair) == 2 and "Second" in to_chair[1].subject


def test_a_send_task_run_twice_sends_one_email(world, django_capture_on_commit_callbacks):
    open_survey(world.plan, TODAY + timedelta(days=3))
    sweep()  # rows recorded, tasks not run (no commit callbacks executed)
    recipient = Recipient.objects.get(email="chair@test.org")
    assert services.reminders_send(recipient_id=recipient.pk) == 1
    assert services.reminders_send(recipient_id=recipient.pk) == 0
    assert len(mail.outbox) == 1


def test_a_claim_left_by_a_killed_worker_is_freed_by_the_sweep(world, django_capture_on_commit_callbacks):
    open_survey(world.plan, TODAY + timedelta(days=3))
    sweep()
    Reminder.objects.update(status=ReminderStatus.SENDING, claimed_at=timezone.now() - timedelta(hours=1))
    sweep(capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


# --- kinds -----------------------------------------------------------------------------------------

def test_councillor_is_reminded_weekly_while_priorities_await_their_view(
        world, django_capture_on_commit_callbacks):
    priority = PriorityFactory(plan=world.plan, section=Section.HELP)
    councillor = world.people["councillor"].councillor_profile
    EndorsementRequest.objects.create(plan=world.plan, councillor=councillor, message="Please",
                                      respond_by=TODAY + timedelta(days=2))
    sweep(capture=django_capture_on_commit_callbacks)
    sweep(today=TODAY + timedelta(days=1), capture=django_capture_on_commit_callbacks)  # same week
    assert [m.to for m in mail.outbox] == [["cllr@test.org"]]
    assert "1 priorities are waiting" in mail.outbox[0].subject
    Endorsement.objects.create(priority=priority, councillor=councillor, decision="endorse")
    sweep(today=TODAY + timedelta(days=7), capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_a_councillor_no_longer_attached_to_the_plan_is_not_chased(world, django_capture_on_commit_callbacks):
    PriorityFactory(plan=world.plan, section=Section.HELP)
    councillor = world.people["councillor"].councillor_profile
    EndorsementRequest.objects.create(plan=world.plan, councillor=councillor, message="Please",
                                      respond_by=TODAY)
    world.plan.councillor_links.filter(councillor=councillor).delete()
    sweep(capture=django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_a_quiet_plan_reminds_its_support_officer(world, django_capture_on_commit_callbacks):
    # Noon, 70 local days ago: "now - 70 days" falls on the next local day late in the evening
    # when the clocks have changed in between (days are counted in the community's local dates).
    long_ago = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=70), time(12)))
    Plan.objects.filter(pk__in=[world.plan.pk, world.reviewing_plan.pk, world.other_plan.pk]).update(
        created_at=long_ago)
    PlanEvent.objects.create(plan=world.reviewing_plan, kind="edited", summary="Edited")
    sweep(today=timezone.localdate(), capture=django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["officer@test.org"]]  # other_plan has no officer
    assert "Nothing has happened on Wicketby Community Plan for 70 days" in mail.outbox[0].subject
    assert Reminder.objects.get().plan_id == world.plan.pk


def test_review_due_reminds_chair_and_officer_a_month_before(world, django_capture_on_commit_callbacks):
    plan = factories.PlanFactory(community=world.community, step=Step.IMPLEMENTING, title="Delivered")
    factories.MembershipFactory(plan=plan, user=world.people["chair"], role=Role.CHAIR)
    factories.MembershipFactory(plan=plan, user=world.people["member"], role=Role.MEMBER)
    frozen = timezone.now() - timedelta(days=340)
    PlanVersion.objects.create(plan=plan, number=1, data={}, frozen_at=frozen)
    sweep(today=timezone.localdate(), capture=django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["chair@test.org", "officer@test.org"]
    assert "yearly light review is due on" in mail.outbox[0].subject


def test_review_due_dates_light_yearly_full_five_yearly_and_leap_days():
    finalised = date(2024, 2, 29)
    assert add_years(finalised, 1) == date(2025, 2, 28)
    assert review_due([], [], TODAY) is None
    assert review_due([finalised], [], date(2025, 1, 1)) is None
    assert review_due([finalised], [], date(2025, 2, 1)) == (date(2025, 2, 28), "light")
    later = [finalised, date(2025, 3, 10), date(2026, 3, 1), date(2027, 3, 1), date(2028, 3, 1)]
    assert review_due(later, [], date(2029, 2, 1)) == (date(2029, 2, 28), "full")
    # A full review started in 2029 resets the five years from the plan finalised after it.
    assert review_due([*later, date(2029, 6, 1)], [date(2029, 3, 1)], date(2030, 5, 10)) == (
        date(2030, 6, 1), "light")


# --- preferences and signed links ----------------------------------------------------------------

@pytest.fixture
def lead(db):
    return Recipient.objects.create(email="lead@test.org")


def prefs_url(recipient):
    return reverse("reminder_preferences",
                   kwargs={"token": reminders.make_token(recipient, reminders.PREFERENCES_SALT)})


def unsubscribe_url(recipient, kinds=("survey_closing",)):
    return reverse("reminder_unsubscribe", kwargs={
        "token": reminders.make_token(recipient, reminders.UNSUBSCRIBE_SALT, list(kinds))})


def test_preferences_page_works_without_signing_in(client, lead):
    url = prefs_url(lead)
    page = client.get(url)
    assert page.status_code == 200 and "lead@test.org" in page.content.decode()
    choices = {k.key: Preference.IMMEDIATE for k in reminders.kinds()} | {"plan_quiet": "off"}
    response = client.post(url, choices)
    assert response.status_code == 302
    assert Recipient.objects.get(pk=lead.pk).preferences["plan_quiet"] == "off"


def test_preferences_page_keeps_choices_and_names_the_missing_one(client, lead):
    response = client.post(prefs_url(lead), {"plan_quiet": "weekly"})
    text = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in text
    assert "Choose how you want these reminders" in text
    assert re.search(r'name="plan_quiet" value="weekly"[^>]*checked', text)  # kept as typed
    assert Recipient.objects.get(pk=lead.pk).preferences == {}


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-3] + ("xyz" if not t.endswith("xyz") else "abc"),  # forged signature
    lambda t: "not-a-token",
])
def test_forged_links_get_a_clear_page(client, lead, mangle):
    for url in (prefs_url(lead), unsubscribe_url(lead)):
        token = url.rstrip("/").rsplit("/", 1)[1]
        response = client.get(url.replace(token, mangle(token)))
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()


def test_another_persons_link_cannot_be_made_by_changing_the_id(client, lead):
    other = Recipient.objects.create(email="other@test.org")
    from django.core import signing

    token = reminders.make_token(lead, reminders.PREFERENCES_SALT)
    payload = signing.loads(token, salt=reminders.PREFERENCES_SALT)
    unsigned = signing.dumps({**payload, "r": other.pk}, salt="guessed", compress=True)
    response = client.get(reverse("reminder_preferences", kwargs={"token": unsigned}))
    assert response.status_code == 400 and "other@test.org" not in response.content.decode()
    # A link signed for the unsubscribe page does not open the preferences page either.
    wrong_purpose = unsubscribe_url(lead).rstrip("/").rsplit("/", 1)[1]
    assert client.get(reverse("reminder_preferences", kwargs={"token": wrong_purpose})).status_code == 400


def test_expired_and_withdrawn_links_get_a_clear_page(client, lead, settings):
    url = prefs_url(lead)
    settings.REMINDER_LINK_MAX_AGE_DAYS = -1
    response = client.get(url)
    assert response.status_code == 400 and "This link has expired" in response.content.decode()
    settings.REMINDER_LINK_MAX_AGE_DAYS = 60
    services.recipient_reset_links(recipient=lead)  # e.g. they forwarded an email by mistake
    response = client.get(url)
    assert response.status_code == 400 and "no longer works" in response.content.decode()


def test_one_click_unsubscribe_needs_no_csrf_token_and_a_replay_changes_nothing(lead):
    client = Client(enforce_csrf_checks=True)
    url = unsubscribe_url(lead)
    assert client.get(url).status_code == 200
    assert Recipient.objects.get(pk=lead.pk).preferences == {}  # a link scanner's GET does nothing
    first = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert first.status_code == 200 and "Done." in first.content.decode()
    assert Recipient.objects.get(pk=lead.pk).preferences == {"survey_closing": "off"}
    again = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200 and "already turned off" in again.content.decode()


def test_unsubscribed_person_gets_no_more_of_that_kind(world, django_capture_on_commit_callbacks):
    open_survey(world.plan, TODAY + timedelta(days=3))
    sweep(capture=django_capture_on_commit_callbacks)
    header = next(m for m in mail.outbox if m.to == ["chair@test.org"]).extra_headers["List-Unsubscribe"]
    path = header.strip("<>").split("://", 1)[1].split("/", 1)[1]
    Client(enforce_csrf_checks=True).post("/" + path, {"List-Unsubscribe": "One-Click"})
    open_survey(world.plan, TODAY + timedelta(days=3), title="Another")
    sweep(capture=django_capture_on_commit_callbacks)
    assert len([m for m in mail.outbox if m.to == ["chair@test.org"]]) == 1
    assert Reminder.objects.get(context__title__icontains="Another",
                                recipient__email="chair@test.org").status == ReminderStatus.SKIPPED


# --- pages for signed-in people -------------------------------------------------------------------

def test_in_app_list_shows_only_your_own_reminders_and_is_in_the_navigation(
        world, django_capture_on_commit_callbacks):
    open_survey(world.plan, TODAY + timedelta(days=3))
    sweep(capture=django_capture_on_commit_callbacks)
    page = world.client("chair").get(reverse("notifications"))
    text = page.content.decode()
    assert f'href="{reverse("notifications")}"' in text
    assert "Village survey" in text and text.count("closes on 4 December") == 1
    assert "Village survey" not in world.client("member").get(reverse("notifications")).content.decode()


def test_signed_in_settings_page_saves_choices(world):
    client = world.client("member")
    choices = {k.key: Preference.WEEKLY for k in reminders.kinds()}
    assert client.post(reverse("notification_settings"), choices).status_code == 302
    recipient = Recipient.objects.get(email="member@test.org")
    assert recipient.user == world.people["member"] and recipient.preferences == choices


def _ledger_rows(world, n, status=ReminderStatus.SENT):
    for i in range(n):
        person = Recipient.objects.create(email=f"person{Recipient.objects.count()}-{i}@test.org")
        Reminder.objects.create(recipient=person, kind="survey_closing", subject_key=f"survey:{i}",
                                period="2026-12-04", plan_id=world.plan.pk,
                                community=world.community, status=status,
                                context={"title": f"Survey {i} closes"}, last_error="")


def test_ledger_shows_who_was_sent_what_and_what_failed(world):
    _ledger_rows(world, 1)
    Reminder.objects.create(recipient=Recipient.objects.create(email="bad@test.org"),
                            kind="survey_closing", subject_key="survey:9", period="x",
                            plan_id=world.plan.pk, community=world.community,
                            status=ReminderStatus.FAILED, attempts=3,
                            last_error="SMTPRecipientsRefused: no such mailbox")
    Reminder.objects.create(recipient=Recipient.objects.create(email="elsewhere@test.org"),
                            kind="survey_closing", subject_key="survey:10", period="x",
                            plan_id=world.other_plan.pk, community=world.other_plan.community)
    text = world.client("chair").get(reverse("plans:notifications", args=[world.plan.pk])).content.decode()
    assert "Survey 0 closes" in text and "no such mailbox" in text and "(3 tries)" in text
    assert "elsewhere@test.org" not in text
    portfolio = world.client("officer").get(reverse("plans:portfolio_notifications",
                                                    args=[world.organisation.pk])).content.decode()
    assert "bad@test.org" in portfolio and "elsewhere@test.org" not in portfolio
    history = world.client("chair").get(reverse("plans:history", args=[world.plan.pk])).content.decode()
    assert reverse("plans:notifications", args=[world.plan.pk]) in history


@pytest.mark.parametrize("url_name", ["plans:notifications", "plans:portfolio_notifications",
                                      "notifications"])
def test_ledger_pages_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries, url_name):
    args = {"plans:notifications": [world.plan.pk],
            "plans:portfolio_notifications": [world.organisation.pk], "notifications": []}[url_name]
    client = world.client("officer" if "portfolio" in url_name else "chair")
    chair = Recipient.objects.create(email="chair@test.org", user=world.people["chair"])
    for size in (3, 40):
        _ledger_rows(world, size)
        for i in range(size):
            Reminder.objects.create(recipient=chair, kind="plan_quiet", subject_key=f"x{size}-{i}",
                                    period="p", plan_id=world.plan.pk, community=world.community)
        with django_assert_max_num_queries(12):
            assert client.get(reverse(url_name, args=args)).status_code == 200


def test_site_admin_can_make_a_persons_old_links_stop_working(world, lead):
    url = prefs_url(lead)
    response = world.client("admin").post(reverse("admin:clp_recipient_changelist"), {
        "action": "reset_links", "_selected_action": [lead.pk]})
    assert response.status_code == 302
    assert Client().get(url).status_code == 400
    assert world.client("admin").get(reverse("admin:clp_reminder_changelist")).status_code == 200

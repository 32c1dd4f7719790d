"""Browser: the reminder pages reached the way people reach them, each checked with axe-core."""

import os

import pytest
from playwright.sync_api import expect

from clp import reminders
from clp.models import Recipient, Reminder, ReminderStatus
from tests.browser import assert_accessible, sign_in, visit

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _reminder(world, recipient, status=ReminderStatus.SENT, error=""):
    return Reminder.objects.create(
        recipient=recipient, kind="survey_closing", subject_key="survey:1", period="2026-12-04",
        plan_id=world.plan.pk, community=world.community, status=status, last_error=error,
        context={"title": "“Village survey” closes on 4 December 2026", "url": "/",
                 "why": "You are the chair."})


def test_a_lead_without_an_account_changes_their_choices_and_unsubscribes(world, live_server, page):
    lead = Recipient.objects.create(email="lead@test.org")
    token = reminders.make_token(lead, reminders.PREFERENCES_SALT)
    visit(page, f"{live_server.url}/emails/preferences/{token}/")
    page.get_by_role("group", name="A plan has gone quiet").get_by_label("Do not email me about this").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_role("status")).to_contain_text("Your email choices are saved")
    assert_accessible(page)
    assert Recipient.objects.get(pk=lead.pk).preferences["plan_quiet"] == "off"
    token = reminders.make_token(lead, reminders.UNSUBSCRIBE_SALT, ["survey_closing"])
    visit(page, f"{live_server.url}/emails/unsubscribe/{token}/")
    page.get_by_role("button", name="Stop these emails").click()
    expect(page.locator("main")).to_contain_text("Done.")
    assert_accessible(page)
    visit(page, f"{live_server.url}/emails/unsubscribe/{token}x/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link cannot be used")


def test_chair_and_officer_reach_the_ledger_and_notifications_from_the_navigation(world, live_server, page):
    chair = Recipient.objects.create(email="chair@test.org", user=world.people["chair"])
    _reminder(world, chair)
    _reminder(world, Recipient.objects.create(email="gone@test.org"), ReminderStatus.FAILED,
              "SMTPRecipientsRefused: no such mailbox")
    sign_in(page, live_server.url, "chair@test.org")
    page.get_by_role("link", name="Notifications").click()
    expect(page.locator("main")).to_contain_text("Village survey")
    assert_accessible(page)
    page.get_by_role("link", name="Choose which reminders you get, and how often").click()
    assert_accessible(page)
    page.goto(f"{live_server.url}/plans/{world.plan.pk}/history/")
    page.get_by_role("link", name="Reminder emails sent about this plan").click()
    expect(page.locator("main")).to_contain_text("no such mailbox")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, "officer@test.org")
    page.goto(f"{live_server.url}/portfolio/{world.organisation.pk}/")
    page.get_by_role("link", name="Reminder emails sent about these plans").click()
    expect(page.locator("main")).to_contain_text("gone@test.org")
    assert_accessible(page)

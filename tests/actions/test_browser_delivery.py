"""Browser tests: a lead reports progress from the emailed link without signing in; a resident
sees it on the public page and raises an issue; the chair runs a review that carries one action
forward and drops one with a reason. A resident follows the plan, confirms from the emailed link
(double opt-in), hears of a real change in a digest and unsubscribes from it. Every page visited
is checked with axe-core."""

import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions import delivery, tokens
from actions.models import Action, Follower, PlanVersion, RaisedIssue, UpdateLink
from clp import services
from clp.models import Recipient
from plans.models import Plan
from plans.steps import Step
from tests import factories
from tests.actions.factories import ActionFactory, PriorityFactory
from tests.browser import assert_accessible, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def delivering(transactional_db):
    chair = factories.UserFactory(email="chair@wicket.org", full_name="Nia Chair")
    plan = factories.PlanFactory(title="Little Wicket Plan", vision="A village where people help")
    factories.MembershipFactory(plan=plan, user=chair, role="chair")
    Plan.objects.filter(pk=plan.pk).update(step=Step.IMPLEMENTING)
    PlanVersion.objects.create(plan=plan, number=1, data={}, frozen_by=chair)
    path = ActionFactory(priority=PriorityFactory(plan=plan, title="Footpaths"),
                         what="Clear the church path", lead_email="jo@vol.test")
    link = UpdateLink.objects.create(action=path, email="jo@vol.test", name="Jo Volunteer",
                                     nonce=tokens.new_nonce())
    reviewing = factories.PlanFactory(community=factories.CommunityFactory(name="Oldbury"),
                                      title="Oldbury Plan")
    factories.MembershipFactory(plan=reviewing, user=chair, role="chair")
    Plan.objects.filter(pk=reviewing.pk).update(step=Step.REVIEWING)
    buses = PriorityFactory(plan=reviewing, title="Buses")
    carry = ActionFactory(priority=buses, what="Saturday bus")
    drop = ActionFactory(priority=buses, what="Bike hut")
    return {"plan": plan, "path": path, "chair": chair, "reviewing": reviewing, "carry": carry,
            "drop": drop, "token": tokens.make(tokens.UPDATE_LINK, link.pk, link.nonce)}


def test_lead_updates_by_link_resident_raises_issue_chair_reviews(delivering, live_server, page):
    url, action = live_server.url, delivering["path"]
    page.set_default_timeout(10_000)

    # The lead reports progress from the emailed link, without an account.
    page.goto(f"{url}/delivery-links/actions/{action.pk}/update/{delivering['token']}/")
    assert_accessible(page)
    page.get_by_label("What has happened").fill("Half the path is clear")
    page.get_by_role("button", name="Send the update").click()
    expect(page.locator(".error-summary")).to_contain_text("Choose how it is going")
    assert_accessible(page)
    expect(page.get_by_label("What has happened")).to_have_value("Half the path is clear")
    page.get_by_label("On track").check()
    page.get_by_role("button", name="Send the update").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("your update is saved")
    assert_accessible(page)

    # A resident sees it on the public page and raises a new issue.
    page.get_by_role("link", name="See the plan's progress").click()
    expect(page.locator("main")).to_contain_text("Half the path is clear")
    expect(page.locator("main")).to_contain_text("A village where people help")
    assert_accessible(page)
    page.get_by_role("link", name="Raise a new issue").click()
    assert_accessible(page)
    page.get_by_label("What is the problem").fill("The bin by the gate has gone.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter the issue in a few words")
    assert_accessible(page)
    page.get_by_label("The issue in a few words").fill("Dog mess on the green")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".alert-success")).to_contain_text("The steering group will read your issue")
    assert_accessible(page)
    assert RaisedIssue.objects.get().title == "Dog mess on the green"

    # The chair runs the review of another plan: one action carried forward, one dropped.
    reviewing = delivering["reviewing"]
    sign_in(page, url, delivering["chair"].email)
    page.goto(f"{url}/plans/{reviewing.pk}/plan-review/")
    assert_accessible(page)
    page.get_by_role("group", name="Decision on “Saturday bus”").get_by_label("Carry forward").check()
    page.get_by_role("group", name="Decision on “Bike hut”").get_by_label("Drop").check()
    page.get_by_label("Date of the meeting").fill("2026-11-20")
    page.get_by_label("Minute reference").fill("SG 2026/14")
    page.get_by_role("button", name="Record the review and start the next version").click()
    expect(page.locator(".error-summary")).to_contain_text("Say why the group drops “Bike hut”.")
    assert_accessible(page)
    page.get_by_label("Reason for “Bike hut”").fill("The landowner refused")
    page.get_by_role("button", name="Record the review and start the next version").click()
    expect(page.locator(".alert-success")).to_contain_text("Version 2 of the plan has started")
    assert_accessible(page)
    moved = Plan.objects.get(pk=reviewing.pk)
    assert (moved.step, moved.version) == (Step.PRIORITISING, 2)
    assert Action.objects.get(pk=delivering["drop"].pk).progress == "dropped"
    assert Action.objects.get(pk=delivering["carry"].pk).carried_forward_from == 1


def test_resident_follows_the_plan_confirms_by_email_and_hears_of_a_change(
        delivering, live_server, page, mailoutbox):
    url, plan, action = live_server.url, delivering["plan"], delivering["path"]
    page.set_default_timeout(10_000)

    # From the public page the resident asks to follow the plan; a bad address is explained.
    page.goto(f"{url}/plans/{plan.pk}/progress/")
    page.get_by_role("link", name="Follow progress by email").click()
    assert_accessible(page)
    page.get_by_label("Your email address").fill("fan@res")
    page.get_by_role("button", name="Follow").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your email address").fill("fan@res.test")
    page.get_by_role("button", name="Follow").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)
    assert [m.to for m in mailoutbox] == [["fan@res.test"]]
    confirm = re.search(r"http\S+/delivery-links/follow/\S+/", mailoutbox[0].body).group(0)

    # A change before the address is confirmed reaches nobody (double opt-in).
    delivery.update_post(action=action, status="on_track", percent=10, reason="Volunteers found")
    services.reminders_sweep(today=timezone.localdate())
    assert len(mailoutbox) == 1

    # Opening the emailed link asks; the button confirms.
    page.goto(url + confirm[confirm.index("/delivery-links"):])
    assert_accessible(page)
    page.get_by_role("button", name="Yes, send me progress emails").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("you are following this plan")
    assert_accessible(page)
    assert Follower.objects.get().confirmed_at is not None

    # The lead reports a real change of status; the sweep sends the resident one digest.
    delivery.update_post(action=action, status="done", percent=100, reason="The path is clear")
    services.reminders_sweep(today=timezone.localdate())
    services.reminders_sweep(today=timezone.localdate())
    digests = [m for m in mailoutbox[1:] if m.to == ["fan@res.test"]]
    assert len(digests) == 1
    assert "“Clear the church path” is now done" in digests[0].body
    assert "The path is clear" in digests[0].body
    assert "Volunteers found" not in digests[0].body  # before they confirmed

    # The email's one-click link stops them.
    unsubscribe = digests[0].extra_headers["List-Unsubscribe"].strip("<>")
    page.goto(url + unsubscribe[unsubscribe.index("/", 8):])
    assert_accessible(page)
    page.get_by_role("button", name="Stop these emails").click()
    expect(page.locator("main")).to_contain_text("Done.")
    assert_accessible(page)
    assert Recipient.objects.get(email="fan@res.test").preferences["followed_progress"] == "off"

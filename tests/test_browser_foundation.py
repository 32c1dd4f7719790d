"""Browser tests: every demo role signs in and reaches home; a chair walks a plan to step 4.

Every page visited is checked with axe-core (WCAG 2.2 A/AA)."""

import io
import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from clp.demo import DEMO_PASSWORD
from tests import factories
from tests.browser import assert_accessible, sign_in, sign_out, visit

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_ROLES = {
    "admin@example.org": "Your portfolio",
    "officer@example.org": "Your portfolio",
    "chair@example.org": "Your plans",
    "secretary@example.org": "Your plans",
    "member@example.org": "Your plans",
    "champion@example.org": "Your plans",
    "councillor@example.org": "Plans you follow as a councillor",
    "district.cllr@example.org": "Plans you follow as a councillor",
    "county.cllr@example.org": "Plans you follow as a councillor",
    "resident@example.org": "You are not part of any plan yet",
}


def hidden_suffix(visible: str, hidden: str) -> re.Pattern:
    """Link names made of visible text plus visually-hidden context (Chromium may add a space)."""
    return re.compile(rf"^{re.escape(visible)}\s*:\s*{re.escape(hidden)}")


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())


def test_every_demo_role_signs_in_and_reaches_home(demo, live_server, page):
    visit(page, live_server.url)
    for email, expected in DEMO_ROLES.items():
        sign_in(page, live_server.url, email, DEMO_PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
        expect(page.locator("main")).to_contain_text(expected)
        assert_accessible(page)
        sign_out(page)


def test_demo_plan_pages_are_accessible(demo, live_server, page):
    sign_in(page, live_server.url, "chair@example.org", DEMO_PASSWORD)
    page.get_by_role("link", name="Bramley Green Community Plan").click()
    assert_accessible(page)
    for tab in ["Steering group", "Process plan", "Support and funding", "Meetings and events",
                "Evidence", "History"]:
        page.get_by_role("navigation", name="Plan sections").get_by_role("link", name=tab).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)


def test_phone_width_home_and_plan_are_usable(demo, live_server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, "officer@example.org", DEMO_PASSWORD)
    page.get_by_role("button", name="Show menu").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("link", name="Downshire Community Action").click()
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"page scrolls sideways at 320px ({width}px wide)"
    context.close()


def test_chair_takes_a_new_plan_from_getting_started_to_understanding(live_server, page,
                                                                      transactional_db):
    chair = factories.UserFactory(email="newchair@example.org", full_name="Nia Chair")
    plan = factories.PlanFactory(title="Little Wicket Plan")
    for role, person in [("chair", chair), ("secretary", factories.UserFactory()),
                         ("member", factories.UserFactory())]:
        factories.MembershipFactory(plan=plan, user=person, role=role)
    officer = factories.UserFactory(email="helper@example.org")
    org = factories.OrganisationFactory()
    org.officers.add(officer)
    org.communities.add(plan.community)

    sign_in(page, live_server.url, chair.email)
    page.get_by_role("link", name="Little Wicket Plan").click()
    move_on = page.get_by_role("link", name="Move on to the next step")

    def confirm_move(to_step: int):
        move_on.click()
        confirm = page.get_by_role("button", name=f"Move on to step {to_step}")
        confirm.wait_for()  # the confirmation page has loaded: axe reads it, not the one before
        assert_accessible(page)
        confirm.click()

    # Step 1: refused, naming what is missing.
    move_on.click()
    missing = page.locator("main")
    expect(missing).to_contain_text("cannot leave “Getting started” yet")
    expect(missing).to_contain_text("Open community meeting held and recorded")
    expect(missing).to_contain_text("Parish or town council informed")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the checklist").click()
    page.get_by_role("link", name=hidden_suffix("Go and do this", "Open community meeting")).click()
    page.get_by_role("link", name="Add a meeting or event").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Launch meeting")
    page.get_by_label("Type of meeting or event").select_option("open_meeting")
    page.get_by_label("Date").fill("2026-10-01")
    page.get_by_label("How many people came").fill("-5")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Title")).to_have_value("Launch meeting")
    page.get_by_label("How many people came").fill("48")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Overview").click()
    for item in ["Parish or town council informed and on board",
                 "Councillors of each tier told about the plan early"]:
        page.get_by_role("link", name=hidden_suffix("Tick as done", item)).click()
        assert_accessible(page)
        page.get_by_label("Note (optional)").fill("Done at the launch")
        page.get_by_role("button", name="Tick as done").click()
    confirm_move(2)
    expect(page.locator(".alert-success")).to_contain_text("step 2: Establishing the steering group")

    # Step 2: terms of reference and a councillor are still missing.
    move_on.click()
    expect(page.locator("main")).to_contain_text("Terms of reference written")
    page.get_by_role("link", name="Back to the checklist").click()
    page.get_by_role("link", name="Edit plan details").click()
    page.get_by_label("Terms of reference").fill("We meet monthly and report to the parish council.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("navigation", name="Plan sections").get_by_role("link", name="Steering group").click()
    page.get_by_role("link", name="Invite a councillor by email").click()
    assert_accessible(page)
    page.get_by_label("Councillor's name").fill("Cllr Dee")
    page.get_by_label("Their email address").fill("dee@example.org")
    page.get_by_label("Council name").fill("Meonbridge District Council")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".alert-success")).to_contain_text("Invitation sent to dee@example.org")
    page.get_by_role("link", name="Overview").click()
    confirm_move(3)
    expect(page.locator(".alert-success")).to_contain_text("step 3: Taking stock")

    # Step 3: the support officer waives one item, the group does the rest.
    move_on.click()
    expect(page.locator("main")).to_contain_text("Process plan with at least 3 milestones")
    for title in ["Pilot questionnaire", "Deliver questionnaires", "Analyse results"]:
        page.goto(f"{live_server.url}/plans/{plan.pk}/milestones/new/")
        page.get_by_label("Milestone").fill(title)
        page.get_by_label("Target date").fill("2027-01-15")
        page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("link", name=hidden_suffix("Tick as done", "Existing evidence")).click()
    page.get_by_role("button", name="Tick as done").click()
    sign_out(page)

    sign_in(page, live_server.url, officer.email)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("link", name=hidden_suffix("Mark as not needed", "Support and funding")).click()
    page.get_by_label("Reason").fill("The district pays for printing directly.")
    page.get_by_role("button", name="Mark as not needed").click()
    sign_out(page)

    sign_in(page, live_server.url, chair.email)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    confirm_move(4)
    expect(page.locator(".lead").first).to_contain_text("Understanding your community")
    assert_accessible(page)

    # A revisit, then the history shows the waiver and the revisit.
    page.get_by_role("link", name="Go back to an earlier step").click()
    page.get_by_label("Go back to").select_option("taking_stock")
    page.get_by_label("Reason").fill("The process plan needs new dates.")
    page.get_by_role("button", name="Go back").click()
    page.get_by_role("navigation", name="Plan sections").get_by_role("link", name="History").click()
    history = page.locator("main")
    expect(history).to_contain_text("The district pays for printing directly.")
    expect(history).to_contain_text("The process plan needs new dates.")
    expect(history).to_contain_text(re.compile("Went back to .Taking stock and planning ahead."))
    assert_accessible(page)


def test_account_pages_are_accessible(live_server, page, transactional_db):
    for path in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        visit(page, f"{live_server.url}{path}")
    # A bad sign-in shows the error summary, which must be accessible too.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    person = factories.UserFactory(email="acct@example.org")
    sign_in(page, live_server.url, person.email)
    for path in ["/accounts/password/change/", "/accounts/email/", "/accounts/2fa/",
                 "/accounts/2fa/totp/activate/"]:
        visit(page, f"{live_server.url}{path}")

"""Browser test: from priorities to a frozen version 1, through the group, a councillor and a
support officer. Every page visited is checked with axe-core (WCAG 2.2 A/AA)."""

import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import PlanVersion, Priority
from clp.models import CouncilTier
from plans.models import CouncillorLink, Plan
from plans.steps import Step
from tests import factories
from tests.browser import assert_accessible, sign_in, sign_out

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def hidden_suffix(visible: str, hidden: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(visible)}\s*:\s*{re.escape(hidden)}")


@pytest.fixture
def people(transactional_db):
    plan = factories.PlanFactory(title="Little Wicket Plan", step=Step.PRIORITISING)
    chair = factories.UserFactory(email="chair@wicket.org", full_name="Nia Chair")
    member = factories.UserFactory(email="member@wicket.org", full_name="Ola Member")
    for role, person in [("chair", chair), ("member", member)]:
        factories.MembershipFactory(plan=plan, user=person, role=role)
    councillor = factories.CouncillorFactory(user__email="cllr@wicket.org", user__full_name="Ravi Rao",
                                             tier=CouncilTier.DISTRICT)
    CouncillorLink.objects.create(plan=plan, councillor=councillor)
    officer = factories.UserFactory(email="officer@wicket.org")
    organisation = factories.OrganisationFactory()
    organisation.officers.add(officer)
    organisation.communities.add(plan.community)
    return {"plan": plan, "chair": chair, "councillor": councillor.user, "officer": officer}


def _tab(page, name):
    page.get_by_role("navigation", name="Plan sections").get_by_role("link", name=name).click()
    assert_accessible(page)


def _add_priority(page, title, why, section):
    page.get_by_role("link", name="Add a priority", exact=True).click()
    page.get_by_role("textbox", name=re.compile(r"^Priority\s*\*?$")).fill(title)
    page.get_by_label("Why it is a priority").fill(why)
    page.get_by_label(f"Section {section}:").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    _tab(page, "Action plan")


def _fill_smart(page, target):
    page.get_by_label("Intended outcome").fill("Fewer people left out")
    page.get_by_label("How you will measure it").fill("Count at the next survey")
    page.get_by_label("Community lead from the steering group").select_option(label="Ola Member")
    page.get_by_label("Partner organisations or responsible agency").fill("Meonbridge District Council")
    page.get_by_label("Target date").fill(target)


def _add_action(page, priority, what, smart=True):
    _tab(page, "Action plan")
    page.get_by_role("link", name=hidden_suffix("Add an action", priority)).click()
    assert_accessible(page)
    page.get_by_label("What will be done").fill(what)
    if smart:
        _fill_smart(page, "2027-06-30")
    page.get_by_role("button", name="Save").click()


def _tick_and_move_on(page, item, to_step):
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("link", name=hidden_suffix("Tick as done", item)).click()
    page.get_by_role("button", name="Tick as done").click()
    page.get_by_role("link", name="Move on to the next step").click()
    page.get_by_role("button", name=f"Move on to step {to_step}").click()
    expect(page.locator(".alert-success")).to_contain_text(f"step {to_step}")


def test_group_prioritises_councillor_endorses_and_chair_freezes_v1(people, live_server, page):
    plan, url = people["plan"], live_server.url
    page.set_default_timeout(10_000)
    sign_in(page, url, people["chair"].email)
    page.get_by_role("link", name="Little Wicket Plan").click()
    _tab(page, "Action plan")

    # Issues become priorities in both sections.
    _add_priority(page, "Speeding", "274 of 460 households named it.", 2)
    _add_priority(page, "Bus to hospital", "73 older residents cannot get there.", 2)
    _add_priority(page, "Litter pick", "Families at the drop-in asked for it.", 1)

    # Reordered with the keyboard: focus stays on the moved priority's buttons.
    page.get_by_role("button", name=hidden_suffix("Move up", "Bus to hospital")).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("Moved “Bus to hospital” to number 1")
    section_two = page.locator("ol[data-section='2'] > li")
    expect(section_two.first).to_contain_text("Bus to hospital")
    expect(page.locator(":focus")).to_have_accessible_name(re.compile("^Move down.*Bus to hospital"))
    assert_accessible(page)

    # A SMART action: the check fails, then passes.
    _add_action(page, "Speeding", "Set up Community Speedwatch", smart=False)
    expect(page.locator(".alert-warning").first).to_contain_text("no intended outcome")
    assert_accessible(page)
    _tab(page, "Action plan")
    expect(page.locator("main")).to_contain_text("SMART check: 3 things to fix")
    expect(page.locator("main")).to_contain_text("“Set up Community Speedwatch” has no intended outcome")
    page.get_by_role("link", name="Speeding", exact=True).first.click()
    page.get_by_role("link", name=re.compile(r"^Edit\s*action: Set up Community Speedwatch")).click()
    _fill_smart(page, "2027-03-31")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("It passes the SMART check")
    _add_action(page, "Bus to hospital", "Ask the county to divert the 64")
    _add_action(page, "Litter pick", "Monthly litter pick")
    _tab(page, "Action plan")
    expect(page.locator("main")).not_to_contain_text("SMART check:")

    # The group asks its councillor to review the priorities.
    page.get_by_role("link", name="Councillor support").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Ask councillors to review the priorities").click()
    page.get_by_label("Cllr Ravi Rao").check()
    page.get_by_label("Reply by").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".alert-success")).to_contain_text("Asked 1 councillor")
    sign_out(page)

    # The councillor endorses one section 2 priority and asks a question on the other.
    sign_in(page, url, people["councillor"].email)
    expect(page.locator("main")).to_contain_text("Plans awaiting your endorsement")
    assert_accessible(page)
    page.get_by_role("link", name="Review the priorities of Little Wicket Plan").click()
    assert_accessible(page)
    page.get_by_role("link", name=hidden_suffix("Respond", "Speeding")).click()
    assert_accessible(page)
    page.get_by_label("Endorse: I agree").check()
    page.get_by_label("Comment or question").fill("The district backs Speedwatch.")
    page.get_by_role("button", name="Send your response").click()
    expect(page.locator(".alert-success")).to_contain_text("Recorded: Endorse “Speeding”")
    page.get_by_role("link", name=hidden_suffix("Respond", "Bus to hospital")).click()
    page.get_by_label("Ask the group a question first").check()
    page.get_by_role("button", name="Send your response").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter your question")
    assert_accessible(page)
    page.get_by_label("Comment or question").fill("Outpatients or the GP surgery?")
    page.get_by_role("button", name="Send your response").click()
    expect(page.locator("main")).to_contain_text("1 section 2 priority awaits your decision.")
    sign_out(page)

    # The group answers, agrees its priorities, drafts, and reaches Finalising.
    sign_in(page, url, people["chair"].email)
    page.goto(f"{url}/plans/{plan.pk}/councillor-support/")
    page.get_by_role("link", name=re.compile("^Answer.*Bus to hospital")).click()
    assert_accessible(page)
    page.get_by_label("Your answer").fill("Outpatients at Meonbridge hospital.")
    page.get_by_role("button", name="Send the answer").click()
    _tick_and_move_on(page, "Priorities agreed", 6)
    _tab(page, "Draft plan")
    expect(page.locator("main")).to_contain_text("Set up Community Speedwatch")
    _tick_and_move_on(page, "Draft plan shared", 7)
    page.goto(f"{url}/plans/{plan.pk}/")
    page.get_by_role("link", name=hidden_suffix("Tick as done", "Plan adopted")).click()
    page.get_by_role("button", name="Tick as done").click()
    _tab(page, "Draft plan")
    page.get_by_role("link", name="Finalise the plan").click()
    assert_accessible(page)
    page.get_by_role("button", name="Finalise and freeze version 1").click()
    expect(page.locator(".alert-danger")).to_contain_text("Every section 2 priority endorsed")
    sign_out(page)

    # The support officer waives the missing endorsement, with a reason.
    sign_in(page, url, people["officer"].email)
    page.goto(f"{url}/plans/{plan.pk}/")
    page.get_by_role("link", name=hidden_suffix("Mark as not needed", "Every section 2")).click()
    page.get_by_label("Reason").fill("The county replied by letter; the bus is its decision.")
    page.get_by_role("button", name="Mark as not needed").click()
    sign_out(page)

    # The chair finalises: version 1 is frozen and the plan moves on.
    sign_in(page, url, people["chair"].email)
    page.goto(f"{url}/plans/{plan.pk}/finalise/")
    page.get_by_role("button", name="Finalise and freeze version 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Version 1")
    expect(page.locator(".alert-success")).to_contain_text("Version 1 is frozen")
    assert_accessible(page)
    assert Plan.objects.get(pk=plan.pk).step == Step.IMPLEMENTING
    frozen = PlanVersion.objects.get(plan=plan, number=1)
    assert [p["title"] for p in frozen.data["priorities"]] == ["Litter pick", "Bus to hospital", "Speeding"]
    page.get_by_role("link", name="All versions").click()
    assert_accessible(page)
    sign_out(page)

    # Signed out, a resident finds the adopted plan from the community page.
    page.goto(f"{url}{plan.community.get_absolute_url()}")
    page.get_by_role("link", name=re.compile("the adopted plan")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("our adopted plan")
    expect(page.locator("main")).to_contain_text("Bus to hospital")
    assert_accessible(page)
    page.goto(f"{url}/draft-plans/{plan.pk}/")
    expect(page.locator("main")).to_contain_text("Comments on the draft are closed")


def test_mouse_users_drag_priorities_into_order(people, live_server, page):
    plan = people["plan"]
    for rank, title in enumerate(["First", "Second", "Third"], start=1):
        Priority.objects.create(plan=plan, section=2, title=title, why="Evidence", rank=rank)
    sign_in(page, live_server.url, people["chair"].email)
    page.goto(f"{live_server.url}/plans/{plan.pk}/action-plan/")
    items = page.locator("ol[data-section='2'] > li")
    page.set_viewport_size({"width": 1280, "height": 2400})  # both ends of the drag in view
    items.nth(2).locator("h3").drag_to(items.nth(0).locator("h3"), target_position={"x": 5, "y": 2})
    expect(page.locator(".alert-success")).to_contain_text("Saved the new order of section 2")
    assert list(Priority.objects.filter(plan=plan).in_plan_order().values_list("title", flat=True)) == [
        "Third", "First", "Second"]


def test_action_plan_is_usable_at_phone_width(people, live_server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True)
    page = context.new_page()
    plan = people["plan"]
    Priority.objects.create(plan=plan, section=2, title="A long priority title about the speeding "
                            "lorries on the main road through the village", why="Evidence", rank=1)
    sign_in(page, live_server.url, people["chair"].email)
    for path in ["action-plan/", "draft-plan/", "councillor-support/"]:
        page.goto(f"{live_server.url}/plans/{plan.pk}/{path}")
        assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} scrolls sideways at 320px ({width}px wide)"
    context.close()

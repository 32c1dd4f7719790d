"""Browser test: a volunteer codes 20 written answers and builds 3 issues (axe on every page)."""

import os

import pytest
from playwright.sync_api import expect

from consultation.models import AnswerCoding, Issue
from tests import factories
from tests.browser import assert_accessible, sign_in, sign_out
from tests.consultation.analysis_data import add_responses, analysis_survey

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = ["Speeding cars on the main road", "The bus is never on time", "Nowhere affordable to rent",
         "Dog mess on the footpath", "Nothing for teenagers to do"]


def test_volunteer_codes_twenty_answers_and_builds_three_issues(live_server, page):
    member = factories.UserFactory(email="coder@example.org")
    plan = factories.PlanFactory(title="Wicket Plan", step="understanding")
    factories.MembershipFactory(plan=plan, user=member, role="member")
    survey, q, options, cats, age_options = analysis_survey(plan)
    add_responses(survey, q, options, cats, age_options,
                  [(4, {"text": text, "age": "old"}) for text in TEXTS])

    sign_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("navigation", name="Plan sections").get_by_role("link", name="Findings").click()
    assert_accessible(page)
    page.get_by_role("link", name="Code answers into themes").click()
    expect(page.locator("main")).to_contain_text("20 written answers still need a theme")
    assert_accessible(page)
    fieldsets = page.locator("main form fieldset")
    expect(fieldsets).to_have_count(20)
    for i in range(20):
        fieldset = fieldsets.nth(i)
        text = fieldset.locator("legend").inner_text()
        theme = ("Transport and roads" if ("bus" in text.lower() or "speeding" in text.lower())
                 else "Housing" if "rent" in text.lower() else "Environment" if "dog" in text.lower()
                 else "Young people")
        box = fieldset.get_by_label(theme, exact=False).first
        box.focus()
        if not box.is_checked():
            page.keyboard.press("Space")
    page.get_by_role("button", name="Save themes for these answers").click()
    expect(page.locator(".alert-success")).to_contain_text("Saved the themes of 20 answers")
    expect(page.locator("main")).to_contain_text("Every written answer has a theme")
    coded = AnswerCoding.objects.filter(answer__question__survey=survey).values("answer").distinct()
    assert coded.count() == 20

    for title, word in [("Speeding on the main road", "speeding"), ("Unreliable buses", "bus"),
                        ("No affordable homes", "rent")]:
        page.get_by_role("navigation", name="Findings").get_by_role("link", name="Issues register").click()
        page.get_by_role("link", name="Add an issue").click()
        assert_accessible(page)
        page.get_by_label("The issue in a few words").fill(title)
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".error-summary")).to_contain_text("Enter what is the problem")
        assert_accessible(page)
        expect(page.get_by_label("The issue in a few words")).to_have_value(title)
        page.get_by_label("What is the problem").fill(f"Residents told us: {title.lower()}.")
        page.get_by_role("button", name="Save").click()
        page.get_by_label("Containing").fill(word)
        page.get_by_role("button", name="Find answers").click()
        boxes = page.locator("main form input[name=answer]")
        expect(boxes).to_have_count(4)
        for i in range(4):
            boxes.nth(i).check()
        page.get_by_role("button", name="Link the ticked answers").click()
        expect(page.locator("main")).to_contain_text("Raised by 4 people of the 20")
        assert_accessible(page)

    page.get_by_role("navigation", name="Findings").get_by_role("link", name="Issues register").click()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("main table")).to_contain_text("20%")
    assert_accessible(page)
    assert Issue.objects.filter(plan=plan, answers__isnull=False).distinct().count() == 3


def test_results_breakdown_weighting_and_representation_pages_are_accessible(live_server, page):
    from consultation.services import evidence as evidence_services

    chair = factories.UserFactory(email="chair2@example.org")
    plan = factories.PlanFactory(title="Wicket Plan")
    factories.MembershipFactory(plan=plan, user=chair, role="chair")
    survey, q, options, cats, age_options = analysis_survey(plan)
    add_responses(survey, q, options, cats, age_options, [
        (12, {"yes": True, "travel": "Car", "rating": 4, "text": "More buses", "age": "young"}),
        (30, {"yes": False, "travel": "Bus", "rating": 2, "age": "old"})])
    evidence_services.baseline_save(dimension=q["age"].dimension, source="Census 2021", year=2021,
                                    figures={cats["young"].pk: 800, cats["old"].pk: 200}, actor=chair)
    sign_in(page, live_server.url, chair.email)
    page.goto(f"{live_server.url}/plans/{plan.pk}/surveys/{survey.pk}/")
    page.get_by_role("navigation", name="This survey").get_by_role("link", name="Results").click()
    expect(page.locator("main h1")).to_have_text("Results")
    expect(page.get_by_role("img", name="Bar chart, How do you travel to work?")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("Filter the results").click()
    page.get_by_label("18 to 24").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("main .lead")).to_contain_text("Showing 12 of 42 responses")
    assert_accessible(page)
    page.get_by_role("link", name="Break this down by group").first.click()
    page.get_by_label("Also show results weighted to the population").check()
    page.get_by_role("button", name="Show").click()
    expect(page.locator("main")).to_contain_text("Weighted to the population")
    assert_accessible(page)
    page.goto(f"{live_server.url}/plans/{plan.pk}/surveys/{survey.pk}/answers/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/plans/{plan.pk}/heard/")
    expect(page.locator("main")).to_contain_text("Not heard enough from")
    assert_accessible(page)
    page.get_by_role("button", name="We have reviewed who has been heard").click()
    expect(page.locator(".alert-success")).to_contain_text("Recorded")


def test_chair_previews_and_publishes_results_that_residents_read_signed_out(live_server, page):
    chair = factories.UserFactory(email="chair3@example.org")
    plan = factories.PlanFactory(title="Wicket Plan")
    factories.MembershipFactory(plan=plan, user=chair, role="chair")
    survey, q, options, cats, age_options = analysis_survey(plan)
    add_responses(survey, q, options, cats, age_options, [
        (12, {"yes": True, "travel": "Car", "age": "old"}),
        (3, {"yes": False, "travel": "Bus", "age": "young"})])
    sign_in(page, live_server.url, chair.email)
    page.goto(f"{live_server.url}/plans/{plan.pk}/surveys/{survey.pk}/results/")
    page.get_by_role("link", name="Preview and publish the results for residents").click()
    expect(page.locator("main")).to_contain_text("These results are not public yet")
    expect(page.locator("main")).to_contain_text("fewer than 10")
    assert_accessible(page)
    page.get_by_role("button", name="Publish these results").click()
    expect(page.locator(".alert-success").first).to_contain_text("now on the community's public page")
    sign_out(page)
    page.goto(f"{live_server.url}{plan.community.get_absolute_url()}")
    page.get_by_role("link", name="Results: Village survey").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results: Village survey")
    expect(page.locator("main")).not_to_contain_text("Publish these results")
    assert_accessible(page)

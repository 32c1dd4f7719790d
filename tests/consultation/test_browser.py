"""End to end in Chromium: a resident on a phone, codes, a volunteer's paper form, a CSV import.
Every page visited is checked with axe-core (WCAG 2.2 AA)."""

import os

import pytest
from playwright.sync_api import expect

from consultation import services
from consultation.models import AccessMode, Channel, Response
from tests.browser import assert_accessible, sign_in, visit
from tests.consultation.factories import make_survey

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), \
        f"{page.url} scrolls sideways"


def _resident_answers_on_a_phone(page, base, survey, code) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    visit(page, base + survey.get_public_url())
    _fits_the_screen(page)
    page.get_by_label("Your code").fill(code)
    page.get_by_role("button", name="Start the survey").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(".error-summary")).to_contain_text("Tick the box to say you agree")
    assert_accessible(page)
    page.get_by_label("I understand how my answers will be used").check()
    page.get_by_role("button", name="Start the survey").click()

    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("4", exact=True).check()  # rating, but the required question is skipped
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose an answer to “How long have you lived here?”")
    expect(page.get_by_label("4", exact=True)).to_be_checked()  # kept
    assert_accessible(page)
    _fits_the_screen(page)
    summary.get_by_role("link").click()
    page.keyboard.press("ArrowDown")  # keyboard only: move through the radio group
    page.get_by_label("2 to 10 years").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What do you love?").fill("The village green")
    page.get_by_label("Pub").check()
    page.get_by_role("button", name="Save and check your answers").click()
    expect(page.get_by_role("heading", name="Check your answers before sending them")).to_be_visible()
    expect(page.get_by_text("The village green")).to_be_visible()
    assert_accessible(page)
    _fits_the_screen(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you. Your answers have been sent.")).to_be_visible()
    assert_accessible(page)


def test_residents_volunteers_and_an_import_in_a_browser(page, live_server, world, tmp_path):
    base = live_server.url
    survey = make_survey(world.plan, access=AccessMode.BOTH, actor=world.people["chair"])
    first, second, third = services.codes_generate(survey=survey, count=3, batch="Leaflets",
                                                   actor=world.people["chair"])

    _resident_answers_on_a_phone(page, base, survey, first)
    assert Response.objects.submitted().get().code == services.find_code(survey, first, lock=False)

    # The same code a second time is refused politely.
    visit(page, base + survey.get_public_url())
    page.get_by_label("Your code").fill(first)
    page.get_by_label("I understand how my answers will be used").check()
    page.get_by_role("button", name="Start the survey").click()
    expect(page.locator(".error-summary")).to_contain_text("This code has already been used")
    assert_accessible(page)

    # A volunteer types in a paper form.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "member@test.org")
    visit(page, base + survey.get_absolute_url())
    page.get_by_role("link", name="Type in a paper form").click()
    assert_accessible(page)
    page.get_by_label("How did these answers reach you?").select_option(Channel.PAPER)
    page.get_by_label("Code printed on the form (if any)").fill(second)
    page.get_by_label("Over 10 years").check()
    page.get_by_label("What do you hate, or would you change?").fill("Potholes on Mill Lane")
    page.get_by_role("button", name="Save this response").click()
    expect(page.get_by_text("saved. You can type in the next one.")).to_be_visible()
    assert_accessible(page)
    paper = Response.objects.get(code__survey=survey, channel=Channel.PAPER)
    assert paper.entered_by == world.people["member"]

    # A CSV with one bad row is refused, naming the row; then imported when fixed.
    page.get_by_role("link", name="Import a CSV").click()
    assert_accessible(page)
    header = "code,Q1 – How long,Q2 – Bus,Q3 love,Q3 hate,Q4,Q4 other,Q5"
    bad = tmp_path / "returns.csv"
    bad.write_text(f"{header}\n{third},Under 2 years,3,,,,,\n,Forever,5,,,,,\n", encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="There is 1 problem in the file")).to_be_visible()
    row = page.locator("table tbody tr").first
    expect(row.locator("td").nth(0)).to_have_text("3")
    expect(row).to_contain_text("“Forever” is not one of the choices")
    assert_accessible(page)
    assert Response.objects.count() == 2

    page.get_by_role("link", name="Upload a corrected file").click()
    good = tmp_path / "fixed.csv"
    good.write_text(f"{header}\n{third},Under 2 years,3,,,,,\n,Over 10 years,5,,,,,\n", encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("The file is ready: 2 responses")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import them all").click()
    expect(page.get_by_text("2 responses imported.")).to_be_visible()
    assert_accessible(page)
    assert Response.objects.submitted().count() == 4

    for name in ["Collection", "Preview", "Settings", "One-time codes"]:
        page.locator(".survey-nav").get_by_role("link", name=name).click()
        assert_accessible(page)
    visit(page, base + f"/plans/{world.plan.pk}/surveys/")
    visit(page, base + "/")  # the home page's "Surveys open now" panel
    expect(page.get_by_role("heading", name="Surveys open now")).to_be_visible()


def test_a_carry_on_later_link_opens_the_answers_in_another_browser(page, live_server, world):
    survey = make_survey(world.plan, access=AccessMode.LINK, actor=world.people["chair"])
    visit(page, live_server.url + survey.get_public_url())
    page.get_by_label("I understand how my answers will be used").check()
    page.get_by_role("button", name="Start the survey").click()
    page.get_by_label("2 to 10 years").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    page.locator("summary").first.click()
    link = page.locator(".share-link").inner_text().strip()
    assert "#" in link

    other = page.context.browser.new_context(bypass_csp=True)
    elsewhere = other.new_page()
    requested = []
    elsewhere.on("request", lambda request: requested.append(request.url))
    elsewhere.goto(link)
    expect(elsewhere.get_by_role("heading", name="Welcome back")).to_be_visible()
    assert "#" not in elsewhere.url
    token = link.split("#", 1)[1]
    assert not any(token in url for url in requested)  # browsers never send the part after "#"
    assert_accessible(elsewhere)
    elsewhere.goto(live_server.url + survey.get_public_url() + "resume/")
    assert_accessible(elsewhere)
    other.close()

"""Browser test: a support officer adds a standard question to the bank from the portfolio, a
chair adds it to a survey with "Add a standard question", and once answers are in and the
results published, the public comparison page shows the community's row. Every page is checked
with axe-core."""

import os
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from consultation import services
from consultation.models import Answer, StandardQuestion
from consultation.services.evidence import results_set_published
from plans.models import Role
from tests import factories
from tests.browser import assert_accessible, sign_in, sign_out, visit

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "How safe do you feel walking after dark?"


@pytest.fixture
def bank_world(transactional_db):
    officer = factories.UserFactory(email="officer@rcc.org", full_name="Olu Officer")
    organisation = factories.OrganisationFactory(name="Wessex Action")
    organisation.officers.add(officer)
    community = factories.CommunityFactory(name="Ashby", district="Mid Wessex", households=300)
    organisation.communities.add(community)
    plan = factories.PlanFactory(community=community, title="Ashby Plan")
    chair = factories.UserFactory(email="chair@ashby.org", full_name="Ashby Chair")
    factories.MembershipFactory(plan=plan, user=chair, role=Role.CHAIR)
    survey = services.survey_create(plan=plan, title="Ashby survey", kind="open", actor=chair)
    return organisation, survey, chair


def test_a_standard_question_goes_from_the_bank_to_a_survey_and_the_comparison(
        bank_world, live_server, page):
    organisation, survey, chair = bank_world
    url = live_server.url
    page.set_default_timeout(10_000)

    # The officer adds the question to the bank, from the portfolio.
    sign_in(page, url, "officer@rcc.org")
    page.get_by_role("link", name="Wessex Action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wessex Action")
    assert_accessible(page)
    page.get_by_role("link", name="Question bank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Question bank")
    assert_accessible(page)
    page.get_by_role("link", name="Add a standard question").click()
    assert_accessible(page)
    page.get_by_role("link", name="Single choice").click()
    assert_accessible(page)
    page.get_by_role("textbox", name=re.compile("^Question")).fill(QUESTION)
    page.get_by_label("Choices, one per line").fill("Very safe\nFairly safe\nNot safe")
    page.get_by_role("button", name="Save the standard question").click()
    expect(page.locator(".alert-success")).to_contain_text("Standard question added to the bank")
    expect(page.locator("main table")).to_contain_text(QUESTION)
    assert_accessible(page)
    standard = StandardQuestion.objects.get(organisation=organisation)
    assert standard.options == ["Very safe", "Fairly safe", "Not safe"]
    sign_out(page)

    # The chair adds it to the survey.
    sign_in(page, url, "chair@ashby.org")
    visit(page, url + survey.get_absolute_url())
    page.get_by_role("link", name="Add a standard question").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a standard question")
    assert_accessible(page)
    page.get_by_role("button", name="Add this question").click()  # nothing chosen yet
    expect(page.locator("#error-summary")).to_contain_text("Choose a standard question to add")
    assert_accessible(page)
    page.get_by_label(QUESTION).check()
    page.get_by_role("button", name="Add this question").click()
    expect(page.locator(".alert-success")).to_contain_text("Standard question added")
    expect(page.locator("main")).to_contain_text(QUESTION)
    assert_accessible(page)
    question = survey.questions.get(standard=standard)
    sign_out(page)

    # Residents answer, and the steering group publishes the results.
    survey = services.survey_open(survey=survey, actor=chair)
    for label, n in [("Very safe", 14), ("Fairly safe", 11), ("Not safe", 3)]:
        option = question.options.get(label=label)
        for _i in range(n):
            services.response_enter(survey=survey, channel="paper", actor=chair,
                                    rows={question: [Answer(question=question, option=option)]})
    results_set_published(survey=survey, published=True, actor=chair)

    # Anyone, signed out, sees Ashby's row on the comparison page, small counts hidden.
    page.goto(url + "/")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")).to_be_visible()
    visit(page, url + reverse("portfolio:compare", kwargs={"pk": organisation.pk,
                                                           "qid": standard.pk}))
    row = page.get_by_role("row").filter(has_text="Ashby")
    expect(row).to_contain_text("Ashby survey")
    expect(row).to_contain_text("14 (50%)")
    expect(row).to_contain_text("fewer than 10")  # the 3 who do not feel safe
    # … and the 11, which with the total would give the 3 away.
    expect(row).to_contain_text("hidden so that a smaller group cannot be worked out")
    expect(row).not_to_contain_text("11 (39%)")
    expect(row).not_to_contain_text("3 (11%)")

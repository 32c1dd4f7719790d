"""Browser test: the officer finds the partner directory from the home page; a partner contact
signs in, opens the body's inbox, answers three communities' asks at once with one response, and
each community's public "you said, we did" page shows it. Every page is checked with axe-core."""

import os

import pytest
from playwright.sync_api import expect

from actions.models import OwnerRequest, OwnerStatus
from tests import factories
from tests.actions.inbox_world import ask, registered_partner
from tests.browser import assert_accessible, sign_in, sign_out, visit

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESPONSE = "We will survey traffic speeds in all three villages in April."


@pytest.fixture
def asked(transactional_db):
    officer = factories.UserFactory(email="olu@wessex.test", full_name="Olu Officer")
    organisation = factories.OrganisationFactory(name="Wessex Community Action")
    organisation.officers.add(officer)
    contact = factories.UserFactory(email="hana@downshire.test", full_name="Hana Highways")
    partner = registered_partner(organisation, contact_user=contact)
    asks = [ask(partner, community=factories.CommunityFactory(name=name, district="Meonbridge"),
                what=f"20 mph limit through {name}")
            for name in ("Ashby", "Bexley", "Corfe")]
    ask(partner, community=factories.CommunityFactory(name="Dunford"), theme="Potholes",
        what="Fill the potholes on Mill Lane")
    return {"officer": officer, "contact": contact, "partner": partner, "asks": asks}


def test_contact_answers_three_communities_at_once(asked, live_server, page):
    url = live_server.url
    page.set_default_timeout(10_000)

    # The officer reaches the directory from the home page.
    sign_in(page, url, asked["officer"].email)
    assert_accessible(page)
    page.get_by_role("link", name="partner directory, with each body's contacts").click()
    expect(page.locator("main")).to_contain_text("Downshire County Highways")
    assert_accessible(page)
    sign_out(page)

    # The contact opens the inbox: the three 20 mph asks are one group.
    sign_in(page, url, asked["contact"].email)
    page.get_by_role("link", name="Inbox of Downshire County Highways").click()
    expect(page.locator("main")).to_contain_text(
        "3 communities ask Downshire County Highways about 20 mph limits")
    assert_accessible(page)

    # Forgetting the response is explained beside the field, the ticks are kept.
    for action in asked["asks"]:
        page.get_by_label(f"Respond to {action.priority.plan.community.name}: {action.what}").check()
    page.get_by_label("Yes, we accept").check()
    page.get_by_role("button", name="Send the response").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter your response")
    assert_accessible(page)
    for action in asked["asks"]:
        expect(page.get_by_label(
            f"Respond to {action.priority.plan.community.name}: {action.what}")).to_be_checked()
    page.get_by_label("Your response").fill(RESPONSE)
    page.get_by_role("button", name="Send the response").click()
    expect(page.locator(".alert-success")).to_contain_text("on 3 actions' pages")
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text("1 waiting for your answer")

    # Each community's public page shows the answer, from the body.
    for action in asked["asks"]:
        visit(page, f"{url}/plans/{action.priority.plan.pk}/progress/")
        expect(page.locator("main")).to_contain_text("Downshire County Highways replied")
        expect(page.locator("main")).to_contain_text(RESPONSE)
        assert OwnerRequest.objects.get(action=action).answer == OwnerStatus.ACCEPTED

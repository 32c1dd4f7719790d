"""Browser test: the chair publishes version 1 from its page, the status page says it is ready,
and a resident finds the document on the community's page and reads its web page. Every page is
checked with axe-core (WCAG 2.2 A/AA)."""

import os

import pytest
from playwright.sync_api import expect

from tests.actions.publishing_data import frozen_version
from tests.browser import assert_accessible, sign_in, sign_out, visit

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_publishes_version_1_and_residents_can_read_it(world, live_server, page):
    version = frozen_version(world)
    sign_in(page, live_server.url, world.people["chair"].email)
    visit(page, live_server.url + version.get_absolute_url())
    publish = page.get_by_role("region", name="Publish this version")
    publish.get_by_role("button", name="Publish – The plan", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Ready", timeout=60_000)
    assert_accessible(page)
    expect(page.get_by_role("link", name="Open the PDF")).to_be_visible()
    _tab = page.get_by_role("navigation", name="Plan sections").get_by_role("link", name="Publications")
    _tab.click()
    expect(page.get_by_role("cell", name="Ready")).to_be_visible()
    assert_accessible(page)
    sign_out(page)
    visit(page, live_server.url + world.community.get_absolute_url())
    documents = page.get_by_role("region", name="Published documents")
    expect(documents.get_by_role("cell", name="Version 1")).to_be_visible()
    documents.get_by_role("link", name=world.plan.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.plan.title)
    expect(page.get_by_role("heading", name="The action plan")).to_be_visible()
    assert_accessible(page)
    pdf = page.get_by_role("link", name="Download the PDF").get_attribute("href")
    response = page.request.get(live_server.url + pdf)
    assert response.headers["content-type"] == "application/pdf" and response.body().startswith(b"%PDF")

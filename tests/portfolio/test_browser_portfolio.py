"""Browser test: a support officer filters the portfolio to stalled plans, exports them, and
writes to their chairs. Every page visited is checked with axe-core."""

import csv
import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import CouncillorLink, EventKind, PlanEvent, Role
from tests import factories
from tests.browser import assert_accessible, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portfolio_world(transactional_db):
    officer = factories.UserFactory(email="officer@rcc.org", full_name="Olu Officer")
    organisation = factories.OrganisationFactory(name="Wessex Action")
    organisation.officers.add(officer)
    councillor = factories.CouncillorFactory()
    for name, quiet_days in [("Ashby", 120), ("Bexley Green", 3), ("Coldharbour", 90)]:
        community = factories.CommunityFactory(name=name, district="Mid Wessex", households=300)
        organisation.communities.add(community)
        plan = factories.PlanFactory(community=community, title=f"{name} Plan")
        chair = factories.UserFactory(email=f"chair@{community.slug}.org", full_name=f"{name} Chair")
        factories.MembershipFactory(plan=plan, user=chair, role=Role.CHAIR)
        CouncillorLink.objects.create(plan=plan, councillor=councillor)
        PlanEvent.objects.create(plan=plan, actor=chair, kind=EventKind.CONTENT, summary="Met",
                                 at=timezone.now() - timedelta(days=quiet_days))
    return organisation


def test_officer_filters_to_stalled_plans_and_exports_them(portfolio_world, live_server, page):
    url = live_server.url
    page.set_default_timeout(10_000)
    sign_in(page, url, "officer@rcc.org")
    page.get_by_role("link", name="Wessex Action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wessex Action")
    assert_accessible(page)

    page.get_by_label("Flag").select_option(label="Stalled")
    page.get_by_role("button", name="Apply filters").click()
    table = page.locator("table.table-responsive-stack")
    expect(table).to_contain_text("Ashby Plan")
    expect(table).to_contain_text("Coldharbour Plan")
    expect(table).not_to_contain_text("Bexley Green Plan")
    expect(table).to_contain_text("No activity for 120 days")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[-1][0] == "End of file"
    assert sorted(r[0] for r in rows[1:-1]) == ["Ashby", "Coldharbour"]
    assert all("Stalled" in r[-2] for r in rows[1:-1])

    page.get_by_label("Save these filters as").fill("Stalled plans")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Filters saved as “Stalled plans”")
    assert_accessible(page)

    page.get_by_label("Select Ashby").check()
    page.get_by_role("button", name="Write to the chairs of the ticked plans").click()
    expect(page.locator("main")).to_contain_text("Ashby Chair")
    assert_accessible(page)
    page.get_by_role("button", name="Send the message").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter subject")
    assert_accessible(page)
    page.get_by_label("Subject").fill("Can we help?")
    page.get_by_label("Message").fill("It has been a while: shall we meet?")
    page.get_by_role("button", name="Send the message").click()
    expect(page.locator(".alert-success")).to_contain_text("on its way to 1 chair")
    assert_accessible(page)

"""The Django admin (the site admin uses it) passes axe-core (WCAG 2.2 A/AA) under the site's
strict Content-Security-Policy: its index, lists, a search, a change form with errors."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.browser import assert_accessible, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_pages_are_accessible(live_server, page):
    admin = factories.UserFactory(email="site.admin@example.org", is_staff=True, is_superuser=True)
    community = factories.CommunityFactory(name="Wicketby")
    plan = factories.PlanFactory(community=community)
    factories.MembershipFactory(plan=plan, user=admin)
    organisation = factories.OrganisationFactory(name="Wessex Action")
    sign_in(page, live_server.url, admin.email)
    pages = [reverse("admin:index"), reverse("admin:clp_user_changelist"),
             reverse("admin:clp_user_changelist") + "?q=admin",
             reverse("admin:clp_community_changelist"), reverse("admin:plans_plan_changelist"),
             reverse("admin:clp_user_change", args=[admin.pk]),
             reverse("admin:plans_plan_change", args=[plan.pk]),
             reverse("admin:clp_organisation_change", args=[organisation.pk]),
             reverse("admin:clp_invitation_changelist"), reverse("admin:plans_planevent_changelist"),
             reverse("admin:consultation_survey_changelist"),
             reverse("admin:consultation_response_changelist"),
             reverse("admin:clp_user_add"), reverse("admin:password_change"),
             reverse("admin:clp_community_add")]
    problems = []
    for path in pages:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        try:
            assert_accessible(page)
        except AssertionError as error:
            problems.append(str(error))
    # The empty add form, sent past the browser's own checks: Django's error messages.
    page.evaluate("document.querySelector('#community_form').noValidate = true")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    try:
        assert_accessible(page)
    except AssertionError as error:
        problems.append(str(error))
    assert not problems, "\n".join(problems)

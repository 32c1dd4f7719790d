"""axe-core (WCAG 2.2 A/AA) on every page of the permission table, in Chromium.

Each GET page of tests/permissions.py is opened as the least privileged persona who may see it,
in the matrix's world; then again for a plan with nothing in it yet (the empty lists). On each:
axe at desktop width, no sideways scrolling at 320 px, and where the page has a form with required
boxes, the form sent with them empty: an error summary is shown, and the page still passes axe
and fits 320 px. Last, a resident goes through a whole survey with the keyboard alone, every
focused control visibly marked.

One browser, one context per persona, signed in by session cookie: about two minutes.
"""

import os
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from plans.models import CouncillorLink, Role
from tests import factories
from tests.browser import assert_accessible
from tests.conftest import build_world
from tests.consultation.factories import make_survey
from tests.permissions import TABLE
from tests.test_permission_matrix import _populate

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOWEST_FIRST = ["anonymous", "resident", "outsider", "councillor", "champion", "member",
                "secretary", "chair", "officer", "admin"]
PHONE, DESKTOP = {"width": 320, "height": 640}, {"width": 1280, "height": 800}

# Clears a form's required boxes and sends it past the browser's own checks; false when the page
# has no such form (only forms in <main>: the sign-out button is not a form to get wrong).
SEND_EMPTY = """() => {
  const text = "input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])";
  for (const form of document.querySelectorAll("main form[method=post]")) {
    const required = [...form.querySelectorAll(`${text}[required], textarea[required]`)]
      .filter(el => el.offsetParent !== null && !el.readOnly);
    const button = form.querySelector("button[type=submit], button:not([type]), input[type=submit]");
    if (!required.length || !button) continue;
    required.forEach(el => { el.value = ""; });
    form.noValidate = true;
    button.setAttribute("data-send-empty", "");
    return true;
  }
  return false;
}"""


# The error summary above a form, linking to the box that says what is wrong beside it; one-box
# forms on list pages (a saved filter's name, a word to code answers by) too: a red alert at the
# top of the page is not enough.
SHOWN_ERROR = ".error-summary"
# Pages for the empty plan: its lists, not its forms (the same forms are checked in the full plan).
FORM_PAGES = ("_new", "_edit", "_delete", "_invite", "_attach", "_upload", "_template", "_kind")


def _problem(page, check) -> str | None:
    try:
        check(page)
    except AssertionError as error:
        return str(error)
    return None


# The innermost elements that stick out past the right edge, to say what to fix.
WIDEST = """(limit) => [...document.querySelectorAll("body *")]
  .filter(el => el.getBoundingClientRect().right > limit + 1
          && ![...el.children].some(c => c.getBoundingClientRect().right > limit + 1))
  .slice(0, 3).map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
                         + " “" + (el.innerText || "").slice(0, 40) + "”")"""


def _fits_320(page) -> None:
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(WIDEST, PHONE["width"]) if width > PHONE["width"] else []
    page.set_viewport_size(DESKTOP)
    assert width <= PHONE["width"], f"{page.url} scrolls sideways at 320 px ({width} px wide): {wide}"


class Browsing:
    """A signed-in browser context and Django test client per person, sharing one browser."""

    def __init__(self, browser, base):
        self.browser, self.base = browser, base
        self.contexts, self.clients = {}, {}

    def of(self, user):
        key = user.pk if user else None
        if key not in self.contexts:
            client = Client()
            context = self.browser.new_context(bypass_csp=True, viewport=DESKTOP)
            if user is not None:
                client.force_login(user)
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": self.base,
                                      "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
            self.clients[key], self.contexts[key] = client, context.new_page()
        return self.clients[key], self.contexts[key]

    def close(self):
        for page in self.contexts.values():
            page.context.close()


def _pages(world) -> list[tuple[str, str, object]]:
    """(name, URL, person) for every GET row, as its least privileged persona who sees it."""
    pages = []
    for name in sorted(TABLE):
        row = TABLE[name]
        persona = next((p for p in LOWEST_FIRST if row.expected[p] == 200), None)
        if row.method != "get" or persona is None:
            continue
        try:
            url = reverse(name, kwargs=row.kwargs(world))
        except (AttributeError, ObjectDoesNotExist):  # the row needs an object this world lacks
            continue
        if row.data:
            url += "?" + urlencode(row.data(world), doseq=True)
        pages.append((name, url, None if persona == "anonymous" else world.people[persona]))
    return pages


def _empty_plan_world(world):
    """The matrix's people, with a new plan in the same community that has nothing in it yet."""
    plan = factories.PlanFactory(community=world.community, title="Fresh plan")
    for role in (Role.CHAIR, Role.SECRETARY, Role.MEMBER, Role.CHAMPION):
        factories.MembershipFactory(plan=plan, user=world.people[role.value], role=role)
    CouncillorLink.objects.create(plan=plan, councillor=world.people["councillor"].councillor_profile)
    empty = type(world)(community=world.community, plan=plan, reviewing_plan=world.reviewing_plan,
                        organisation=world.organisation, other_plan=world.other_plan,
                        people=world.people)
    return empty


def test_every_page_in_every_state_passes_axe(live_server, browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = _populate(build_world())
    full = _pages(world)
    # The empty lists: every page whose URL names only the plan, for a plan with nothing in it.
    empty_world = _empty_plan_world(world)
    empty = [p for p in _pages(empty_world)
             if p[1] not in {u for _, u, _ in full} and str(empty_world.plan.pk) in p[1]
             and not p[0].endswith(FORM_PAGES)]
    browsing = Browsing(browser, live_server.url)
    problems, checked, error_states = [], set(), 0
    try:
        for name, url, person in full + empty:
            client, page = browsing.of(person)
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue  # a file, a redirect: not a page
            page.goto(live_server.url + url)
            checked.add(url)
            problems += filter(None, [_problem(page, assert_accessible), _problem(page, _fits_320)])
            if page.evaluate(SEND_EMPTY):
                with page.expect_navigation():
                    page.click("[data-send-empty]")
                if not page.locator(SHOWN_ERROR).count():
                    problems.append(f"{name} {url}: a form sent with its required boxes empty shows "
                                    "no error")
                    continue
                error_states += 1
                problems += filter(None, [_problem(page, assert_accessible),
                                          _problem(page, _fits_320)])
    finally:
        browsing.close()
    print(f"axe: {len(checked)} pages ({len(empty)} of an empty plan), {error_states} with errors")
    assert len(checked) > 150 and error_states > 30 and len(empty) > 20, (len(checked), error_states)
    assert not problems, "\n".join(problems)


def _focused(page) -> dict:
    return page.evaluate("""() => {
      const el = document.activeElement, s = getComputedStyle(el);
      const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
      return {tag: el.tagName.toLowerCase(), type: (el.type || "").toLowerCase(), label,
              text: (el.innerText || el.value || "").trim(), checked: !!el.checked, value: el.value,
              name: el.name || "",
              visible: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0)
                       || s.boxShadow !== "none"};
    }""")


SUBMITS = ("Start the survey", "Save and continue", "Save and check your answers", "Send my answers")


def test_a_resident_answers_a_whole_survey_with_the_keyboard_alone(live_server, page, world):
    survey = make_survey(world.plan, actor=world.people["chair"])
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + survey.get_public_url())
    answered_groups = set()
    for _ in range(200):
        if page.get_by_text("Thank you. Your answers have been sent.").count():
            break
        page.keyboard.press("Tab")
        el = _focused(page)
        if el["tag"] == "body":
            continue
        assert el["visible"], f"no visible focus on {el} at {page.url}"
        if el["tag"] == "button" and el["text"] in SUBMITS:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert not page.locator(".error-summary").count(), page.locator(".error-summary").inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            assert_accessible(page)
        elif el["type"] == "radio" and el["name"] not in answered_groups:
            page.keyboard.press("Space")
            answered_groups.add(el["name"])
        elif el["type"] == "checkbox" and not el["checked"]:
            page.keyboard.press("Space")
        elif el["tag"] == "textarea" or el["type"] in ("text", "number") and not el["value"]:
            page.keyboard.type("Keyboard only" if el["type"] != "number" else "30")
    expect(page.get_by_text("Thank you. Your answers have been sent.")).to_be_visible()
    assert_accessible(page)
    assert survey.responses.filter(submitted_at__isnull=False).count() == 1

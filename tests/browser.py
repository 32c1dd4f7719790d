"""Helpers for Playwright browser tests: sign in, and run axe-core (WCAG 2.2 A/AA) on a page."""

from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from tests.factories import PASSWORD

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
# What Playwright says when a script meets a page in the middle of navigating away.
NAVIGATING = ("Execution context was destroyed", "Cannot read properties of null",
              "because of a navigation")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Colour transitions still running (a focused button fading in) would be measured half-way, so
# axe waits for them; endless animations (a spinner) are not waited for.
AXE_RUN = """async (tags) => {
  const fading = document.getAnimations().filter((a) => a instanceof CSSTransition);
  await Promise.all(fading.map((a) => a.finished.catch(() => null)));
  return await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
}"""


def assert_accessible(page) -> None:
    """Fail with a readable list of every axe-core violation on the current page."""
    result = _axe(page)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                    for node in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert not problems, f"Accessibility problems on {page.url}:\n" + "\n".join(problems)


def _axe(page, attempts: int = 3) -> dict:
    """Run axe on the page a click has just led to. A click's navigation may still be under way
    when this starts (the old document going, the new one not yet there): then Playwright reports
    a destroyed context or a document with no head, and axe runs again once the new page loads."""
    for attempt in range(attempts):
        page.wait_for_load_state()
        try:
            if not page.evaluate("typeof window.axe !== 'undefined'"):
                page.add_script_tag(path=str(AXE))
            return page.evaluate(AXE_RUN, WCAG_TAGS)
        except PlaywrightError as error:
            navigating = any(sign in str(error) for sign in NAVIGATING)
            if not navigating or attempt == attempts - 1:
                raise
            page.wait_for_timeout(250)  # let the new document arrive
    raise AssertionError("unreachable")


def sign_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def visit(page, url: str) -> None:
    """Go to a page and check it is accessible."""
    page.goto(url)
    assert_accessible(page)


def sign_out(page) -> None:
    # Until the stylesheet has loaded, the narrow-screen "Show menu" button is visible even on a
    # wide screen, and would be clicked just as it disappears.
    page.wait_for_load_state()
    menu = page.get_by_role("button", name="Show menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()

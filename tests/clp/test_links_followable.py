"""No page shows a link its viewer may not follow: every same-site link on the plan pages is
followed as each persona of the demo, and none may answer 403. Links are found in the HTML, so a
new link cannot escape the test."""

import io
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from clp.models import User
from plans.models import CouncillorLink, Membership, Plan
from plans.steps import Step
from tests import factories

PERSONAS = ["officer@example.org", "chair@example.org", "secretary@example.org",
            "member@example.org", "champion@example.org", "councillor@example.org",
            "district.cllr@example.org", "county.cllr@example.org", "resident@example.org"]
# Plan pages are walked; links found on them are followed (GET) wherever they lead on the site.
WALKED = re.compile(r"^/(plans/\d+/|$)")
# The same kind of page for other objects shows the same links: a few of each, at each step of
# the plan, are enough.
SAME_KIND_LIMIT = 1


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _same_site_paths(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    paths = []
    for href in parser.hrefs:
        parts = urlsplit(urldefrag(href)[0])
        if parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver") and parts.path:
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def _kind(path: str, steps: dict) -> tuple:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return (path,)
    return match.view_name, steps.get(match.kwargs.get("pk")) if "/plans/" in path else None


def _refused_links(client: Client) -> list[str]:
    """Walk from the home page; return 'link (found on page)' for every link answered with 403."""
    queue, seen, kinds, refused = deque([("/", "start")]), {"/"}, Counter(), []
    steps = dict(Plan.objects.values_list("pk", "step"))
    while queue:
        path, found_on = queue.popleft()
        response = client.get(path)
        if response.status_code == 403:
            refused.append(f"{path} (linked from {found_on})")
        walk = WALKED.match(path) and response.status_code == 200 and \
            response.get("Content-Type", "").startswith("text/html")
        if not walk:
            continue
        for link in _same_site_paths(response.content.decode()):
            kind = _kind(link, steps)
            if link in seen or kinds[kind] >= SAME_KIND_LIMIT or "/logout" in link:
                continue
            seen.add(link)
            kinds[kind] += 1
            queue.append((link, path))
    return refused


def _plans_at_the_steps_the_demo_skips():
    """Bramley Green's people, councillors and officers on a plan at every step the demo lacks."""
    bramley = Plan.objects.get(community__slug="bramley-green")
    for step in sorted(set(Step.values) - set(Plan.objects.values_list("step", flat=True))):
        plan = factories.PlanFactory(community=bramley.community, title=f"Plan at {step}", step=step)
        Membership.objects.bulk_create(Membership(plan=plan, user=m.user, role=m.role, theme=m.theme)
                                       for m in bramley.memberships.all())
        CouncillorLink.objects.bulk_create(CouncillorLink(plan=plan, councillor=link.councillor)
                                           for link in bramley.councillor_links.all())


def test_no_link_shown_on_a_plan_page_is_refused_to_its_viewer(db):
    call_command("seed_demo", stdout=io.StringIO())
    _plans_at_the_steps_the_demo_skips()
    refused = {}
    for email in PERSONAS:
        client = Client()
        client.force_login(User.objects.get(email=email))
        refused[email] = _refused_links(client)
    assert refused == {email: [] for email in PERSONAS}

import os
import shutil
from dataclasses import dataclass, field

import pytest
from django.test import Client

from clp.models import CouncilTier, User
from plans.models import Plan, Role
from plans.steps import Step
from tests import factories

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PERSONAS = ["admin", "officer", "chair", "secretary", "member", "champion", "councillor",
            "far_councillor", "partner_contact", "resident", "outsider", "anonymous"]


@dataclass
class World:
    """One community with a plan and a person in every role, plus an unrelated community.

    `far_councillor` covers the unrelated community and follows its plan, never this one.
    `partner_contact` answers for a council team in the agency inbox: the matrix world links them
    to the organisation's registered body (tests/actions/permission_rows.py); elsewhere they are
    a signed-in person with no role on any plan."""

    community: object
    plan: object
    reviewing_plan: object
    organisation: object
    other_plan: object
    people: dict = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.people[persona])
        return client


def _members(plan, people):
    for role in [Role.CHAIR, Role.SECRETARY, Role.MEMBER, Role.CHAMPION]:
        persona = {"chair": "chair", "secretary": "secretary", "member": "member",
                   "champion": "champion"}[role.value]
        factories.MembershipFactory(plan=plan, user=people[persona], role=role,
                                    theme="Transport" if role == Role.CHAMPION else "")


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    people = {
        "admin": factories.UserFactory(email="admin@test.org", full_name="Ada Admin",
                                       is_superuser=True, is_staff=True),
        "officer": factories.UserFactory(email="officer@test.org", full_name="Olu Officer"),
        "chair": factories.UserFactory(email="chair@test.org", full_name="Cath Chair"),
        "secretary": factories.UserFactory(email="sec@test.org", full_name="Sam Secretary"),
        "member": factories.UserFactory(email="member@test.org", full_name="Mo Member"),
        "champion": factories.UserFactory(email="champ@test.org", full_name="Chris Champion"),
        "councillor": factories.UserFactory(email="cllr@test.org", full_name="Cllr Kim"),
        "resident": factories.UserFactory(email="resident@test.org", full_name="Rae Resident"),
        "outsider": factories.UserFactory(email="outsider@test.org", full_name="Otto Outsider"),
        "far_councillor": factories.UserFactory(email="far.cllr@test.org", full_name="Cllr Farr"),
        "partner_contact": factories.UserFactory(email="pat@highways.test",
                                                 full_name="Pat Partner"),
    }
    community = factories.CommunityFactory(name="Wicketby", slug="wicketby")
    organisation = factories.OrganisationFactory(name="Wessex Action")
    organisation.officers.add(people["officer"])
    organisation.communities.add(community)
    plan = factories.PlanFactory(community=community, step=Step.TAKING_STOCK)
    reviewing = factories.PlanFactory(community=community, title="Old plan", step=Step.REVIEWING)
    _members(plan, people)
    _members(reviewing, people)
    councillor = factories.CouncillorFactory(user=people["councillor"], tier=CouncilTier.DISTRICT)
    councillor.communities.add(community)
    from plans.models import CouncillorLink

    for p in (plan, reviewing):
        CouncillorLink.objects.create(plan=p, councillor=councillor)
    # Another community the outsider steers: nobody above may see it.
    other_plan = factories.PlanFactory(community=factories.CommunityFactory(name="Elsewhere"))
    factories.MembershipFactory(plan=other_plan, user=people["outsider"], role=Role.CHAIR)
    far = factories.CouncillorFactory(user=people["far_councillor"], tier=CouncilTier.DISTRICT)
    far.communities.add(other_plan.community)
    CouncillorLink.objects.create(plan=other_plan, councillor=far)
    return World(community=community, plan=plan, reviewing_plan=reviewing,
                 organisation=organisation, other_plan=other_plan, people=people)


@pytest.fixture
def chair(world) -> User:
    return world.people["chair"]


@pytest.fixture
def officer(world) -> User:
    return world.people["officer"]


@pytest.fixture
def plan(world) -> Plan:
    return world.plan


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real hashing costs ~0.3 s a user; tests make hundreds of users.
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _eager_celery_and_clean_cache():
    """Tasks run in-process unless a test starts a real worker (see tests/clp/test_celery_redis.py);
    the cache (Redis under CI) is emptied so rate-limit counters never leak between tests, and
    so is the record of milestone checks queued (a rolled-back survey's id comes round again)."""
    from django.core.cache import cache

    from clp import celery
    from clp.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    cache.clear()
    celery.SENT.clear()
    yield
    app.conf.task_always_eager = before


# --- browser tests ------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args():
    # bypass_csp lets axe-core be injected (the app's own pages still send CSP). Reduced motion
    # turns Bootstrap's 0.15 s colour transitions off, so axe never measures a button mid-fade.
    return {"bypass_csp": True, "reduced_motion": "reduce"}


def _ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config, items):
    # Under CI a browser test must run: with no Chromium it errors rather than being skipped.
    if os.path.exists(CHROMIUM) or _ci():
        return
    marker = pytest.mark.skip(reason=f"No Chromium at {CHROMIUM}: browser tests need it")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(marker)


_skipped_browser_tests: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and "browser" in report.keywords:
        _skipped_browser_tests.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _ci() and _skipped_browser_tests:
        print(f"\nCI=true: {len(_skipped_browser_tests)} browser test(s) were skipped; failing.")
        session.exitstatus = 1

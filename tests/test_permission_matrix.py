"""Every URL × every persona, against the one declared table in tests/permissions.py; every response
also sends the security headers it promises (tests/security_headers.py), and every download of
personal or survey data writes one audit row (tests/audited_downloads.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clp.models import Invitation
from plans.models import Role
from tests import factories
from tests.audited_downloads import assert_audited, export_rows
from tests.conftest import FAST_HASHERS, PERSONAS, build_world
from tests.permissions import TABLE, THIRD_PARTY_PREFIXES, WORLD_EXTENDERS
from tests.security_headers import assert_secure

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            module = getattr(entry.callback, "__module__", "")
            yield f"{namespace}{entry.name}", module


def project_url_names() -> set[str]:
    names = set()
    for name, module in _walk(get_resolver().url_patterns):
        if name.startswith(THIRD_PARTY_PREFIXES) or module.startswith(("allauth", "django.")):
            continue
        names.add(name)
    return names


def test_every_project_url_has_a_row_in_the_permission_table():
    missing = project_url_names() - set(TABLE)
    assert not missing, f"Add these URLs to tests/permissions.py: {sorted(missing)}"
    stale = set(TABLE) - project_url_names()
    assert not stale, f"These rows name URLs that no longer exist: {sorted(stale)}"


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction; each case (marked django_db) runs in a
    savepoint that is rolled back, so every case sees the same untouched world, quickly."""
    media = tmp_path_factory.mktemp("media")
    with (django_db_blocker.unblock(),
          override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media),
          transaction.atomic()):
        world = _populate(build_world())
        world.media = media
        yield world
        transaction.set_rollback(True)


def _populate(world):
    plan = world.plan
    world.membership = plan.memberships.get(role=Role.MEMBER)
    evidence = factories.EvidenceFactory(
        plan=plan, file=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    )
    world.content = {
        "milestones": factories.MilestoneFactory(plan=plan),
        "support": plan.support_sources.create(name="Parish grant"),
        "meetings": factories.MeetingFactory(plan=plan),
        "evidence": evidence,
    }
    world.invitation = Invitation.objects.create(
        email="new@test.org", kind="steering", role=Role.MEMBER, target_id=plan.pk,
        expires_at=Invitation.default_expiry(),
    )
    for extend in WORLD_EXTENDERS:
        extend(world)
    return world


CASES = [(name, persona) for name in sorted(TABLE) for persona in PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona"), CASES)
def test_permission_matrix(matrix_world, settings, name, persona):
    settings.MEDIA_ROOT = matrix_world.media  # where the world's uploads were stored
    row = TABLE[name]
    url = reverse(name, kwargs=row.kwargs(matrix_world))
    client = matrix_world.client(persona)
    data = row.data(matrix_world) if row.data else {}
    exported_before = export_rows()
    response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expected[persona], (
        f"{row.method.upper()} {url} as {persona}: got {response.status_code}, "
        f"expected {row.expected[persona]}"
    )
    if persona == "anonymous" and row.expected[persona] == 302:
        assert reverse("account_login") in response["Location"]
    # Whatever the answer (a page, a refusal, a redirect, a file), the CSP and the other security
    # headers are sent, and an HTML page holds nothing the policy would block.
    assert_secure(response, f"{row.method.upper()} {url} as {persona}")
    # A download of personal or survey data is in the audit log once (tests/audited_downloads.py).
    assert_audited(name, response, exported_before, f"{row.method.upper()} {url} as {persona}")

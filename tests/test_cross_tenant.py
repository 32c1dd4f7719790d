"""Nothing of one community can be written from another, found from the URL map and the forms.

Every page of the permission table (tests/permissions.py) is opened by the most senior persona of
community A who may see it, and every POST form on it is read as a browser would submit it. Then:

- replay: each form, and a POST to every URL of the table, is sent by community B's chair and by a
  B member; it must be refused (403/404, or 405 where the URL takes no POST) with not one row of
  any project table changed;
- id swap: in each form, every value that is the id of one of A's objects is replaced by the id of
  a B object of the same model and posted by the A persona; B's rows must be unchanged and no row
  may point from one community to the other.

A URL with no row in the table fails here as in the permission matrix, and so does a form posting
to a URL the table does not know: a new view or form cannot escape.
"""

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import Resolver404, resolve, reverse

from tests.conftest import FAST_HASHERS, build_world
from tests.permissions import TABLE, THIRD_PARTY_PREFIXES
from tests.tenancy import (
    Form,
    TenantMap,
    build_mirror,
    changed,
    fingerprint,
    post_forms,
    spread_ids,
)
from tests.test_permission_matrix import _populate, project_url_names

# Who opens a page to read its forms: the most senior persona of A who may see it.
READERS = ["chair", "admin", "officer", "secretary", "member", "champion", "councillor",
           "far_councillor", "partner_contact", "resident", "outsider", "anonymous"]
REFUSED = {403, 404, 405}

pytestmark = pytest.mark.django_db


def _third_party(view_name: str, func) -> bool:
    return (view_name.startswith(THIRD_PARTY_PREFIXES)
            or getattr(func, "__module__", "").startswith(("allauth", "django.")))


def _view_name(path: str) -> str | None:
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return None
    return None if _third_party(match.view_name, match.func) else match.view_name


class Clients:
    """One signed-in client per person, made before any fingerprint (signing in writes last_login)."""

    def __init__(self, a, b):
        self.a, self.b = {}, {}
        for persona in READERS:
            self.a[persona] = a.client(persona)
        self.b = {"chair": b.client("chair"), "member": b.client("member")}


def _discover(a, clients) -> tuple[dict, list]:
    """Read every POST form of every page in the table: {view name: [(persona, Form)]}."""
    forms: dict[str, list] = {}
    undeclared, seen = [], set()
    for name in sorted(TABLE):
        row = TABLE[name]
        if row.method != "get":
            continue
        persona = next((p for p in READERS if row.expected[p] == 200), None)
        if persona is None:
            continue
        url = reverse(name, kwargs=row.kwargs(a))
        with transaction.atomic():
            response = clients.a[persona].get(url, row.data(a) if row.data else {})
            transaction.set_rollback(True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in post_forms(response.content.decode(), url):
            if form.key() in seen:
                continue
            seen.add(form.key())
            try:
                match = resolve(form.action.split("?")[0])
            except Resolver404:
                undeclared.append(f"{form.action} (form on {url})")
                continue
            if _third_party(match.view_name, match.func):
                continue
            if match.view_name not in TABLE:
                undeclared.append(f"{match.view_name} (form on {url})")
                continue
            forms.setdefault(match.view_name, []).append((persona, form))
    return forms, undeclared


@pytest.fixture(scope="module")
def tenants(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (django_db_blocker.unblock(),
          override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media),
          transaction.atomic()):
        spread_ids()
        a = _populate(build_world())
        a.media = media
        a.b = build_mirror(a)
        a.clients = Clients(a, a.b)
        a.tenant_map = TenantMap()
        a.pks_a = a.tenant_map.pks(a.community.pk)
        a.pks_b = a.tenant_map.pks(a.b.community.pk)
        a.b_digest = a.tenant_map.digest(a.b.community.pk)
        assert not a.tenant_map.crossings(), "the test world itself links the two communities"
        a.forms, a.undeclared = _discover(a, a.clients)
        yield a
        transaction.set_rollback(True)


def _bodies(a, name) -> list[tuple[str, Form]]:
    """What may be posted to a URL: its forms (with their reader) and its row's own POST."""
    row = TABLE[name]
    url = reverse(name, kwargs=row.kwargs(a))
    data = row.data(a) if row.data else {}
    own = Form(page=url, action=url, files={},
               fields={k: [str(x) for x in v] if isinstance(v, list) else [str(v)]
                       for k, v in data.items()})
    writer = next((p for p in READERS if 200 <= row.expected[p] < 400), None)
    bodies = list(a.forms.get(name, []))
    if not any(form.key() == own.key() for _, form in bodies):
        bodies.append((writer, own))
    return bodies


URL_NAMES = sorted(project_url_names() | set(TABLE))
# URLs whose row lets the outsider in (public pages, a person's own notifications and data) take
# anyone's POST by design; the id swap still covers them.
CLOSED_URL_NAMES = [n for n in URL_NAMES if n not in TABLE or TABLE[n].expected["outsider"] in REFUSED]


def test_every_form_posts_to_a_declared_url(tenants):
    assert not tenants.undeclared, (
        "Forms post to URLs with no row in tests/permissions.py:\n" + "\n".join(tenants.undeclared))
    assert sum(len(v) for v in tenants.forms.values()) > 100, "the pages' forms were not found"


def test_the_forms_hold_ids_to_swap(tenants):
    variants = [v for forms in tenants.forms.values() for _, form in forms
                for v in _swaps(tenants, form)]
    assert len(variants) >= 10, f"only {len(variants)} ids found in the forms to swap"


@pytest.mark.parametrize("name", CLOSED_URL_NAMES)
def test_another_communitys_staff_cannot_post(tenants, settings, name):
    settings.MEDIA_ROOT = tenants.media
    assert name in TABLE, f"Add {name} to tests/permissions.py (and so to this replay)"
    for persona, form in _bodies(tenants, name):
        for b_persona, client in tenants.clients.b.items():
            before = fingerprint()
            response = client.post(form.action, form.data())
            assert response.status_code in REFUSED, (
                f"POST {form.action} (form on {form.page}, as read by A's {persona}) as B's "
                f"{b_persona}: got {response.status_code}")
            assert not changed(before, fingerprint()), (
                f"POST {form.action} as B's {b_persona} changed {changed(before, fingerprint())}")


def _swaps(a, form: Form):
    """Each variant of a form with one of A's ids replaced by a B id of the same model."""
    for field, values in form.fields.items():
        for i, value in enumerate(values):
            if not value.isdigit():
                continue
            for model, pks in a.pks_a.items():
                if int(value) in pks and a.pks_b.get(model):
                    swapped = dict(form.fields)
                    swapped[field] = [*values[:i], str(a.pks_b[model][0]), *values[i + 1:]]
                    yield (f"{field}={value}->{a.pks_b[model][0]} ({model._meta.label})",
                           Form(page=form.page, action=form.action, fields=swapped,
                                files=form.files))


@pytest.mark.parametrize("name", URL_NAMES)
def test_ids_swapped_in_post_bodies_stay_in_their_community(tenants, settings, name):
    settings.MEDIA_ROOT = tenants.media
    assert name in TABLE, f"Add {name} to tests/permissions.py (and so to this swap)"
    tmap = tenants.tenant_map
    start = fingerprint()
    tried = set()
    for persona, form in _bodies(tenants, name):
        if persona is None:
            continue
        for what, variant in _swaps(tenants, form):
            body = (variant.action, tuple(sorted((k, tuple(v)) for k, v in variant.fields.items())))
            if body in tried:
                continue
            tried.add(body)
            with transaction.atomic():
                response = tenants.clients.a[persona].post(variant.action, variant.data())
                tables = changed(start, fingerprint())
                models = tmap.of_tables(tables)
                digest = tmap.digest(tenants.b.community.pk, only=models)
                crossings = tmap.crossings(only=models)
                transaction.set_rollback(True)
            assert response.status_code < 500, f"POST {variant.action} with {what}: a server error"
            touched = [m for m in digest if digest[m] != tenants.b_digest[m]]
            assert not touched, f"POST {variant.action} as A's {persona} with {what} changed B's {touched}"
            assert not crossings, f"POST {variant.action} with {what} linked A to B: {crossings}"

"""The strict CSP and the other security headers, beyond the permission matrix (which checks every
response of every URL × persona, tests/test_permission_matrix.py): the checker itself, the pages of
Django's admin and allauth, error pages, and that the policy's nonce is fresh on every response."""

import pytest
from django.contrib import admin
from django.http import HttpResponse
from django.urls import reverse

from tests.security_headers import HEADERS, NONCE, assert_secure, problems

GOOD_CSP = ("default-src 'self'; script-src 'self' 'nonce-abc'; style-src 'self'; img-src 'self' data:; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'")


def _response(body: str = "<p>Hi</p>", csp: str = GOOD_CSP, **headers) -> HttpResponse:
    response = HttpResponse(f"<!doctype html><html><body>{body}</body></html>")
    response["Content-Security-Policy"] = csp
    for name, value in {**HEADERS, **headers}.items():
        if value is not None:
            response[name] = value
    return response


@pytest.mark.parametrize(("response", "complaint"), [
    (_response(csp=GOOD_CSP.replace("'self' 'nonce-abc'", "'self' 'unsafe-inline'")),
     "script-src allows"),
    (_response(csp=GOOD_CSP.replace("frame-ancestors 'none'", "frame-ancestors *")),
     "frame-ancestors lacks"),
    (_response(csp=GOOD_CSP.replace("; object-src 'none'", "")), "object-src lacks"),
    (_response('<script nonce="xyz">go()</script>'), "without the response's nonce"),
    (_response("<script>go()</script>"), "without the response's nonce"),
    (_response("<script src='/x.js'></script>", csp=GOOD_CSP.replace(" 'nonce-abc'", "")),
     "no nonce in the CSP"),
    (_response('<button onclick="go()">Go</button>'), "inline handlers"),
    (_response('<div style="color: red">Red</div>'), "style attributes"),
    (_response('<a href="javascript:go()">Go</a>'), "javascript: URLs"),
    (_response(**{"X-Content-Type-Options": None}), "X-Content-Type-Options"),
    (_response(**{"Referrer-Policy": "unsafe-url"}), "Referrer-Policy"),
    (_response(**{"X-Frame-Options": "SAMEORIGIN"}), "X-Frame-Options"),
    (_response("<script>go()</script>"), "without the response's nonce"),
], ids=["unsafe-inline", "framing", "object-src", "wrong-nonce", "no-nonce", "nonce-missing-in-csp",
        "onclick", "style", "javascript-url", "nosniff", "referrer", "x-frame", "inline-in-admin"])
def test_the_checker_finds_each_breach(request, response, complaint):
    found = problems(response, nonce_on_every_script="admin" not in request.node.callspec.id)
    assert any(complaint in p for p in found), found


def test_the_checker_passes_a_page_that_keeps_the_rules():
    assert not problems(_response('<script src="/x.js" nonce="abc"></script>'
                                  '<script type="application/json">{"a": 1}</script>'))


def test_every_response_has_a_fresh_nonce_and_every_script_carries_it(client, db):
    nonces = []
    for _ in range(2):
        response = client.get(reverse("home"))
        assert_secure(response, "home")
        nonces += NONCE.findall(response["Content-Security-Policy"])
        assert f'nonce="{nonces[-1]}"' in response.content.decode()
    assert len(set(nonces)) == 2


def test_error_pages_and_the_sign_in_pages_keep_the_policy(client, db):
    assert_secure(client.get("/no-such-page/"), "404 page")
    for name in ("account_login", "account_signup", "account_reset_password"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert_secure(response, name)
    bad = client.post(reverse("account_login"), {"login": "nobody@test.org", "password": "wrong"})
    assert bad.status_code == 200
    assert_secure(bad, "sign-in with errors")


def _admin_pages(user) -> list[str]:
    """The admin's index, and each registered model's list, add form and the change form of one row."""
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        request = type("R", (), {"user": user})()
        if model_admin.has_add_permission(request):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return pages


def test_the_admin_works_under_the_policy(client, world):
    """Every admin page the site admin opens sends the policy and runs only nonce'd or same-origin
    scripts, with nothing inline that the policy would block."""
    from tests.test_permission_matrix import _populate

    _populate(world)
    user = world.people["admin"]
    client.force_login(user)
    pages = _admin_pages(user)
    assert len(pages) > 40
    failures = []
    for path in pages:
        response = client.get(path)
        if response.status_code != 200:
            failures.append(f"{path}: {response.status_code}")
            continue
        failures += [f"{path}: {p}" for p in problems(response, nonce_on_every_script=False)]
    # A change form sent with an error is still a page under the policy.
    response = client.post(reverse("admin:clp_community_add"), {"name": ""})
    assert response.status_code == 200 and b"errornote" in response.content
    failures += [f"community add with errors: {p}"
                 for p in problems(response, nonce_on_every_script=False)]
    assert not failures, "\n".join(dict.fromkeys(failures))


def test_a_form_with_errors_keeps_the_policy(client, world):
    client.force_login(world.people["chair"])
    response = client.post(reverse("plans:meetings_new", kwargs={"pk": world.plan.pk}),
                           {"title": "", "attendance": "-5"})
    assert response.status_code == 200 and b"error-summary" in response.content
    assert_secure(response, "meeting form with errors")

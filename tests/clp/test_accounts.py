import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


def test_people_sign_in_with_their_email_and_land_on_home(client, db):
    UserFactory(email="volunteer@example.org")
    response = client.post(reverse("account_login"),
                           {"login": "Volunteer@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_wrong_password_is_explained_and_the_email_kept(client, db):
    UserFactory(email="volunteer@example.org")
    response = client.post(reverse("account_login"),
                           {"login": "volunteer@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'value="volunteer@example.org"' in response.text


def test_failed_logins_are_rate_limited(client, db):
    UserFactory(email="target@example.org")
    for _ in range(5):
        response = client.post(reverse("account_login"),
                               {"login": "target@example.org", "password": "nope"})
        assert "Too many failed login attempts" not in response.text
    # Even the right password is refused once the limit is reached.
    response = client.post(reverse("account_login"),
                           {"login": "target@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.text
    assert "_auth_user_id" not in client.session


def test_one_persons_failed_logins_do_not_lock_out_others_at_the_same_address(client, db):
    UserFactory(email="forgetful@example.org")
    UserFactory(email="neighbour@example.org")
    hall = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(6):
        client.post(reverse("account_login"), {"login": "forgetful@example.org", "password": "nope"},
                    **hall)
    others = [f"visitor{n}@example.org" for n in range(10)]
    for email in others:  # ten more people mistype theirs at the same hall
        client.post(reverse("account_login"), {"login": email, "password": "nope"}, **hall)
    response = client.post(reverse("account_login"),
                           {"login": "neighbour@example.org", "password": PASSWORD}, **hall)
    assert response.status_code == 302
    assert "Too many failed login attempts" not in response.text


def test_an_address_trying_many_accounts_is_slowed_down(client, db):
    UserFactory(email="target@example.org")
    for n in range(30):
        client.post(reverse("account_login"), {"login": f"guess{n}@example.org", "password": "nope"})
    response = client.post(reverse("account_login"),
                           {"login": "target@example.org", "password": PASSWORD})
    assert response.status_code == 429 or "Too many failed login attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_an_email(client, db):
    UserFactory(email="forgetful@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert mail.outbox and mail.outbox[0].to == ["forgetful@example.org"]


def test_pages_send_a_strict_content_security_policy(client, db):
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.text
    assert "style=" not in response.text.replace("stylesheet", "")


def test_two_factor_setup_is_offered_to_signed_in_people(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 200
    assert "Authenticator" in response.text


def test_signing_up_sends_an_email_verification_link(client, db):
    response = client.post(reverse("account_signup"), {
        "full_name": "Rita Resident", "email": "rita@example.org",
        "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"})
    assert response.status_code == 302
    assert mail.outbox and mail.outbox[0].to == ["rita@example.org"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/confirm-email/" in line)
    path = link[link.index("/accounts/confirm-email/"):].strip()
    client.post(path)
    from clp.models import User

    rita = User.objects.get(email="rita@example.org")
    assert rita.full_name == "Rita Resident"
    assert rita.emailaddress_set.get().verified


def test_not_found_and_forbidden_pages_use_the_site_layout(world, settings):
    settings.DEBUG = False
    response = world.client("resident").get(world.plan.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.text and "skip-link" in response.text
    response = world.client("councillor").get(reverse("plans:edit", args=[world.plan.pk]))
    assert response.status_code == 403
    assert "You cannot do that here" in response.text


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_account_pages_render_for_visitors(client, db, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ["account_change_password", "account_email", "mfa_index"])
def test_account_management_pages_need_sign_in(client, world, name):
    assert client.get(reverse(name)).status_code == 302
    assert world.client("chair").get(reverse(name)).status_code == 200

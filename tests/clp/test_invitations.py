import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clp import services
from clp.models import Invitation, User
from plans.models import Role
from tests.factories import PASSWORD, UserFactory


def _link_from(message) -> str:
    return re.search(r"http://\S+/invitations/(\S+)/", message.body).group(0)


def _path(url: str) -> str:
    return url.split("127.0.0.1:8000", 1)[1]


def test_chair_invites_a_new_member_who_accepts_and_lands_on_the_plan(world, client,
                                                                      django_capture_on_commit_callbacks):
    chair_client = world.client("chair")
    with django_capture_on_commit_callbacks(execute=True):
        response = chair_client.post(reverse("plans:member_invite", args=[world.plan.pk]), {
            "full_name": "Nell New", "email": "Nell@Example.org", "role": Role.SECRETARY,
        })
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nell@example.org"]
    assert "join the steering group of" in message.subject
    link = _path(_link_from(message))

    page = client.get(link)
    assert page.status_code == 200
    assert "Create your account to accept" in page.text

    response = client.post(link, {"full_name": "Nell New", "password1": "a-long-pass-phrase",
                                  "password2": "a-long-pass-phrase"})
    assert response.status_code == 302
    assert response["Location"] == world.plan.get_absolute_url()
    nell = User.objects.get(email="nell@example.org")
    assert world.plan.memberships.get(user=nell).role == Role.SECRETARY
    assert nell.emailaddress_set.get().verified
    # The person is now signed in and can see the plan.
    assert client.get(world.plan.get_absolute_url()).status_code == 200


def test_an_invitation_link_works_only_once(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(email="once@example.org", kind="steering",
                                                role=Role.MEMBER, target_id=world.plan.pk,
                                                actor=world.people["chair"])
    link = invitation.get_absolute_url()
    client.post(link, {"full_name": "Once", "password1": "a-long-pass-phrase",
                       "password2": "a-long-pass-phrase"})
    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert "already been used" in again.text


def test_expired_and_tampered_links_are_refused_with_a_reason(world, client):
    invitation = services.invitation_create(email="late@example.org", kind="steering",
                                            role=Role.MEMBER, target_id=world.plan.pk,
                                            actor=world.people["chair"])
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    expired = client.get(invitation.get_absolute_url())
    assert expired.status_code == 410
    assert "expired" in expired.text
    tampered = client.get(reverse("invitation_accept", args=[invitation.token[:-2] + "xx"]))
    assert tampered.status_code == 404


def test_a_new_invitation_replaces_the_earlier_one(world):
    first = services.invitation_create(email="twice@example.org", kind="steering", role=Role.MEMBER,
                                       target_id=world.plan.pk, actor=world.people["chair"])
    services.invitation_create(email="twice@example.org", kind="steering", role=Role.CHAMPION,
                               target_id=world.plan.pk, actor=world.people["chair"])
    first.refresh_from_db()
    assert first.status == "revoked"


def test_someone_with_an_account_signs_in_to_accept(world, client):
    existing = UserFactory(email="has.account@example.org")
    invitation = services.invitation_create(email=existing.email, kind="steering",
                                            role=Role.MEMBER, target_id=world.plan.pk,
                                            actor=world.people["chair"])
    page = client.get(invitation.get_absolute_url())
    assert "Sign in to accept" in page.text
    # A stranger cannot create an account over the existing one.
    client.post(invitation.get_absolute_url(), {"full_name": "X", "password1": "a-long-pass-phrase",
                                                "password2": "a-long-pass-phrase"})
    assert not world.plan.memberships.filter(user=existing).exists()
    client.force_login(existing)
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 302
    assert world.plan.memberships.filter(user=existing, role=Role.MEMBER).exists()


def test_signed_in_as_someone_else_cannot_accept(world):
    invitation = services.invitation_create(email="meant.for@example.org", kind="steering",
                                            role=Role.CHAIR, target_id=world.plan.pk,
                                            actor=world.people["officer"])
    outsider = world.client("outsider")
    page = outsider.get(invitation.get_absolute_url())
    assert "but you are signed in as outsider@test.org" in page.text
    outsider.post(invitation.get_absolute_url())
    assert not world.plan.memberships.filter(user=world.people["outsider"]).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_new_account_form_keeps_input_and_explains_errors(world, client):
    invitation = services.invitation_create(email="typo@example.org", kind="steering",
                                            role=Role.MEMBER, target_id=world.plan.pk,
                                            actor=world.people["chair"])
    response = client.post(invitation.get_absolute_url(), {
        "full_name": "Tess Typo", "password1": "a-long-pass-phrase", "password2": "different-phrase"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "The two passwords do not match." in response.text
    assert 'value="Tess Typo"' in response.text
    assert not User.objects.filter(email="typo@example.org").exists()


def test_sending_is_idempotent(world):
    invitation = Invitation.objects.create(
        email="idem@example.org", kind="steering", role=Role.MEMBER, target_id=world.plan.pk,
        expires_at=Invitation.default_expiry(), invited_by=world.people["chair"])
    assert services.invitation_send(invitation_id=invitation.pk) is True
    assert services.invitation_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


def test_sweep_resends_invitations_whose_message_was_lost(world):
    lost = Invitation.objects.create(
        email="lost@example.org", kind="steering", role=Role.MEMBER, target_id=world.plan.pk,
        expires_at=Invitation.default_expiry(), invited_by=world.people["chair"])
    Invitation.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timezone.timedelta(hours=1))
    assert services.invitation_resend_unsent() == 1
    assert [m.to for m in mail.outbox] == [["lost@example.org"]]
    assert services.invitation_resend_unsent() == 0


def test_invitation_email_is_sent_only_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitation_create(email="later@example.org", kind="steering", role=Role.MEMBER,
                                   target_id=world.plan.pk, actor=world.people["chair"])
        assert mail.outbox == []
    assert len(callbacks) == 1


def test_officer_invites_another_officer(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world.client("officer").post(reverse("organisation_invite", args=[world.organisation.pk]),
                                     {"email": "colleague@example.org", "full_name": "Col League"})
    link = _path(_link_from(mail.outbox[0]))
    client.post(link, {"full_name": "Col League", "password1": "a-long-pass-phrase",
                       "password2": "a-long-pass-phrase"})
    colleague = User.objects.get(email="colleague@example.org")
    assert world.organisation.officers.filter(pk=colleague.pk).exists()
    assert client.get(world.plan.get_absolute_url()).status_code == 200


def test_councillor_invitation_creates_profile_and_attaches_to_plan(world, client,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world.client("chair").post(reverse("plans:councillor_invite", args=[world.plan.pk]), {
            "full_name": "Cllr New", "email": "cllr.new@example.org", "tier": "county",
            "council": "Downshire County Council", "ward": "Meon"})
    link = _path(_link_from(mail.outbox[0]))
    client.post(link, {"full_name": "Cllr New", "password1": "a-long-pass-phrase",
                       "password2": "a-long-pass-phrase"})
    profile = User.objects.get(email="cllr.new@example.org").councillor_profile
    assert profile.tier == "county"
    assert world.plan.councillor_links.filter(councillor=profile).exists()


@pytest.mark.parametrize("bad", ["", "not-an-email"])
def test_invite_form_explains_a_bad_email(world, bad):
    response = world.client("chair").post(reverse("plans:member_invite", args=[world.plan.pk]),
                                          {"full_name": "Kept Name", "email": bad, "role": "member"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'value="Kept Name"' in response.text
    assert not mail.outbox


def test_existing_user_password_is_not_used_by_invitation(world):
    # Accepting never changes an existing password.
    existing = world.people["resident"]
    invitation = services.invitation_create(email=existing.email, kind="steering",
                                            role=Role.MEMBER, target_id=world.plan.pk,
                                            actor=world.people["chair"])
    services.invitation_accept(invitation=invitation, user=existing)
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)


def test_chair_withdraws_or_resends_an_invitation(world, django_capture_on_commit_callbacks):
    chair = world.client("chair")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invitation_create(email="maybe@example.org", kind="steering",
                                           role=Role.TREASURER, target_id=world.plan.pk,
                                           actor=world.people["chair"])
    page = chair.get(reverse("plans:members", args=[world.plan.pk])).text
    assert "maybe@example.org) – Treasurer" in page
    with django_capture_on_commit_callbacks(execute=True):
        chair.post(reverse("plans:invitation_resend", args=[world.plan.pk, first.pk]))
    assert len(mail.outbox) == 2
    first.refresh_from_db()
    assert first.status == "revoked"
    second = Invitation.objects.pending().get(email="maybe@example.org")
    assert second.role == Role.TREASURER
    chair.post(reverse("plans:invitation_withdraw", args=[world.plan.pk, second.pk]))
    second.refresh_from_db()
    assert second.status == "revoked"
    assert "already" not in chair.get(second.get_absolute_url()).text
    assert chair.get(second.get_absolute_url()).status_code == 410


def test_signing_up_with_an_invitees_address_does_not_reveal_or_grant_the_invitation(world, client):
    invitation = services.invitation_create(email="invitee@example.org", kind="steering",
                                            role=Role.CHAIR, target_id=world.plan.pk,
                                            actor=world.people["officer"])
    client.post(reverse("account_signup"), {"full_name": "Sly", "email": "invitee@example.org",
                                            "password1": "a-long-pass-phrase-7",
                                            "password2": "a-long-pass-phrase-7"})
    squatter = User.objects.get(email="invitee@example.org")
    home = client.get(reverse("home"))
    assert home.status_code == 200 and "Invitations waiting for you" not in home.text
    assert world.plan.title not in home.text
    # The real invitee, who has the emailed link, can take the account back and accept.
    page = Client().get(invitation.get_absolute_url())
    assert reverse("account_reset_password") in page.text
    assert not world.plan.memberships.filter(user=squatter).exists()


def test_the_emailed_link_proves_the_address_and_then_the_home_page_lists_invitations(world):
    person = UserFactory(email="verified.later@example.org")
    client = Client()
    client.force_login(person)
    first = services.invitation_create(email=person.email, kind="steering", role=Role.MEMBER,
                                       target_id=world.plan.pk, actor=world.people["chair"])
    services.invitation_create(email=person.email, kind="steering", role=Role.MEMBER,
                                        target_id=world.reviewing_plan.pk, actor=world.people["chair"])
    assert "Invitations waiting for you" not in client.get(reverse("home")).text
    assert client.post(first.get_absolute_url()).status_code == 302
    assert EmailAddress.objects.get(user=person).verified
    home = client.get(reverse("home")).text
    assert "Invitations waiting for you" in home and world.reviewing_plan.title in home

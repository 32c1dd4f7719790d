"""A volunteer downloads their data and deletes their account; what they wrote stays, unnamed."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from clp.models import User
from plans.models import Membership
from tests.consultation.factories import make_survey, submitted_response
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(world):
    member = world.people["member"]
    member.set_password("a-long-password-1")
    member.save()
    return member


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_download_holds_account_memberships_and_what_they_wrote_but_no_secrets(world, volunteer):
    survey = make_survey(world.plan, title="Parking survey", actor=volunteer)
    entered = submitted_response(survey, actor=volunteer)
    page = _client(volunteer).get(reverse("your_data"))
    assert reverse("your_data_download") in page.content.decode()
    download = _client(volunteer).get(reverse("your_data_download"))
    assert download["Content-Disposition"] == 'attachment; filename="your-data.json"'
    data = json.loads(download.content)
    assert data["account"]["email"] == volunteer.email
    assert "password" not in data["account"]
    text = download.content.decode()
    assert world.plan.title in text  # the membership, named by its plan
    assert "Parking survey" in text
    assert entered.resume_token not in text
    assert "Cath Chair" not in text and "chair@test.org" not in text  # nobody else's details


def test_another_persons_data_is_never_in_the_download(world, volunteer):
    make_survey(world.plan, title="Chair's own survey", actor=world.people["chair"])
    text = _client(volunteer).get(reverse("your_data_download")).content.decode()
    assert "Chair's own survey" not in text


def test_deleting_the_account_keeps_what_they_wrote_as_a_former_member(world, volunteer):
    survey = make_survey(world.plan, actor=volunteer)
    submitted_response(survey, actor=volunteer)
    client = _client(volunteer)
    done = client.post(reverse("account_delete"), {"password": "a-long-password-1", "confirm": "on"})
    assert done.status_code == 302
    erased = User.objects.get(pk=volunteer.pk)
    assert str(erased) == "Former member"
    assert erased.erased_at is not None and not erased.is_active
    assert "member@test.org" not in erased.email and erased.full_name == ""
    assert not Membership.objects.filter(user=erased).exists()
    assert survey.__class__.objects.get(pk=survey.pk).created_by_id == erased.pk
    assert client.get(reverse("your_data")).status_code == 302  # signed out
    assert not Client().login(email="member@test.org", password="a-long-password-1")
    listing = _client(world.people["chair"]).get(reverse(
        "consultation:responses", kwargs={"pk": world.plan.pk, "sid": survey.pk})).content.decode()
    assert "Former member" in listing and "Mo Member" not in listing


def test_a_wrong_password_or_no_tick_deletes_nothing_and_says_why(volunteer):
    page = _client(volunteer).post(reverse("account_delete"), {"password": "wrong"})
    assert page.status_code == 400
    body = page.content.decode()
    assert "The password is not right" in body
    assert "Tick the box to say you understand" in body
    assert User.objects.get(pk=volunteer.pk).erased_at is None


def test_signed_out_visitors_are_sent_to_sign_in():
    UserFactory()
    for name in ("your_data", "your_data_download"):
        assert Client().get(reverse(name)).status_code == 302
    assert Client().post(reverse("account_delete")).status_code == 302

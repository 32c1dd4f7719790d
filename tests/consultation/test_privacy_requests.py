"""A resident's receipt number, their request to delete their answers, and the privacy notice."""

import pytest
from django.test import Client
from django.urls import reverse

from consultation.models import DeletionRequest, Response, SurveyStatus, parse_receipt
from tests.consultation.factories import make_survey, submitted_response
from tests.consultation.test_answering import _answer_all, _start, _url

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    return make_survey(world.plan, actor=world.people["chair"])


def _send(survey) -> tuple[Client, Response]:
    client = Client()
    _start(client, survey)
    _answer_all(client, survey)
    return client, Response.objects.get(survey=survey, status="submitted")


def test_the_done_page_shows_a_receipt_number_with_check_letters(survey):
    client, response = _send(survey)
    page = client.get(_url("public_done", survey))
    assert response.receipt in page.content.decode()
    assert parse_receipt(response.receipt) == response.pk
    assert parse_receipt(f"{response.pk}-AAAAAA") is None
    assert parse_receipt(response.receipt.lower().replace("-", " - ")) == response.pk


def test_a_resident_asks_by_receipt_and_the_group_deletes_through_the_usual_page(survey, world):
    client, response = _send(survey)
    form = client.get(_url("public_deletion_request", survey))
    assert response.receipt in form.content.decode()  # filled in from this browser's session
    sent = Client().post(_url("public_deletion_request", survey), {"receipt": response.receipt})
    assert "Your request has been sent" in sent.content.decode()
    request = DeletionRequest.objects.get()
    assert request.response_id == response.pk

    chair = Client()
    chair.force_login(world.people["chair"])
    listing = chair.get(reverse("consultation:responses", kwargs={"pk": world.plan.pk,
                                                                  "sid": survey.pk}))
    delete_url = reverse("consultation:response_delete",
                         kwargs={"pk": world.plan.pk, "sid": survey.pk, "rid": response.pk})
    assert delete_url in listing.content.decode()
    chair.post(delete_url, {"reason": "The resident asked, receipt given"})
    assert not Response.objects.filter(pk=response.pk).exists()
    assert DeletionRequest.objects.get().response is None
    listing = chair.get(reverse("consultation:responses", kwargs={"pk": world.plan.pk,
                                                                  "sid": survey.pk}))
    assert delete_url not in listing.content.decode()


def test_asking_twice_makes_one_request(survey):
    _client, response = _send(survey)
    for _i in range(2):
        Client().post(_url("public_deletion_request", survey), {"receipt": response.receipt})
    assert DeletionRequest.objects.count() == 1


def test_a_guessed_number_or_another_surveys_receipt_is_refused_with_a_message(survey, world):
    _client, response = _send(survey)
    page = Client().post(_url("public_deletion_request", survey),
                         {"receipt": f"{response.pk + 1}-ABCDEF"})
    assert page.status_code == 200
    assert "We cannot find answers to this survey with that receipt number" in page.content.decode()
    assert f'value="{response.pk + 1}-ABCDEF"' in page.content.decode()  # what was typed stays
    other = make_survey(world.plan, title="Another survey")
    elsewhere = submitted_response(other)
    Client().post(_url("public_deletion_request", survey), {"receipt": elsewhere.receipt})
    assert not DeletionRequest.objects.exists()


def test_requests_can_still_be_made_after_the_survey_closes_but_not_for_drafts(world):
    closed = make_survey(world.plan, status=SurveyStatus.CLOSED)
    assert Client().get(_url("public_deletion_request", closed)).status_code == 200
    draft = make_survey(world.plan, status=SurveyStatus.DRAFT)
    assert Client().get(_url("public_deletion_request", draft)).status_code == 404


def test_every_survey_start_page_links_the_communitys_privacy_notice(survey, world):
    notice = reverse("privacy_notice", kwargs={"slug": world.community.slug})
    assert notice in Client().get(_url("public_start", survey)).content.decode()


def test_the_privacy_notice_names_the_controller_and_the_retention_period(world):
    community = world.community
    community.controller = "Wicketby Parish Council"
    community.privacy_contact = "clerk@wicketby.example"
    community.retention_months = 18
    community.save()
    page = Client().get(reverse("privacy_notice", kwargs={"slug": community.slug})).content.decode()
    assert "Wicketby Parish Council is the data controller" in page
    assert "clerk@wicketby.example" in page
    assert "kept for 18 months after a survey closes" in page
    assert "Information Commissioner" in page


def test_every_page_footer_links_the_accessibility_statement(survey):
    statement = reverse("accessibility")
    for url in (reverse("home"), _url("public_start", survey), statement):
        assert statement in Client().get(url).content.decode()
    assert "WCAG" in Client().get(statement).content.decode()

"""Owners who accept: the lead or partner body answers from a signed, single-use email link."""

import re

import pytest
from django.core import signing
from django.urls import reverse

from actions import delivery, tokens
from actions.models import Action, OwnerRequest, OwnerStatus, PartnerBody, Section
from plans.steps import Step
from tests.actions.factories import ActionFactory, PriorityFactory
from tests.factories import PlanFactory


@pytest.fixture
def action(world):
    from plans.models import Plan

    Plan.objects.filter(pk=world.plan.pk).update(step=Step.IMPLEMENTING)
    partner = PartnerBody.objects.create(plan=world.plan, name="Meonbridge DC",
                                         contact_email="highways@meonbridge.test")
    priority = PriorityFactory(plan=world.plan, section=Section.HELP, title="Speeding")
    return ActionFactory(priority=priority, lead_name="Jo Volunteer", lead_email="jo@vol.test",
                         partner_body=partner, what="Speed survey")


def _ask(world, action, mailoutbox, django_capture_on_commit_callbacks, role="lead"):
    client = world.client("member")
    url = reverse("actions:owner_request", kwargs={"pk": world.plan.pk,
                                                  "prid": action.priority_id, "aid": action.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"role": role})
    assert response.status_code == 302
    return re.search(r"http\S+/answer/\S+/", mailoutbox[-1].body).group(0)


def _path(url):
    return url.split("8000", 1)[-1] if "8000" in url else url[url.index("/delivery-links"):]


def test_lead_is_emailed_once_and_accepts_without_signing_in(world, action, mailoutbox, client,
                                                             django_capture_on_commit_callbacks):
    url = _ask(world, action, mailoutbox, django_capture_on_commit_callbacks)
    assert mailoutbox[0].to == ["jo@vol.test"] and "Speed survey" in mailoutbox[0].body
    assert delivery.owner_request_email(request_id=OwnerRequest.objects.get().pk) is False
    assert len(mailoutbox) == 1
    page = client.get(_path(url))
    assert page.status_code == 200 and b"Will you lead this action?" in page.content
    response = client.post(_path(url), {"answer": "accepted"})
    assert response.status_code == 200 and b"your answer is recorded" in response.content
    action = Action.objects.get(pk=action.pk)
    assert action.lead_status == OwnerStatus.ACCEPTED and action.lead_answered_at
    event = world.plan.events.first()
    assert "Jo Volunteer answered" in event.summary and event.actor is None


def test_decline_needs_a_reason_and_can_name_someone_better(world, action, mailoutbox, client,
                                                           django_capture_on_commit_callbacks):
    url = _path(_ask(world, action, mailoutbox, django_capture_on_commit_callbacks))
    response = client.post(url, {"answer": "declined", "suggested_instead": "County highways"})
    assert response.status_code == 200
    assert "Say why you decline" in response.content.decode()
    assert 'value="County highways"' in response.content.decode()
    client.post(url, {"answer": "declined", "reason": "It is a county road",
                      "suggested_instead": "County highways"})
    request = OwnerRequest.objects.get()
    assert (request.answer, request.reason, request.suggested_instead) == (
        "declined", "It is a county road", "County highways")
    assert Action.objects.declined().filter(pk=action.pk).exists()


def test_partner_proposes_another_date_and_the_action_waits_on_it(
        world, action, mailoutbox, client, django_capture_on_commit_callbacks):
    url = _path(_ask(world, action, mailoutbox, django_capture_on_commit_callbacks, role="partner"))
    assert mailoutbox[0].to == ["highways@meonbridge.test"]
    assert Action.objects.waiting_on_partner().filter(pk=action.pk).exists()
    response = client.post(url, {"answer": "proposed", "proposed_date": "2001-01-01"})
    assert "must be in the future" in response.content.decode()
    client.post(url, {"answer": "proposed", "proposed_date": "2099-05-01"})
    action = Action.objects.get(pk=action.pk)
    assert action.partner_status == OwnerStatus.PROPOSED
    assert OwnerRequest.objects.get().proposed_date.isoformat() == "2099-05-01"


def test_replayed_link_gets_a_clear_page(world, action, mailoutbox, client,
                                         django_capture_on_commit_callbacks):
    url = _path(_ask(world, action, mailoutbox, django_capture_on_commit_callbacks))
    client.post(url, {"answer": "accepted"})
    again = client.post(url, {"answer": "declined", "reason": "changed my mind"})
    assert again.status_code == 400 and b"already been used" in again.content
    assert Action.objects.get(pk=action.pk).lead_status == OwnerStatus.ACCEPTED


def test_forged_and_tampered_links_are_refused(world, action, client):
    request = OwnerRequest.objects.create(action=action, role="lead", recipient_name="Jo",
                                          recipient_email="jo@vol.test", nonce=tokens.new_nonce())
    good = tokens.make(tokens.OWNER_REQUEST, request.pk, request.nonce)
    forged = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    for token in (forged, "nonsense", signing.TimestampSigner(salt="other").sign(f"{request.pk}.x")):
        url = reverse("actions:owner_answer", kwargs={"aid": action.pk, "token": token})
        response = client.get(url)
        assert response.status_code == 400 and b"not one we sent" in response.content


def test_a_link_for_another_purpose_or_nonce_is_refused(world, action, client):
    request = OwnerRequest.objects.create(action=action, role="lead", recipient_name="Jo",
                                          recipient_email="jo@vol.test", nonce=tokens.new_nonce())
    wrong_nonce = tokens.make(tokens.OWNER_REQUEST, request.pk, "not-the-nonce")
    update_token = tokens.make(tokens.UPDATE_LINK, request.pk, request.nonce)
    for token in (wrong_nonce, update_token):
        response = client.get(reverse("actions:owner_answer",
                                      kwargs={"aid": action.pk, "token": token}))
        assert response.status_code == 400


def test_another_actions_token_is_refused(world, action, client):
    other = ActionFactory(priority=action.priority, lead_email="sam@vol.test", lead_name="Sam")
    request = OwnerRequest.objects.create(action=other, role="lead", recipient_name="Sam",
                                          recipient_email="sam@vol.test", nonce=tokens.new_nonce())
    token = tokens.make(tokens.OWNER_REQUEST, request.pk, request.nonce)
    response = client.get(reverse("actions:owner_answer", kwargs={"aid": action.pk, "token": token}))
    assert response.status_code == 400 and b"for something else" in response.content


def test_expired_link_is_refused(world, action, client, settings, mailoutbox,
                                 django_capture_on_commit_callbacks):
    url = _path(_ask(world, action, mailoutbox, django_capture_on_commit_callbacks))
    settings.ACTIONS_LINK_VALID_DAYS = -1
    response = client.get(url)
    assert response.status_code == 400 and b"expired" in response.content


def test_asking_again_supersedes_the_earlier_link(world, action, mailoutbox, client,
                                                  django_capture_on_commit_callbacks):
    first = _path(_ask(world, action, mailoutbox, django_capture_on_commit_callbacks))
    _ask(world, action, mailoutbox, django_capture_on_commit_callbacks)
    assert client.get(first).status_code == 400
    assert OwnerRequest.objects.unanswered().count() == 1


def test_links_are_rate_limited(world, action, client, settings):
    settings.ACTIONS_RATE_LINK = "3/h"
    url = reverse("actions:owner_answer", kwargs={"aid": action.pk, "token": "x"})
    codes = [client.get(url).status_code for _ in range(5)]
    assert codes[:3] == [400, 400, 400] and codes[3:] == [429, 429]


def test_no_email_address_means_a_clear_message(world, action):
    action.lead_email = ""
    action.save()
    client = world.client("member")
    response = client.post(reverse("actions:owner_request", kwargs={
        "pk": world.plan.pk, "prid": action.priority_id, "aid": action.pk}), {"role": "lead"},
        follow=True)
    assert "Add an email address for Jo Volunteer first." in response.content.decode()
    assert not OwnerRequest.objects.exists()


def test_unanswered_requests_are_found_by_query(world, action):
    from datetime import timedelta

    from django.utils import timezone

    old = OwnerRequest.objects.create(action=action, role="lead", recipient_name="Jo",
                                      recipient_email="jo@vol.test", nonce="a",
                                      sent_at=timezone.now() - timedelta(days=10))
    OwnerRequest.objects.create(action=action, role="partner", recipient_name="DC",
                                recipient_email="dc@test.org", nonce="b")
    assert list(OwnerRequest.objects.unanswered_since(timezone.now() - timedelta(days=7))) == [old]


def test_lost_emails_are_resent_by_the_sweep(world, action, mailoutbox):
    from datetime import timedelta

    from django.utils import timezone

    OwnerRequest.objects.create(action=action, role="lead", recipient_name="Jo",
                                recipient_email="jo@vol.test", nonce=tokens.new_nonce(),
                                sent_at=timezone.now() - timedelta(hours=1))
    assert delivery.resend_lost_emails() == 1
    assert len(mailoutbox) == 1
    assert delivery.resend_lost_emails() == 0


def test_other_plans_member_cannot_ask(world, action):
    outsider_plan = PlanFactory()
    assert outsider_plan.pk != world.plan.pk
    response = world.client("outsider").post(reverse("actions:owner_request", kwargs={
        "pk": world.plan.pk, "prid": action.priority_id, "aid": action.pk}), {"role": "lead"})
    assert response.status_code == 404


# --- asked automatically when the action form names them ------------------------------------------

def _save_action(world, priority, fields, django_capture_on_commit_callbacks, action=None):
    """Post the action form as the group does; returns the page the group lands on."""
    kwargs = {"pk": world.plan.pk, "prid": priority.pk}
    url = (reverse("actions:action_edit", kwargs={**kwargs, "aid": action.pk}) if action
           else reverse("actions:action_new", kwargs=kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        page = world.client("member").post(url, {"what": "Speed survey", "update_cadence": "quarterly",
                                                 "status": "not_started", **fields}, follow=True)
    assert page.status_code == 200 and "Saved the action" in page.text
    return page


def test_naming_a_lead_emails_them_once_and_their_link_works(world, mailoutbox, client,
                                                              django_capture_on_commit_callbacks):
    priority = PriorityFactory(plan=world.plan, section=Section.COMMUNITY, title="Speeding")
    volunteer = {"lead_name": "Jo Volunteer", "lead_email": "jo@vol.test"}
    page = _save_action(world, priority, volunteer, django_capture_on_commit_callbacks)
    assert "We are emailing Jo Volunteer to ask them to accept leading this action." in page.text
    assert [m.to for m in mailoutbox] == [["jo@vol.test"]] and "Speed survey" in mailoutbox[0].body
    url = _path(re.search(r"http\S+/answer/\S+/", mailoutbox[0].body).group(0))
    assert b"Will you lead this action?" in client.get(url).content
    client.post(url, {"answer": "accepted"})

    action = Action.objects.get()
    page = _save_action(world, priority, {**volunteer, "what": "Speed survey on Mill Lane"},
                        django_capture_on_commit_callbacks, action=action)
    assert "We are emailing" not in page.text
    assert len(mailoutbox) == 1 and OwnerRequest.objects.count() == 1
    assert Action.objects.get().lead_status == OwnerStatus.ACCEPTED


def test_a_new_lead_is_asked_and_the_earlier_ones_link_stops_working(
        world, mailoutbox, client, django_capture_on_commit_callbacks):
    priority = PriorityFactory(plan=world.plan, section=Section.COMMUNITY)
    _save_action(world, priority, {"lead_name": "Jo Volunteer", "lead_email": "jo@vol.test"},
                 django_capture_on_commit_callbacks)
    first = _path(re.search(r"http\S+/answer/\S+/", mailoutbox[0].body).group(0))
    page = _save_action(world, priority, {"lead_user": world.people["secretary"].pk},
                        django_capture_on_commit_callbacks, action=Action.objects.get())
    assert "We are emailing Sam Secretary to ask them" in page.text
    assert [m.to for m in mailoutbox] == [["jo@vol.test"], ["sec@test.org"]]
    assert client.get(first).status_code == 400
    assert OwnerRequest.objects.unanswered().get().recipient_email == "sec@test.org"


def test_a_lead_without_an_email_address_is_not_asked_and_an_earlier_answer_is_set_aside(
        world, mailoutbox, client, django_capture_on_commit_callbacks):
    priority = PriorityFactory(plan=world.plan, section=Section.COMMUNITY)
    page = _save_action(world, priority, {"lead_name": "Jo Volunteer"},
                        django_capture_on_commit_callbacks)
    assert "We are emailing" not in page.text
    assert mailoutbox == [] and not OwnerRequest.objects.exists()

    _save_action(world, priority, {"lead_name": "Jo Volunteer", "lead_email": "jo@vol.test"},
                 django_capture_on_commit_callbacks, action=Action.objects.get())
    url = _path(re.search(r"http\S+/answer/\S+/", mailoutbox[0].body).group(0))
    client.post(url, {"answer": "declined", "reason": "Away all summer"})
    _save_action(world, priority, {"lead_name": "Pat Neighbour"},
                 django_capture_on_commit_callbacks, action=Action.objects.get())
    assert len(mailoutbox) == 1
    assert Action.objects.get().lead_status == OwnerStatus.NOT_ASKED  # Jo's no is not Pat's


def test_choosing_a_partner_body_asks_it_to_help(world, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    partner = PartnerBody.objects.create(plan=world.plan, name="Meonbridge DC",
                                         contact_email="highways@meonbridge.test")
    priority = PriorityFactory(plan=world.plan, section=Section.HELP)
    page = _save_action(world, priority, {"partners": "Meonbridge DC", "partner_body": partner.pk},
                        django_capture_on_commit_callbacks)
    assert "We are emailing Meonbridge DC to ask them to help with this action." in page.text
    assert [m.to for m in mailoutbox] == [["highways@meonbridge.test"]]
    assert Action.objects.get().partner_status == OwnerStatus.ASKED

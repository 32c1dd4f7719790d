"""The agency inbox: the partner directory, a contact answering asks (one by one, or once to
many), response times for the officer, and the councillor's inbox with endorsements awaited."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions import inbox
from actions.models import (
    Action,
    EndorsementRequest,
    OwnerRequest,
    OwnerStatus,
    PartnerBody,
    PartnerContact,
    ProgressUpdate,
    RegisteredPartner,
    Section,
)
from clp import services as clp_services
from clp.exceptions import Refused
from clp.models import Invitation
from plans.models import PlanEvent
from tests import factories
from tests.actions.factories import PriorityFactory
from tests.actions.inbox_world import ask, registered_partner


@pytest.fixture
def contact(db):
    return factories.UserFactory(email="hana@downshire.test", full_name="Hana Highways")


@pytest.fixture
def partner(world, contact):
    return registered_partner(world.organisation, contact_user=contact)


def _client(client, user):
    client.force_login(user)
    return client


# --- the directory -----------------------------------------------------------------------------

def test_officer_registers_a_body_and_a_duplicate_name_is_refused_beside_the_field(world, client):
    _client(client, world.people["officer"])
    url = reverse("actions:partner_directory", kwargs={"oid": world.organisation.pk})
    response = client.post(url, {"name": "Downshire Buses", "kind": "business",
                                 "email": "ops@buses.test"})
    partner = RegisteredPartner.objects.get(name="Downshire Buses")
    assert response["Location"] == reverse("actions:partner_contacts", kwargs={"bid": partner.pk})
    again = client.post(url, {"name": "downshire buses", "kind": "business"})
    assert "The directory already has a body with this name." in again.content.decode()
    assert 'value="downshire buses"' in again.content.decode()
    assert RegisteredPartner.objects.count() == 1


def test_officer_invites_a_contact_who_lands_on_the_inbox(world, client, django_capture_on_commit_callbacks):
    partner = registered_partner(world.organisation)
    _client(client, world.people["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("actions:partner_contacts", kwargs={"bid": partner.pk}),
                    {"name": "Hana Highways", "email": "Hana@Downshire.test", "invite": "on"})
    contact = PartnerContact.objects.get(partner=partner)
    assert contact.email == "hana@downshire.test" and contact.user is None
    assert mail.outbox[0].to == ["hana@downshire.test"]
    assert "Downshire County Highways" in mail.outbox[0].body
    invitation = Invitation.objects.get(kind="partner_contact", target_id=contact.pk)
    user = factories.UserFactory(email="hana@downshire.test")
    landing = clp_services.invitation_accept(invitation=invitation, user=user)
    assert landing == reverse("actions:partner_inbox", kwargs={"bid": partner.pk})
    assert PartnerContact.objects.get(pk=contact.pk).user == user


def test_an_invitation_for_a_removed_contact_is_refused(world):
    partner = registered_partner(world.organisation)
    contact = PartnerContact.objects.create(partner=partner, name="Hana", email="hana@downshire.test")
    invitation = inbox.partner_contact_invite(contact=contact, actor=world.people["officer"])
    contact.delete()
    with pytest.raises(Refused, match="removed from the partner directory"):
        clp_services.invitation_accept(invitation=invitation,
                                       user=factories.UserFactory(email="hana@downshire.test"))


def test_the_same_contact_cannot_be_added_twice(world, client):
    partner = registered_partner(world.organisation)
    PartnerContact.objects.create(partner=partner, name="Hana", email="hana@downshire.test")
    _client(client, world.people["officer"])
    response = client.post(reverse("actions:partner_contacts", kwargs={"bid": partner.pk}),
                           {"name": "Hana again", "email": "HANA@downshire.test"})
    assert "This person is already a contact of the body." in response.content.decode()
    assert partner.contacts.count() == 1


def test_a_plan_names_a_body_from_the_directory(world, client, partner):
    _client(client, world.people["chair"])
    response = client.post(reverse("actions:partners", kwargs={"pk": world.plan.pk}),
                           {"registered": partner.pk, "name": "", "kind": "county",
                            "contact_email": ""})
    assert response.status_code == 302
    body = PartnerBody.objects.get(plan=world.plan)
    assert (body.registered, body.name, body.contact_email) == (
        partner, "Downshire County Highways", "highways@downshire.test")


def test_a_plan_body_needs_a_name_or_a_directory_body(world, client, partner):
    _client(client, world.people["chair"])
    response = client.post(reverse("actions:partners", kwargs={"pk": world.plan.pk}),
                           {"registered": "", "name": "", "kind": "county"})
    assert "Enter the partner body&#x27;s name, or choose one from the directory." in \
        response.content.decode()
    assert not PartnerBody.objects.exists()


def test_existing_plan_bodies_are_registered_in_the_organisations_directory(world):
    first = PartnerBody.objects.create(plan=world.plan, name="Meonbridge DC",
                                       contact_email="dc@meonbridge.test")
    second = PartnerBody.objects.create(plan=world.reviewing_plan, name="meonbridge dc")
    orphan = PartnerBody.objects.create(plan=world.other_plan, name="Meonbridge DC")
    migration = import_module("actions.migrations.0007_partner_directory")
    migration.link_plan_bodies(apps, None)
    registered = RegisteredPartner.objects.get()
    assert (registered.organisation, registered.email) == (world.organisation, "dc@meonbridge.test")
    assert {b.registered_id for b in PartnerBody.objects.filter(pk__in=[first.pk, second.pk])} == {
        registered.pk}
    assert PartnerBody.objects.get(pk=orphan.pk).registered is None


# --- the inbox -----------------------------------------------------------------------------------

def test_contact_sees_every_ask_grouped_by_theme_and_by_district(partner, contact, client):
    for name in ("Ashby", "Bexley", "Corfe"):
        ask(partner, community=factories.CommunityFactory(name=name, district="Meonbridge"))
    ask(partner, community=factories.CommunityFactory(name="Dunford", district="Wessex Vale"),
        theme="Potholes", what="Fill the potholes")
    _client(client, contact)
    url = reverse("actions:partner_inbox", kwargs={"bid": partner.pk})
    page = client.get(url).content.decode()
    assert "3 communities ask Downshire County Highways about 20 mph limits" in page
    assert "1 community asks Downshire County Highways about Potholes" in page
    assert "4 asks from 4 communities; 4 waiting for your answer." in page
    by_district = client.get(url, {"by": "district"}).content.decode()
    assert "3 communities in Meonbridge ask Downshire County Highways for help" in by_district


def test_unasked_and_other_bodies_actions_stay_out_of_the_inbox(world, partner, contact, client):
    mine = ask(partner)
    abandoned = ask(partner, what="From an abandoned plan")
    type(abandoned.priority.plan).objects.filter(pk=abandoned.priority.plan.pk).update(
        status="abandoned")
    other = registered_partner(world.organisation, name="Downshire Buses")
    theirs = ask(other, what="Restore the number 7 bus")
    unasked = Action.objects.filter(pk=mine.pk).get()
    unasked.pk = None
    unasked.what = "Not sent yet"
    unasked.partner_status = OwnerStatus.NOT_ASKED
    unasked.save()
    _client(client, contact)
    page = client.get(reverse("actions:partner_inbox", kwargs={"bid": partner.pk})).content.decode()
    assert mine.what in page
    assert theirs.what not in page and "Not sent yet" not in page
    assert abandoned.what not in page


def test_contact_accepts_a_request_from_the_inbox(partner, contact, client):
    action = ask(partner)
    _client(client, contact)
    url = reverse("actions:partner_answer", kwargs={"bid": partner.pk, "aid": action.pk})
    assert action.what in client.get(url).content.decode()
    response = client.post(url, {"answer": "accepted"})
    assert response["Location"] == reverse("actions:partner_inbox", kwargs={"bid": partner.pk})
    request = OwnerRequest.objects.get(action=action)
    assert request.answer == OwnerStatus.ACCEPTED and request.answered_at
    assert Action.objects.get(pk=action.pk).partner_status == OwnerStatus.ACCEPTED
    event = PlanEvent.objects.filter(plan=action.priority.plan).latest("pk")
    assert event.actor == contact and "answered" in event.summary


def test_declining_needs_a_reason_and_can_name_a_better_body(partner, contact, client):
    action = ask(partner)
    _client(client, contact)
    url = reverse("actions:partner_answer", kwargs={"bid": partner.pk, "aid": action.pk})
    page = client.post(url, {"answer": "declined", "suggested_instead": "Parish council"})
    assert "Say why you decline" in page.content.decode()
    assert 'value="Parish council"' in page.content.decode()
    client.post(url, {"answer": "declined", "reason": "Not our road",
                      "suggested_instead": "Meonbridge District Council"})
    request = OwnerRequest.objects.get(action=action)
    assert (request.answer, request.suggested_instead) == ("declined", "Meonbridge District Council")


def test_an_answered_request_cannot_be_answered_again(partner, contact, client):
    action = ask(partner)
    _client(client, contact)
    url = reverse("actions:partner_answer", kwargs={"bid": partner.pk, "aid": action.pk})
    client.post(url, {"answer": "accepted"})
    response = client.post(url, {"answer": "declined", "reason": "Changed our mind"}, follow=True)
    assert "has no request waiting for an answer" in response.content.decode()
    assert OwnerRequest.objects.get(action=action).answer == OwnerStatus.ACCEPTED


def test_one_response_lands_on_each_action_and_each_public_page(partner, contact, client):
    asks = [ask(partner) for _ in range(3)]
    _client(client, contact)
    response = client.post(reverse("actions:partner_respond", kwargs={"bid": partner.pk}), {
        "actions": [a.pk for a in asks], "answer": "accepted",
        "note": "We will survey speeds on every road this spring."})
    assert response.status_code == 302
    for action in asks:
        update = ProgressUpdate.objects.get(action=action)
        assert (update.partner, update.by, update.author) == (partner, contact, partner.name)
        assert Action.objects.get(pk=action.pk).partner_status == OwnerStatus.ACCEPTED
        public = client.get(reverse("actions:public_progress",
                                    kwargs={"pk": action.priority.plan.pk})).content.decode()
        assert "Downshire County Highways replied" in public
        assert "We will survey speeds on every road this spring." in public
        assert PlanEvent.objects.filter(plan=action.priority.plan, actor=contact,
                                        summary__contains="reported on").exists()


def test_a_response_needs_a_note_and_at_least_one_ask(partner, contact, client):
    ask(partner)
    _client(client, contact)
    response = client.post(reverse("actions:partner_respond", kwargs={"bid": partner.pk}),
                           {"note": ""})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose asks to respond to" in page and "Enter your response" in page
    assert not ProgressUpdate.objects.exists()


def test_a_response_cannot_reach_another_bodys_action(world, partner, contact, client):
    mine = ask(partner)
    theirs = ask(registered_partner(world.organisation, name="Downshire Buses"))
    _client(client, contact)
    client.post(reverse("actions:partner_respond", kwargs={"bid": partner.pk}),
                {"actions": [mine.pk, theirs.pk], "note": "Done"})
    assert not ProgressUpdate.objects.exists()


def test_proposing_a_date_for_many_needs_a_future_date(partner, contact, client):
    asks = [ask(partner) for _ in range(2)]
    _client(client, contact)
    url = reverse("actions:partner_respond", kwargs={"bid": partner.pk})
    page = client.post(url, {"actions": [a.pk for a in asks], "answer": "proposed",
                             "note": "Next year"}).content.decode()
    assert "Enter the date you propose" in page
    later = (timezone.localdate() + timedelta(days=200)).isoformat()
    client.post(url, {"actions": [a.pk for a in asks], "answer": "proposed", "note": "Next year",
                      "proposed_date": later})
    assert set(OwnerRequest.objects.values_list("answer", flat=True)) == {"proposed"}


# --- response times ------------------------------------------------------------------------------

def test_officer_sees_the_median_days_to_answer(world, partner, contact, client):
    for days in (2, 4, 9):
        action = ask(partner, asked_days_ago=days)
        _client(client, contact).post(
            reverse("actions:partner_answer", kwargs={"bid": partner.pk, "aid": action.pk}),
            {"answer": "accepted"})
    ask(partner)  # still waiting
    _client(client, world.people["officer"])
    page = client.get(reverse("actions:partner_directory",
                              kwargs={"oid": world.organisation.pk})).content.decode()
    row = page[page.index("Downshire County Highways"):]
    assert '<td data-label="Answered">3</td>' in row
    assert '<td data-label="Waiting">1</td>' in row
    assert '<td data-label="Median days to answer">4.0</td>' in row
    inbox_page = client.get(reverse("actions:partner_inbox", kwargs={"bid": partner.pk}))
    assert "3 requests answered, in a median of 4.0 days from being sent." in \
        inbox_page.content.decode()


# --- councillors ---------------------------------------------------------------------------------

def test_councillor_sees_asks_of_their_communities_and_endorsements_awaited(world, partner, client):
    councillor = world.people["councillor"].councillor_profile
    covered = ask(partner, community=world.community, what="Speed cameras on the High Street")
    elsewhere = ask(partner, what="Crossing by the school elsewhere")
    priority = PriorityFactory(plan=world.plan, section=Section.HELP, title="Fix the buses")
    EndorsementRequest.objects.create(plan=world.plan, councillor=councillor, message="Please",
                                      respond_by=timezone.localdate() + timedelta(days=14))
    _client(client, world.people["councillor"])
    page = client.get(reverse("actions:councillor_inbox")).content.decode()
    assert covered.what in page and elsewhere.what not in page
    assert "1 community asks for help with 20 mph limits" in page
    assert "Endorsements awaited" in page and priority.title in page


def test_home_page_links_each_role_to_its_inbox(world, partner, contact, client):
    assert reverse("actions:partner_inbox", kwargs={"bid": partner.pk}) in _client(
        client, contact).get("/").content.decode()
    assert reverse("actions:partner_directory", kwargs={"oid": world.organisation.pk}) in _client(
        client, world.people["officer"]).get("/").content.decode()
    assert reverse("actions:councillor_inbox") in _client(
        client, world.people["councillor"]).get("/").content.decode()


# --- query counts at two sizes -------------------------------------------------------------------

def _asks(partner, councillor, n):
    for i in range(n):
        community = factories.CommunityFactory(district=f"District {i % 3}")
        councillor.communities.add(community)
        action = ask(partner, community=community, theme=f"Theme {i % 4}")
        ProgressUpdate.objects.create(action=action, status="on_track", percent=10, note="Begun")
        EndorsementRequest.objects.create(plan=action.priority.plan, councillor=councillor,
                                          message="Please", respond_by=timezone.localdate())


PAGES = {  # page: (who, URL name, URL arguments, query bound)
    "contact's inbox": (lambda w, c: c, "actions:partner_inbox", "partner", 9),
    "officer's view of the inbox": (lambda w, c: w.people["officer"], "actions:partner_inbox",
                                    "partner", 8),
    "directory": (lambda w, c: w.people["officer"], "actions:partner_directory", "organisation", 6),
    "councillor's inbox": (lambda w, c: w.people["councillor"], "actions:councillor_inbox", None,
                           9),
}


@pytest.mark.parametrize("screen", PAGES)
@pytest.mark.parametrize("size", [3, 30])
def test_inbox_pages_run_the_same_number_of_queries_at_two_sizes(
        world, partner, contact, client, size, screen, django_assert_max_num_queries):
    who, name, argument, bound = PAGES[screen]
    _asks(partner, world.people["councillor"].councillor_profile, size)
    kwargs = {"partner": {"bid": partner.pk}, "organisation": {"oid": world.organisation.pk},
              None: {}}[argument]
    _client(client, who(world, contact))
    with django_assert_max_num_queries(bound):
        page_html = client.get(reverse(name, kwargs=kwargs)).content.decode()
    if argument == "partner":
        assert f"{size} asks from {size} communities" in page_html

"""Who may open a partner body's inbox, answer for it, keep the directory, and see a councillor's
inbox. The permission matrix tries every URL as a contact of the world's body and as a councillor
of another area; the cases it cannot express live here: a contact of another body, what a
councillor of another area sees in their inbox, and an officer of another organisation."""

import pytest
from django.urls import reverse

from actions.models import OwnerRequest, OwnerStatus, ProgressUpdate
from tests import factories
from tests.actions.inbox_world import ask, registered_partner


@pytest.fixture
def setting(world):
    """Two bodies in two organisations' directories, each with a contact and an ask."""
    contact = factories.UserFactory(email="hana@downshire.test")
    highways = registered_partner(world.organisation, contact_user=contact)
    other_org = factories.OrganisationFactory(name="Vale Action")
    other_officer = factories.UserFactory(email="officer@vale.test")
    other_org.officers.add(other_officer)
    rival = factories.UserFactory(email="bo@buses.test")
    buses = registered_partner(other_org, name="Vale Buses", contact_user=rival)
    far_councillor = factories.CouncillorFactory(user=factories.UserFactory(email="far@cllr.test"))
    far_councillor.communities.add(factories.CommunityFactory(name="Far Away"))
    return {
        "contact": contact, "highways": highways, "highways_ask": ask(highways, community=world.community),
        "rival": rival, "buses": buses, "buses_ask": ask(buses, what="Restore the number 7 bus"),
        "other_officer": other_officer, "far_councillor": far_councillor.user, "other_org": other_org,
    }


def _get(client, user, name, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, kwargs=kwargs))


def test_contact_opens_their_bodys_inbox_and_answer_page(client, setting):
    s = setting
    assert _get(client, s["contact"], "actions:partner_inbox", bid=s["highways"].pk).status_code == 200
    assert _get(client, s["contact"], "actions:partner_answer", bid=s["highways"].pk,
                aid=s["highways_ask"].pk).status_code == 200


def test_contact_of_another_body_gets_404_everywhere(client, setting):
    s = setting
    for name, kwargs in [("actions:partner_inbox", {"bid": s["highways"].pk}),
                         ("actions:partner_answer", {"bid": s["highways"].pk,
                                                     "aid": s["highways_ask"].pk}),
                         ("actions:partner_contacts", {"bid": s["highways"].pk})]:
        assert _get(client, s["rival"], name, **kwargs).status_code == 404, name
    client.force_login(s["rival"])
    response = client.post(reverse("actions:partner_respond", kwargs={"bid": s["highways"].pk}),
                           {"actions": [s["highways_ask"].pk], "note": "Hijacked"})
    assert response.status_code == 404
    assert not ProgressUpdate.objects.exists()


def test_contact_cannot_answer_another_bodys_action_through_their_own_inbox(client, setting):
    s = setting
    assert _get(client, s["rival"], "actions:partner_answer", bid=s["buses"].pk,
                aid=s["highways_ask"].pk).status_code == 404
    client.post(reverse("actions:partner_answer", kwargs={"bid": s["buses"].pk,
                                                          "aid": s["highways_ask"].pk}),
                {"answer": "declined", "reason": "Not ours"})
    assert OwnerRequest.objects.get(action=s["highways_ask"]).answer == ""


def test_contact_does_not_keep_the_directory(client, setting, world):
    s = setting
    assert _get(client, s["contact"], "actions:partner_contacts",
                bid=s["highways"].pk).status_code == 403
    assert _get(client, s["contact"], "actions:partner_directory",
                oid=world.organisation.pk).status_code == 404


def test_officer_of_another_organisation_gets_404(client, setting, world):
    s = setting
    officer = s["other_officer"]
    assert _get(client, officer, "actions:partner_directory", oid=world.organisation.pk).status_code == 404
    assert _get(client, officer, "actions:partner_inbox", bid=s["highways"].pk).status_code == 404
    assert _get(client, officer, "actions:partner_contacts", bid=s["highways"].pk).status_code == 404
    assert _get(client, officer, "actions:partner_inbox", bid=s["buses"].pk).status_code == 200


def test_officer_follows_the_inbox_but_does_not_answer_for_the_body(client, setting, world):
    s = setting
    officer = world.people["officer"]
    assert _get(client, officer, "actions:partner_inbox", bid=s["highways"].pk).status_code == 200
    assert _get(client, officer, "actions:partner_answer", bid=s["highways"].pk,
                aid=s["highways_ask"].pk).status_code == 403
    client.post(reverse("actions:partner_respond", kwargs={"bid": s["highways"].pk}),
                {"actions": [s["highways_ask"].pk], "note": "On their behalf"})
    assert not ProgressUpdate.objects.exists()


def test_councillor_of_another_area_sees_none_of_these_asks(client, setting, world):
    s = setting
    far = s["far_councillor"]
    page = _get(client, far, "actions:councillor_inbox")
    assert page.status_code == 200
    assert s["highways_ask"].what not in page.content.decode()
    assert "0 asks of councils and agencies from 0 communities" in page.content.decode()
    assert _get(client, far, "actions:partner_inbox", bid=s["highways"].pk).status_code == 404
    assert _get(client, world.people["councillor"], "actions:partner_inbox",
                bid=s["highways"].pk).status_code == 404


def test_people_without_a_councillor_profile_get_404_on_the_councillor_inbox(client, setting):
    assert _get(client, setting["contact"], "actions:councillor_inbox").status_code == 404


def test_a_contact_whose_link_was_removed_loses_the_inbox(client, setting):
    s = setting
    s["highways"].contacts.update(user=None)
    assert _get(client, s["contact"], "actions:partner_inbox", bid=s["highways"].pk).status_code == 404
    assert OwnerRequest.objects.get(action=s["highways_ask"]).answer != OwnerStatus.ACCEPTED

"""Bulk messages to chairs (one row per recipient, emailed after commit) and saved filters."""

from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.portfolio import services, tasks
from actions.portfolio.models import BulkRecipient, SavedFilter
from plans.models import Role
from tests import factories


def _url(world, name, **kwargs):
    return reverse(name, kwargs={"pk": world.organisation.pk, **kwargs})


def _plan_with_chair(world, name, chair_email):
    community = factories.CommunityFactory(name=name)
    world.organisation.communities.add(community)
    plan = factories.PlanFactory(community=community, title=f"{name} plan")
    chair = factories.UserFactory(email=chair_email, full_name=f"{name} Chair")
    factories.MembershipFactory(plan=plan, user=chair, role=Role.CHAIR)
    return plan


def test_the_officer_writes_to_the_chairs_of_the_ticked_plans(world,
                                                              django_capture_on_commit_callbacks):
    alpha = _plan_with_chair(world, "Alpha", "alpha@test.org")
    beta = _plan_with_chair(world, "Beta", "beta@test.org")
    _plan_with_chair(world, "Gamma", "gamma@test.org")
    client = world.client("officer")
    form = client.get(_url(world, "portfolio:message"), {"plans": [alpha.pk, beta.pk]}).text
    assert "Alpha Chair" in form and "Beta Chair" in form and "Gamma Chair" not in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(world, "portfolio:message"), {
            "plans": [alpha.pk, beta.pk], "subject": "Funding round", "body": "Apply by May."})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["alpha@test.org", "beta@test.org"]
    assert mail.outbox[0].subject == "Funding round" and "Apply by May." in mail.outbox[0].body
    assert mail.outbox[0].reply_to == ["officer@test.org"]  # chairs answer the officer directly
    assert BulkRecipient.objects.filter(emailed_at__isnull=False).count() == 2
    assert "on its way to 2 chairs" in client.get(response.url).text


def test_sending_twice_emails_each_chair_once(world, django_capture_on_commit_callbacks):
    plan = _plan_with_chair(world, "Alpha", "alpha@test.org")
    with django_capture_on_commit_callbacks(execute=True):
        message = services.bulk_message_send(organisation=world.organisation, plans=[plan],
                                             subject="Hi", body="Hello",
                                             actor=world.people["officer"])
    recipient = message.recipients.get()
    assert tasks.send_bulk_message(recipient.pk) is False
    assert len(mail.outbox) == 1


def test_the_sweep_sends_a_row_whose_message_was_lost(world, django_capture_on_commit_callbacks):
    plan = _plan_with_chair(world, "Alpha", "alpha@test.org")
    message = services.bulk_message_send(organisation=world.organisation, plans=[plan],
                                         subject="Hi", body="Hello", actor=world.people["officer"])
    type(message).objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(hours=1))
    assert len(mail.outbox) == 0  # the on-commit enqueue never ran
    assert tasks.sweep_bulk_messages() == 1
    assert [m.to for m in mail.outbox] == [["alpha@test.org"]]
    assert tasks.sweep_bulk_messages() == 0


def test_a_message_with_nothing_ticked_or_no_subject_says_what_is_wrong(world):
    client = world.client("officer")
    page = client.post(_url(world, "portfolio:message"), {"subject": "", "body": "Kept text"}).text
    assert "There is a problem" in page
    assert "Tick at least one plan on the portfolio" in page and "Enter subject" in page
    assert "Kept text" in page


def test_plans_without_a_chair_cannot_be_messaged(world):
    community = factories.CommunityFactory(name="Chairless")
    world.organisation.communities.add(community)
    plan = factories.PlanFactory(community=community)
    page = world.client("officer").post(_url(world, "portfolio:message"), {
        "plans": [plan.pk], "subject": "Hi", "body": "Hello"}).text
    assert "None of the ticked plans has a chair" in page
    assert not BulkRecipient.objects.exists()


def test_a_plan_outside_the_organisation_cannot_be_slipped_in(world):
    page = world.client("officer").post(_url(world, "portfolio:message"), {
        "plans": [world.other_plan.pk], "subject": "Hi", "body": "Hello"}).text
    assert "One of the plans is not in your portfolio" in page
    assert not BulkRecipient.objects.exists()


def test_an_officer_saves_filters_by_name_and_uses_them(world):
    client = world.client("officer")
    response = client.post(_url(world, "portfolio:filter_save"),
                           {"name": "Stalled North", "query": "district=North&flag=stalled"})
    assert response.url.endswith("?district=North&flag=stalled")
    page = client.get(_url(world, "portfolio:overview")).text
    assert "Stalled North" in page and "?district=North&amp;flag=stalled" in page
    client.post(_url(world, "portfolio:filter_save"), {"name": "Stalled North", "query": "flag=stuck"})
    assert SavedFilter.objects.get().query == "flag=stuck"  # the same name replaces it


def test_saved_filters_are_each_officers_own(world):
    saved = SavedFilter.objects.create(officer=world.people["officer"],
                                       organisation=world.organisation, name="Mine", query="")
    colleague = factories.UserFactory(email="colleague@test.org")
    world.organisation.officers.add(colleague)
    client = Client()
    client.force_login(colleague)
    assert "Mine" not in client.get(_url(world, "portfolio:overview")).text
    assert client.post(_url(world, "portfolio:filter_delete", fid=saved.pk)).status_code == 404
    world.client("officer").post(_url(world, "portfolio:filter_delete", fid=saved.pk))
    assert not SavedFilter.objects.exists()


def test_a_nameless_filter_is_refused_beside_the_box_with_the_filters_kept(world):
    client = world.client("officer")
    response = client.post(_url(world, "portfolio:filter_save"),
                           {"name": "   ", "query": "district=North&flag=stalled"})
    assert response.status_code == 200 and not SavedFilter.objects.exists()
    page = response.text
    assert 'class="error-summary"' in page and '<a href="#id_saved_name">Give the filters a name' in page
    assert 'id="id_saved_name_error" class="invalid-feedback d-block"' in page
    assert 'class="form-control is-invalid"' in page
    assert 'aria-describedby="id_saved_name_help id_saved_name_error"' in page
    assert "alert-danger" not in page
    # The filters still apply, and the page's own links and forms lead back to the portfolio.
    assert 'name="query" value="district=North&amp;flag=stalled"' in page
    overview = _url(world, "portfolio:overview")
    assert f'<form method="get" action="{overview}"' in page and 'href="?' not in page


def test_a_name_too_long_is_refused_and_kept_in_the_box(world):
    name = "Stalled " + "x" * 80
    response = world.client("officer").post(_url(world, "portfolio:filter_save"),
                                            {"name": name, "query": ""})
    assert response.status_code == 200 and not SavedFilter.objects.exists()
    assert "Give the filters a name of up to 80 characters" in response.text
    assert f'value="{name}"' in response.text


def test_the_councillor_home_shows_ten_plans_and_pages_through_the_rest(world):
    from plans.models import CouncillorLink

    profile = world.people["councillor"].councillor_profile
    for _ in range(58):
        CouncillorLink.objects.create(plan=factories.PlanFactory(), councillor=profile)
    client = world.client("councillor")
    home = client.get(reverse("home")).text
    assert "All 60 plans you follow" in home
    first = client.get(reverse("plans:councillor_plans")).text
    assert "Page 1 of 2" in first and first.count("<tr>") == 51
    assert client.get(reverse("plans:councillor_plans"), {"page": 2}).text.count("<tr>") == 11


def test_councillor_pages_query_count_does_not_grow(world, django_assert_max_num_queries):
    from plans.models import CouncillorLink

    profile = world.people["councillor"].councillor_profile
    client = world.client("councillor")
    for size in (5, 200):
        for _ in range(size):
            CouncillorLink.objects.create(plan=factories.PlanFactory(), councillor=profile)
        with django_assert_max_num_queries(15):
            client.get(reverse("plans:councillor_plans"))
        with django_assert_max_num_queries(25):
            client.get(reverse("home"))


def test_asking_to_write_with_nothing_ticked_goes_back_with_a_message(world):
    response = world.client("officer").get(_url(world, "portfolio:message"), follow=True)
    assert "Tick at least one plan in the table" in response.text
    assert response.redirect_chain[-1][0] == _url(world, "portfolio:overview")


def test_a_subject_on_two_lines_is_refused_beside_the_field(world):
    plan = _plan_with_chair(world, "Alpha", "alpha@test.org")
    page = world.client("officer").post(_url(world, "portfolio:message"), {
        "plans": [plan.pk], "subject": "Hi\nBcc: everyone@test.org", "body": "Hello"}).text
    assert "Write the subject on one line" in page and not BulkRecipient.objects.exists()

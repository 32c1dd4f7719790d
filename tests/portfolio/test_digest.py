"""The officers' weekly "needs attention" digest, through the reminder ledger.

Celery runs eagerly here and mail goes to Django's test outbox."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.portfolio import digest
from actions.portfolio.rows import portfolio_rows
from clp import services
from clp.models import Recipient, Reminder, ReminderStatus
from tests import factories
from tests.portfolio.test_portfolio import _community, _event, _grow

MONDAY = timezone.localdate() - timedelta(days=timezone.localdate().weekday())


def sweep(capture, today=MONDAY):
    with capture(execute=True):
        return services.reminders_sweep(today=today)


def digests(mailoutbox, email="officer@test.org"):
    return [m for m in mailoutbox if m.to == [email] and "attention this week" in m.body]


def flagged_world(world):
    _community(world, "Lonely", councillor=False)
    quiet = _community(world, "Hushby")
    _event(quiet, days_ago=120)
    return world


def test_each_officer_gets_one_digest_a_week_however_often_the_sweep_runs(
        world, mailoutbox, django_capture_on_commit_callbacks):
    flagged_world(world)
    colleague = factories.UserFactory(email="colleague@test.org", full_name="Col League")
    world.organisation.officers.add(colleague)
    for day in (MONDAY, MONDAY, MONDAY + timedelta(days=3)):
        sweep(django_capture_on_commit_callbacks, day)
    assert len(digests(mailoutbox)) == 1 and len(digests(mailoutbox, "colleague@test.org")) == 1
    rows = Reminder.objects.filter(kind=digest.KIND)
    assert rows.count() == 2 and {r.status for r in rows} == {ReminderStatus.SENT}
    assert {r.period for r in rows} == {digest.week_of(MONDAY)}
    # The task running again for the same person finds nothing to send.
    officer = Recipient.objects.get(email="officer@test.org")
    assert services.reminders_send(recipient_id=officer.pk) == 0
    # The next week brings the next digest.
    sweep(django_capture_on_commit_callbacks, MONDAY + timedelta(days=7))
    assert len(digests(mailoutbox)) == 2


def test_the_digest_names_each_flagged_community_and_says_why_in_words(
        world, mailoutbox, django_capture_on_commit_callbacks):
    flagged_world(world)
    sweep(django_capture_on_commit_callbacks)
    (email,) = digests(mailoutbox)
    assert "Wessex Action: 2 communities need attention this week" in email.body
    assert "Lonely: No councillor involved: No councillor is attached to the plan." in email.body
    assert "Hushby: Stalled: No activity for 120 days" in email.body
    assert "You are a support officer at Wessex Action." in email.body
    portfolio = reverse("portfolio:overview", kwargs={"pk": world.organisation.pk})
    assert f"{portfolio}?sort=flags&amp;order=desc" in email.alternatives[0][0]
    assert "<br>Lonely: No councillor involved" in email.alternatives[0][0]  # a line each
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Communities with nothing flagged are not listed.
    assert "Wicketby" not in email.body


def test_nothing_is_sent_when_nothing_needs_attention(world, mailoutbox,
                                                      django_capture_on_commit_callbacks):
    world.organisation.communities.remove(world.community)
    _community(world, "Busy")
    sweep(django_capture_on_commit_callbacks)
    assert digests(mailoutbox) == [] and not Reminder.objects.filter(kind=digest.KIND).exists()


def test_an_officer_who_unsubscribed_gets_no_more_digests(world, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    flagged_world(world)
    sweep(django_capture_on_commit_callbacks)
    (email,) = digests(mailoutbox)
    path = email.extra_headers["List-Unsubscribe"].strip("<>").split("://", 1)[1].split("/", 1)[1]
    assert Client(enforce_csrf_checks=True).post(
        "/" + path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Recipient.objects.get(email="officer@test.org").preferences[digest.KIND] == "off"
    sweep(django_capture_on_commit_callbacks, MONDAY + timedelta(days=7))
    sweep(django_capture_on_commit_callbacks, MONDAY + timedelta(days=14))
    assert len(digests(mailoutbox)) == 1
    skipped = Reminder.objects.filter(kind=digest.KIND, status=ReminderStatus.SKIPPED)
    assert skipped.count() == 2


def test_the_preferences_page_offers_the_digest(world):
    recipient = services.recipient_for_user(user=world.people["officer"])
    from clp import reminders

    url = reverse("reminder_preferences", kwargs={
        "token": reminders.make_token(recipient, reminders.PREFERENCES_SALT)})
    assert "Communities in your portfolio need attention" in Client().get(url).content.decode()


def test_an_inactive_officer_or_an_officer_of_another_organisation_gets_none(
        world, mailoutbox, django_capture_on_commit_callbacks):
    flagged_world(world)
    gone = factories.UserFactory(email="gone@test.org", is_active=False)
    world.organisation.officers.add(gone)
    other = factories.OrganisationFactory(name="Elsewhere Action")
    other.officers.add(factories.UserFactory(email="stranger@test.org"))
    sweep(django_capture_on_commit_callbacks)
    assert digests(mailoutbox, "gone@test.org") == []
    assert digests(mailoutbox, "stranger@test.org") == []


def _digest_queries(today) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as queries:
        items = digest.needs_attention(today)
    return len(queries), items


QUERY_BOUND = 20


def test_the_digest_runs_the_same_bounded_queries_at_30_and_300_communities(world):
    _community(world, "Lonely", councillor=False)
    _grow(world, 29)
    small, items = _digest_queries(MONDAY)
    assert len(items) == 1 and items[0].detail.startswith("Lonely: No councillor involved")
    _grow(world, 270)
    large, items = _digest_queries(MONDAY)
    assert small == large <= QUERY_BOUND
    # Once this week's rows are recorded, a sweep does not compute the portfolio again.
    services.reminders_sweep(today=MONDAY)
    again, items = _digest_queries(MONDAY)
    assert items == [] and again == 2  # the rows recorded, the officers
    # A long list is cut short in the email, pointing to the portfolio for the rest.
    lines = digest.describe(portfolio_rows(world.organisation)).splitlines()
    assert len(lines) == digest.LISTED + 1 and lines[-1].endswith("more communities: see the portfolio.")

"""Due-date maths across month ends, leap days and the clocks changing (Europe/London)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from actions import health

LONDON = ZoneInfo("Europe/London")
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
cadences = st.sampled_from(list(health.CADENCE_MONTHS))
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2060, 12, 31),
                       timezones=st.just(UTC))


@given(days, st.integers(min_value=-120, max_value=120))
def test_adding_months_keeps_the_day_or_clamps_to_the_month_end(day, months):
    later = health.add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or (later.day < day.day and (later + timedelta(days=1)).day == 1)


def test_month_ends_and_leap_days():
    assert health.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert health.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert health.add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert health.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


@given(days)
def test_a_local_day_lasts_23_24_or_25_hours_and_ends_at_the_next_midnight(day):
    start, end = health.start_of_local_day(day, LONDON), health.end_of_local_day(day, LONDON)
    length = end.astimezone(UTC) - start.astimezone(UTC)
    assert length in (timedelta(hours=23), timedelta(hours=24), timedelta(hours=25))
    assert health.local_date(end - timedelta(microseconds=1), LONDON) == day
    assert health.local_date(end, LONDON) == day + timedelta(days=1)


def test_clocks_changing_days_are_short_and_long():
    spring, autumn = date(2027, 3, 28), date(2027, 10, 31)
    assert (health.end_of_local_day(spring, LONDON).astimezone(UTC)
            - health.start_of_local_day(spring, LONDON).astimezone(UTC)) == timedelta(hours=23)
    assert (health.end_of_local_day(autumn, LONDON).astimezone(UTC)
            - health.start_of_local_day(autumn, LONDON).astimezone(UTC)) == timedelta(hours=25)


@given(days, moments)
def test_overdue_means_the_target_day_has_ended_locally(target, now):
    assert health.is_overdue_at(target, now, LONDON) == health.is_overdue(
        target, health.local_date(now, LONDON))


def test_a_target_is_met_until_local_midnight_in_summer_time():
    target = date(2027, 6, 30)
    # 23:30 UTC on 30 June is already 1 July in London (BST): overdue.
    assert health.is_overdue_at(target, datetime(2027, 6, 30, 22, 59, tzinfo=UTC), LONDON) is False
    assert health.is_overdue_at(target, datetime(2027, 6, 30, 23, 0, tzinfo=UTC), LONDON) is True


@given(moments)
def test_no_date_is_a_state_not_a_crash(now):
    assert health.is_overdue(None, now.date()) is False
    assert health.is_overdue_at(None, now, LONDON) is False
    assert health.is_stalled(None, now.date(), "quarterly") is False


@given(days, days, cadences)
def test_stalled_query_cutoff_agrees_with_the_rule(anchor, today, cadence):
    """The database filter (anchor before the cutoff) says the same as is_stalled."""
    cutoff_day = health.last_stalled_anchor(today, cadence)
    assert (anchor <= cutoff_day) == health.is_stalled(anchor, today, cadence)


@given(moments, moments, cadences)
def test_cadence_cutoff_agrees_with_the_rule_for_instants(anchor, now, cadence):
    cutoff = health.cadence_cutoff(now, cadence, LONDON)
    stalled = health.is_stalled(health.local_date(anchor, LONDON), health.local_date(now, LONDON),
                                cadence)
    assert (anchor < cutoff) == stalled


@given(days, cadences)
def test_an_update_is_due_on_the_day_and_stalled_the_day_after(anchor, cadence):
    due = health.next_update_due(anchor, cadence)
    assert not health.is_stalled(anchor, due, cadence)
    assert health.is_stalled(anchor, due + timedelta(days=1), cadence)

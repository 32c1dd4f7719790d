"""Computed health of an action, never typed in: overdue, stalled, no owner, declined, waiting on
the partner body, no target date, the lead's latest update asked for help; and when the plan's
review is due.

The date maths are pure functions of dates and aware datetimes, in the community's local time
(Europe/London: a day can last 23 or 25 hours). A target date is met until the end of that local
day; an update is due on the same day of the month one cadence after the last one (clamped to the
month's end, so 31 January + 1 month is 28 or 29 February).
"""

import calendar
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "six_monthly": 6, "yearly": 12}
LIGHT_REVIEW_MONTHS = 12
COMMUNITY_UPDATE_MONTHS = 6


class Flag(models.TextChoices):
    OVERDUE = "overdue", _("Overdue")
    STALLED = "stalled", _("No update within its reporting period")
    NO_OWNER = "no_owner", _("No lead")
    DECLINED = "declined", _("Lead or partner declined")
    WAITING_ON_PARTNER = "waiting_on_partner", _("Waiting on the partner body")
    NO_DATE = "no_date", _("No target date")
    HELP_REQUESTED = "help_requested", _("The lead asked for help")


RED = {Flag.OVERDUE, Flag.NO_OWNER, Flag.DECLINED}
AMBER = {Flag.STALLED, Flag.WAITING_ON_PARTNER, Flag.NO_DATE, Flag.HELP_REQUESTED}


def community_timezone(community=None) -> ZoneInfo:
    """Every community is in the UK today; the argument is where a per-community zone would go."""
    return ZoneInfo(settings.TIME_ZONE)


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def start_of_local_day(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def end_of_local_day(day: date, tz: ZoneInfo) -> datetime:
    """The first instant after `day` (exclusive end), whatever the day's length."""
    return start_of_local_day(day + timedelta(days=1), tz)


def add_months(day: date, months: int) -> date:
    """Same day of the month `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def is_overdue(target: date | None, today: date) -> bool:
    """A target date passes when its local day has ended; no date is never overdue."""
    return target is not None and today > target


def is_overdue_at(target: date | None, now: datetime, tz: ZoneInfo) -> bool:
    return target is not None and now >= end_of_local_day(target, tz)


def next_update_due(anchor: date, cadence: str) -> date:
    return add_months(anchor, CADENCE_MONTHS[cadence])


def is_stalled(anchor: date | None, today: date, cadence: str) -> bool:
    """No update by the end of the day it was due. No anchor (nothing to count from) is not
    stalled: the action has not started its reporting period."""
    return anchor is not None and next_update_due(anchor, cadence) < today


def last_stalled_anchor(today: date, cadence: str) -> date:
    """The latest anchor date that is stalled on `today` (for the database query)."""
    months = CADENCE_MONTHS[cadence]
    latest_due = today - timedelta(days=1)
    day = add_months(latest_due, -months)
    while add_months(day + timedelta(days=1), months) <= latest_due:
        day += timedelta(days=1)
    return day


def cadence_cutoff(now: datetime, cadence: str, tz: ZoneInfo | None = None) -> datetime:
    """Anchors strictly before this instant are stalled: agrees with is_stalled."""
    tz = tz or community_timezone()
    return start_of_local_day(last_stalled_anchor(local_date(now, tz), cadence) + timedelta(days=1),
                              tz)


def review_due_on(since: date | None) -> date | None:
    """A light review a year after the plan was finalised or last reviewed."""
    return add_months(since, LIGHT_REVIEW_MONTHS) if since else None


def update_anchor(action, tz: ZoneInfo) -> date:
    moment = (action.latest_update.at if action.latest_update_id and action.latest_update
              else action.lead_answered_at or action.created_at)
    return local_date(moment, tz)


def flags_for(action, now: datetime, today: date) -> list[str]:
    """What needs attention on one action (needs priority and latest_update loaded)."""
    if action.is_closed:
        return []
    flags = []
    if action.target_date is None:
        flags.append(Flag.NO_DATE)
    elif is_overdue(action.target_date, today):
        flags.append(Flag.OVERDUE)
    if action.created_at and is_stalled(update_anchor(action, community_timezone()), today,
                                        action.update_cadence):
        flags.append(Flag.STALLED)
    if not action.has_lead:
        flags.append(Flag.NO_OWNER)
    if "declined" in (action.lead_status, action.partner_status):
        flags.append(Flag.DECLINED)
    if action.priority.section == 2 and action.partner_status in ("asked", "proposed"):
        flags.append(Flag.WAITING_ON_PARTNER)
    latest = action.latest_update if action.latest_update_id else None
    if latest and latest.help_requested:
        flags.append(Flag.HELP_REQUESTED)
    return flags


def rag(action, flags: list[str]) -> str:
    """done / dropped / red / amber / green, for the plan overview."""
    if action.progress in ("done", "dropped"):
        return action.progress
    if RED & set(flags) or action.progress == "delayed":
        return "red"
    if AMBER & set(flags) or action.progress == "at_risk":
        return "amber"
    return "green"

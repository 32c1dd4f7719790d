"""The support officer's weekly "needs attention" digest, sent through the reminder ledger.

Each week, each active officer of an organisation gets one reminder listing the communities of
its portfolio that have a health flag, each flag with its reason in words: the same rows and
flags as the portfolio page (`portfolio_rows`). The ledger row is the record: its subject is the
organisation and its period the ISO week, so a sweep that runs again in the same week (or twice at
once) finds the row already there and nobody gets a second email. Preferences and one-click
unsubscribe work as for every other kind, through `clp.services.reminders_sweep`.

An organisation whose officers all have this week's row is not computed again, so the sweep every
quarter of an hour costs one query once the week's digests are recorded.
"""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clp import reminders
from clp.models import Organisation, Preference, Reminder, normalise_email

KIND = "portfolio_attention"
LISTED = 40  # communities written out in the email; the rest are counted, and on the portfolio


def week_of(today: date) -> str:
    year, week, _day = today.isocalendar()
    return f"{year}-W{week:02d}"


def subject_key(organisation_id: int) -> str:
    return f"organisation:{organisation_id}"


def _officers_to_tell(period: str) -> dict[int, list[tuple[int, str]]]:
    """Active officers of each organisation without this week's row yet: (user id, email)."""
    recorded = set(Reminder.objects.filter(kind=KIND, period=period)
                   .values_list("subject_key", "recipient__email"))
    people = {}
    rows = (Organisation.officers.through.objects.filter(user__is_active=True)
            .exclude(user__email="").order_by("organisation_id", "user_id")
            .values_list("organisation_id", "user_id", "user__email"))
    for organisation_id, user_id, email in rows:
        if (subject_key(organisation_id), normalise_email(email)) not in recorded:
            people.setdefault(organisation_id, []).append((user_id, email))
    return people


def describe(rows) -> str:
    """The flagged communities, one line each: the community, then each flag and why."""
    flagged = [r for r in rows if r.flags]
    lines = [row.community.name + ": " + " ".join(f"{flag.label}: {flag.why}" for flag in row.flags)
             for row in flagged[:LISTED]]
    if len(flagged) > LISTED:
        more = len(flagged) - LISTED
        lines.append(ngettext("And %(n)s more community: see the portfolio.",
                              "And %(n)s more communities: see the portfolio.", more) % {"n": more})
    return "\n".join(lines)


def needs_attention(today: date) -> list[reminders.DueItem]:
    """This week's digest for every officer who has not had it, for organisations with at least
    one flagged community (nothing is sent when nothing needs attention)."""
    from actions.portfolio.rows import portfolio_rows

    period = week_of(today)
    waiting = _officers_to_tell(period)
    if not waiting:
        return []
    items = []
    for organisation in Organisation.objects.filter(pk__in=list(waiting)).order_by("pk"):
        rows = portfolio_rows(organisation)
        flagged = sum(1 for r in rows if r.flags)
        if not flagged:
            continue
        detail = describe(rows)
        url = reverse("portfolio:overview", kwargs={"pk": organisation.pk}) + "?sort=flags&order=desc"
        title = ngettext("%(org)s: %(n)s community needs attention this week",
                         "%(org)s: %(n)s communities need attention this week", flagged) % {
            "org": organisation.name, "n": flagged}
        why = _("You are a support officer at %(org)s.") % {"org": organisation.name}
        for user_id, email in waiting[organisation.pk]:
            items.append(reminders.DueItem(
                email=email, user_id=user_id, subject_key=subject_key(organisation.pk),
                period=period, title=title, detail=detail, url=url, why=why))
    return items


def register_kind() -> None:
    reminders.register(reminders.ReminderKind(
        key=KIND, label=gettext_lazy("Communities in your portfolio need attention"),
        due=needs_attention, default=Preference.IMMEDIATE,
        description=gettext_lazy("To support officers, once a week: the communities with a "
                                 "health flag (stalled, stuck at a gate and so on), each with "
                                 "the reason."),
    ))

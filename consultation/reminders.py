"""Consultation's reminder kind: a survey closes in three days (to the chair and secretary)."""

from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clp import reminders
from clp.models import Preference
from consultation.models import Survey, SurveyStatus
from plans.models import PlanStatus
from plans.reminders import due_item, plan_managers

CLOSING_DAYS = 3


def surveys_closing(today: date) -> list[reminders.DueItem]:
    """Open surveys closing within three days; the period is the closing date, so moving the
    date gives a fresh reminder and a missed sweep still sends it before the survey closes."""
    surveys = list(Survey.objects.filter(
        status=SurveyStatus.OPEN, plan__status=PlanStatus.ACTIVE,
        closes_on__gte=today, closes_on__lte=today + timedelta(days=CLOSING_DAYS),
    ).select_related("plan__community").with_response_counts())
    managers = plan_managers([s.plan for s in surveys])
    items = []
    for survey in surveys:
        for person in managers[survey.plan_id]:
            items.append(due_item(
                person, survey.plan, subject_key=f"survey:{survey.pk}",
                period=survey.closes_on.isoformat(),
                title=_("“%(survey)s” closes on %(date)s") % {
                    "survey": survey.title, "date": survey.closes_on.strftime("%-d %B %Y")},
                detail=_("%(n)s people have answered so far. There is still time for a last "
                         "push: a leaflet, a stall, a post in the village group.")
                % {"n": survey.response_count},
                url=survey.get_absolute_url(),
            ))
    return items


def register_kinds() -> None:
    reminders.register(reminders.ReminderKind(
        key="survey_closing", label=gettext_lazy("A survey is closing soon"), due=surveys_closing,
        default=Preference.IMMEDIATE,
        description=gettext_lazy("To the chair and secretary, three days before a survey of "
                                 "their plan closes."),
    ))

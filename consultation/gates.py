"""The Evidence step's computed checklist items owned by consultation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plans.gates import GateItem, register
from plans.steps import Step


def has_closed_survey_with_responses(plan) -> bool:
    from consultation.models import ResponseStatus, SurveyStatus

    closed = plan.surveys.filter(status=SurveyStatus.CLOSED, responses__status=ResponseStatus.SUBMITTED)
    return plan.in_this_cycle(closed, "closed_at").exists()


def register_items() -> None:
    register(GateItem(
        "survey_closed_with_responses", Step.UNDERSTANDING,
        _("At least one survey closed with responses"),
        _("Run a survey (online, on paper or face to face), then close it when the returns are in."),
        check=has_closed_survey_with_responses,
        link=lambda plan: reverse("consultation:surveys", kwargs={"pk": plan.pk}),
    ))

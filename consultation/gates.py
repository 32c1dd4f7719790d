"""The Evidence step's computed checklist items owned by consultation: a survey closed with
responses, then the analysis (who has been heard reviewed, issues backed by evidence, a
priorities round). Registered from ConsultationConfig.ready."""

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from consultation.models import (
    Issue,
    RepresentationReview,
    ResponseStatus,
    Survey,
    SurveyKind,
    SurveyStatus,
)
from plans.gates import GateItem, register
from plans.permissions import EDIT_PLAN_CONTENT
from plans.steps import Step


def _in_this_cycle(field: str) -> Q:
    """Plan.in_this_cycle for rows of many plans: each row against its own plan's cycle."""
    return Q(plan__cycle_started_at__isnull=True) | Q(**{f"{field}__gte": F("plan__cycle_started_at")})


def _exists_in_cycle(queryset, field: str):
    return Exists(queryset.filter(plan=OuterRef("pk")).filter(_in_this_cycle(field)))


def has_closed_survey_with_responses(plan) -> bool:
    closed = plan.surveys.filter(status=SurveyStatus.CLOSED, responses__status=ResponseStatus.SUBMITTED)
    return plan.in_this_cycle(closed, "closed_at").exists()


def has_closed_survey_with_responses_where():
    return _exists_in_cycle(Survey.objects.filter(
        status=SurveyStatus.CLOSED, responses__status=ResponseStatus.SUBMITTED), "closed_at")


def representation_reviewed(plan) -> bool:
    return plan.in_this_cycle(plan.representation_reviews.all(), "reviewed_at").exists()


def representation_reviewed_where():
    return _exists_in_cycle(RepresentationReview.objects.all(), "reviewed_at")


def issues_with_evidence(plan) -> bool:
    """Issues backed by evidence, looked at in this review cycle (saved, or evidence linked)."""
    issues = plan.in_this_cycle(Issue.objects.filter(plan=plan), "updated_at")
    return (issues.filter(answers__isnull=False).exists() or issues.filter(questions__isnull=False).exists()
            or issues.filter(evidence_items__isnull=False).exists()
            or issues.filter(meetings__isnull=False).exists())


def issues_with_evidence_where():
    backed = (Q(answers__isnull=False) | Q(questions__isnull=False)
              | Q(evidence_items__isnull=False) | Q(meetings__isnull=False))
    return _exists_in_cycle(Issue.objects.filter(backed), "updated_at")


def priorities_round_held(plan) -> bool:
    held = plan.surveys.filter(kind=SurveyKind.PRIORITIES, status=SurveyStatus.CLOSED,
                               responses__status=ResponseStatus.SUBMITTED)
    return plan.in_this_cycle(held, "closed_at").exists()


def priorities_round_held_where():
    return _exists_in_cycle(Survey.objects.filter(
        kind=SurveyKind.PRIORITIES, status=SurveyStatus.CLOSED,
        responses__status=ResponseStatus.SUBMITTED), "closed_at")


def _priorities_round_link(plan) -> str:
    """The survey made from the register's issues; the register itself while it has none."""
    name = "consultation:priorities_round" if plan.issues.exists() else "consultation:issues"
    return reverse(name, kwargs={"pk": plan.pk})


def register_items() -> None:
    register(GateItem(
        "survey_closed_with_responses", Step.UNDERSTANDING,
        _("At least one survey closed with responses"),
        _("Run a survey (online, on paper or face to face), then close it when the returns are in."),
        check=has_closed_survey_with_responses, met_when=has_closed_survey_with_responses_where,
        link=lambda plan: reverse("consultation:surveys", kwargs={"pk": plan.pk}),
    ))
    register(GateItem(
        "representation_reviewed", Step.UNDERSTANDING, _("The group has reviewed who has been heard"),
        _("Look at which groups are under-represented, reach them if you can, then confirm."),
        check=representation_reviewed, met_when=representation_reviewed_where,
        link=lambda plan: reverse("consultation:representation", kwargs={"pk": plan.pk})))
    register(GateItem(
        "issues_with_evidence", Step.UNDERSTANDING, _("Issues register has issues backed by evidence"),
        _("Code the written answers into themes, then add the issues they show and link the evidence."),
        check=issues_with_evidence, met_when=issues_with_evidence_where,
        link=lambda plan: reverse("consultation:issues", kwargs={"pk": plan.pk})))
    register(GateItem(
        "priorities_round", Step.UNDERSTANDING, _("A priorities round held (or marked as not needed)"),
        _("A second, less open survey asks residents how important each issue in the register is: "
          "make it from the issues, then open it and close it when the answers are in."),
        check=priorities_round_held, met_when=priorities_round_held_where,
        link=_priorities_round_link, link_perm=EDIT_PLAN_CONTENT))

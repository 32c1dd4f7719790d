"""A review cycle's Understanding gate starts fresh, and the priorities round item leads to the
survey made from the register's issues."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from consultation.models import Answer, Issue, RepresentationReview, Survey, SurveyKind, SurveyStatus
from consultation.services import evidence as evidence_services
from plans import gates
from plans import services as plan_services
from plans.models import ChecklistEntry, Plan
from plans.steps import Step
from tests.consultation.analysis_data import add_responses, analysis_survey


def _understanding(plan) -> dict:
    fresh = Plan.objects.get(pk=plan.pk)
    return {s.item.key: s.met for s in gates.checklist(fresh, Step.UNDERSTANDING).items}


def _all_done_in_first_cycle(world):
    """The reviewing plan did all of step 4 in its first cycle, a year ago."""
    plan, chair = world.reviewing_plan, world.people["chair"]
    survey, q, options, cats, age_options = analysis_survey(plan)
    add_responses(survey, q, options, cats, age_options, [(5, {"text": "Speeding", "age": "old"})])
    year_ago = timezone.now() - timedelta(days=365)
    Survey.objects.filter(pk=survey.pk).update(status=SurveyStatus.CLOSED, closed_at=year_ago)
    round_ = Survey.objects.create(plan=plan, title="Round", kind=SurveyKind.PRIORITIES,
                                   status=SurveyStatus.CLOSED, closed_at=year_ago)
    round_.responses.create(status="submitted", submitted_at=year_ago)
    RepresentationReview.objects.create(plan=plan, note="", reviewed_at=year_ago, reviewed_by=chair)
    issue = Issue.objects.create(plan=plan, title="Speeding", description="Fast cars")
    issue.answers.add(Answer.objects.exclude(text="").first())
    Issue.objects.filter(pk=issue.pk).update(updated_at=year_ago)
    ChecklistEntry.objects.create(plan=plan, key="priorities_round", kind=ChecklistEntry.Kind.WAIVER,
                                  note="Old waiver", by=world.people["officer"], at=year_ago)
    return plan, issue


def test_first_cycle_counts_the_work_already_done(world):
    plan, _issue = _all_done_in_first_cycle(world)
    assert all(_understanding(plan).values())


def test_review_cycle_back_to_step_four_starts_its_gate_fresh(world):
    plan, issue = _all_done_in_first_cycle(world)
    plan_services.plan_start_review(plan=plan, actor=world.people["chair"], to_step=Step.UNDERSTANDING)
    state = _understanding(plan)
    assert not any(state.values()), state
    detail = world.client("chair").get(plan.get_absolute_url()).text
    assert "Old waiver" not in detail
    # Doing the work again in this cycle counts.
    world.client("member").post(reverse("consultation:representation_review", args=[plan.pk]),
                                {"note": "Still few young people"})
    evidence_services.issue_link_answers(issue=issue, answer_ids=list(
        Answer.objects.exclude(text="").values_list("pk", flat=True)[:1]), actor=world.people["chair"])
    state = _understanding(plan)
    assert state["representation_reviewed"] and state["issues_with_evidence"]
    assert not state["survey_closed_with_responses"]


def _round_item(plan):
    items = gates.checklist(plan, Step.UNDERSTANDING).items
    return next(s for s in items if s.item.key == "priorities_round")


def test_priorities_round_item_leads_to_the_survey_made_from_the_issues(world):
    plan = world.plan
    item = _round_item(plan)
    assert item.url == reverse("consultation:issues", args=[plan.pk])  # no issues yet
    Issue.objects.create(plan=plan, title="Speeding", description="Fast cars")
    item = _round_item(plan)
    assert item.url == reverse("consultation:priorities_round", args=[plan.pk])
    page = world.client("member").get(item.url).text
    assert "Speeding" in page
    assert "keep the village shop open" not in page
    new_survey = world.client("member").get(reverse("consultation:survey_new", args=[plan.pk])).text
    assert "Make a priorities survey from these issues" in new_survey

"""A frozen plan version with both sections, quick wins, endorsements and survey evidence."""

from actions import versions
from actions.models import Decision, Endorsement, PlanVersion, Section
from consultation.models import Issue
from tests.actions.factories import ActionFactory, PriorityFactory
from tests.consultation.analysis_data import add_responses, analysis_survey

ACTIONS = [
    ("Monthly volunteer litter pick", "Jo Volunteer", ""),
    ("Ask the county for a 20 mph limit", "Sam Secretary", "Downshire County Council highways"),
    ("Run a speed watch group", "Ravi Speedwatch", "Downshire Police"),
]


def frozen_version(world, *, title: str | None = None) -> PlanVersion:
    plan = world.plan
    if title is not None:
        plan.title = title
    plan.vision = "A safe, friendly village where everyone can get about."
    plan.save()
    litter = PriorityFactory(plan=plan, title="Litter at the recreation ground", theme="Environment",
                             section=Section.COMMUNITY, is_quick_win=True)
    speeding = PriorityFactory(plan=plan, title="Speeding through the village", theme="Transport",
                               section=Section.HELP, why="Named by 212 of 460 households.")
    ActionFactory(priority=litter, what=ACTIONS[0][0], lead_name=ACTIONS[0][1], partners="")
    for what, lead, partners in ACTIONS[1:]:
        ActionFactory(priority=speeding, what=what, lead_name=lead, partners=partners)
    Endorsement.objects.create(priority=speeding, councillor=world.people["councillor"].councillor_profile,
                               decision=Decision.SUPPORT, by=world.people["councillor"])
    survey, q, options, cats, ages = analysis_survey(plan, title="Village survey")
    # 7 people walk: fewer than 10, so it is hidden (and so is the next smallest, by subtraction).
    add_responses(survey, q, options, cats, ages, [(40, {"travel": "Car", "yes": True}),
                                                  (25, {"travel": "Bus", "yes": False}),
                                                  (7, {"travel": "Walk", "yes": True})])
    survey.results_published = True
    survey.save()
    issue = Issue.objects.create(plan=plan, title="Speeding", description="Cars go too fast.")
    issue.questions.add(q["single"])
    speeding.issues.add(issue)
    return PlanVersion.objects.create(plan=plan, number=1, data=versions.snapshot(plan),
                                      frozen_by=world.people["chair"])

"""Demo data for the portfolio: two quiet plans in a second district, so that every health flag
shows at least once (the other flags arise from the plans the earlier apps seed), and a question
bank the demo's steering groups can add to their surveys."""

from datetime import timedelta

from django.utils import timezone

from clp.demo import COUNTY
from clp.models import Community, CommunityKind
from plans import services
from plans.models import ChecklistEntry, Plan, PlanEvent

DISTRICT = "Test Valley District"


# (kind, text, choices, extra fields): the organisation's standard questions.
BANK = [
    ("single", "How safe do you feel walking around the village after dark?",
     ["Very safe", "Fairly safe", "A bit unsafe", "Very unsafe"], {"required": True}),
    ("yes_no", "Would you use a community minibus for appointments and shopping?", [], {}),
    ("rating", "How would you rate your broadband?", [],
     {"scale_min_label": "Very poor", "scale_max_label": "Very good"}),
    ("demographic", "How old are you?", [], {"dimension_kind": "age"}),
]


def seed_bank(officer, organisation) -> None:
    from consultation.models import StandardQuestion

    for kind, text, options, extra in BANK:
        StandardQuestion.objects.get_or_create(organisation=organisation, text=text, defaults={
            "kind": kind, "options": options, "created_by": officer, **extra})


def seed(context: dict) -> None:
    officer, organisation = context["officer"], context["organisation"]
    seed_bank(officer, organisation)
    county = context["councillors"]["county"]
    for name, slug, quiet_days, ticked in [
        # Stalled: nothing has happened for four months.
        ("Hollowell", "hollowell", 120, ["parish_council_informed", "councillors_told"]),
        # Stuck at a gate: five months at step 1 and the parish council not yet on board.
        ("Nether Stowe", "nether-stowe", 40, ["councillors_told"]),
    ]:
        community, _ = Community.objects.get_or_create(slug=slug, defaults={
            "name": name, "kind": CommunityKind.PARISH, "district": DISTRICT, "county": COUNTY,
            "population": 640, "households": 280})
        organisation.communities.add(community)
        if Plan.objects.filter(community=community).exists():
            continue
        started = timezone.now() - timedelta(days=150)
        plan = services.plan_create(community=community, title=f"{name} Community Plan",
                                    actor=officer, start_date=started.date())
        services.councillor_attach(plan=plan, councillor=county, actor=officer)
        for key in ticked:
            ChecklistEntry.objects.create(plan=plan, key=key, kind=ChecklistEntry.Kind.TICK,
                                          by=officer, at=started)
        Plan.objects.filter(pk=plan.pk).update(step_entered_at=started)
        PlanEvent.objects.filter(plan=plan).update(at=timezone.now() - timedelta(days=quiet_days))

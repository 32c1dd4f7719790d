"""Demo data for the portfolio: two quiet plans in a second district, so that every health flag
shows at least once (the other flags arise from the plans the earlier apps seed). The question
bank, and the surveys that ask its questions, come from consultation.demo."""

from datetime import timedelta

from django.utils import timezone

from clp.demo import COUNTY
from clp.models import Community, CommunityKind
from plans import services
from plans.models import ChecklistEntry, Plan, PlanEvent

DISTRICT = "Test Valley District"


def seed(context: dict) -> None:
    officer, organisation = context["officer"], context["organisation"]
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

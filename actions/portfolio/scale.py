"""A large portfolio for scale checks and the benchmarks: `manage.py generate_portfolio`.

Grows an organisation's portfolio (the demo's "Downshire Community Action" unless told
otherwise) to a number of communities, 500 by default: each gets a plan and a chair through the
services a user's click would call, a step and a time in it, a last activity between today and
five months ago, a councillor on most, a closed survey of 40 responses on every tenth (generated
the way the demo generates them: bulk inserts) and two priorities with three actions each on every
fourth. A fixed seed makes the same portfolio each time, so health flags of every kind show.

Safe to run again: it only adds the communities still missing to reach the number asked.
"""

import io
import random
from datetime import timedelta

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

DEMO_ORGANISATION = "Downshire Community Action"
PREFIX = "Scale Parish"
DISTRICTS = 6
SURVEY_EVERY, SURVEY_RESPONSES = 10, 40
ACTIONS_EVERY, PRIORITIES, ACTIONS = 4, 2, 3
NO_COUNCILLOR_EVERY = 9


def grow(*, communities: int = 500, organisation_name: str = "") -> int:
    """Bring the organisation's portfolio up to `communities`; returns how many were added."""
    from clp.models import Organisation

    if not organisation_name:
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    organisation = Organisation.objects.filter(name=organisation_name or DEMO_ORGANISATION).first()
    if organisation is None:
        raise ValueError(f"There is no organisation called “{organisation_name}”.")
    officer = organisation.officers.order_by("pk").first()
    if officer is None:
        raise ValueError(f"{organisation} has no support officer to record the work as.")
    councillor = _councillor()
    have = organisation.communities.count()
    rng = random.Random(f"portfolio-{organisation.pk}")
    added = 0
    for n in range(have + 1, communities + 1):
        with transaction.atomic():
            _community(organisation, officer, councillor, n, rng)
        added += 1
    return added


def _councillor():
    from clp.demo import user
    from clp.models import CouncillorProfile, CouncilTier

    person = user({}, "scale.cllr@example.org", "Morgan Ellis")
    profile, _created = CouncillorProfile.objects.get_or_create(user=person, defaults={
        "tier": CouncilTier.COUNTY, "council_name": "Downshire County Council",
        "ward": "Scale Division"})
    return profile


def _community(organisation, officer, councillor, n: int, rng: random.Random) -> None:
    from clp.demo import user
    from clp.models import CommunityKind
    from clp.services import community_add_to_portfolio
    from plans import services
    from plans.models import EventKind, Plan, PlanEvent, Role
    from plans.steps import Step

    community = community_add_to_portfolio(
        organisation=organisation, actor=officer, name=f"{PREFIX} {n:03d}", kind=CommunityKind.PARISH,
        district=f"Scale District {n % DISTRICTS + 1}", county="Downshire",
        population=250 + 13 * n, households=110 + 6 * n)
    plan = services.plan_create(community=community, title=f"{community.name} Community Plan",
                                actor=officer, start_date=timezone.localdate() - timedelta(days=400))
    chair = user({}, f"chair.{community.slug}@example.org", f"Chair of {community.name}")
    services.membership_add(plan=plan, user=chair, role=Role.CHAIR, actor=officer)
    if n % NO_COUNCILLOR_EVERY:
        services.councillor_attach(plan=plan, councillor=councillor, actor=officer)
    step = list(Step)[rng.randrange(len(Step))]
    now = timezone.now()
    Plan.objects.filter(pk=plan.pk).update(
        step=step, step_entered_at=now - timedelta(days=rng.randint(5, 200)))
    for _i in range(rng.randint(1, 4)):
        PlanEvent.objects.create(plan=plan, actor=chair, kind=EventKind.CONTENT,
                                 summary="Steering group meeting notes added",
                                 at=now - timedelta(days=rng.randint(0, 150)))
    PlanEvent.objects.filter(plan=plan).exclude(kind=EventKind.CONTENT).update(
        at=now - timedelta(days=160))
    plan = Plan.objects.select_related("community").get(pk=plan.pk)
    if n % SURVEY_EVERY == 0:
        _survey(plan, chair, rng)
    if n % ACTIONS_EVERY == 0:
        _actions(plan, chair, rng)


def _survey(plan, chair, rng) -> None:
    from consultation import demo
    from consultation.models import SurveyStatus

    demo._survey(plan, "love_hate", SurveyStatus.CLOSED, SURVEY_RESPONSES, 12, bool(rng.randrange(2)),
                 [chair], rng)


def _actions(plan, chair, rng) -> None:
    from actions import services
    from actions.models import Action, ActionStatus, Section

    statuses = list(ActionStatus.values)
    for p in range(PRIORITIES):
        section = Section.COMMUNITY if p % 2 == 0 else Section.HELP
        priority = services.priority_create(plan=plan, actor=chair, fields={
            "title": f"Priority {p + 1} of {plan.community.name}", "section": section,
            "why": "Raised by many households in the questionnaire.", "theme": "Transport"})
        for a in range(ACTIONS):
            services.action_save(action=Action(
                priority=priority, what=f"Action {a + 1} towards priority {p + 1}",
                outcome="Something residents can see", measure="A check anyone can repeat",
                lead_user=chair, partners="" if section == Section.COMMUNITY else "Downshire County Council",
                target_date=timezone.localdate() + timedelta(days=rng.randint(-90, 400)),
                status=rng.choice(statuses)), created=True, actor=chair,
                ask_owners=False)

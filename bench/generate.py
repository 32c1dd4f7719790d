"""The benchmark's data set, made through the project's own code.

On top of the demo (`seed_demo`): a support organisation with 300 communities, each with a plan
and a chair; surveys with 200 and 20,000 responses on Bramley Green (the 20,000 one is what a
market town's household survey reaches), 40 smaller surveys of 200 responses elsewhere
(≈ 30,000 responses in all), and 3,000 actions under 500 priorities. Communities, plans,
memberships, surveys, questions, priorities and actions go through the services a user's click
would call; responses are generated the way the demo generates them (bulk inserts, fixed seed).

Safe to run again: it stops early when the data set is already there.
"""

import io
import random
from datetime import timedelta

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

COMMUNITIES = 300
BIG, SMALL = 20_000, 200
EXTRA_SURVEYS = 40
PLANS_WITH_ACTIONS, PRIORITIES_PER_PLAN, ACTIONS_PER_PRIORITY = 100, 5, 6
BIG_TITLE = "Bench: household questionnaire (20,000)"
SMALL_TITLE = "Bench: household questionnaire (200)"
SUBMIT_TITLE = "Bench: residents sending answers"


def build() -> dict:
    """Make the data set if needed; return the ids the benchmark's pages need."""
    from clp.models import Organisation
    from consultation.models import Survey

    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    organisation = Organisation.objects.get(name="Downshire Community Action")
    if not Survey.objects.filter(title=BIG_TITLE).exists():
        _communities(organisation)
        _surveys()
        _actions(organisation)
    return ids()


def ids() -> dict:
    from clp.models import Community, Organisation, User
    from consultation.models import Survey
    from plans.models import Plan

    bramley = Plan.objects.get(community__slug="bramley-green")
    big = Survey.objects.get(title=BIG_TITLE)
    small = Survey.objects.get(title=SMALL_TITLE)
    organisation = Organisation.objects.get(name="Downshire Community Action")
    return {
        "plan": bramley.pk, "big": big.pk, "small": small.pk, "big_public": big.public_id,
        "small_public": small.public_id,
        "submit": Survey.objects.get(title=SUBMIT_TITLE).pk,
        "age_question": big.questions.filter(dimension__kind="age").values_list("pk", flat=True).first(),
        "organisation": organisation.pk,
        "communities": organisation.communities.count(),
        "community_slug": "eastfield-ward",
        "delivery_plan": Plan.objects.get(community__slug="eastfield-ward").pk,
        "chair": User.objects.get(email="chair@example.org").pk,
        "officer": User.objects.get(email="officer@example.org").pk,
        "community_count": Community.objects.count(),
    }


def _communities(organisation) -> None:
    from clp.demo import user
    from clp.models import CommunityKind
    from clp.services import community_add_to_portfolio
    from plans import services
    from plans.models import Role

    officer = organisation.officers.get(email="officer@example.org")
    have = organisation.communities.count()
    for n in range(have + 1, COMMUNITIES + 1):
        with transaction.atomic():
            community = community_add_to_portfolio(
                organisation=organisation, actor=officer, name=f"Bench Parish {n:03d}",
                kind=CommunityKind.PARISH, district=f"Bench District {n % 7 + 1}", county="Downshire",
                population=300 + 17 * n, households=130 + 7 * n)
            plan = services.plan_create(community=community, title=f"{community.name} Community Plan",
                                        actor=officer, start_date=timezone.localdate())
            chair = user({}, f"chair.{community.slug}@example.org", f"Chair of {community.name}")
            services.membership_add(plan=plan, user=chair, role=Role.CHAIR, actor=officer)


def _surveys() -> None:
    from consultation import demo
    from consultation.models import Survey, SurveyStatus
    from plans.models import Plan

    bramley = Plan.objects.get(community__slug="bramley-green")
    volunteers = [m.user for m in bramley.memberships.active().select_related("user")]
    rng = random.Random("bench")
    for title, count in [(SMALL_TITLE, SMALL), (BIG_TITLE, BIG), (SUBMIT_TITLE, 0)]:
        survey = demo._survey(bramley, "household", SurveyStatus.OPEN, count, 4, False, volunteers, rng)
        Survey.objects.filter(pk=survey.pk).update(title=title)
    others = Plan.objects.filter(community__name__startswith="Bench Parish").order_by("pk")
    for plan in others[:EXTRA_SURVEYS]:
        chair = [m.user for m in plan.memberships.active().select_related("user")]
        demo._survey(plan, "love_hate", SurveyStatus.CLOSED, SMALL, 12, False, chair, rng)


def _actions(organisation) -> None:
    from actions import services
    from actions.models import Action, ActionStatus, Section

    plans = organisation.communities.filter(name__startswith="Bench Parish").order_by("pk")
    rng = random.Random("bench-actions")
    statuses = list(ActionStatus.values)
    partner = {Section.COMMUNITY: "", Section.HELP: "Downshire County Council"}
    for community in plans[:PLANS_WITH_ACTIONS]:
        plan = community.plans.get()
        chair = plan.memberships.active().first().user
        with transaction.atomic():
            for p in range(PRIORITIES_PER_PLAN):
                section = Section.COMMUNITY if p % 2 == 0 else Section.HELP
                priority = services.priority_create(plan=plan, actor=chair, fields={
                    "title": f"Priority {p + 1} of {community.name}", "section": section,
                    "why": "Raised by many households in the questionnaire.", "theme": "Transport",
                    "is_quick_win": p == 0})
                for a in range(ACTIONS_PER_PRIORITY):
                    services.action_save(action=Action(
                        priority=priority, what=f"Action {a + 1} towards priority {p + 1}",
                        outcome="Something residents can see", measure="A check anyone can repeat",
                        lead_user=chair, partners=partner[section],
                        target_date=timezone.localdate() + timedelta(days=rng.randint(-90, 400)),
                        status=rng.choice(statuses)), created=True, actor=chair,
                        ask_owners=False)

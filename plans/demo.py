"""Demo plans: each community's plan stands at a different step, reached through real transitions."""

from datetime import datetime, timedelta

from django.utils import timezone

from clp.demo import user
from plans import gates, services, steps
from plans.models import (
    ChecklistEntry,
    EvidenceItem,
    EvidenceKind,
    Meeting,
    MeetingKind,
    Milestone,
    MilestoneStatus,
    Plan,
    PlanEvent,
    Role,
    SupportSource,
)
from plans.steps import CommunityGroup, Step

TARGETS = {
    "ashcombe": Step.GETTING_STARTED,
    "dunsfold-st-mary": Step.STEERING_GROUP,
    "fordingbridge-heath": Step.TAKING_STOCK,
    "bramley-green": Step.UNDERSTANDING,
    "cheriton-market": Step.PRIORITISING,
    "eastfield-ward": Step.IMPLEMENTING,
    "kingsley-vale": Step.REVIEWING,
}

FIRST_NAMES = ["Helen", "Kwame", "Jo", "Ian", "Fatima", "Rob", "Sian", "Graham", "Aisha", "Pete"]
LAST_NAMES = ["Clarke", "Mensah", "Price", "Doyle", "Khan", "Turner", "Hughes", "Patel", "Walsh",
              "Moss"]


def seed(context: dict) -> None:
    officer = context["officer"]
    for i, (slug, target) in enumerate(TARGETS.items()):
        community = context["communities"][slug]
        people = _people(context, slug, i)
        if Plan.objects.filter(community=community).exists():
            continue
        start = timezone.localdate() - timedelta(days=60 * steps.number(target))
        plan = services.plan_create(
            community=community, title=f"{community.name} Community Plan", actor=officer,
            start_date=start, target_completion=start + timedelta(days=540),
        )
        _add_group(plan, people, officer)
        while plan.step != target:
            _complete(plan, plan.step, people, context)
            plan = services.plan_advance(plan=plan, actor=people[steps.number(plan.step) % 2])
        _partial(plan, people, context)
        _spread_history(plan)


def _people(context, slug, i):
    if slug == "bramley-green":
        return [
            user(context, "chair@example.org", "Margaret Ellis", "Chair"),
            user(context, "secretary@example.org", "David Okafor", "Secretary"),
            user(context, "member@example.org", "Priya Shah", "Steering group member"),
            user(context, "champion@example.org", "Tom Bennett", "Community champion"),
        ]
    names = [(FIRST_NAMES[(i * 3 + k) % 10], LAST_NAMES[(i * 7 + k) % 10]) for k in range(4)]
    return [user(context, f"{first.lower()}.{last.lower()}.{slug}@example.org", f"{first} {last}")
            for first, last in names]


def _add_group(plan, people, officer):
    roles = [(Role.CHAIR, "", [CommunityGroup.OLDER_PEOPLE]),
             (Role.SECRETARY, "", [CommunityGroup.FAMILIES]),
             (Role.MEMBER, "", [CommunityGroup.BUSINESSES]),
             (Role.CHAMPION, "Young people", [CommunityGroup.YOUNG_PEOPLE])]
    count = 1 if plan.community.slug == "ashcombe" else 4
    for person, (role, theme, represents) in list(zip(people, roles, strict=True))[:count]:
        services.membership_add(plan=plan, user=person, role=role, theme=theme,
                                represents=represents, actor=officer)


def _complete(plan, step, people, context):
    """Create the records a real group would have made to finish `step`."""
    chair = people[steps.number(step) % len(people)]
    day = plan.start_date + timedelta(days=20 * steps.number(step))
    if step == Step.GETTING_STARTED:
        _meeting(plan, chair, "Launch meeting in the village hall", MeetingKind.OPEN_MEETING, day, 64,
                 public=True)
    elif step == Step.STEERING_GROUP:
        plan.terms_of_reference = (
            "The steering group leads the community plan on behalf of the parish. It meets monthly, "
            "makes decisions by consensus, publishes its minutes and reports to the parish council."
        )
        services.plan_update(plan=plan, actor=chair, changed=["Terms of reference"])
        services.councillor_attach(plan=plan, councillor=context["councillors"]["district"],
                                   actor=chair)
        if plan.community.slug == "bramley-green":
            services.councillor_attach(plan=plan, councillor=context["councillors"]["parish"],
                                       actor=chair)
        if plan.community.kind in ("town", "ward"):
            services.councillor_attach(plan=plan, councillor=context["councillors"]["county"],
                                       actor=chair)
    elif step == Step.TAKING_STOCK:
        _process_plan(plan, chair)
        services.content_save(obj=SupportSource(
            plan=plan, name="Parish council grant", kind=SupportSource.Kind.FUNDING, amount=750,
            status=SupportSource.Status.SECURED, notes="Printing and postage of the questionnaire."),
            actor=chair, created=True)
        services.content_save(obj=EvidenceItem(
            plan=plan, title="Census 2021: age and household tables", kind=EvidenceKind.CENSUS,
            source="Office for National Statistics", date=day, themes="housing, older people",
            link="https://www.ons.gov.uk/census", added_by=chair), actor=chair, created=True)
    for state in gates.checklist(plan, step).unmet:
        if state.item.is_manual:
            services.checklist_tick(plan=plan, key=state.item.key, actor=chair,
                                    note="Agreed at the steering group meeting.")
        elif state.item.waivable:
            services.checklist_waive(plan=plan, key=state.item.key, actor=context["officer"],
                                     reason="Done before the group started using this site.")
        else:
            # The step's own work in a later app (e.g. freezing the plan version): that app's demo
            # does it and removes this placeholder, so the demo can walk the plan forward now.
            ChecklistEntry.objects.create(plan=plan, key=state.item.key, kind=ChecklistEntry.Kind.WAIVER,
                                          by=context["officer"], note="Done by the later demo step.")


def _spread_history(plan):
    """Demo records were all made just now: spread them over the plan's life so far."""
    events = list(plan.events.order_by("at", "pk"))
    start = timezone.make_aware(datetime.combine(plan.start_date, datetime.min.time()))
    span = (timezone.now() - timedelta(days=12)) - start
    for i, event in enumerate(events):
        event.at = start + span * (i / max(len(events) - 1, 1))
    PlanEvent.objects.bulk_update(events, ["at"])
    for entry in plan.checklist_entries.all():
        label = str(gates.get_item(entry.key).label)
        match = next((e for e in reversed(events) if e.summary.endswith(label)), None)
        if match:
            entry.at = match.at
            entry.save(update_fields=["at"])
    plan.memberships.update(joined_on=plan.start_date)
    last_move = plan.events.filter(kind__in=["advanced", "created"]).order_by("-at").first()
    Plan.objects.filter(pk=plan.pk).update(step_entered_at=last_move.at)


def _meeting(plan, actor, title, kind, day, attendance, public=False, groups=None):
    services.content_save(obj=Meeting(
        plan=plan, title=title, kind=kind, date=day, location="Village hall",
        attendance=attendance, is_public=public,
        groups_reached=groups or [CommunityGroup.OLDER_PEOPLE, CommunityGroup.FAMILIES],
        notes="Purpose of the plan explained; love it / hate it cards collected."),
        actor=actor, created=True)


def _process_plan(plan, actor):
    today = timezone.localdate()
    for offset, title in [(-30, "Pilot the questionnaire"), (-10, "Print and deliver questionnaires"),
                          (20, "Collect and key in returns"), (50, "Analyse results"),
                          (90, "Priorities workshop")]:
        services.content_save(obj=Milestone(
            plan=plan, title=title, owner="Steering group", target_date=today + timedelta(offset),
            status=MilestoneStatus.DONE if offset < -20 else MilestoneStatus.PLANNED,
            actual_date=today + timedelta(offset) if offset < -20 else None),
            actor=actor, created=True)


def _partial(plan, people, context):
    """Leave the current step part-done, so the checklist shows what is next."""
    if plan.step == Step.GETTING_STARTED:
        services.content_save(obj=Milestone(
            plan=plan, title="Hold the open community meeting", owner=str(people[0]),
            target_date=timezone.localdate() + timedelta(days=21)), actor=people[0], created=True)
        _meeting(plan, people[0], "Open community meeting", MeetingKind.OPEN_MEETING,
                 timezone.localdate() + timedelta(days=21), None, public=True)
    elif plan.step == Step.UNDERSTANDING:
        _meeting(plan, people[3], "Youth forum at the recreation ground", MeetingKind.YOUTH_FORUM,
                 timezone.localdate() - timedelta(days=12), 18, groups=[CommunityGroup.YOUNG_PEOPLE])

"""The Finalising step's computed checklist items, owned by the action plan.

Support officers can mark the first two as not needed (with a reason) through plans' waiver
mechanism; the third is met only by finalising on the Finalise page, which freezes the version.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plans.gates import GateItem, register
from plans.permissions import MANAGE_PLAN
from plans.steps import Step

SECTION_TWO_ENDORSED = "section_two_endorsed"
ACTIONS_SMART = "actions_smart"
PLAN_VERSION_FROZEN = "plan_version_frozen"


def every_section_two_priority_endorsed(plan) -> bool:
    from actions.models import Endorsement, Priority, Section

    endorsed = Endorsement.objects.current().positive().values("priority_id")
    return not Priority.objects.filter(plan=plan, section=Section.HELP).exclude(
        pk__in=endorsed).exists()


def every_section_two_priority_endorsed_where():
    from django.db.models import Exists, OuterRef

    from actions.models import Endorsement, Priority, Section

    endorsed = Endorsement.objects.current().positive().values("priority_id")
    return ~Exists(Priority.objects.filter(plan=OuterRef("pk"), section=Section.HELP).exclude(
        pk__in=endorsed))


def every_action_smart(plan) -> bool:
    from actions.models import Action, ActionStatus, Priority

    priorities = Priority.objects.filter(plan=plan)
    if not priorities.exists():
        return False
    with_action = Action.objects.exclude(status=ActionStatus.DROPPED).values("priority_id")
    if priorities.exclude(pk__in=with_action).exists():
        return False
    return not Action.objects.filter(priority__plan=plan).failing_smart().exists()


def every_action_smart_where():
    """`every_action_smart` as a condition on plans, so the portfolio counts the SMART check."""
    from django.db.models import Exists, OuterRef

    from actions.models import Action, ActionStatus, Priority

    priorities = Priority.objects.filter(plan=OuterRef("pk"))
    live = Action.objects.filter(priority=OuterRef("pk")).exclude(status=ActionStatus.DROPPED)
    failing = Action.objects.filter(priority__plan=OuterRef("pk")).failing_smart()
    return Exists(priorities) & ~Exists(priorities.exclude(Exists(live))) & ~Exists(failing)


def version_frozen(plan) -> bool:
    from actions.models import PlanVersion

    return PlanVersion.objects.filter(plan=plan, number=plan.version).exists()


def version_frozen_where():
    from django.db.models import Exists, OuterRef

    from actions.models import PlanVersion

    return Exists(PlanVersion.objects.filter(plan=OuterRef("pk"), number=OuterRef("version")))


ACTIONS_OWNED = "actions_owned"
COMMUNITY_UPDATED = "community_updated"
REVIEW_HELD = "review_held"


def every_action_owned(plan) -> bool:
    """Every action still in the plan has a lead who has accepted it."""
    from actions.models import Action, UpdateStatus

    actions = Action.objects.in_plan(plan).exclude(progress=UpdateStatus.DROPPED)
    return actions.exists() and actions.count() == actions.owned().count()


def every_action_owned_where():
    from django.db.models import Exists, OuterRef

    from actions.models import Action, OwnerStatus, UpdateStatus

    actions = Action.objects.filter(priority__plan=OuterRef("pk")).exclude(
        progress=UpdateStatus.DROPPED)
    return Exists(actions) & ~Exists(actions.exclude(lead_status=OwnerStatus.ACCEPTED))


def progress_reported_recently(plan) -> bool:
    """A community update published in the last six months."""
    from django.utils import timezone

    from actions import health

    since = health.add_months(timezone.localdate(), -health.COMMUNITY_UPDATE_MONTHS)
    return plan.community_updates.filter(published_at__date__gte=since).exists()


def progress_reported_recently_where():
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from actions import health
    from actions.models import CommunityUpdate

    since = health.add_months(timezone.localdate(), -health.COMMUNITY_UPDATE_MONTHS)
    return Exists(CommunityUpdate.objects.filter(plan=OuterRef("pk"), published_at__date__gte=since))


def review_held(plan) -> bool:
    from actions import delivery

    review = delivery.review_for(plan)
    return review is not None and not delivery.review_gaps(review, list(delivery.review_actions(plan)))


def review_held_where():
    """`review_held` as a condition on plans: this version's review has its meeting date and
    minute reference, a reason for every drop, and a decision on every action it must decide
    on (`delivery.review_actions`: not dropped, not achieved at an earlier review)."""
    from django.db.models import Exists, OuterRef

    from actions.models import Action, PlanReview, ReviewDecision, ReviewOutcome, UpdateStatus

    achieved_before = ReviewDecision.objects.filter(
        review__plan=OuterRef(OuterRef("plan")), review__completed_at__isnull=False,
        outcome=ReviewOutcome.ACHIEVED, action=OuterRef("pk"))
    decided = ReviewDecision.objects.filter(review=OuterRef(OuterRef("pk")), action=OuterRef("pk"))
    undecided = (Action.objects.filter(priority__plan=OuterRef("plan"))
                 .exclude(progress=UpdateStatus.DROPPED).exclude(Exists(achieved_before))
                 .exclude(Exists(decided)))
    unexplained = ReviewDecision.objects.filter(review=OuterRef("pk"), outcome=ReviewOutcome.DROP,
                                                reason="")
    return Exists(PlanReview.objects.filter(plan=OuterRef("pk"), version=OuterRef("version"),
                                            held_on__isnull=False)
                  .exclude(minute_reference="").exclude(Exists(unexplained))
                  .exclude(Exists(undecided)))


def _url(name):
    return lambda plan: reverse(name, kwargs={"pk": plan.pk})


def register_items() -> None:
    register(GateItem(
        SECTION_TWO_ENDORSED, Step.FINALISING,
        _("Every section 2 priority endorsed by a councillor"),
        _("Priorities that need help from councils or agencies need at least one councillor to "
          "endorse or actively support them. Ask your councillors from the Councillor support page."),
        check=every_section_two_priority_endorsed, link=_url("actions:endorsements"),
        met_when=every_section_two_priority_endorsed_where,
    ))
    register(GateItem(
        ACTIONS_SMART, Step.FINALISING,
        _("Every priority has actions, and every action passes the SMART check"),
        _("Each action needs an intended outcome, a way to measure it, a community lead and a "
          "target date; section 2 actions also name the partner or agency."),
        check=every_action_smart, link=_url("actions:plan"), met_when=every_action_smart_where,
    ))
    register(GateItem(
        PLAN_VERSION_FROZEN, Step.FINALISING, _("Plan version frozen"),
        _("Once the steering group has agreed the plan, its chair or secretary finalises it on "
          "the Finalise page: this version is kept exactly as "
          "agreed, and later changes go into the next version."),
        check=version_frozen, link=_url("actions:finalise"), link_perm=MANAGE_PLAN,
        met_when=version_frozen_where,
        waivable=False,
    ))
    register(GateItem(
        ACTIONS_OWNED, Step.IMPLEMENTING, _("Every action has a lead who has accepted it"),
        _("Ask each lead from the action's page; they accept, decline or propose another date "
          "from the email, without an account. Find someone else for declined actions."),
        check=every_action_owned, link=_url("actions:delivery"), met_when=every_action_owned_where,
    ))
    register(GateItem(
        COMMUNITY_UPDATED, Step.IMPLEMENTING,
        _("Progress reported to the community in the last six months"),
        _("Publish a community update: the page drafts it from what has changed since the last one."),
        check=progress_reported_recently, link=_url("actions:community_updates"),
        met_when=progress_reported_recently_where,
    ))
    register(GateItem(
        REVIEW_HELD, Step.REVIEWING, _("A review has been held"),
        _("Go through every action at a meeting (achieved, carry forward or drop, with a reason), "
          "and record the date and minute reference on the Review page."),
        check=review_held, link=_url("actions:plan_review"), waivable=False,
        link_perm=MANAGE_PLAN, met_when=review_held_where,
    ))

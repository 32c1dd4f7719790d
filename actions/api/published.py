"""What counts as published, as querysets: the only rows the open-data API may read.

A plan is published once it has a frozen version and is not abandoned; its priorities and actions
are then the ones its public "you said, we did" page shows. `updated` is when a row last changed
in a way the open data shows: a new frozen version, a progress update, an owner's answer, an
endorsement.
"""

from django.db.models import DateTimeField, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from actions.models import (
    Action,
    CommunityUpdate,
    Endorsement,
    PartnerBody,
    PlanVersion,
    Priority,
    ProgressUpdate,
)
from clp.models import Community
from consultation import analysis
from consultation.analysis.suppression import threshold
from consultation.models import Survey
from plans.models import Plan, PlanStatus


def _last_frozen(plan_ref: str):
    return Subquery(PlanVersion.objects.filter(plan=OuterRef(plan_ref)).order_by("-number")
                    .values("frozen_at")[:1], output_field=DateTimeField())


def _latest(*fields, default: str):
    """The latest of several timestamps, any of which may be empty (Greatest skips no nulls
    on SQLite)."""
    return Greatest(*(Coalesce(f, F(default)) for f in fields), F(default))


def plans():
    return (Plan.objects.exclude(status=PlanStatus.ABANDONED)
            .filter(Exists(PlanVersion.objects.filter(plan=OuterRef("pk")))))


def communities():
    with_results = Survey.objects.filter(plan__community=OuterRef("pk"), results_published=True)
    return (Community.objects
            .filter(Q(Exists(plans().filter(community=OuterRef("pk")))) | Q(Exists(with_results)))
            .alias(last_frozen=Subquery(
                PlanVersion.objects.filter(plan__community=OuterRef("pk"))
                .order_by("-frozen_at").values("frozen_at")[:1], output_field=DateTimeField()))
            .annotate(updated=_latest("last_frozen", default="created_at")))


def versions():
    return (PlanVersion.objects.filter(plan__in=plans()).select_related("plan__community")
            .annotate(updated=F("frozen_at")))


def priorities():
    last_endorsed = Subquery(Endorsement.objects.filter(priority=OuterRef("pk")).order_by("-at")
                             .values("at")[:1], output_field=DateTimeField())
    return (Priority.objects.filter(plan__in=plans())
            .alias(published_at=_last_frozen("plan"), last_endorsed=last_endorsed)
            .annotate(updated=_latest("published_at", "last_endorsed", default="created_at"))
            .select_related("plan__community"))


def actions():
    return (Action.objects.filter(priority__in=priorities())
            .alias(published_at=_last_frozen("priority__plan"))
            .annotate(updated=_latest("published_at", "latest_update__at", "lead_answered_at",
                                      "partner_answered_at", default="created_at"))
            .select_related("priority__plan__community", "partner_body"))


def progress_updates():
    return (ProgressUpdate.objects.filter(action__in=actions())
            .select_related("action__priority__plan__community", "action__partner_body")
            .annotate(updated=F("at")))


def community_updates():
    return (CommunityUpdate.objects.filter(plan__in=plans(), published_at__isnull=False)
            .select_related("plan__community").annotate(updated=F("published_at")))


def endorsements():
    return (Endorsement.objects.current().filter(priority__in=priorities())
            .select_related("councillor", "priority__plan__community").annotate(updated=F("at")))


def partner_bodies():
    asked = actions().filter(partner_body=OuterRef("pk"))
    return (PartnerBody.objects.filter(Exists(asked))
            .alias(last_action=Subquery(asked.order_by("-updated").values("updated")[:1],
                                        output_field=DateTimeField()))
            .annotate(updated=_latest("last_action", default="created_at")))


def surveys():
    return (Survey.objects.filter(results_published=True).select_related("plan__community")
            .annotate(updated=_latest("opened_at", "closed_at", default="created_at")))


def survey_figures(survey) -> tuple[int | None, list[analysis.QuestionResult]]:
    """Every survey figure the API shows comes from here: the number who answered (None when it
    is too small to show) and the public results path, small numbers hidden exactly as on the
    public results page."""
    limit = threshold()
    total = analysis.respondents(survey).count()
    return (None if 0 < total < limit else total), analysis.survey_results(survey, suppress_below=limit)

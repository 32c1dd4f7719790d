"""Demo documents, built through the real pipeline: version 1 of Eastfield Ward's plan and its
household summary (both public), its published community update as a printed progress
report, and for Bramley Green's household questionnaire a paper copy
and a sheet of code leaflets. Each is queued after the demo commits (eager Celery builds it
there and then). Safe to run twice: a plan that has publications is skipped.
"""

from actions.models import CommunityUpdate, PlanVersion
from consultation import services as consultation_services
from consultation.models import Survey
from plans.models import Plan, Publication
from plans.services import publication_request


def seed(context: dict) -> None:
    _eastfield()
    _bramley()


def _chair(plan):
    membership = plan.memberships.active().select_related("user").order_by("pk").first()
    return membership.user if membership else None


def _eastfield() -> None:
    version = (PlanVersion.objects.filter(plan__community__slug="eastfield-ward", number=1)
               .select_related("plan__community").first())
    if version is None or Publication.objects.filter(plan=version.plan).exists():
        return
    chair = _chair(version.plan)
    for kind in ("plan", "household_summary"):
        publication_request(plan=version.plan, kind=kind, source_id=version.pk, actor=chair)
    for update in CommunityUpdate.objects.filter(plan=version.plan, published_at__isnull=False):
        publication_request(plan=version.plan, kind="community_update", source_id=update.pk, actor=chair)


def _bramley() -> None:
    plan = Plan.objects.filter(community__slug="bramley-green").first()
    survey = (Survey.objects.filter(plan=plan, access__in=["codes", "both"]).order_by("pk").first()
              if plan else None)
    if survey is None or Publication.objects.filter(plan=plan).exists():
        return
    chair = _chair(plan)
    publication_request(plan=plan, kind="questionnaire", source_id=survey.pk, actor=chair)
    consultation_services.leaflets_make(survey=survey, count=16, batch="Orchard Close (demo leaflets)",
                                        layout="slips", actor=chair)

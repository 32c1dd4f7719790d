"""Home page panels: the surveys open now on the plans a person helps to run, and a community's
surveys on its public page."""

from clp.home import register
from clp.panels import Panel
from consultation.models import Survey, SurveyStatus
from plans.community import register_panel
from plans.models import Membership


def _open_surveys(user):
    plans = Membership.objects.active().filter(user=user).values("plan_id")
    surveys = list(Survey.objects.with_response_counts()
                   .filter(plan_id__in=plans, status=SurveyStatus.OPEN)
                   .select_related("plan__community").order_by("plan__community__name", "title"))
    return {"surveys": surveys} if surveys else None


def register_panels() -> None:
    register(Panel("open_surveys", "consultation/includes/home_surveys.html", 15, _open_surveys))


def _community_surveys(community):
    surveys = list(Survey.objects.filter(plan__community=community)
                   .filter(status__in=[SurveyStatus.OPEN, SurveyStatus.CLOSED])
                   .order_by("closes_on", "title"))
    accepting = [s for s in surveys if s.is_accepting]
    published = [s for s in surveys if s.results_published]
    if not accepting and not published:
        return None
    return {"accepting": accepting, "published": published}


def register_community_panels() -> None:
    register_panel(Panel("surveys", "consultation/includes/community_surveys.html", 10,
                         _community_surveys))

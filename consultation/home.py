"""Home page panel: the surveys open now on the plans a person helps to run."""

from clp.home import HomePanel, register


def _open_surveys(user):
    from consultation.models import Survey, SurveyStatus
    from plans.models import Membership

    plans = Membership.objects.active().filter(user=user).values("plan_id")
    surveys = list(Survey.objects.with_response_counts()
                   .filter(plan_id__in=plans, status=SurveyStatus.OPEN)
                   .select_related("plan__community").order_by("plan__community__name", "title"))
    return {"surveys": surveys} if surveys else None


def register_panels() -> None:
    register(HomePanel("open_surveys", "consultation/includes/home_surveys.html", 15, _open_surveys))

"""Home page panels: your plans, your portfolio, plans you follow as a councillor."""

from clp.home import register
from clp.panels import Panel

HOME_LIMIT = 10  # the rest are a page away


def _your_plans(user):
    from plans.models import Membership

    memberships = list(
        Membership.objects.active().filter(user=user)
        .select_related("plan__community").order_by("plan__community__name")
    )
    return {"memberships": memberships} if memberships else None


def _portfolio(user):
    from clp.models import Organisation

    organisations = list(Organisation.objects.visible_to(user))
    if not organisations and not user.is_superuser:
        return None
    return {"organisations": organisations, "is_admin": user.is_superuser}


def _councillor(user):
    from plans.models import CouncillorLink

    links = (CouncillorLink.objects.filter(councillor__user=user).select_related("plan__community")
             .order_by("plan__community__name", "plan__title"))
    shown = list(links[:HOME_LIMIT + 1])
    if not shown:
        return None
    return {"links": shown[:HOME_LIMIT],
            "total": links.count() if len(shown) > HOME_LIMIT else len(shown)}


def register_panels() -> None:
    register(Panel("your_plans", "plans/includes/home_your_plans.html", 10, _your_plans))
    register(Panel("portfolio", "plans/includes/home_portfolio.html", 20, _portfolio))
    register(Panel("councillor", "plans/includes/home_councillor.html", 30, _councillor))

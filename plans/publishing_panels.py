"""The community's public page lists its published documents, newest first (older versions too)."""

from clp.panels import Panel
from plans.community import register_panel


def _published(community):
    from plans.models import Publication

    rows = list(Publication.objects.public().filter(plan__community=community)
                .order_by("-finished_at", "-pk"))
    return {"publications": rows} if rows else None


def register_panels() -> None:
    register_panel(Panel("publications", "plans/includes/community_publications.html", 15,
                         _published))

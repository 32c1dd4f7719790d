"""Panels on a community's public page. Later apps add theirs (open surveys, published results)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CommunityPanel:
    key: str
    template: str
    order: int
    # Returns the panel's context for this community, or None when there is nothing to show.
    context: Callable[[object], dict | None]


_PANELS: dict[str, CommunityPanel] = {}


def register_panel(panel: CommunityPanel) -> None:
    _PANELS[panel.key] = panel


def panels_for(community) -> list[tuple[CommunityPanel, dict]]:
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        context = panel.context(community)
        if context is not None:
            shown.append((panel, context))
    return shown

"""Panels on a community's public page. Later apps add theirs (open surveys, published results)."""

from collections.abc import Callable
from dataclasses import dataclass

from clp.registry import Registry


@dataclass(frozen=True)
class CommunityPanel:
    key: str
    template: str
    order: int
    # Returns the panel's context for this community, or None when there is nothing to show.
    context: Callable[[object], dict | None]


registry: Registry[CommunityPanel] = Registry("community panel", order=lambda panel: panel.order)
register_panel = registry.register


def panels_for(community) -> list[tuple[CommunityPanel, dict]]:
    shown = []
    for panel in registry:
        context = panel.context(community)
        if context is not None:
            shown.append((panel, context))
    return shown

"""Panels on a community's public page. Later apps add theirs (open surveys, published results)."""

from clp import panels
from clp.panels import Panel
from clp.registry import Registry

registry: Registry[Panel] = Registry("community panel", order=lambda panel: panel.order)
register_panel = registry.register


def panels_for(community) -> list[tuple[Panel, dict]]:
    return panels.shown(registry, community)

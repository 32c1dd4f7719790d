"""Panels on the role-aware home page. Each app registers the panels it owns."""

from clp import panels
from clp.panels import Panel
from clp.registry import Registry

registry: Registry[Panel] = Registry("home panel", order=lambda panel: panel.order)
register = registry.register


def panels_for(user) -> list[tuple[Panel, dict]]:
    return panels.shown(registry, user)

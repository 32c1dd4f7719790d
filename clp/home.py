"""Panels on the role-aware home page. Each app registers the panels it owns."""

from collections.abc import Callable
from dataclasses import dataclass

from clp.registry import Registry


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    order: int
    # Returns the panel's context for this user, or None when the panel does not apply to them.
    context: Callable[[object], dict | None]


registry: Registry[HomePanel] = Registry("home panel", order=lambda panel: panel.order)
register = registry.register


def panels_for(user) -> list[tuple[HomePanel, dict]]:
    shown = []
    for panel in registry:
        context = panel.context(user)
        if context is not None:
            shown.append((panel, context))
    return shown

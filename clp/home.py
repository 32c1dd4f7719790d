"""Panels on the role-aware home page. Each app registers the panels it owns."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    order: int
    # Returns the panel's context for this user, or None when the panel does not apply to them.
    context: Callable[[object], dict | None]


_PANELS: dict[str, HomePanel] = {}


def register(panel: HomePanel) -> None:
    _PANELS[panel.key] = panel


def panels_for(user) -> list[tuple[HomePanel, dict]]:
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        context = panel.context(user)
        if context is not None:
            shown.append((panel, context))
    return shown

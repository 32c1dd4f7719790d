"""A panel on a page that later apps fill in (the home page, a community's page): one type and
one way to pick the panels that apply. Each page keeps its own `Registry` of them."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    order: int
    # Returns the panel's context for this subject (a user, a community), or None when the panel
    # does not apply to it.
    context: Callable[[object], dict | None]


def shown(panels: Iterable[Panel], subject) -> list[tuple[Panel, dict]]:
    """The panels that apply to `subject`, in order, each with its context."""
    result = []
    for panel in panels:
        context = panel.context(subject)
        if context is not None:
            result.append((panel, context))
    return result

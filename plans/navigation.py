"""Tabs on every plan page. plans registers its own; later apps (surveys, action plan) add theirs."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clp.registry import Registry


@dataclass(frozen=True)
class PlanTab:
    label: str
    url_name: str
    order: int


registry: Registry[PlanTab] = Registry("plan tab", key=lambda tab: tab.url_name,
                                      order=lambda tab: tab.order)
register_tab = registry.register


def tabs_for(plan, path: str = "") -> list[dict]:
    """The tabs in order; the current one is the tab whose address the page's path starts with."""
    tabs = [{"label": t.label, "url": reverse(t.url_name, kwargs={"pk": plan.pk})}
            for t in registry]
    overview = tabs[0]["url"] if tabs else ""
    matches = [t for t in tabs[1:] if path.startswith(t["url"])]
    current = max(matches, key=lambda t: len(t["url"]), default=None)
    for tab in tabs:
        tab["current"] = tab is current or (current is None and tab["url"] == overview == path)
    return tabs


def register_builtin_tabs() -> None:
    for order, (label, name) in enumerate([
        (_("Overview"), "plans:detail"), (_("Steering group"), "plans:members"),
        (_("Process plan"), "plans:milestones"), (_("Support and funding"), "plans:support"),
        (_("Meetings and events"), "plans:meetings"), (_("Evidence"), "plans:evidence"),
    ]):
        register_tab(PlanTab(label, name, order * 5))
    register_tab(PlanTab(_("Publications"), "plans:publications", 85))
    register_tab(PlanTab(_("History"), "plans:history", 90))

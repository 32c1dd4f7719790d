"""Tabs on every plan page. Later apps (surveys, action plan) register theirs here."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class PlanTab:
    label: str
    url_name: str
    order: int


_TABS: list[PlanTab] = []


def register_tab(tab: PlanTab) -> None:
    if tab not in _TABS:
        _TABS.append(tab)


def tabs_for(plan) -> list[dict]:
    return [{"label": t.label, "url": reverse(t.url_name, kwargs={"pk": plan.pk})}
            for t in sorted(_TABS, key=lambda t: t.order)]

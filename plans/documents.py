"""Document kinds that can be published as PDFs. Later apps register theirs in `AppConfig.ready()`
(the plan and household summary from a frozen plan version, a survey's paper questionnaire), so
`plans` builds, checks and serves every kind without importing them.

A kind turns a Publication into the context of one Django template. The same template is the
document's HTML page and, with the print stylesheet, its PDF.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from clp.registry import Registry
from plans.permissions import VIEW_PLAN


@dataclass(frozen=True)
class Source:
    """What a publication is built from, as the kind found it for this plan."""

    title: str  # "Eastfield Ward Community Plan"
    label: str  # "Version 1"
    date: datetime  # the document's date: fixed, so the same input gives the same file
    is_public: bool  # listed on the community's public page once built


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str  # "The plan", "Household summary"
    template: str
    # Returns the Source for this plan and source id, or None when it is not the plan's.
    source: Callable[[object, int | None], Source | None]
    # Returns the template context for a publication (its plan and source id are set).
    context: Callable[[object], dict]
    # Headings the PDF must contain, checked in the extracted text before it is published.
    headings: Callable[[object], list[str]] = lambda publication: []
    pages: tuple[int, int] = (1, 500)  # bounds the page count must fall within
    large_print_pages: tuple[int, int] | None = None
    offers_large_print: bool = False
    # False when the source never changes (a frozen plan version): asking again returns the
    # document already built. True when it can be edited (a survey): asking again builds anew.
    rebuildable: bool = False
    # False when the document is built from input wiped after building (a leaflet's codes): it
    # then has no web page, and a failed one cannot be retried (make a new batch instead).
    web_page: bool = True
    # Who may download it while it is not public (plans.view_plan unless the file holds secrets).
    private_perm: str = VIEW_PLAN
    private_note: str = ""  # shown on its page, e.g. why only the steering group may open it
    # For kinds built from one of several records of the plan (a meeting pack, for a meeting):
    # returns (source id, label) pairs, offered on the plan's Publications page.
    choices: Callable[[object], list[tuple[int, str]]] | None = None
    choice_label: str = ""  # the label of that choice, e.g. "For the meeting"
    extra: dict = field(default_factory=dict)

    def page_bounds(self, large_print: bool) -> tuple[int, int]:
        return (self.large_print_pages or self.pages) if large_print else self.pages


registry: Registry[DocumentKind] = Registry("document kind")
register = registry.register
get_kind = registry.get


def kinds() -> list[DocumentKind]:
    return list(registry)

"""Permission rows for the support officer's portfolio (merged into tests/permissions.py)."""

from actions.portfolio.models import SavedFilter
from tests.conftest import PERSONAS
from tests.permissions import OFFICERS, Row, expect


def org(w):
    return {"pk": w.organisation.pk}


def extend_world(world) -> None:
    world.saved_filter = SavedFilter.objects.create(
        officer=world.people["officer"], organisation=world.organisation, name="Stalled",
        query="flag=stalled")


# Only the officer who saved a filter may remove it: the site admin gets 404 like everyone else.
ONLY_ITS_OFFICER = dict.fromkeys(PERSONAS, 404) | {"officer": 302, "anonymous": 302}

ROWS = {
    "portfolio:overview": Row(org, expect(OFFICERS)),
    "portfolio:export": Row(lambda w: {**org(w), "fmt": "csv"}, expect(OFFICERS)),
    "portfolio:filter_save": Row(org, expect(OFFICERS, ok=302), method="post",
                                 data=lambda w: {"name": "Mine", "query": "flag=stalled"}),
    "portfolio:filter_delete": Row(lambda w: {**org(w), "fid": w.saved_filter.pk},
                                   ONLY_ITS_OFFICER, method="post"),
    "portfolio:message": Row(org, expect(OFFICERS), data=lambda w: {"plans": [w.plan.pk]}),
}

"""Permission rows for the support officer's portfolio (merged into tests/permissions.py)."""

from actions.portfolio.models import SavedFilter
from consultation.models import QuestionKind, StandardQuestion
from tests.conftest import PERSONAS
from tests.permissions import EDIT_PLAN, OFFICERS, PUBLIC, Row, expect


def org(w):
    return {"pk": w.organisation.pk}


def extend_world(world) -> None:
    world.saved_filter = SavedFilter.objects.create(
        officer=world.people["officer"], organisation=world.organisation, name="Stalled",
        query="flag=stalled")
    world.standard = StandardQuestion.objects.create(
        organisation=world.organisation, kind=QuestionKind.YES_NO,
        text="Would you use a community minibus?")


def standard(w):
    return {**org(w), "qid": w.standard.pk}


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
    "portfolio:bank": Row(org, expect(OFFICERS)),
    "portfolio:bank_kind": Row(org, expect(OFFICERS)),
    "portfolio:bank_new": Row(lambda w: {**org(w), "kind": "single"}, expect(OFFICERS)),
    "portfolio:bank_edit": Row(standard, expect(OFFICERS)),
    "portfolio:bank_retire": Row(standard, expect(OFFICERS, ok=302), method="post"),
    # Published results only, with small numbers hidden: anyone may look.
    "portfolio:compare": Row(standard, PUBLIC),
    # The survey builder's page (a consultation URL, kept here beside the bank it reads).
    "consultation:standard_add": Row(
        lambda w: {"pk": w.plan.pk, "sid": w.survey.pk, "sec": w.section.pk}, EDIT_PLAN),
}

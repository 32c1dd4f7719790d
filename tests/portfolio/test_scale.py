"""`manage.py generate_portfolio`: a large portfolio for scale checks, made through the services."""

import io

import pytest
from django.core.management import CommandError, call_command

from actions.models import Action
from actions.portfolio import rows as portfolio
from actions.portfolio import scale
from consultation.models import Response


def test_it_grows_the_portfolio_to_the_number_asked_and_is_safe_to_run_again(world):
    out = io.StringIO()
    call_command("generate_portfolio", communities=20, organisation="Wessex Action", stdout=out)
    assert "Added 19 communities" in out.getvalue()  # Wicketby was already there
    call_command("generate_portfolio", communities=20, organisation="Wessex Action",
                 stdout=io.StringIO())
    assert world.organisation.communities.count() == 20
    made = world.organisation.communities.filter(name__startswith=scale.PREFIX)
    assert made.count() == 19
    # Every tenth has survey responses, every fourth has actions, each one a chair and a plan.
    # (numbered on from Wicketby: 2 to 20, so numbers 10 and 20 have surveys, 4 to 20 actions)
    assert Response.objects.filter(survey__plan__community__in=made).count() \
        == 2 * scale.SURVEY_RESPONSES
    assert Action.objects.filter(priority__plan__community__in=made).count() \
        == 5 * scale.PRIORITIES * scale.ACTIONS
    rows = [r for r in portfolio.portfolio_rows(world.organisation) if r.community in made]
    assert all(r.plan is not None and r.plan.status == "active" for r in rows)
    assert len({r.community.district for r in rows}) == scale.DISTRICTS
    shown = set().union(*(r.flag_keys for r in rows))
    assert {portfolio.PortfolioFlag.STALLED, portfolio.PortfolioFlag.NO_COUNCILLOR} <= shown


def test_it_refuses_an_unknown_organisation(db):
    with pytest.raises(CommandError, match="no organisation called"):
        call_command("generate_portfolio", communities=5, organisation="Nowhere",
                     stdout=io.StringIO())

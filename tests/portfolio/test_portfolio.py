"""The support officer's portfolio: figures, health flags with reasons, filters, export, scale."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import (
    EndorsementRequest,
    PlanReview,
    PlanVersion,
    ReviewDecision,
    ReviewOutcome,
    Section,
    UpdateStatus,
)
from actions.portfolio import rows as portfolio
from consultation.models import BaselineFigure, PopulationBaseline
from plans.models import ChecklistEntry, CouncillorLink, EventKind, PlanEvent, PlanStatus, Role
from plans.steps import Step
from tests import factories
from tests.actions.factories import ActionFactory, PriorityFactory
from tests.consultation.analysis_data import add_responses, analysis_survey


def _url(world, name="portfolio:overview", **kwargs):
    return reverse(name, kwargs={"pk": world.organisation.pk, **kwargs})


def _community(world, name, *, district="Mid Wessex", households=None, step=Step.TAKING_STOCK,
               days_in_step=0, councillor=True, **plan_fields):
    community = factories.CommunityFactory(name=name, district=district, households=households)
    world.organisation.communities.add(community)
    plan = factories.PlanFactory(community=community, title=f"{name} plan", step=step,
                                 step_entered_at=timezone.now() - timedelta(days=days_in_step),
                                 **plan_fields)
    if councillor:
        CouncillorLink.objects.create(plan=plan, councillor=world.people["councillor"]
                                      .councillor_profile)
    return plan


def _event(plan, actor=None, days_ago=0):
    return PlanEvent.objects.create(plan=plan, actor=actor, kind=EventKind.CONTENT,
                                    summary="Did something",
                                    at=timezone.now() - timedelta(days=days_ago))


def _row(world, plan):
    rows = portfolio.portfolio_rows(world.organisation)
    return next(r for r in rows if r.plan is not None and r.plan.pk == plan.pk)


def test_the_table_shows_each_plans_figures(world):
    plan = _community(world, "Ashby", households=200)
    _event(plan, days_ago=3)
    survey, q, options, cats, age_options = analysis_survey(plan)
    add_responses(survey, q, options, cats, age_options, [(50, {"yes": True})])
    priority = PriorityFactory(plan=plan)
    ActionFactory(priority=priority, progress=UpdateStatus.DONE)
    ActionFactory(priority=priority, target_date=timezone.localdate() - timedelta(days=2))
    ActionFactory(priority=priority, progress=UpdateStatus.DROPPED)
    EndorsementRequest.objects.create(plan=plan, councillor=world.people["councillor"]
                                      .councillor_profile, message="Please",
                                      respond_by=timezone.localdate())
    row = _row(world, plan)
    assert (row.plan.responses, row.response_rate) == (50, 25.0)
    assert (row.plan.actions_total, row.plan.actions_done, row.done_share) == (2, 1, 50.0)
    assert (row.plan.actions_overdue, row.plan.endorsements_pending) == (1, 1)
    page = world.client("officer").get(_url(world)).text
    assert "50 (25% of households)" in page and "50% of 2" in page
    assert plan.get_absolute_url() in page  # drill-down to the plan


def test_a_plan_with_no_activity_for_weeks_is_flagged_stalled_with_the_reason(world, settings):
    settings.PORTFOLIO_STALLED_DAYS = 60
    quiet = _community(world, "Quietby")
    _event(quiet, days_ago=75)
    busy = _community(world, "Busyby")
    _event(busy, days_ago=5)
    flags = {f.key: f.why for f in _row(world, quiet).flags}
    assert flags[portfolio.PortfolioFlag.STALLED].startswith("No activity for 75 days")
    assert portfolio.PortfolioFlag.STALLED not in _row(world, busy).flag_keys


def test_a_plan_long_at_a_gate_with_unticked_items_is_stuck_and_names_them(world, settings):
    settings.PORTFOLIO_GATE_DAYS = 90
    stuck = _community(world, "Stuckby", step=Step.GETTING_STARTED, days_in_step=100)
    ChecklistEntry.objects.create(plan=stuck, key="councillors_told", kind="tick")
    factories.MeetingFactory(plan=stuck)  # the computed item: an open meeting recorded
    why = {f.key: f.why for f in _row(world, stuck).flags}[portfolio.PortfolioFlag.STUCK]
    assert why.startswith("100 days at step 1 with 1 item not done")
    assert "Parish or town council informed" in why and "Councillors of each tier" not in why
    fresh = _community(world, "Freshby", step=Step.GETTING_STARTED, days_in_step=10)
    assert portfolio.PortfolioFlag.STUCK not in _row(world, fresh).flag_keys


def test_a_plan_long_at_a_gate_on_a_computed_item_is_stuck_and_a_waiver_clears_it(world, settings):
    settings.PORTFOLIO_GATE_DAYS = 90
    stuck = _community(world, "Chairless", step=Step.STEERING_GROUP, days_in_step=100,
                       terms_of_reference="We meet monthly.")
    factories.MembershipFactory.create_batch(3, plan=stuck)
    why = {f.key: f.why for f in _row(world, stuck).flags}[portfolio.PortfolioFlag.STUCK]
    assert why == "100 days at step 2 with 1 item not done: The steering group has a chair."
    ChecklistEntry.objects.create(plan=stuck, key="has_chair", kind="waiver", note="Rotating")
    assert portfolio.PortfolioFlag.STUCK not in _row(world, stuck).flag_keys


def _stuck_page(world, plan) -> str:
    """The officer's portfolio filtered to "Stuck at a gate": the plan listed, or not."""
    page = world.client("officer").get(_url(world), {"flag": portfolio.PortfolioFlag.STUCK}).text
    return page if plan.title in page else ""


def test_a_plan_long_at_the_smart_check_is_stuck_and_fixing_the_action_clears_it(world, settings):
    settings.PORTFOLIO_GATE_DAYS = 90
    plan = _community(world, "Vagueby", step=Step.FINALISING, days_in_step=100)
    ChecklistEntry.objects.create(plan=plan, key="plan_adopted", kind="tick")
    PlanVersion.objects.create(plan=plan, number=plan.version, data={})
    action = ActionFactory(priority=PriorityFactory(plan=plan, section=Section.COMMUNITY), measure="")
    why = {f.key: f.why for f in _row(world, plan).flags}[portfolio.PortfolioFlag.STUCK]
    assert why == ("100 days at step 7 with 1 item not done: Every priority has actions, and every "
                   "action passes the SMART check.")
    page = _stuck_page(world, plan)
    assert "Every priority has actions, and every action passes the SMART check" in page
    action.measure = "Bins emptied weekly"
    action.save()
    assert portfolio.PortfolioFlag.STUCK not in _row(world, plan).flag_keys
    assert not _stuck_page(world, plan)


@pytest.mark.parametrize("status", [PlanStatus.ACTIVE, PlanStatus.PAUSED])
def test_a_plan_long_at_its_review_without_holding_it_is_stuck_until_it_is_held(world, settings,
                                                                                  status):
    settings.PORTFOLIO_GATE_DAYS = 90
    plan = _community(world, "Heldby", step=Step.REVIEWING, days_in_step=120, status=status)
    action = ActionFactory(priority=PriorityFactory(plan=plan))
    why = {f.key: f.why for f in _row(world, plan).flags}[portfolio.PortfolioFlag.STUCK]
    assert why == "120 days at step 9 with 1 item not done: A review has been held."
    counts = {k: n for k, _label, n in portfolio.flag_counts(portfolio.portfolio_rows(world.organisation))}
    assert counts[portfolio.PortfolioFlag.STUCK] == 1
    assert "A review has been held" in _stuck_page(world, plan)
    # A review started but not finished (no minute reference yet) still holds the plan.
    review = PlanReview.objects.create(plan=plan, version=plan.version, held_on=timezone.localdate())
    ReviewDecision.objects.create(review=review, action=action, outcome=ReviewOutcome.CARRY)
    assert portfolio.PortfolioFlag.STUCK in _row(world, plan).flag_keys
    review.minute_reference = "SG 2027/3"
    review.save()
    assert portfolio.PortfolioFlag.STUCK not in _row(world, plan).flag_keys
    assert not _stuck_page(world, plan)


def test_one_person_doing_most_of_the_recent_work_is_named(world, settings):
    settings.PORTFOLIO_DEPENDENCY_SHARE, settings.PORTFOLIO_DEPENDENCY_MIN_EVENTS = 75, 5
    plan = _community(world, "Soloby")
    chair, member = world.people["chair"], world.people["member"]
    for _ in range(8):
        _event(plan, chair, days_ago=10)
    _event(plan, member, days_ago=10)
    _event(plan, member, days_ago=200)  # outside the 90 days: not counted
    why = {f.key: f.why for f in _row(world, plan).flags}[portfolio.PortfolioFlag.ONE_PERSON]
    assert why == "Cath Chair did 8 of the 9 things recorded in the last 90 days."
    _event(plan, member, days_ago=1)
    _event(plan, member, days_ago=1)
    assert portfolio.PortfolioFlag.ONE_PERSON not in _row(world, plan).flag_keys  # 8 of 11


def test_a_plan_without_a_councillor_is_flagged(world):
    plan = _community(world, "Lonely", councillor=False)
    assert _row(world, plan).flag_keys >= {portfolio.PortfolioFlag.NO_COUNCILLOR}
    linked = _community(world, "Linked")
    assert portfolio.PortfolioFlag.NO_COUNCILLOR not in _row(world, linked).flag_keys


def test_a_group_heard_at_under_half_its_population_share_is_flagged(world):
    plan = _community(world, "Agedby")
    survey, q, options, cats, age_options = analysis_survey(plan)
    add_responses(survey, q, options, cats, age_options,
                  [(5, {"age": "young"}), (95, {"age": "old"})])
    baseline = PopulationBaseline.objects.create(dimension=cats["young"].dimension,
                                                 source="Census 2021", year=2021)
    BaselineFigure.objects.create(baseline=baseline, category=cats["young"], count=300)
    BaselineFigure.objects.create(baseline=baseline, category=cats["old"], count=700)
    why = {f.key: f.why for f in _row(world, plan).flags}[portfolio.PortfolioFlag.LOW_REPRESENTATION]
    assert why == "Under half their population share: 18 to 24: 5% of respondents, 30% of residents."


def test_the_group_counts_are_kept_until_the_survey_has_new_answers(world):
    plan = _community(world, "Agedby")
    survey, q, options, cats, age_options = analysis_survey(plan)
    add_responses(survey, q, options, cats, age_options,
                  [(5, {"age": "young"}), (95, {"age": "old"})])
    baseline = PopulationBaseline.objects.create(dimension=cats["young"].dimension,
                                                 source="Census 2021", year=2021)
    BaselineFigure.objects.create(baseline=baseline, category=cats["young"], count=300)
    BaselineFigure.objects.create(baseline=baseline, category=cats["old"], count=700)
    assert portfolio.PortfolioFlag.LOW_REPRESENTATION in _row(world, plan).flag_keys
    with CaptureQueriesContext(connection) as again:
        _row(world, plan)
    assert not [q["sql"] for q in again.captured_queries if 'FROM "consultation_answer"' in q["sql"]]
    add_responses(survey, q, options, cats, age_options, [(60, {"age": "young"})])
    assert portfolio.PortfolioFlag.LOW_REPRESENTATION not in _row(world, plan).flag_keys


def test_a_plan_a_year_past_its_frozen_version_has_its_review_overdue(world):
    plan = _community(world, "Lateby", step=Step.IMPLEMENTING)
    PlanVersion.objects.create(plan=plan, number=1, data={},
                               frozen_at=timezone.now() - timedelta(days=400))
    row = _row(world, plan)
    assert row.review_due < timezone.localdate()
    assert {f.key: f.why for f in row.flags}[portfolio.PortfolioFlag.REVIEW_OVERDUE].startswith(
        "The review was due on ")
    recent = _community(world, "Recentby", step=Step.IMPLEMENTING)
    PlanVersion.objects.create(plan=recent, number=1, data={})
    assert portfolio.PortfolioFlag.REVIEW_OVERDUE not in _row(world, recent).flag_keys


def test_filters_by_district_and_flag_and_sorts(world):
    _community(world, "Alpha", district="North", councillor=False)
    _community(world, "Beta", district="North")
    _community(world, "Gamma", district="South", councillor=False)
    client = world.client("officer")
    page = client.get(_url(world), {"district": "North", "flag": "no_councillor"}).text
    assert "Alpha plan" in page and "Beta plan" not in page and "Gamma plan" not in page
    page = client.get(_url(world), {"sort": "community", "order": "desc"}).text
    assert page.index("Gamma plan") < page.index("Beta plan") < page.index("Alpha plan")
    assert 'aria-sort="descending"' in page


def test_the_chart_counts_plans_at_each_step_with_a_table_alternative(world):
    _community(world, "Alpha", step=Step.DRAFTING)
    _community(world, "Beta", step=Step.DRAFTING)
    counts = {step: n for step, _label, n in portfolio.step_counts(
        portfolio.portfolio_rows(world.organisation))}
    assert counts[Step.DRAFTING] == 2 and len(counts) == 9
    page = world.client("officer").get(_url(world)).text
    assert "Bar chart, Plans at each of the nine steps" in page and "6. Drafting your plan" in page


def test_export_downloads_the_filtered_table_as_csv_and_xlsx(world):
    _community(world, "Alpha", councillor=False)
    _community(world, "Beta")
    client = world.client("officer")
    response = client.get(_url(world, "portfolio:export", fmt="csv"), {"flag": "no_councillor"})
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert table[0][:4] == ["Community", "District", "Households", "Plan"]
    assert table[-1][0] == "End of file"  # a whole file says so
    assert [r[0] for r in table[1:-1]] == ["Alpha"]
    assert "No councillor is attached" in table[1][-1]
    response = client.get(_url(world, "portfolio:export", fmt="xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} >= {"Alpha", "Beta",
                                                                               "Wicketby"}


def test_a_community_without_a_plan_offers_to_start_one(world):
    community = factories.CommunityFactory(name="Upper Wicket", slug="upper-wicket")
    world.organisation.communities.add(community)
    page = world.client("officer").get(_url(world)).text
    assert "No plan yet." in page and reverse("plans:create", args=["upper-wicket"]) in page


@pytest.mark.parametrize("name", ["portfolio:overview", "portfolio:export", "portfolio:message"])
def test_an_officer_of_another_organisation_gets_404(world, name):
    other = factories.OrganisationFactory(name="Elsewhere Action")
    stranger = factories.UserFactory(email="stranger@test.org")
    other.officers.add(stranger)
    from django.test import Client

    client = Client()
    client.force_login(stranger)
    kwargs = {"fmt": "csv"} if name == "portfolio:export" else {}
    assert client.get(_url(world, name, **kwargs)).status_code == 404
    if name == "portfolio:message":
        response = client.post(_url(world, name), {"plans": [world.plan.pk], "subject": "Hi",
                                                   "body": "Hello"})
        assert response.status_code == 404


def _grow(world, n):
    """n communities, each with a plan, a councillor, history, a survey response and actions."""
    profile = world.people["councillor"].councillor_profile
    chair = world.people["chair"]
    for i in range(n):
        plan = _community(world, f"Grown {world.organisation.communities.count()}-{i}",
                          district=f"District {i % 4}", households=100)
        factories.MembershipFactory(plan=plan, user=chair, role=Role.CHAIR)
        _event(plan, chair, days_ago=i % 100)
        ActionFactory(priority=PriorityFactory(plan=plan))
        EndorsementRequest.objects.create(plan=plan, councillor=profile, message="Please",
                                          respond_by=timezone.localdate())


QUERY_BOUND = 20  # 13 measured at both sizes; the margin is for representativeness data


def _page_queries(client, url, params=None) -> tuple[int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return len(queries), body


def test_the_portfolio_runs_the_same_bounded_queries_at_30_and_300(world):
    """Page one, page two and the export cost the same number of queries at both sizes."""
    survey, q, options, cats, age_options = analysis_survey(world.plan)
    add_responses(survey, q, options, cats, age_options, [(3, {"age": "young"})])
    client = world.client("officer")
    counts = {}
    for size, grow in [(30, 29), (300, 270)]:  # with Wicketby: 30 communities, then 300
        _grow(world, grow)
        first, page = _page_queries(client, _url(world))
        assert page.decode().count('name="plans"') == min(size, 50)
        second, page = _page_queries(client, _url(world), {"page": 2})
        assert 'name="plans"' in page.decode()
        export, body = _page_queries(client, _url(world, "portfolio:export", fmt="csv"))
        # the header, one line per community and the "End of file" line
        assert len(body.splitlines()) == size + 2
        counts[size] = (first, second, export)
    assert counts[30] == counts[300]
    assert max(counts[300]) <= QUERY_BOUND


def test_portfolio_rows_gives_a_digest_the_flags_without_a_request(world):
    _community(world, "Lonely", councillor=False)
    flagged = [r.community.name for r in portfolio.portfolio_rows(world.organisation)
               if portfolio.PortfolioFlag.NO_COUNCILLOR in r.flag_keys]
    assert flagged == ["Lonely"]


def test_the_demo_portfolio_shows_every_flag_at_least_once(db):
    import io

    from django.core.management import call_command

    from clp.models import Organisation

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # safe to run twice
    rows = portfolio.portfolio_rows(Organisation.objects.get(name="Downshire Community Action"))
    shown = set().union(*(r.flag_keys for r in rows))
    assert shown == {key for key, _label in portfolio.PortfolioFlag.choices}
    assert sum(1 for r in rows if r.community.name == "Hollowell") == 1

"""One rule per flag: every page, download and document shows the same "clear mandate" and
"minority need", and the register's figures are the same on screen and in its CSV."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from actions import services as action_services
from actions import versions
from actions.models import Section
from actions.views.priorities import _initial_from_issue
from consultation.analysis import flags
from consultation.analysis.issues import issue_support, issues_register
from consultation.models import (
    Answer,
    BaselineFigure,
    Issue,
    PopulationBaseline,
    Question,
    QuestionKind,
    Response,
    Survey,
)
from consultation.models import Section as Page
from tests.actions.factories import PriorityFactory
from tests.consultation.analysis_data import add_responses, analysis_survey


def _issue(plan, title, answers):
    issue = Issue.objects.create(plan=plan, title=title, description="x")
    issue.answers.add(*answers)
    return issue


def _rated(plan, issue, ratings):
    """A closed priorities round in which people rated `issue` on a 1–5 scale."""
    survey = Survey.objects.create(plan=plan, title=f"Round {issue.pk}", kind="priorities", status="closed")
    page = Page.objects.create(survey=survey, title="Rate", position=0)
    q = Question.objects.create(survey=survey, section=page, kind=QuestionKind.RATING, text="How important?",
                                position=0, issue=issue, scale_min=1, scale_max=5)
    for rating in ratings:
        response = Response.objects.create(survey=survey, status="submitted")
        Answer.objects.create(response=response, question=q, number=rating)


@pytest.fixture
def register(world):
    """100 people answered the open survey: 25 raised speeding; 1 raised the bus, which 12 of 15
    rated important in the priorities round; 1 raised a dog bin, which the 1 person who rated it
    rated important."""
    survey, q, options, cats, age_options = analysis_survey(world.plan)
    responses = add_responses(survey, q, options, cats, age_options, [
        (25, {"text": "Speeding cars", "age": "old"}),
        (1, {"text": "The bus", "age": "old"}),
        (1, {"text": "A dog bin", "age": "old"}),
        (73, {"yes": True, "age": "old"}),
    ])
    text_answers = list(Answer.objects.filter(response__in=responses, question=q["text"]).order_by("pk"))
    speeding = _issue(world.plan, "Speeding", text_answers[:25])
    bus = _issue(world.plan, "Bus service", text_answers[25:26])
    dog_bin = _issue(world.plan, "Dog bin", text_answers[26:27])
    _rated(world.plan, bus, [5] * 8 + [4] * 4 + [2] * 3)
    _rated(world.plan, dog_bin, [5])
    return {"speeding": speeding, "bus": bus, "dog_bin": dog_bin}


def _everywhere(world, issue) -> dict[str, str]:
    """Every place a volunteer, a councillor or a resident can meet the issue's flag."""
    plan, client = world.plan, world.client("member")
    initial = _initial_from_issue(plan, {"issue": str(issue.pk)})
    priority = PriorityFactory(plan=plan, section=Section.HELP, title=issue.title, why=initial["why"])
    action_services.draft_publish(plan=plan, publish=True, actor=world.people["chair"])
    csv = b"".join(client.get(reverse("consultation:issues_download", args=[plan.pk, "csv"]))
                   .streaming_content).decode()
    row = next(line for line in csv.splitlines() if line.startswith(issue.title + ","))
    places = {
        "register": client.get(reverse("consultation:issues", args=[plan.pk])).text,
        "download": row,
        "issue page": client.get(issue.get_absolute_url()).text,
        "priority pre-fill": html.escape(initial["why"]),
        "councillor review": world.client("councillor").get(
            reverse("actions:respond", args=[plan.pk, priority.pk])).text,
        "public draft": Client().get(reverse("actions:public_draft", args=[plan.pk])).text,
        "frozen version": html.escape(next(p["why"] for p in versions.snapshot(plan)["priorities"]
                                           if p["id"] == priority.pk)),
    }
    priority.delete()
    return places


def _register_row(page: str, title: str) -> str:
    start = page.index(f">{title}</a>")
    return page[start:page.index("</tr>", start)]


@pytest.mark.parametrize("name, mandate", [("speeding", True), ("bus", True), ("dog_bin", False)])
def test_clear_mandate_is_identical_on_every_page_and_download(world, register, name, mandate):
    issue = register[name]
    reason = issue_support(issue)["mandate_reason"]
    assert bool(reason) is mandate
    places = _everywhere(world, issue)
    places["register"] = _register_row(places["register"], issue.title)
    for place, text in places.items():
        assert "Broad support" not in text, place
        if mandate:
            assert html.escape(reason) in text, place
        else:
            assert 'status-done">Clear mandate' not in text, place
            assert "Clear mandate: 1 of" not in text, place


def test_mandate_wording_says_what_it_rests_on(world, register):
    speeding = issue_support(register["speeding"])["mandate_reason"]
    assert speeding == ("Clear mandate: 25 of the 100 people who answered an open survey raised it (25%).")
    bus = issue_support(register["bus"])["mandate_reason"]
    assert bus == ("Clear mandate: 12 of the 15 people who rated it in the priorities round said it "
                   "is important or very important (80%).")


def test_one_person_raising_and_rating_an_issue_is_no_mandate(world, register):
    # Raised by 1 of 100 and rated important by the only person who rated it.
    support = issue_support(register["dog_bin"])
    assert support["rating"]["important_share"] == 1.0
    assert not support["mandate"]
    rows = {i.title: i for i in issues_register(world.plan)["issues"]}
    assert not rows["Dog bin"].mandate
    assert rows["Bus service"].mandate  # the register counts the priorities round too


def test_mandate_needs_at_least_ten_respondents():
    assert not flags.Mandate(raised=3, respondents=9)
    assert flags.Mandate(raised=2, respondents=10)
    assert not flags.Mandate(raised=0, respondents=0, raters=9, important=9)
    assert flags.Mandate(raised=0, respondents=0, raters=10, important=6)


def test_register_shows_the_same_percentage_on_screen_and_in_its_csv(world):
    survey, q, options, cats, age_options = analysis_survey(world.plan)
    responses = add_responses(survey, q, options, cats, age_options, [
        (1, {"text": "Potholes", "age": "old"}), (7, {"yes": True, "age": "old"})])
    _issue(world.plan, "Potholes", Answer.objects.filter(response__in=responses, question=q["text"]))
    page = world.client("member").get(reverse("consultation:issues", args=[world.plan.pk])).text
    url = reverse("consultation:issues_download", args=[world.plan.pk, "csv"])
    download = world.client("member").get(url)
    csv = b"".join(download.streaming_content).decode()
    assert "1 (13%)" in _register_row(page, "Potholes")  # 1 of 8 is 12.5%: halves round up
    assert "Potholes,x,,,1,13%," in csv


def _baseline(dimension, figures):
    baseline = PopulationBaseline.objects.create(dimension=dimension, source="Census 2021", year=2021)
    for category, count in figures.items():
        BaselineFigure.objects.create(baseline=baseline, category=category, count=count)


def test_minority_need_compares_with_the_population_where_there_are_figures(world):
    survey, q, options, cats, age_options = analysis_survey(world.plan)
    # The young are 10% of those who answered but half of the parish: under-sampled, not a minority.
    responses = add_responses(survey, q, options, cats, age_options, [
        (8, {"text": "Nowhere to meet", "age": "young"}), (2, {"text": "Nowhere to meet", "age": "old"}),
        (90, {"yes": True, "age": "old"})])
    issue = _issue(world.plan, "Nowhere to meet",
                   Answer.objects.filter(response__in=responses, question=q["text"]))
    rows = {i.title: i for i in issues_register(world.plan)["issues"]}
    assert rows["Nowhere to meet"].minority_groups == ["18 to 24"]  # no population figures yet
    _baseline(cats["young"].dimension, {cats["young"]: 500, cats["old"]: 500})
    rows = {i.title: i for i in issues_register(world.plan)["issues"]}
    assert rows["Nowhere to meet"].minority_groups == []
    support = issue_support(issue)
    assert support["minority"] == []
    page = world.client("member").get(issue.get_absolute_url()).text
    assert "Share of the population" in page and "Minority need</span>" not in page
    # Where the young really are a small part of the population, it is a minority need again.
    BaselineFigure.objects.filter(category=cats["young"]).update(count=100)
    rows = {i.title: i for i in issues_register(world.plan)["issues"]}
    assert rows["Nowhere to meet"].minority_groups == ["18 to 24"]
    assert "a small part of the population" in world.client("member").get(issue.get_absolute_url()).text

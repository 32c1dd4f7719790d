"""The shared question bank: officers keep standard questions, steering groups add them to their
surveys (a linked copy), and the answers are compared across the portfolio with each survey's own
public suppression, so nobody can work out a hidden count from the comparison page."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.portfolio import compare
from consultation import analysis, services
from consultation.models import Answer, QuestionKind, StandardQuestion, SurveyStatus
from consultation.services.evidence import results_set_published
from plans.models import Role
from tests import factories

SAFE = ["Very safe", "Fairly safe", "Not safe"]


@pytest.fixture
def standard(world):
    return StandardQuestion.objects.create(
        organisation=world.organisation, kind=QuestionKind.SINGLE, required=True,
        text="How safe do you feel walking after dark?", options=SAFE)


def parish(world, name, district="Mid Wessex"):
    community = factories.CommunityFactory(name=name, district=district)
    world.organisation.communities.add(community)
    plan = factories.PlanFactory(community=community, title=f"{name} plan")
    factories.MembershipFactory(plan=plan, user=world.people["chair"], role=Role.CHAIR)
    return plan


def survey_asking(world, plan, standard, answers: dict, *, publish=True, status=SurveyStatus.OPEN):
    """A survey of `plan` with the standard question, and `answers` {label: how many}."""
    chair = world.people["chair"]
    survey = services.survey_create(plan=plan, title=f"{plan.community.name} survey", kind="open",
                                    actor=chair)
    question = services.standard_question_add(standard=standard, section=survey.sections.get(),
                                              actor=chair)
    if status == SurveyStatus.DRAFT:
        return survey, question
    survey = services.survey_open(survey=survey, actor=chair)
    for label, n in answers.items():
        option = question.options.get(label=label)
        for _i in range(n):
            services.response_enter(survey=survey, channel="paper", actor=chair,
                                    rows={question: [Answer(question=question, option=option)]})
    if publish:
        results_set_published(survey=survey, published=True, actor=chair)
        survey.results_published = True
    return survey, question


def compare_url(world, standard, **params):
    url = reverse("portfolio:compare", kwargs={"pk": world.organisation.pk, "qid": standard.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def row_of(page: str, community: str) -> str:
    """The table row of one community on the comparison page."""
    return next(r for r in page.split("<tr>") if f">{community}</a>" in r).split("</tr>")[0]


def numbers(html: str) -> list[int]:
    """The counts shown in table cells (a count, then its percentage)."""
    found = re.findall(r'<td class="text-end">(\d+)(?: \((\d+)%\))?', html)
    return [int(n) for pair in found for n in pair if n]


# --- the bank (officers) --------------------------------------------------------------------------

def test_an_officer_adds_a_standard_question_from_the_portfolio(world):
    client = world.client("officer")
    overview = client.get(world.organisation.get_absolute_url()).text
    bank = reverse("portfolio:bank", kwargs={"pk": world.organisation.pk})
    assert f'href="{bank}"' in overview
    assert "Add a standard question" in client.get(bank).text
    url = reverse("portfolio:bank_new", kwargs={"pk": world.organisation.pk, "kind": "single"})
    assert f'href="{url}"' in client.get(reverse("portfolio:bank_kind",
                                                 kwargs={"pk": world.organisation.pk})).text
    # One choice is not enough: the message is by the field and what was typed stays.
    refused = client.post(url, {"text": "How safe do you feel?", "options_text": "Very safe"})
    assert refused.status_code == 200
    assert "Enter at least two different choices, one per line" in refused.text
    assert "How safe do you feel?" in refused.text
    response = client.post(url, {"text": "How safe do you feel?", "required": "on",
                                 "options_text": "Very safe\nFairly safe\n\nNot safe\nvery safe",
                                 "allow_other": "on"})
    assert response.status_code == 302
    standard = StandardQuestion.objects.get()
    assert (standard.organisation, standard.kind, standard.options, standard.allow_other,
            standard.created_by) == (world.organisation, "single", SAFE, True,
                                     world.people["officer"])
    assert "How safe do you feel?" in client.get(bank).text


def test_an_about_you_question_keeps_its_groups(world):
    url = reverse("portfolio:bank_new", kwargs={"pk": world.organisation.pk, "kind": "demographic"})
    world.client("officer").post(url, {"dimension_kind": "age",
                                       "options_text": "Under 18\n18 to 64\n65 or over"})
    standard = StandardQuestion.objects.get()
    assert standard.text == "How old are you?" and standard.options == ["Under 18", "18 to 64",
                                                                       "65 or over"]
    survey = services.survey_create(plan=world.plan, title="Village", kind="open",
                                    actor=world.people["chair"])
    copy = services.standard_question_add(standard=standard, section=survey.sections.get(),
                                          actor=world.people["chair"])
    assert copy.dimension.kind == "age" and copy.dimension.plan == world.plan
    assert [(o.label, o.category.label) for o in copy.options.all()] == [
        ("Under 18", "Under 18"), ("18 to 64", "18 to 64"), ("65 or over", "65 or over"),
        ("Prefer not to say", "Prefer not to say")]


def test_editing_and_retiring_a_standard_question(world, standard):
    client = world.client("officer")
    edit = reverse("portfolio:bank_edit", kwargs={"pk": world.organisation.pk, "qid": standard.pk})
    assert "Very safe\nFairly safe\nNot safe" in client.get(edit).text
    client.post(edit, {"text": "How safe do you feel at night?", "required": "on",
                       "options_text": "Safe\nNot safe"})
    standard.refresh_from_db()
    assert (standard.text, standard.options) == ("How safe do you feel at night?", ["Safe", "Not safe"])
    retire = reverse("portfolio:bank_retire", kwargs={"pk": world.organisation.pk, "qid": standard.pk})
    client.post(retire)
    standard.refresh_from_db()
    assert standard.retired and list(services.standards_for(world.plan)) == []
    client.post(retire)
    standard.refresh_from_db()
    assert not standard.retired and list(services.standards_for(world.plan)) == [standard]


@pytest.mark.parametrize("persona", ["chair", "councillor", "resident"])
def test_only_officers_manage_the_bank(world, standard, persona):
    client = world.client(persona)
    pk = world.organisation.pk
    for url in [reverse("portfolio:bank", kwargs={"pk": pk}),
                reverse("portfolio:bank_new", kwargs={"pk": pk, "kind": "single"}),
                reverse("portfolio:bank_edit", kwargs={"pk": pk, "qid": standard.pk})]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("portfolio:bank_retire",
                               kwargs={"pk": pk, "qid": standard.pk})).status_code == 404
    assert not StandardQuestion.objects.get(pk=standard.pk).retired


# --- the survey builder (steering group) ----------------------------------------------------------

def test_the_survey_builder_offers_the_bank_and_copies_a_linked_question(world, standard):
    client = world.client("chair")
    survey = services.survey_create(plan=world.plan, title="Village", kind="open",
                                    actor=world.people["chair"])
    section = survey.sections.get()
    add = reverse("consultation:standard_add",
                  kwargs={"pk": world.plan.pk, "sid": survey.pk, "sec": section.pk})
    assert f'href="{add}"' in client.get(survey.get_absolute_url()).text
    kinds = reverse("consultation:question_kind",
                    kwargs={"pk": world.plan.pk, "sid": survey.pk, "sec": section.pk})
    assert f'href="{add}"' in client.get(kinds).text
    page = client.get(add).text
    assert "Question bank of Wessex Action" in page and standard.text in page
    nothing = client.post(add, {})
    assert nothing.status_code == 400 and "Choose a standard question to add" in nothing.text
    assert client.post(add, {"standard": standard.pk}).status_code == 302
    copy = survey.questions.get()
    assert (copy.standard, copy.text, copy.kind, copy.required) == (standard, standard.text,
                                                                    "single", True)
    assert [o.label for o in copy.options.all()] == SAFE
    again = client.post(add, {"standard": standard.pk})
    assert again.status_code == 400 and "already asks" in again.text
    assert survey.questions.count() == 1
    assert "This survey already asks it." in client.get(add).text


def test_a_community_outside_the_portfolio_gets_neither_the_link_nor_the_question(world, standard):
    other = world.other_plan  # the outsider chairs it; not in Wessex Action's portfolio
    chair = world.people["outsider"]
    survey = services.survey_create(plan=other, title="Elsewhere", kind="open", actor=chair)
    section = survey.sections.get()
    client = world.client("outsider")
    add = reverse("consultation:standard_add",
                  kwargs={"pk": other.pk, "sid": survey.pk, "sec": section.pk})
    assert f'href="{add}"' not in client.get(survey.get_absolute_url()).text
    response = client.post(add, {"standard": standard.pk})
    assert response.status_code == 400 and not survey.questions.exists()
    with pytest.raises(services.Refused):
        services.standard_question_add(standard=standard, section=section, actor=chair)


def test_members_who_cannot_edit_surveys_are_refused(world, standard):
    survey = services.survey_create(plan=world.plan, title="Village", kind="open",
                                    actor=world.people["chair"])
    add = reverse("consultation:standard_add", kwargs={
        "pk": world.plan.pk, "sid": survey.pk, "sec": survey.sections.get().pk})
    assert world.client("councillor").post(add, {"standard": standard.pk}).status_code == 403
    assert world.client("resident").post(add, {"standard": standard.pk}).status_code == 404
    assert not survey.questions.exists()


# --- comparing the answers ------------------------------------------------------------------------

@pytest.fixture
def compared(world, standard):
    """Three parishes: one with a small count (and a neighbour hidden to protect it), one with
    every figure shown, one whose results are not published; and a draft that never counts."""
    surveys = {
        "Ashby": survey_asking(world, parish(world, "Ashby", "North"), standard,
                               {"Very safe": 12, "Fairly safe": 15, "Not safe": 3}),
        "Brook": survey_asking(world, parish(world, "Brook", "South"), standard,
                               {"Very safe": 20, "Fairly safe": 20, "Not safe": 10}),
        "Cole": survey_asking(world, parish(world, "Cole", "South"), standard,
                              {"Very safe": 30, "Fairly safe": 10}, publish=False),
        "Dene": survey_asking(world, parish(world, "Dene", "South"), standard, {},
                              status=SurveyStatus.DRAFT),
    }
    return surveys


def test_the_comparison_shows_each_communitys_published_figures(world, standard, compared):
    page = Client().get(compare_url(world, standard)).text
    assert numbers(row_of(page, "Brook")) == [50, 20, 40, 20, 40, 10, 20]
    assert "Cole" not in page and "Dene" not in page  # unpublished, draft
    public = reverse("consultation:public_results",
                     kwargs={"public_id": compared["Brook"][0].public_id})
    assert f'href="{public}"' in page


def test_officers_also_see_unpublished_surveys_under_the_same_public_rules(world, standard,
                                                                          compared):
    page = world.client("officer").get(compare_url(world, standard)).text
    assert "results not published yet" in row_of(page, "Cole")
    assert numbers(row_of(page, "Cole")) == [40, 30, 75, 10, 25, 0, 0]
    assert "Dene" not in page
    # The officer may read every answer of Ashby's survey, yet the comparison hides as in public.
    ashby = row_of(page, "Ashby")
    assert "fewer than 10" in ashby and 3 not in numbers(ashby) and 12 not in numbers(ashby)


def test_a_hidden_count_cannot_be_read_or_worked_out_from_any_selection(world, standard, compared):
    """The attacker (the public, a councillor) sees Ashby's "Not safe" hidden, and the "Very
    safe" that would give it away by subtraction hidden too; choosing different sets of
    communities (all, by district, by page) shows the same figures for Ashby every time and
    never a sum over communities from which a hidden figure could be taken away."""
    survey, _question = compared["Ashby"]
    public = analysis.results_for(survey, viewer=None).questions[0]
    hidden = {c.label: c.hidden_label for c in public.cells if c.hidden}
    assert hidden == {"Not safe": "fewer than 10",
                      "Very safe": "hidden so that a smaller group cannot be worked out"}
    by_name = {name: public_figures(survey) for name, (survey, _q) in compared.items()
               if survey.results_published}
    for persona in ["anonymous", "councillor", "resident", "outsider"]:
        client = world.client(persona)
        seen = {}
        for selection in [{}, {"district": "North"}, {"district": "South"}, {"page": 2}]:
            page = client.get(compare_url(world, standard, **selection)).text
            # Whatever is selected, the page shows the shown surveys' public figures and
            # nothing else: no total over communities to take a hidden figure away from.
            shown = [name for name in by_name if f">{name}</a>" in page]
            assert numbers(page) == [n for name in shown for n in by_name[name]]
            if "Ashby" in shown:
                ashby = row_of(page, "Ashby")
                seen[str(selection)] = ashby
                assert "fewer than 10" in ashby
                assert "hidden so that a smaller group cannot be worked out" in ashby
                assert numbers(ashby) == [30, 15, 50]  # 30 answered; "Fairly safe" 15 (50%)
        assert len(set(seen.values())) == 1 and len(seen) == 3  # all, North, page 2 (the last)


def public_figures(survey) -> list[int]:
    """The numbers the survey's public results show for its one question, in order."""
    result = analysis.results_for(survey, viewer=None).questions[0]
    if result.hidden_all:
        return []
    return [result.answered] + [n for c in result.cells if not c.hidden
                                for n in (c.count, c.whole_percent)]


def test_a_small_survey_shows_no_figures_at_all(world, standard):
    survey_asking(world, parish(world, "Tiny"), standard, {"Very safe": 4, "Not safe": 2})
    row = row_of(Client().get(compare_url(world, standard)).text, "Tiny")
    assert "Fewer than 10 people answered, so the answers are not shown." in row
    assert numbers(row) == []


def test_a_reworded_copy_says_how_it_was_asked(world, standard, compared):
    _survey, question = compared["Brook"]
    services.question_update(question=question, fields={"text": "Do you feel safe at night?"},
                             actor=world.people["chair"])
    row = row_of(Client().get(compare_url(world, standard)).text, "Brook")
    assert "Asked as: “Do you feel safe at night?”" in row


def test_the_community_page_links_to_the_comparison(world, standard, compared):
    community = compared["Brook"][0].plan.community
    page = Client().get(community.get_absolute_url()).text
    assert "Compared with other communities" in page
    assert f'href="{compare_url(world, standard)}"' in page
    # Cole's results are not published: nothing on its page points to its figures.
    assert "Compared with other communities" not in Client().get(
        compared["Cole"][0].plan.community.get_absolute_url()).text


def test_the_bank_counts_the_surveys_asking_each_question(world, standard, compared):
    page = world.client("officer").get(reverse("portfolio:bank",
                                               kwargs={"pk": world.organisation.pk})).text
    assert "3 with results published" not in page and "2 with results published" in page
    assert f'href="{compare_url(world, standard)}"' in page


def _compare_queries(client, url) -> int:
    client.get(url)  # counts cached for each survey's current answers, as after any visit
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_comparison_costs_the_same_queries_for_25_and_45_surveys(world, standard):
    client = world.client("officer")
    counts = []
    for target in (25, 45):
        while compare.copies(standard, unpublished=True).count() < target:
            n = compare.copies(standard, unpublished=True).count()
            survey_asking(world, parish(world, f"Parish {n:03d}", f"District {n % 3}"), standard,
                          {"Very safe": n % 4, "Fairly safe": 10})
        counts.append(_compare_queries(client, compare_url(world, standard)))
    assert counts[0] == counts[1]
    assert _compare_queries(client, compare_url(world, standard, page=2)) <= counts[0]


def test_the_demo_bank_is_offered_to_the_demos_steering_groups(db):
    import io

    from django.core.management import call_command

    from clp.models import Organisation
    from plans.models import Plan

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # safe to run twice
    organisation = Organisation.objects.get(name="Downshire Community Action")
    assert organisation.standard_questions.count() == 4
    bramley = Plan.objects.filter(community__slug="bramley-green").first()
    assert services.standards_for(bramley).count() == 4

"""Every Evidence write made from a page goes through a service and is in the plan's history."""

import pytest
from django.urls import reverse

from clp.models import AuditEvent, AuditKind
from consultation.models import Answer, Issue, PublishedText, Theme
from tests.consultation.analysis_data import add_responses, analysis_survey


@pytest.fixture
def data(world):
    survey, q, options, cats, age_options = analysis_survey(world.plan)
    add_responses(survey, q, options, cats, age_options, [
        (3, {"text": "Too much speeding traffic on the main road", "age": "old"}),
    ])
    return survey, q


def _history(world) -> list[tuple[str, str]]:
    return [(e.summary, e.actor.username if e.actor else "") for e in world.plan.events.order_by("pk")]


def test_a_theme_added_and_renamed_is_in_the_history(world, data):
    client, member = world.client("member"), world.people["member"]
    client.post(reverse("consultation:themes", args=[world.plan.pk]),
                {"name": "Flooding", "keywords": "flood, drain"})
    theme = Theme.objects.get(plan=world.plan, name="Flooding")
    client.post(reverse("consultation:theme_edit", args=[world.plan.pk, theme.pk]),
                {"name": "Flooding and drains", "keywords": "flood"})
    assert ("Added theme: Flooding", member.username) in _history(world)
    assert ("Updated theme: Flooding and drains", member.username) in _history(world)


def test_a_theme_with_a_name_already_used_is_refused_and_not_recorded(world, data):
    client = world.client("member")
    url = reverse("consultation:themes", args=[world.plan.pk])
    client.get(url)  # the starter themes
    page = client.post(url, {"name": "housing", "keywords": ""})
    assert "There is already a theme called that." in page.text
    assert not [s for s, _who in _history(world) if s.startswith("Added theme")]


def test_an_issue_is_saved_with_the_questions_it_rests_on(world, data):
    survey, q = data
    world.client("member").post(reverse("consultation:issue_new", args=[world.plan.pk]), {
        "title": "Speeding", "description": "Cars drive too fast.", "questions": [q["yes_no"].pk]})
    issue = Issue.objects.get(plan=world.plan)
    assert list(issue.questions.all()) == [q["yes_no"]]
    assert ("Added issue: Speeding", world.people["member"].username) in _history(world)


def test_unlinking_an_answer_from_an_issue_is_in_the_history(world, data):
    client = world.client("member")
    client.post(reverse("consultation:issue_new", args=[world.plan.pk]),
                {"title": "Speeding", "description": "Cars drive too fast."})
    issue = Issue.objects.get(plan=world.plan)
    answer = Answer.objects.exclude(text="").first()
    client.post(reverse("consultation:issue_link", args=[world.plan.pk, issue.pk]), {"answer": [answer.pk]})
    client.post(reverse("consultation:issue_unlink", args=[world.plan.pk, issue.pk, answer.pk]))
    assert not issue.answers.exists()
    assert ("Unlinked an answer from issue: Speeding", world.people["member"].username) in _history(world)


def test_publishing_and_withdrawing_residents_words_is_recorded_once_each(world, data):
    survey, q = data
    client = world.client("member")
    answer = Answer.objects.exclude(text="").first()
    client.post(reverse("consultation:text_publish", args=[world.plan.pk, survey.pk, answer.pk]),
                {"text": "Too much speeding traffic"})
    unpublish = reverse("consultation:text_unpublish", args=[world.plan.pk, survey.pk, answer.pk])
    client.post(unpublish)
    client.post(unpublish)  # already withdrawn: nothing more to record
    assert not PublishedText.objects.exists()
    summaries = [s for s, _who in _history(world)]
    assert summaries.count("Approved a written answer to “What would you change?” for publication") == 1
    assert summaries.count("Withdrew a written answer to “What would you change?” from publication") == 1
    audit = list(AuditEvent.objects.filter(kind=AuditKind.PUBLICATION).order_by("pk")
                 .values_list("summary", flat=True))
    assert audit == ["Free-text answer approved for publication, as redacted",
                     "Free-text answer withdrawn from publication"]

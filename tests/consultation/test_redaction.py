"""Residents' words are published only without what could identify them, and the volunteer is
warned about anything the patterns cannot take out."""

import pytest
from django.urls import reverse

from consultation.analysis.redaction import identifying_bits, redact
from consultation.models import Answer, PublishedText
from tests.consultation.analysis_data import add_responses, analysis_survey


@pytest.mark.parametrize("written, published", [
    ("Call (01632) 960 001 about the hall", "Call [removed] about the hall"),
    ("Ring 020 7946 0018 or +44 7700 900123", "Ring [removed] or [removed]"),
    ("Ring me on 01234 567890 or mail jo@example.org", "Ring me on [removed] or mail [removed]"),
    ("Mrs Margaret Thompson at number 4 cannot get to the bus",
     "[removed] [removed] cannot get to the bus"),
    ("Water floods outside 12 Church Lane every winter", "Water floods outside [removed] every winter"),
    ("Our postcode BH21 4QT has no broadband", "Our postcode [removed] has no broadband"),
    ("Speeding on the A30 through the village, 20 years now", "Speeding on the A30 through the village, "
                                                              "20 years now"),
])
def test_redaction_takes_out_phones_addresses_and_titled_names(written, published):
    assert redact(written) == published


def test_names_without_a_title_are_pointed_out_not_guessed_away():
    text = "My neighbour John Smith says the Village Hall needs a ramp. In May it flooded."
    assert redact(text) == text
    assert identifying_bits(text) == ["John Smith"]


@pytest.fixture
def answer(world):
    survey, q, options, cats, age_options = analysis_survey(world.plan)
    add_responses(survey, q, options, cats, age_options, [
        (1, {"text": "Mrs Margaret Thompson at number 4 is stuck; my neighbour John Smith too",
             "age": "old"})])
    return Answer.objects.exclude(text="").get()


def _url(world, answer):
    survey = answer.question.survey
    return reverse("consultation:text_publish", args=[world.plan.pk, survey.pk, answer.pk])


def test_volunteer_is_warned_and_must_confirm_before_publishing_a_possible_name(world, answer):
    client = world.client("member")
    form = client.get(_url(world, answer)).text
    assert "[removed] [removed] is stuck" in form
    assert "this may still identify someone" in form and "“John Smith”" in form
    refused = client.post(_url(world, answer), {"text": "[removed] is stuck; my neighbour John Smith too"})
    assert refused.status_code == 200
    assert "This text may still identify someone: “John Smith”" in refused.text
    assert "my neighbour John Smith too" in refused.text  # what was typed is kept
    assert not PublishedText.objects.exists()
    client.post(_url(world, answer), {"text": "[removed] is stuck; my neighbour John Smith too",
                                      "checked": "on"})
    assert PublishedText.objects.get().text == "[removed] is stuck; my neighbour John Smith too"


def test_text_with_nothing_identifying_is_published_without_the_extra_tick(world, answer):
    world.client("member").post(_url(world, answer), {"text": "Two neighbours are stuck at home"})
    assert PublishedText.objects.get().text == "Two neighbours are stuck at home"

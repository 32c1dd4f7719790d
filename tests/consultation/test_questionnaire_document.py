"""The paper questionnaire: the same questions, order and numbers as the paper-entry screen."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from clp.exceptions import Refused
from consultation.models import AccessMode
from plans import services
from plans.models import Publication, PublicationStatus
from tests.actions.test_plan_document import _font_sizes
from tests.consultation.factories import make_survey

pytestmark = pytest.mark.django_db


def _build(world, survey, capture, large_print=False) -> Publication:
    with capture(execute=True):
        publication = services.publication_request(plan=world.plan, kind="questionnaire", source_id=survey.pk,
                                                   large_print=large_print, actor=world.people["chair"])
    publication = Publication.objects.get(pk=publication.pk)
    assert publication.status == PublicationStatus.DONE, publication.error
    return publication


def _text(publication) -> str:
    with publication.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_the_form_numbers_questions_as_the_paper_entry_screen_does(world, django_capture_on_commit_callbacks):
    survey = make_survey(world.plan, access=AccessMode.BOTH)
    survey.closes_on = date(2027, 3, 31)
    survey.contact = "Jo on 01234 567890"
    survey.save()
    text = _text(_build(world, survey, django_capture_on_commit_callbacks))
    entry = world.client("member").get(reverse("consultation:response_new",
                                               kwargs={"pk": world.plan.pk, "sid": survey.pk}))
    on_screen = re.findall(r"Q(\d+)\. ([^<]+?)\s*(?:<|$)", entry.content.decode())
    assert on_screen, "the paper-entry screen numbers its questions"
    positions = []
    for number, question_text in on_screen:
        label = f"Q{number}. {question_text.strip()}"
        assert label in text
        positions.append(text.index(label))
    assert positions == sorted(positions)
    for words in ["Tick one box.", "Tick all that apply.", "Other, please say:", "What you love:",
                  "How we use your answers", "How to return this form", "Wednesday 31 March 2027",
                  "Jo on 01234 567890", "About you", "A code only makes sure"]:
        assert words in text
    assert survey.get_public_url() in text  # answering online: the link, never a code


def test_large_print_is_at_least_16_point(world, django_capture_on_commit_callbacks):
    survey = make_survey(world.plan)
    publication = _build(world, survey, django_capture_on_commit_callbacks, large_print=True)
    with publication.file.open("rb") as handle:
        assert min(_font_sizes(handle.read())) >= 16


def test_an_edited_survey_can_be_built_again(world, django_capture_on_commit_callbacks):
    survey = make_survey(world.plan)
    first = _build(world, survey, django_capture_on_commit_callbacks)
    survey.title = "Village questionnaire, second edition"
    survey.save()
    second = _build(world, survey, django_capture_on_commit_callbacks)
    assert second.pk != first.pk and second.sha256 != first.sha256
    assert "second edition" in _text(second)


def test_the_survey_page_offers_printing_to_the_chair(world):
    survey = make_survey(world.plan)
    url = reverse("consultation:survey", kwargs={"pk": world.plan.pk, "sid": survey.pk})
    assert "Build the PDF" in world.client("chair").get(url).content.decode()
    assert "Build the PDF" not in world.client("member").get(url).content.decode()


def test_a_survey_of_another_plan_cannot_be_printed_here(world):
    survey = make_survey(world.other_plan)
    with pytest.raises(Refused):
        services.publication_request(plan=world.plan, kind="questionnaire", source_id=survey.pk,
                                     actor=world.people["admin"])

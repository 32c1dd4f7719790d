"""Paper questionnaires with codes: one copy per one-time code, each copy carrying its own code
only (on every one of its pages); the codes reach the PDF the way leaflets get them, and nowhere
else."""

import io
import logging
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from consultation import services
from consultation.models import AccessCode, AccessMode, code_digest
from plans.models import Publication, PublicationStatus
from tests.consultation.factories import make_survey

pytestmark = pytest.mark.django_db
CODE = re.compile(r"\b[A-Z0-9]{5}-[A-Z0-9]{5}\b")


def _pages(publication) -> list[str]:
    with publication.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [page.extract_text() or "" for page in reader.pages]


def test_each_questionnaire_carries_its_own_code_only(world, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    survey = make_survey(world.plan, access=AccessMode.CODES)
    with django_capture_on_commit_callbacks(execute=True):
        publication = services.coded_questionnaires_make(survey=survey, count=4, batch="Mill Road",
                                                         actor=world.people["chair"])
    publication = Publication.objects.get(pk=publication.pk)
    assert publication.status == PublicationStatus.DONE, publication.error
    pages = _pages(publication)
    # Every page names exactly one code; each code's pages run together, as one copy.
    per_page = [set(CODE.findall(text)) for text in pages]
    assert all(len(codes) == 1 for codes in per_page), per_page
    runs = []
    for codes in per_page:
        (code,) = codes
        if not runs or runs[-1][0] != code:
            runs.append([code, 0])
        runs[-1][1] += 1
    copies = [code for code, _count in runs]
    assert len(copies) == 4 == len(set(copies))
    assert len({count for _code, count in runs}) == 1  # every copy is the same form
    # Every copy is the whole questionnaire, numbered as online.
    first_copy = " ".join(pages[:runs[0][1]])
    assert "How we use your answers" in first_copy and "How to return this form" in first_copy
    assert {code_digest(c) for c in copies} == set(
        AccessCode.objects.filter(survey=survey).values_list("digest", flat=True))
    assert publication.secret_input is None and not publication.is_public
    assert not any(c in caplog.text or c.replace("-", "") in caplog.text for c in copies)


def test_the_codes_page_offers_questionnaires_with_codes(world, django_capture_on_commit_callbacks):
    survey = make_survey(world.plan, access=AccessMode.CODES)
    url = reverse("consultation:codes", kwargs={"pk": world.plan.pk, "sid": survey.pk})
    page = world.client("member").get(url).content.decode()
    assert 'value="questionnaires"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("member").post(url, {"count": "2", "batch": "", "output": "questionnaires"})
    publication = Publication.objects.get(kind="coded_questionnaires")
    assert response["Location"] == publication.get_absolute_url()
    pdf = reverse("plans:publication_file", kwargs={"pk": world.plan.pk, "pid": publication.pk})
    assert world.client("member").get(pdf).status_code == 200
    assert world.client("councillor").get(pdf).status_code == 403
    page_url = reverse("plans:publication_page", kwargs={"pk": world.plan.pk, "pid": publication.pk})
    assert world.client("member").get(page_url).status_code == 404  # its codes are gone
    # Too many at once is refused next to the field, keeping what was typed.
    response = world.client("member").post(url, {"count": "201", "batch": "Big round",
                                                  "output": "questionnaires"})
    html = response.content.decode()
    assert response.status_code == 200 and "at most 200" in html and 'value="Big round"' in html
    assert Publication.objects.filter(kind="coded_questionnaires").count() == 1


def test_a_survey_without_codes_has_no_coded_questionnaires(world):
    survey = make_survey(world.plan, access=AccessMode.LINK)
    from clp.exceptions import Refused as PublishRefused

    with pytest.raises(PublishRefused):
        services.coded_questionnaires_make(survey=survey, count=2, batch="", actor=world.people["chair"])

"""Code leaflets: each code printed exactly once, only in the PDF; the QR code holds only the
survey's address; the codes are in no other document, row or log."""

import io
import logging
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from clp.exceptions import Refused
from consultation import services
from consultation.documents import leaflets_context, qr_data_uri
from consultation.models import AccessCode, AccessMode, code_digest
from plans.models import Publication, PublicationStatus
from tests.consultation.factories import make_survey

pytestmark = pytest.mark.django_db
CODE = re.compile(r"\b[A-Z0-9]{5}-[A-Z0-9]{5}\b")


def _text(publication) -> str:
    with publication.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(p.extract_text() or "" for p in reader.pages)


@pytest.mark.parametrize("layout", ["slips", "letters"])
def test_every_code_is_printed_exactly_once(world, layout, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    survey = make_survey(world.plan, access=AccessMode.CODES)
    with django_capture_on_commit_callbacks(execute=True):
        publication = services.leaflets_make(survey=survey, count=11, batch="Church Lane", layout=layout,
                                             actor=world.people["chair"])
    publication = Publication.objects.get(pk=publication.pk)
    assert publication.status == PublicationStatus.DONE, publication.error
    # Only the codes' keyed hashes are stored: every code printed is one of them, once each.
    text = _text(publication)
    codes = CODE.findall(text)
    assert len(codes) == 11 == len(set(codes))
    assert {code_digest(c) for c in codes} == set(
        AccessCode.objects.filter(survey=survey).values_list("digest", flat=True))
    if layout == "letters":
        assert publication.pages == 11
    else:
        assert publication.pages == 2  # eight slips to a sheet
    # The codes live on only in the file: not in the row, not in any log line.
    assert publication.secret_input is None
    assert not any(code in caplog.text or code.replace("-", "") in caplog.text for code in codes)


def test_the_qr_code_holds_the_address_only(world, settings):
    survey = make_survey(world.plan, access=AccessMode.CODES)
    publication = Publication(plan=world.plan, kind="code_leaflets", source_id=survey.pk,
                              secret_input={"codes": ["ABCD2345"], "layout": "slips"})
    context = leaflets_context(publication)
    assert context["url"] == settings.SITE_URL + survey.get_public_url()
    assert "ABCD" not in context["url"]
    assert context["qr"] == qr_data_uri(context["url"])


def test_other_documents_hold_no_code(world, django_capture_on_commit_callbacks):
    survey = make_survey(world.plan, access=AccessMode.BOTH)
    with django_capture_on_commit_callbacks(execute=True):
        services.leaflets_make(survey=survey, count=3, batch="", layout="slips", actor=world.people["chair"])
        from plans.services import publication_request

        form = publication_request(plan=world.plan, kind="questionnaire", source_id=survey.pk,
                                   actor=world.people["chair"])
    text = _text(Publication.objects.get(pk=form.pk))
    assert not CODE.findall(text)


def test_the_codes_page_makes_codes_and_leaflets_for_the_group_only(
        world, django_capture_on_commit_callbacks):
    survey = make_survey(world.plan, access=AccessMode.CODES)
    url = reverse("consultation:codes", kwargs={"pk": world.plan.pk, "sid": survey.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("member").post(url, {"count": "4", "batch": "Mill Road", "output": "slips"})
    publication = Publication.objects.get(kind="code_leaflets")
    assert response["Location"] == publication.get_absolute_url()
    pdf = reverse("plans:publication_file", kwargs={"pk": world.plan.pk, "pid": publication.pk})
    assert world.client("member").get(pdf).status_code == 200
    assert world.client("councillor").get(pdf).status_code == 403
    assert world.client("officer").get(pdf).status_code == 403
    page = reverse("plans:publication_page", kwargs={"pk": world.plan.pk, "pid": publication.pk})
    assert world.client("member").get(page).status_code == 404  # no web page: its codes are gone
    assert not publication.is_public
    public = world.client("anonymous").get(world.community.get_absolute_url()).content.decode()
    assert publication.title not in public


def test_a_survey_without_codes_has_no_leaflets(world):
    survey = make_survey(world.plan, access=AccessMode.LINK)

    with pytest.raises(Refused):
        services.leaflets_make(survey=survey, count=2, batch="", layout="slips", actor=world.people["chair"])

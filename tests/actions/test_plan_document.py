"""The plan and household summary as PDFs: built through the real pipeline (eager Celery),
checked, and readable as text in the order a screen reader meets it."""

import io

import pikepdf
import pytest
from pypdf import PdfReader

from plans import services
from plans.models import Publication, PublicationStatus
from tests.actions.publishing_data import ACTIONS, frozen_version

pytestmark = pytest.mark.django_db


def _publish(world, version, kind="plan", large_print=False, capture=None) -> Publication:
    with capture(execute=True):
        publication = services.publication_request(plan=world.plan, kind=kind, source_id=version.pk,
                                                   large_print=large_print, actor=world.people["chair"])
    return Publication.objects.get(pk=publication.pk)


def _text(publication) -> str:
    with publication.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_the_plan_pdf_has_every_section_and_every_action_row(world, django_capture_on_commit_callbacks):
    publication = _publish(world, frozen_version(world), capture=django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.DONE, publication.error
    text = _text(publication)
    for heading in ["Contents", "Our vision", f"About {world.community.name}", "How we consulted",
                    "Key findings by theme", "The action plan", "Section 1: the community can do this itself",
                    "Section 2: needs help from councils or agencies", "Councillor endorsements by tier",
                    "How progress will be monitored and reviewed"]:
        assert heading in text
    for what, lead, partners in ACTIONS:
        assert what in text and lead in text
        assert partners in text
    assert "Quick win" in text
    assert 4 <= publication.pages <= 12
    assert publication.bytes == publication.file.size and len(publication.sha256) == 64


def test_small_numbers_are_hidden_exactly_as_on_the_public_results(world, django_capture_on_commit_callbacks):
    publication = _publish(world, frozen_version(world), capture=django_capture_on_commit_callbacks)
    text = _text(publication)
    assert "How do you travel to work?" in text
    assert "Car 40" in text
    # Walk (7) is below 10 and Bus (25) goes with it, or 7 could be worked out from the total.
    assert "Walk fewer than 10" in text and "Bus fewer than 10" in text
    assert "Walk 7" not in text and " 25 " not in text


def test_the_pdf_is_tagged_with_language_title_and_author(world, django_capture_on_commit_callbacks):
    publication = _publish(world, frozen_version(world), capture=django_capture_on_commit_callbacks)
    with publication.file.open("rb") as handle, pikepdf.open(io.BytesIO(handle.read())) as pdf:
        assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.docinfo.Title) == world.plan.title
        assert "steering group" in str(pdf.docinfo.Author)
        from plans.rendering import _header_cells, _structure_tags

        assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/Figure"} <= _structure_tags(pdf.Root.StructTreeRoot)
        scopes = {(group, str(cell.A.Scope)) for cell, group in _header_cells(pdf.Root.StructTreeRoot)}
        assert scopes == {("/THead", "/Column"), ("/TBody", "/Row")}


def test_the_same_version_gives_the_same_bytes(world, django_capture_on_commit_callbacks):
    from plans import rendering
    from plans.services import document_context

    publication = _publish(world, frozen_version(world), capture=django_capture_on_commit_callbacks)
    again = rendering.render_pdf(rendering.render_html(
        "actions/documents/plan.html", document_context(publication), for_print=True))
    import hashlib

    assert hashlib.sha256(again).hexdigest() == publication.sha256


def test_a_hostile_title_renders_safely(world, django_capture_on_commit_callbacks):
    title = ("<script>alert('x')</script> " + "Llanfairpwllgwyngyll" * 8 + " مجلس القرية")
    publication = _publish(world, frozen_version(world, title=title[:200]),
                           capture=django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.DONE, publication.error
    text = _text(publication)
    assert "<script>alert('x')</script>" in text  # shown as text, never run or dropped
    assert "القرية" in text or "ةيرقلا" in text


def test_household_summary_fits_on_two_to_four_pages_and_large_print_is_16pt(
        world, django_capture_on_commit_callbacks):
    version = frozen_version(world)
    summary = _publish(world, version, "household_summary", capture=django_capture_on_commit_callbacks)
    large = _publish(world, version, "household_summary", large_print=True,
                     capture=django_capture_on_commit_callbacks)
    assert summary.status == large.status == PublicationStatus.DONE, (summary.error, large.error)
    assert 2 <= summary.pages <= 4
    assert large.pages >= summary.pages
    text = _text(summary)
    for heading in ["Our vision", "What you told us", "What we will do", "Get involved"]:
        assert heading in text
    assert "Litter at the recreation ground" in text
    with large.file.open("rb") as handle:
        sizes = _font_sizes(handle.read())
    assert sizes and min(sizes) >= 16


def _font_sizes(content: bytes) -> set[float]:
    """Every font size the PDF draws text at (from the Tf operators of each page)."""
    sizes = set()
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            matrix_scale = 1.0
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "cm":
                    matrix_scale = float(operands[3]) or matrix_scale
                if str(operator) == "Tf":
                    sizes.add(round(float(operands[1]) * abs(matrix_scale), 1))
    return sizes


def test_only_events_shown_on_the_public_page_are_listed(world, django_capture_on_commit_callbacks):
    from tests.factories import MeetingFactory

    MeetingFactory(plan=world.plan, title="Drop-in at the village hall", kind="drop_in", is_public=True,
                   attendance=48)
    MeetingFactory(plan=world.plan, title="Home visit on Mill Lane", kind="interview", is_public=False)
    publication = _publish(world, frozen_version(world), capture=django_capture_on_commit_callbacks)
    text = _text(publication)
    assert "Drop-in at the village hall" in text
    assert "Home visit on Mill Lane" not in text

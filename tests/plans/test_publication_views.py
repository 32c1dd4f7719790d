"""Publishing from the UI: the chair presses Publish on a frozen version, watches it being built,
and the document appears on the community's public page; private documents stay private."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from plans.models import Publication, PublicationStatus
from tests.actions.publishing_data import frozen_version

pytestmark = pytest.mark.django_db


def _done(world, *, number=1, public=True, kind="plan") -> Publication:
    publication = Publication.objects.create(
        plan=world.plan, kind=kind, title=f"Plan v{number}", source_label=f"Version {number}",
        is_public=public, status=PublicationStatus.DONE, finished_at=timezone.now(), pages=3,
        bytes=2048, sha256="a" * 64)
    publication.file.save(f"v{number}.pdf", ContentFile(b"%PDF-1.7 version " + str(number).encode()))
    return publication


def test_chair_publishes_a_frozen_version_and_it_appears_on_the_public_page(
        world, django_capture_on_commit_callbacks):
    version = frozen_version(world)
    chair = world.client("chair")
    page = chair.get(reverse("actions:version", kwargs={"pk": world.plan.pk, "number": 1}))
    assert "Publish this version" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = chair.post(reverse("plans:publication_new", kwargs={"pk": world.plan.pk}),
                              {"kind": "plan", "source": str(version.pk)})
    publication = Publication.objects.get()
    assert response["Location"] == publication.get_absolute_url()
    status = chair.get(publication.get_absolute_url()).content.decode()
    assert "Ready" in status and 'http-equiv="refresh"' not in status
    public = world.client("anonymous").get(world.community.get_absolute_url()).content.decode()
    assert "Published documents" in public and publication.title in public
    assert "Version 1" in public and f"<td data-label=\"Pages\">{publication.pages}</td>" in public
    pdf = world.client("anonymous").get(reverse("plans:public_document_pdf", kwargs={"pid": publication.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    html = world.client("anonymous").get(reverse("plans:public_document", kwargs={"pid": publication.pk}))
    assert "The action plan" in html.content.decode() and "Download the PDF" in html.content.decode()


def test_the_status_page_refreshes_itself_while_waiting(world):
    publication = Publication.objects.create(plan=world.plan, kind="plan", title="Plan")
    body = world.client("member").get(publication.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in body
    assert "Waiting to be built" in body


def test_a_failure_shows_the_reason_and_only_managers_get_a_retry_button(world):
    publication = Publication.objects.create(plan=world.plan, kind="plan", title="Plan",
                                             status=PublicationStatus.FAILED,
                                             error="The document has 1 pages; it should have 4.")
    retry = reverse("plans:publication_retry", kwargs={"pk": world.plan.pk, "pid": publication.pk})
    as_chair = world.client("chair").get(publication.get_absolute_url()).content.decode()
    assert "The document has 1 pages; it should have 4." in as_chair and retry in as_chair
    assert retry not in world.client("member").get(publication.get_absolute_url()).content.decode()


def test_older_versions_stay_downloadable(world):
    first, second = _done(world, number=1), _done(world, number=2)
    public = world.client("anonymous").get(world.community.get_absolute_url()).content.decode()
    assert public.index("Plan v2") < public.index("Plan v1")
    for publication in (first, second):
        response = world.client("anonymous").get(
            reverse("plans:public_document_pdf", kwargs={"pid": publication.pk}))
        assert b"".join(response.streaming_content).endswith(str(publication.pk - first.pk + 1).encode())


def test_private_and_unfinished_documents_are_not_public(world):
    private = _done(world, public=False)
    waiting = Publication.objects.create(plan=world.plan, kind="plan", title="Waiting", is_public=True)
    anonymous, outsider = world.client("anonymous"), world.client("outsider")
    for publication in (private, waiting):
        for name in ("plans:public_document", "plans:public_document_pdf"):
            url = reverse(name, kwargs={"pid": publication.pk})
            assert anonymous.get(url).status_code == 404
            assert outsider.get(url).status_code == 404
    assert "Plan v1" not in anonymous.get(world.community.get_absolute_url()).content.decode()
    own = reverse("plans:publication_file", kwargs={"pk": world.plan.pk, "pid": private.pk})
    assert world.client("councillor").get(own).status_code == 200
    assert outsider.get(own).status_code == 404
    other = reverse("plans:publication_file", kwargs={"pk": world.other_plan.pk, "pid": private.pk})
    assert world.client("admin").get(other).status_code == 404  # the number belongs to another plan


def test_the_publications_list_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = world.client("chair")
    url = reverse("plans:publications", kwargs={"pk": world.plan.pk})
    _done(world, number=1)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    for number in range(2, 30):
        _done(world, number=number)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Plan v") == 29

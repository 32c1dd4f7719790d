"""Permission rows for plans URLs added after tests/permissions.py was written (reminder ledgers,
publications)."""

from django.core.files.base import ContentFile
from django.utils import timezone

from plans.models import Publication, PublicationStatus
from tests.permissions import MANAGERS, OFFICERS, PLAN_VIEWERS, POST_MANAGE, PUBLIC, VIEW_PLAN, Row, expect

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def publication(w):
    return {"pk": w.plan.pk, "pid": w.publication.pk}


def extend_world(world) -> None:
    from actions.models import PlanVersion

    # Its own version number, so these rows work whichever app's rows extend the world first.
    version = PlanVersion.objects.create(plan=world.plan, number=99,
                                         data={"title": "v99", "priorities": []})
    world.publication = Publication.objects.create(
        plan=world.plan, kind="plan", source_id=version.pk, title="The plan", source_label="Version 1",
        is_public=True, status=PublicationStatus.DONE, finished_at=timezone.now(), pages=1,
        bytes=len(PDF), sha256="0" * 64)
    world.publication.file.save("plan.pdf", ContentFile(PDF))
    world.failed_publication = Publication.objects.create(
        plan=world.plan, kind="household_summary", source_id=version.pk, title="Summary",
        status=PublicationStatus.FAILED, error="The document has 9 pages.")


ROWS = {
    "plans:notifications": Row(lambda w: {"pk": w.plan.pk},
                               expect(MANAGERS | {"officer"}, visible=PLAN_VIEWERS)),
    "plans:portfolio_notifications": Row(lambda w: {"pk": w.organisation.pk}, expect(OFFICERS)),
    "plans:publications": Row(lambda w: {"pk": w.plan.pk}, VIEW_PLAN),
    "plans:publication_new": Row(lambda w: {"pk": w.plan.pk}, POST_MANAGE, method="post",
                                 data=lambda w: {"kind": "plan", "source": "0"}),
    "plans:publication": Row(publication, VIEW_PLAN),
    "plans:publication_retry": Row(lambda w: {"pk": w.plan.pk, "pid": w.failed_publication.pk},
                                   expect(MANAGERS, visible=PLAN_VIEWERS, ok=302), method="post"),
    "plans:publication_file": Row(publication, VIEW_PLAN),
    "plans:publication_page": Row(publication, VIEW_PLAN),
    "plans:public_document": Row(lambda w: {"pid": w.publication.pk}, PUBLIC),
    "plans:public_document_pdf": Row(lambda w: {"pid": w.publication.pk}, PUBLIC),
}

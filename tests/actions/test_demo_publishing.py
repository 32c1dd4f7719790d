"""seed_demo publishes Eastfield Ward's plan (v1) and household summary, and a paper questionnaire
and code leaflets for Bramley Green, through the real pipeline; running it again adds nothing."""

import io

from django.core.management import call_command
from pypdf import PdfReader

from actions.models import Action
from plans.models import Publication, PublicationStatus


def test_seed_demo_publishes_real_documents_once(db, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    publications = {(p.plan.community.slug, p.kind): p
                    for p in Publication.objects.select_related("plan__community")}
    assert sorted(publications) == [("bramley-green", "code_leaflets"), ("bramley-green", "questionnaire"),
                                    ("eastfield-ward", "community_update"),
                                    ("eastfield-ward", "household_summary"), ("eastfield-ward", "plan")]
    assert all(p.status == PublicationStatus.DONE for p in publications.values()), [
        p.error for p in publications.values()]
    plan = publications[("eastfield-ward", "plan")]
    with plan.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for action in Action.objects.filter(priority__plan=plan.plan):
        assert " ".join(action.what.split()) in text
    assert 6 <= plan.pages <= 20
    summary = publications[("eastfield-ward", "household_summary")]
    assert 2 <= summary.pages <= 4
    page = client.get(plan.plan.community.get_absolute_url()).content.decode()
    assert plan.title in page and summary.title in page

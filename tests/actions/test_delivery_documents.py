"""The meeting pack (private to the steering group) and the community update as a PDF (public once
the update is published), built through the real pipeline and read back as text."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actions import delivery
from actions.delivery_documents import since_last_meeting
from clp.exceptions import Refused
from plans import services
from plans.models import Meeting, MeetingKind, Publication, PublicationStatus
from tests.actions.delivery_documents_data import delivering

pytestmark = pytest.mark.django_db


def _text(publication) -> str:
    with publication.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _build(world, kind, source_id, capture) -> Publication:
    with capture(execute=True):
        publication = services.publication_request(plan=world.plan, kind=kind, source_id=source_id,
                                                   actor=world.people["chair"])
    return Publication.objects.get(pk=publication.pk)


def _section(text: str, start: str, end: str | None) -> str:
    after = text.split(start, 1)[1]
    return after.split(end, 1)[0] if end else after


def test_the_meeting_pack_has_changes_overdue_stalled_and_decisions(
        world, django_capture_on_commit_callbacks):
    data = delivering(world)
    pack = _build(world, "meeting_pack", data.meeting.pk, django_capture_on_commit_callbacks)
    assert pack.status == PublicationStatus.DONE, pack.error
    assert not pack.is_public
    text = _text(pack)
    assert "Meeting pack: Steering group, March" in text
    changed = _section(text, "What changed since the last meeting", "Overdue actions")
    assert "Steering group, February" in changed  # counted from the last steering meeting
    assert "Monthly volunteer litter pick" in changed and "Twelve volunteers" in changed
    assert "Clean the bus shelter" not in changed  # reported before that meeting
    overdue = _section(text, "Overdue actions", "Stalled actions")
    assert "Ask the county for a 20 mph limit" in overdue and "Sam Secretary" in overdue
    stalled = _section(text, "Stalled actions", "Decisions needed")
    assert "Run a speed watch group" in stalled and "Ask the county" not in stalled
    decisions = _section(text, "Decisions needed", None)
    for row in ["Put up vehicle-activated signs", "Buy more litter bins", "Cllr Kim",
                "Helen Helper", "Dog fouling on the footpath"]:
        assert row in decisions, row
    assert 1 <= pack.pages <= 6


def _ask_for_help(action, client, note):
    from actions import tokens
    from actions.models import UpdateLink

    link = UpdateLink.objects.create(action=action, email="lead@vol.test", name=action.lead_label,
                                     nonce=tokens.new_nonce())
    url = reverse("actions:update_by_link", kwargs={
        "aid": action.pk, "token": tokens.make(tokens.UPDATE_LINK, link.pk, link.nonce)})
    assert b"your update is saved" in client.post(url, {"status": "need_help", "note": note}).content


def test_the_meeting_pack_lists_open_requests_for_help_on_the_page_and_in_the_pdf(
        world, client, django_capture_on_commit_callbacks):
    from django.utils import timezone

    data = delivering(world)
    _ask_for_help(data.stalled, client, "We need two more volunteers with hi-vis jackets")
    # Asked, then reported again: no longer open, so not listed.
    _ask_for_help(data.done, client, "Who has the key to the bin store?")
    delivery.update_post(action=data.done, status="done", percent=100, reason="Found the key",
                         actor=world.people["chair"])
    pack = _build(world, "meeting_pack", data.meeting.pk, django_capture_on_commit_callbacks)
    assert pack.status == PublicationStatus.DONE, pack.error
    asked_on = timezone.localdate().strftime("%-d %b %Y")

    help_text = _section(_text(pack), "Leads asking for help", "Decisions needed")
    assert "Run a speed watch group" in help_text and "Ravi Speedwatch" in help_text
    assert "We need two more volunteers with hi-vis jackets" in help_text and asked_on in help_text
    assert "bin store" not in help_text

    page = world.client("member").get(reverse("plans:publication_page",
                                              kwargs={"pk": world.plan.pk, "pid": pack.pk})).text
    section = page.split('id="pack-help"', 1)[1].split("</section>", 1)[0]
    assert '<th scope="col">Asked by</th>' in section and '<th scope="col">What they asked</th>' in section
    for cell in ["Run a speed watch group", "Ravi Speedwatch", asked_on,
                 "We need two more volunteers with hi-vis jackets"]:
        assert cell in section, cell
    assert "bin store" not in section


def test_a_pack_with_no_open_request_for_help_says_so(world, django_capture_on_commit_callbacks):
    data = delivering(world)
    pack = _build(world, "meeting_pack", data.meeting.pk, django_capture_on_commit_callbacks)
    assert "No lead is waiting for help." in _section(_text(pack), "Leads asking for help",
                                                      "Decisions needed")


def test_what_changed_counts_from_the_last_pack_when_no_earlier_meeting(world):
    data = delivering(world)
    Meeting.objects.filter(pk=data.previous.pk).update(kind=MeetingKind.OPEN_MEETING)
    since, label = since_last_meeting(data.meeting)
    assert "agreed" in label or "started" in label
    from django.utils import timezone

    Publication.objects.create(plan=data.plan, kind="meeting_pack", source_id=data.previous.pk,
                               title="Earlier pack", status=PublicationStatus.DONE,
                               finished_at=timezone.now())
    since, label = since_last_meeting(data.meeting)
    assert label.startswith("the last meeting pack")


def test_the_meeting_pack_is_for_the_steering_group_only(world, django_capture_on_commit_callbacks):
    data = delivering(world)
    pack = _build(world, "meeting_pack", data.meeting.pk, django_capture_on_commit_callbacks)
    pdf = reverse("plans:publication_file", kwargs={"pk": world.plan.pk, "pid": pack.pk})
    page = reverse("plans:publication_page", kwargs={"pk": world.plan.pk, "pid": pack.pk})
    for persona, status in [("chair", 200), ("member", 200), ("councillor", 403), ("officer", 403),
                            ("outsider", 404)]:
        assert world.client(persona).get(pdf).status_code == status, persona
        assert world.client(persona).get(page).status_code == status, persona
    public = reverse("plans:public_document", kwargs={"pid": pack.pk})
    assert world.client("anonymous").get(public).status_code == 404
    community = world.client("anonymous").get(world.community.get_absolute_url()).content.decode()
    assert "Meeting pack" not in community


def test_a_meeting_pack_is_built_from_the_delivery_page(world, django_capture_on_commit_callbacks):
    data = delivering(world)
    overview = world.client("chair").get(reverse("actions:delivery", kwargs={"pk": world.plan.pk}))
    html = overview.content.decode()
    assert "Build the meeting pack" in html and f'value="{data.meeting.pk}"' in html
    form_action = reverse("plans:publication_new", kwargs={"pk": world.plan.pk})
    assert f'action="{form_action}"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("chair").post(form_action, {"kind": "meeting_pack",
                                                            "source": str(data.meeting.pk)})
    pack = Publication.objects.get(kind="meeting_pack")
    assert response["Location"] == pack.get_absolute_url() and pack.is_done
    listing = world.client("chair").get(reverse("plans:publications", kwargs={"pk": world.plan.pk}))
    assert "Build the meeting pack" in listing.content.decode()
    # A member sees the health but cannot build packs; another plan's meeting is refused.
    member = world.client("member").get(reverse("actions:delivery", kwargs={"pk": world.plan.pk}))
    assert "Build the meeting pack" not in member.content.decode()
    other = Meeting.objects.create(plan=world.other_plan, title="Theirs", kind=MeetingKind.STEERING,
                                   date=data.meeting.date)
    response = world.client("chair").post(form_action, {"kind": "meeting_pack", "source": str(other.pk)},
                                          follow=True)
    assert "cannot be published from this plan" in response.content.decode()


def test_a_hostile_meeting_title_renders_safely(world, django_capture_on_commit_callbacks):
    title = "<script>alert('x')</script> " + "Llanfairpwllgwyngyll" * 6 + " مجلس القرية"
    data = delivering(world, meeting_title=title[:200])
    pack = _build(world, "meeting_pack", data.meeting.pk, django_capture_on_commit_callbacks)
    assert pack.status == PublicationStatus.DONE, pack.error
    text = _text(pack)
    assert "<script>alert('x')</script>" in text
    assert "القرية" in text or "ةيرقلا" in text
    page = world.client("chair").get(reverse("plans:publication_page",
                                             kwargs={"pk": world.plan.pk, "pid": pack.pk}))
    assert "<script>alert" not in page.content.decode()


def _published_update(world, data, title="What we have done: spring"):
    return delivery.community_update_save(plan=data.plan, title=title, publish=True,
                                          body="Thank you to everyone.\n\nMore soon.",
                                          actor=world.people["chair"])


def test_publishing_an_update_builds_its_public_pdf(world, django_capture_on_commit_callbacks):
    data = delivering(world)
    with django_capture_on_commit_callbacks(execute=True):
        update = _published_update(world, data)
    publication = Publication.objects.get(kind="community_update", source_id=update.pk)
    assert publication.status == PublicationStatus.DONE, publication.error
    assert publication.is_public
    text = _text(publication)
    for heading in ["What we have done: spring", "News from the steering group", "What has changed",
                    "Where every action stands", "Get involved"]:
        assert heading in text, heading
    changed = _section(text, "What has changed", "Where every action stands")
    assert "Monthly volunteer litter pick" in changed and "Twelve volunteers" in changed
    standing = _section(text, "Where every action stands", "Get involved")
    for what in ["Ask the county for a 20 mph limit", "Run a speed watch group", "Buy more litter bins",
                 "Clean the bus shelter"]:
        assert what in standing, what
    # Leads and declined requests are for the steering group, not for every door.
    assert "Pat Parish" not in text and "Declined" not in text
    # Listed on the community's public page, downloadable by anyone.
    community = world.client("anonymous").get(world.community.get_absolute_url()).content.decode()
    assert "What we have done: spring" in community
    pdf = reverse("plans:public_document_pdf", kwargs={"pid": publication.pk})
    assert world.client("anonymous").get(pdf).status_code == 200


def test_the_update_pdf_shows_where_things_stood_when_it_was_written(
        world, django_capture_on_commit_callbacks):
    from plans.services import publication_render

    data = delivering(world)
    with django_capture_on_commit_callbacks(execute=True):
        update = _published_update(world, data)
    first = Publication.objects.get(kind="community_update", source_id=update.pk)
    delivery.update_post(action=data.overdue, status="done", percent=100, reason="Limit agreed",
                         actor=world.people["chair"])
    again = Publication.objects.create(plan=data.plan, kind="community_update", source_id=update.pk,
                                       title=first.title, is_public=True)
    assert publication_render(publication_id=again.pk)
    again.refresh_from_db()
    assert "Limit agreed" not in _text(again)
    assert again.sha256 == first.sha256  # the same input gives the same file


def test_a_draft_update_has_no_pdf_and_the_list_links_the_published_one(
        world, django_capture_on_commit_callbacks):
    data = delivering(world)
    draft = delivery.community_update_save(plan=data.plan, title="Draft", body="Not yet",
                                           publish=False, actor=world.people["chair"])
    with pytest.raises(Refused):
        services.publication_request(plan=data.plan, kind="community_update", source_id=draft.pk,
                                     actor=world.people["chair"])
    with django_capture_on_commit_callbacks(execute=True):
        update = _published_update(world, data)
    publication = Publication.objects.get(kind="community_update", source_id=update.pk)
    listing = world.client("member").get(reverse("actions:community_updates", kwargs={"pk": world.plan.pk}))
    assert publication.get_absolute_url() in listing.content.decode()
    progress = world.client("anonymous").get(reverse("actions:public_progress", kwargs={"pk": world.plan.pk}))
    assert reverse("plans:public_document", kwargs={"pid": publication.pk}) in progress.content.decode()


def test_a_hostile_update_title_renders_safely(world, django_capture_on_commit_callbacks):
    data = delivering(world)
    title = "<script>alert('x')</script> " + "Llanfairpwllgwyngyll" * 6 + " مجلس القرية"
    with django_capture_on_commit_callbacks(execute=True):
        update = _published_update(world, data, title=title[:200])
    publication = Publication.objects.get(kind="community_update", source_id=update.pk)
    assert publication.status == PublicationStatus.DONE, publication.error
    text = _text(publication)
    assert "<script>alert('x')</script>" in text
    assert re.search("القرية|ةيرقلا", text)

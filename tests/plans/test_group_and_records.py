from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clp import freshness
from plans import services
from plans.models import EvidenceItem, Meeting, Membership, Role
from plans.steps import CommunityGroup
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"


def test_group_make_up_flags_missing_voices(world):
    member = world.plan.memberships.get(role=Role.MEMBER)
    member.represents = [CommunityGroup.YOUNG_PEOPLE, CommunityGroup.BUSINESSES]
    member.save()
    text = world.client("member").get(reverse("plans:members", args=[world.plan.pk])).text
    assert "Nobody on the group represents:" in text
    gaps = text.split("Nobody on the group represents:")[1].split("</div>")[0]
    assert "Older people" in gaps and "Disabled people" in gaps
    assert "Young people" not in gaps


def test_chair_edits_a_member_and_records_a_leaver(world):
    member = world.plan.memberships.get(role=Role.MEMBER)
    client = world.client("chair")
    client.post(reverse("plans:member_edit", args=[world.plan.pk, member.pk]), {
        "role": Role.TREASURER, "theme": "", "represents": [CommunityGroup.FAMILIES],
        "joined_on": "2026-01-10"})
    member.refresh_from_db()
    assert member.role == Role.TREASURER and member.represents == ["families"]
    client.post(reverse("plans:member_remove", args=[world.plan.pk, member.pk]),
                {"reason": "Moved away"})
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()
    page = client.get(reverse("plans:members", args=[world.plan.pk])).text
    assert "Former members" in page
    # Someone who has left no longer sees the plan.
    assert world.client("member").get(world.plan.get_absolute_url()).status_code == 404


def test_a_champion_invitation_needs_a_theme(world):
    response = world.client("chair").post(reverse("plans:member_invite", args=[world.plan.pk]), {
        "email": "champ2@example.org", "role": Role.CHAMPION, "theme": ""})
    assert "Enter the theme this champion will lead on." in response.text


def test_attach_an_existing_councillor(world):
    other = factories.CouncillorFactory(tier="county", council_name="Downshire CC")
    other.communities.add(world.community)
    world.client("chair").post(reverse("plans:councillor_attach", args=[world.plan.pk]),
                               {"councillor": other.pk})
    assert world.plan.councillor_links.filter(councillor=other).exists()
    from django.test import Client

    c = Client()
    c.force_login(other.user)
    assert c.get(world.plan.get_absolute_url()).status_code == 200


def test_one_person_doing_most_of_the_work_is_flagged(world):
    chair = world.people["chair"]
    for i in range(12):
        services.record(world.plan, chair, "content", f"Edit {i}")
    services.record(world.plan, world.people["member"], "content", "One edit")
    text = world.client("member").get(world.plan.get_absolute_url()).text
    assert "Cath Chair has done 92% of the recorded work" in text


def test_overdue_milestones_are_highlighted(world):
    factories.MilestoneFactory(plan=world.plan, title="Print leaflets",
                               target_date=timezone.localdate() - timedelta(days=3))
    text = world.client("member").get(reverse("plans:milestones", args=[world.plan.pk])).text
    assert "Print leaflets" in text and "(overdue)" in text


def test_a_milestone_with_a_bad_date_keeps_what_was_typed(world):
    response = world.client("member").post(reverse("plans:milestones_new", args=[world.plan.pk]),
                                           {"title": "Pilot questionnaire", "target_date": "31/02/2026",
                                            "status": "planned"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'value="Pilot questionnaire"' in response.text


def _upload(client, plan, name, content, **extra):
    return client.post(reverse("plans:evidence_new", args=[plan.pk]), {
        "title": "Village survey 2015", "kind": "consultation", "file": SimpleUploadedFile(name, content),
        **extra})


def test_evidence_upload_accepts_a_real_pdf_and_stores_it_under_a_random_name(world):
    response = _upload(world.client("member"), world.plan, "../../etc/passwd.pdf", PDF)
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert item.file.name.startswith(f"plans/{world.plan.pk}/") and item.file.name.endswith(".pdf")
    assert "passwd" not in item.file.name
    download = world.client("councillor").get(
        reverse("plans:file", args=[world.plan.pk, "evidence", item.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize(("name", "content"), [("report.pdf", EXE), ("photo.png", b"<html>"),
                                               ("data.csv", b"\x00\x01binary")])
def test_evidence_upload_checks_the_content_not_the_name(world, name, content):
    response = _upload(world.client("member"), world.plan, name, content)
    assert response.status_code == 200
    assert "This kind of file cannot be uploaded" in response.text
    assert not EvidenceItem.objects.exists()


def test_evidence_upload_accepts_csv_and_images(world):
    client = world.client("member")
    assert _upload(client, world.plan, "ages.csv", b"age,count\n0-15,120\n").status_code == 302
    assert _upload(client, world.plan, "pic.png", PNG).status_code == 302


def test_evidence_upload_has_a_size_limit(world, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = _upload(world.client("member"), world.plan, "big.pdf", PDF + b"0" * 200)
    assert "Choose a file smaller than 100" in response.text


def test_evidence_needs_a_file_or_a_link(world):
    response = world.client("member").post(reverse("plans:evidence_new", args=[world.plan.pk]),
                                           {"title": "Nothing", "kind": "report"})
    assert "Upload a file or give a link." in response.text


def test_public_events_appear_on_the_community_page(world, client):
    factories.MeetingFactory(plan=world.plan, title="Summer drop-in", is_public=True,
                             date=timezone.localdate() + timedelta(days=7))
    factories.MeetingFactory(plan=world.plan, title="Private steering meeting", kind="steering")
    text = client.get(reverse("plans:community", args=[world.community.slug])).text
    assert "Summer drop-in" in text
    assert "Private steering meeting" not in text


def test_removing_a_record_is_noted_in_the_history(world):
    meeting = factories.MeetingFactory(plan=world.plan, title="Youth forum")
    client = world.client("champion")
    client.post(reverse("plans:meetings_delete", args=[world.plan.pk, meeting.pk]))
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    history = client.get(reverse("plans:history", args=[world.plan.pk])).text
    assert "Removed meeting: Youth forum" in history


LIST_PAGES = ["plans:members", "plans:milestones", "plans:meetings", "plans:evidence",
              "plans:support", "plans:history", "plans:detail"]


def _grow(plan, n):
    for i in range(n):
        factories.MilestoneFactory(plan=plan)
        factories.MeetingFactory(plan=plan, groups_reached=["older_people"])
        factories.EvidenceFactory(plan=plan)
        plan.support_sources.create(name=f"Grant {i}")
        Membership.objects.create(plan=plan, user=factories.UserFactory(), role=Role.MEMBER,
                                  represents=["families"])
        services.record(plan, None, "content", f"Event {i}")


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_make_the_same_number_of_queries_at_any_size(world, name,
                                                               django_assert_max_num_queries):
    client = world.client("chair")
    url = reverse(name, args=[world.plan.pk])
    _grow(world.plan, 2)
    client.get(url)  # warm the session
    freshness.bump()  # the page as drawn, not a copy kept for this viewer (clp.freshness)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    _grow(world.plan, 25)
    freshness.bump()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"


def test_a_pdf_named_as_a_web_page_is_refused(world):
    response = _upload(world.client("member"), world.plan, "polyglot.html", POLYGLOT)
    assert response.status_code == 200
    assert "holds a PDF file" in response.text
    assert not EvidenceItem.objects.exists()


@pytest.mark.parametrize("name", ["photo.jpeg", "photo.JPG"])
def test_a_name_ending_that_agrees_with_the_content_is_accepted(world, name):
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    assert _upload(world.client("member"), world.plan, name, jpeg).status_code == 302


def test_downloads_take_their_type_and_extension_from_the_checked_content(world):
    # A file stored before names were checked: its name says HTML, its content is a PDF.
    _upload(world.client("member"), world.plan, "notes.pdf", POLYGLOT)
    EvidenceItem.objects.update(original_name="polyglot.html")
    item = EvidenceItem.objects.get()
    download = world.client("councillor").get(
        reverse("plans:file", args=[world.plan.pk, "evidence", item.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == 'attachment; filename="polyglot.pdf"'


def test_meeting_minutes_are_checked_and_served_the_same_way(world):
    client = world.client("member")
    response = client.post(reverse("plans:meetings_new", args=[world.plan.pk]), {
        "title": "Open meeting", "kind": "open_meeting", "date": "2026-03-01",
        "minutes_file": SimpleUploadedFile("minutes.html", POLYGLOT)})
    assert "holds a PDF file" in response.text
    assert not Meeting.objects.exists()

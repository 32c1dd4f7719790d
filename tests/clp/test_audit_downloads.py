"""Every download of personal or survey data writes one audit row: who, which plan, survey,
organisation, user or file, and the format; never an answer, a code, a file's name or a token.
The site admin reads the row on the audit log page. (tests/test_permission_matrix.py checks that
no download view is left out.)"""

import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from clp.models import DOWNLOAD_KINDS, AuditEvent, AuditKind
from consultation.models import Answer
from plans.models import Publication, PublicationStatus
from tests.permissions import TABLE
from tests.test_permission_matrix import PDF, matrix_world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _label(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def _private_publication(w):
    publication = Publication.objects.create(
        plan=w.plan, kind="household_summary", title="Draft summary", is_public=False,
        status=PublicationStatus.DONE, finished_at=timezone.now(), pages=1, bytes=len(PDF),
        sha256="0" * 64)
    publication.file.save("draft.pdf", ContentFile(PDF))
    return publication


# url name, persona, the object the row must name, and what its summary says.
CASES = [
    ("consultation:export_csv", "chair", lambda w: w.survey,
     "Responses (channel: all) downloaded as CSV"),
    ("consultation:export_xlsx", "officer", lambda w: w.survey,
     "Responses (channel: all) downloaded as XLSX"),
    ("consultation:results_download", "councillor", lambda w: w.survey, "Results downloaded as CSV"),
    ("consultation:crosstab_download", "member", lambda w: w.survey,
     lambda w: f"Cross-tab of question {w.choice_question.pk} by {w.dimension.kind} downloaded as XLSX"),
    ("consultation:issues_download", "secretary", lambda w: w.plan, "Issues register downloaded as CSV"),
    ("portfolio:export", "officer", lambda w: w.organisation, "Portfolio downloaded as CSV"),
    ("your_data_download", "resident", lambda w: w.people["resident"], "Their own data downloaded as JSON"),
    ("plans:file", "councillor", lambda w: w.content["evidence"],
     lambda w: f"File of plan {w.plan.pk} downloaded as PDF"),
    ("actions:update_file", "champion", lambda w: w.update,
     lambda w: f"Progress update file of plan {w.plan.pk} downloaded as PDF"),
]


def _secrets(w) -> list[str]:
    """What must never reach the log: answers, the names files were uploaded under, link tokens."""
    texts = [t for t in Answer.objects.exclude(text="").values_list("text", flat=True) if len(t) > 3]
    names = [w.content["evidence"].original_name, w.update.original_name, "photo", "report"]
    return [*texts, *[n for n in names if n], w.update_token, w.owner_token]


# What the site admin sees as a row's kind, for the downloads that are not survey answers.
KINDS = {"portfolio:export": AuditKind.PORTFOLIO_EXPORT, "your_data_download": AuditKind.OWN_DATA_EXPORT}


def _assert_one_row_seen_by_the_admin(w, before: set, *, actor, target, summary,
                                      kind=AuditKind.EXPORT) -> AuditEvent:
    rows = AuditEvent.objects.filter(kind__in=DOWNLOAD_KINDS).exclude(pk__in=before)
    assert rows.count() == 1
    row = rows.get()
    assert (row.kind, row.actor, row.target, row.summary) == (kind, actor, target, summary)
    page = w.client("admin").get(reverse("admin:clp_auditevent_changelist"), {"kind": kind.value})
    assert page.status_code == 200 and target in page.text and summary in page.text
    assert str(kind.label) in page.text
    logged = f"{row.target} {row.summary}"
    for secret in _secrets(w):
        assert secret not in logged, secret
    return row


@pytest.mark.parametrize(("name", "persona", "target", "summary"), CASES, ids=[c[0] for c in CASES])
def test_each_download_writes_one_row_naming_what_was_downloaded(
        matrix_world, settings, name, persona, target, summary):  # noqa: F811
    w = matrix_world
    settings.MEDIA_ROOT = w.media
    row = TABLE[name]
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    response = w.client(persona).get(reverse(name, kwargs=row.kwargs(w)), row.data(w) if row.data else {})
    assert response.status_code == 200
    expected = summary(w) if callable(summary) else summary
    _assert_one_row_seen_by_the_admin(w, before, actor=w.people[persona], target=_label(target(w)),
                                      summary=expected, kind=KINDS.get(name, AuditKind.EXPORT))


def test_a_private_document_is_logged_and_a_public_one_is_not(matrix_world, settings):  # noqa: F811
    w = matrix_world
    settings.MEDIA_ROOT = w.media
    private = _private_publication(w)
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    member = w.client("member")
    public = member.get(reverse("plans:publication_file", kwargs={"pk": w.plan.pk, "pid": w.publication.pk}))
    assert public.status_code == 200
    assert not AuditEvent.objects.filter(kind=AuditKind.EXPORT).exclude(pk__in=before).exists()
    draft = member.get(reverse("plans:publication_file", kwargs={"pk": w.plan.pk, "pid": private.pk}))
    assert draft.status_code == 200
    _assert_one_row_seen_by_the_admin(
        w, before, actor=w.people["member"], target=_label(private),
        summary=f"Private household_summary document of plan {w.plan.pk} downloaded as PDF")


def test_a_csv_of_new_codes_is_logged_without_the_codes(matrix_world):  # noqa: F811
    w = matrix_world
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    url = reverse("consultation:codes", kwargs={"pk": w.plan.pk, "sid": w.survey.pk})
    response = w.client("chair").post(url, {"count": 3, "batch": "Church Lane round", "output": "csv"})
    assert response["Content-Disposition"].startswith("attachment")
    codes = [line[0] for line in csv.reader(io.StringIO(response.content.decode()))][1:]
    assert len(codes) == 3
    row = _assert_one_row_seen_by_the_admin(w, before, actor=w.people["chair"], target=_label(w.survey),
                                            summary="3 new one-time codes downloaded as CSV")
    for secret in [*codes, "Church Lane"]:
        assert secret not in row.summary


def test_a_refused_download_writes_no_export_row(matrix_world):  # noqa: F811
    w = matrix_world
    url = reverse("consultation:export_csv", kwargs={"pk": w.plan.pk, "sid": w.survey.pk})
    assert w.client("councillor").get(url).status_code == 403
    assert w.client("outsider").get(url).status_code == 404
    assert not AuditEvent.objects.filter(kind__in=DOWNLOAD_KINDS).exists()


def test_the_portfolio_and_own_data_downloads_have_their_own_plain_labels(matrix_world):  # noqa: F811
    w = matrix_world
    organisation = w.organisation
    w.client("officer").get(reverse("portfolio:export", kwargs={"pk": organisation.pk, "fmt": "xlsx"}))
    w.client("resident").get(reverse("your_data_download"))
    page = w.client("admin").get(reverse("admin:clp_auditevent_changelist")).text
    assert "Portfolio downloaded" in page and "Own data downloaded" in page
    kinds = dict(AuditEvent.objects.values_list("summary", "kind"))
    assert kinds["Portfolio downloaded as XLSX"] == AuditKind.PORTFOLIO_EXPORT
    assert kinds["Their own data downloaded as JSON"] == AuditKind.OWN_DATA_EXPORT
    assert not AuditEvent.objects.filter(kind=AuditKind.EXPORT).exists()

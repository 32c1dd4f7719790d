"""Every download of personal or survey data writes exactly one export row to the audit log, and
nothing else writes one (clp.audit.audit_download).

tests/test_permission_matrix.py checks this on every URL × persona, so a new download view that
forgets the audit row fails there; tests/clp/test_audit_downloads.py checks what each row says.
"""

from django.http import FileResponse

from clp.models import DOWNLOAD_KINDS, AuditEvent

# Downloads that need no row: blank templates hold no data, and the matrix world's documents are
# public (a private one's row is checked in tests/clp/test_audit_downloads.py).
NO_ENTRY = {
    "consultation:import_template": "a blank template",
    "consultation:baseline_template": "a blank template",
    "plans:public_document_pdf": "a public document",
    "plans:publication_file": "a public document in the matrix world",
}


def export_rows() -> int:
    return AuditEvent.objects.filter(kind__in=DOWNLOAD_KINDS).count()


def is_download(response) -> bool:
    return response.status_code == 200 and (
        isinstance(response, FileResponse)
        or response.get("Content-Disposition", "").startswith("attachment"))


def assert_audited(name: str, response, rows_before: int, where: str) -> None:
    """A served download of data wrote one export row; any other response wrote none."""
    wanted = 1 if is_download(response) and name not in NO_ENTRY else 0
    written = export_rows() - rows_before
    assert written == wanted, f"{where}: {written} export rows in the audit log, expected {wanted}"

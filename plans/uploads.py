"""Upload checks: the file's content decides its type, not its name; storage names are random."""

import uuid

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Detected type -> extension used for storage. CSV has no magic number: it is checked as text.
ALLOWED = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
}
ALLOWED_DESCRIPTION = "PDF, PNG, JPEG, GIF, WebP, CSV, XLSX, DOCX or ODT"


def _head(file, size: int = 8192) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _looks_like_csv(name: str, head: bytes) -> bool:
    if not name.lower().endswith(".csv") or b"\x00" in head:
        return False
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError:
        # A multi-byte character may be cut at the end of the sample.
        try:
            head[:-3].decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
    return True


def detected_extension(file) -> str | None:
    head = _head(file)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ALLOWED:
        return ALLOWED[kind.mime]
    if kind is None and _looks_like_csv(getattr(file, "name", ""), head):
        return "csv"
    return None


def validate_upload(file) -> None:
    # Files already stored were checked when they arrived.
    if getattr(file, "_committed", True) and not hasattr(file, "content_type"):
        return
    if file.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s. Choose a file smaller than %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        )
    if detected_extension(file) is None:
        raise ValidationError(
            _("This kind of file cannot be uploaded. Choose a %(types)s file.")
            % {"types": ALLOWED_DESCRIPTION}
        )


def _stored_name(instance, file) -> str:
    return f"plans/{instance.plan_id}/{uuid.uuid4().hex}.{detected_extension(file) or 'bin'}"


def evidence_upload_to(instance, filename: str) -> str:
    return _stored_name(instance, instance.file)


def minutes_upload_to(instance, filename: str) -> str:
    return _stored_name(instance, instance.minutes_file)

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
# Stored extension -> the name endings that agree with it, and the type it is served as.
NAME_ENDINGS = {"jpg": {"jpg", "jpeg"}}
SERVED_TYPES = {extension: mime for mime, extension in ALLOWED.items()} | {
    "csv": "text/csv; charset=utf-8"}


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
    extension = detected_extension(file)
    if extension is None:
        raise ValidationError(
            _("This kind of file cannot be uploaded. Choose a %(types)s file.")
            % {"types": ALLOWED_DESCRIPTION}
        )
    given = getattr(file, "name", "")
    named = given.rsplit(".", 1)[-1].lower() if "." in given else ""
    if named not in NAME_ENDINGS.get(extension, {extension}):
        raise ValidationError(
            _("The file's name ends in “.%(named)s” but it holds a %(kind)s file. Rename it to end "
              "in “.%(extension)s”, or choose the right file.")
            % {"named": named or _("nothing"), "kind": extension.upper(), "extension": extension}
        )


def served_type(stored_name: str) -> str:
    """The Content-Type of a stored upload, from the extension its checked content gave it."""
    return SERVED_TYPES.get(stored_name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def download_name(stored_name: str, wanted: str) -> str:
    """The name a download is offered under: the user's name, but always the checked extension."""
    extension = stored_name.rsplit(".", 1)[-1].lower()
    stem = wanted.rsplit(".", 1)[0] if "." in wanted else wanted
    return f"{stem or 'file'}.{extension}"


def _stored_name(instance, file) -> str:
    return f"plans/{instance.plan_id}/{uuid.uuid4().hex}.{detected_extension(file) or 'bin'}"


def evidence_upload_to(instance, filename: str) -> str:
    return _stored_name(instance, instance.file)


def minutes_upload_to(instance, filename: str) -> str:
    return _stored_name(instance, instance.minutes_file)

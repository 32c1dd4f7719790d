"""The audit log: one row per security-relevant event, shown read-only to the site admin.

Callers pass an object and a summary made of ids and titles; nothing a resident or volunteer typed
(answers, codes, tokens, passwords) is ever passed here. A failure to write the row must not undo
the user's action, so sign-in and refusal rows are written outside the caller's transaction.
"""

import logging

from django.db import models

from clp.models import DOWNLOAD_KINDS, AuditEvent, AuditKind

logger = logging.getLogger(__name__)

__all__ = ["DOWNLOAD_KINDS", "AuditKind", "audit_download", "audit_record"]


def _actor(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def audit_record(*, kind: str, actor=None, target: models.Model | None = None,
                 summary: str = "") -> AuditEvent:
    """Write one audit row: who did what to which object."""
    label = f"{target._meta.label_lower}:{target.pk}" if target is not None else ""
    event = AuditEvent.objects.create(kind=kind, actor=_actor(actor), target=label,
                                      summary=summary[:300])
    logger.info("audit %s actor=%s target=%s", kind, event.actor_id, label)
    return event


def audit_download(*, actor, target: models.Model, what: str, fmt: str,
                   kind: str = AuditKind.EXPORT) -> AuditEvent:
    """Write the one row for a download of personal or survey data, or of a file kept from the public.

    `target` is the plan, survey, organisation, user or stored file downloaded; `what` is our own
    wording with ids (never a file's name, a filter's text or anything else someone typed), and
    `fmt` the format it went out in, e.g. "csv". `kind` is one of DOWNLOAD_KINDS, so the site
    admin can filter the log by what was downloaded. Called by the view once it has refused
    whatever it refuses, so a refused download writes no export row.
    """
    return audit_record(kind=kind, actor=actor, target=target,
                        summary=f"{what} downloaded as {fmt.upper()}")


def stored_format(file) -> str:
    """The format of a stored upload, from the extension its checked content gave it."""
    name = getattr(file, "name", "") or ""
    return name.rsplit(".", 1)[-1].lower() if "." in name else "file"

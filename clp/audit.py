"""The audit log: one row per security-relevant event, shown read-only to the site admin.

Callers pass an object and a summary made of ids and titles; nothing a resident or volunteer typed
(answers, codes, tokens, passwords) is ever passed here. A failure to write the row must not undo
the user's action, so sign-in and refusal rows are written outside the caller's transaction.
"""

import logging

from django.db import models

from clp.models import AuditEvent, AuditKind

logger = logging.getLogger(__name__)

__all__ = ["AuditKind", "audit_record"]


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

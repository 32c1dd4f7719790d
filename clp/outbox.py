"""Sending an email for a database row once, without holding a lock while the mail server talks.

A task that sends mail works in three steps, each its own short transaction:

1. **claim** the row: one conditional UPDATE stamps ``sending_since`` on a row that still needs
   sending and that nobody else has claimed recently. Only one worker can win it; no lock is kept.
2. **send** outside any transaction (``EMAIL_TIMEOUT`` bounds each socket operation, the task's
   time limit bounds the whole).
3. **finish**: record that the work is done (``sent_at`` …) and clear the claim. If sending
   failed the claim is cleared instead, so a retry or the sweep can take the row straight away.

A worker killed between its claim and its finish leaves a claim behind; the row can be claimed
again once the claim is older than ``OUTBOX_CLAIM_SECONDS`` (longer than a task may run). Until
then a task finding the row claimed raises ``Busy`` and its message is retried once that much time
has passed (``retry_when_busy``), so a redelivered message still does the work; the sweep is the
net under that. The one window left is a crash after the mail
server accepted the message but before step 3 committed: that email is sent a second time. We
prefer that to never sending it, and it is the shortest window the mail protocol allows.
"""

import contextlib
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

# For every task that sends mail through a Claim. acks_late: the message is removed only once the
# task has finished, so a killed worker's message comes back (after the broker's visibility
# timeout). reject_on_worker_lost: if the worker process dies mid-task the message goes back at
# once. Both are safe only because the claim makes a second run send nothing twice; they are not
# set for every task, since a task that itself kills its worker (out of memory) would loop.
# A mail server that refuses, drops or never answers (EMAIL_TIMEOUT) is retried with backoff.
EMAIL_TASK = {"acks_late": True, "reject_on_worker_lost": True, "bind": True,
              "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
              "retry_backoff": True, "max_retries": 5}


class Busy(Exception):
    """Another worker claimed this row moments ago (it is sending, or it died doing so)."""


@contextlib.contextmanager
def retry_when_busy(task):
    """In a task: when the row is claimed by another worker, try again once that claim has
    expired, rather than dropping the message."""
    try:
        yield
    except Busy as busy:
        raise task.retry(countdown=settings.OUTBOX_CLAIM_SECONDS, exc=busy) from busy


class Claim:
    """``with Claim(rows) as claim:`` – ``claim.row`` is the claimed row, or None if another
    worker has it or nothing is left to do. Call ``claim.finish(field=value, …)`` once the work
    is done; leaving the block without it releases the claim. Raises Busy when the row still has
    work to do but another worker's claim on it is fresh (unless ``busy=False``: then the row is
    simply not claimed, for work that a later check or the sweep will redo anyway)."""

    def __init__(self, rows: QuerySet, *, field: str = "sending_since", busy: bool = True):
        self.rows, self.field, self.busy = rows, field, busy
        self.row: Model | None = None
        self._finished = False

    def __enter__(self) -> "Claim":
        now = timezone.now()
        stale = now - timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
        free = Q(**{f"{self.field}__isnull": True}) | Q(**{f"{self.field}__lt": stale})
        pks = list(self.rows.filter(free).order_by().values_list("pk", flat=True)[:1])
        if pks and self.rows.model.objects.filter(free, pk=pks[0]).update(**{self.field: now}):
            self.row = self.rows.filter(pk=pks[0]).first()
        elif self.busy and self.rows.exists():
            raise Busy(f"{self.rows.model.__name__} is being sent by another worker")
        return self

    def finish(self, **done) -> None:
        """Record the work as done and release the claim, in one UPDATE."""
        self.rows.model.objects.filter(pk=self.row.pk).update(**{self.field: None}, **done)
        self._finished = True

    def __exit__(self, *exc_info) -> None:
        if self.row is not None and not self._finished:
            self.rows.model.objects.filter(pk=self.row.pk).update(**{self.field: None})

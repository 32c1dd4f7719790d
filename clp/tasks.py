from celery import shared_task

from clp import outbox
from clp.exceptions import TransientSendError


@shared_task(**outbox.EMAIL_TASK)
def send_invitation(self, invitation_id: int) -> bool:
    from clp import services

    with outbox.retry_when_busy(self):
        return services.invitation_send(invitation_id=invitation_id)


@shared_task
def sweep_unsent_invitations() -> int:
    from clp import services

    return services.invitation_resend_unsent()


# The ledger row is the record of work, so no result is stored: queueing then needs only the
# broker (a result backend that is down would otherwise fail the enqueue too).
@shared_task(acks_late=True, autoretry_for=(TransientSendError,), retry_backoff=True,
             retry_backoff_max=600, max_retries=5, ignore_result=True)
def send_reminders(recipient_id: int) -> int:
    from clp import services

    return services.reminders_send(recipient_id=recipient_id)


@shared_task(ignore_result=True)
def sweep_reminders() -> int:
    from clp import services

    return services.reminders_sweep()


@shared_task
def beat_heartbeat() -> None:
    """Proves beat is scheduling and a worker is running its tasks (see clp.health)."""
    from clp import health

    health.heartbeat_write()

from celery import shared_task

from clp import outbox


@shared_task(**outbox.EMAIL_TASK)
def send_invitation(self, invitation_id: int) -> bool:
    from clp import services

    with outbox.retry_when_busy(self):
        return services.invitation_send(invitation_id=invitation_id)


@shared_task
def sweep_unsent_invitations() -> int:
    from clp import services

    return services.invitation_resend_unsent()

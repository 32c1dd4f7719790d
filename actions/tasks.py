from celery import shared_task

from clp import outbox


@shared_task(**outbox.EMAIL_TASK)
def send_endorsement_request(self, request_id: int) -> bool:
    from actions import services

    with outbox.retry_when_busy(self):
        return services.endorsement_request_email(request_id=request_id)


@shared_task
def sweep_unemailed_requests() -> int:
    from actions import services

    return services.endorsement_requests_resend_unemailed()

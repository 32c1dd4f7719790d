from smtplib import SMTPException

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True,
             max_retries=5)
def send_endorsement_request(request_id: int) -> bool:
    from actions import services

    return services.endorsement_request_email(request_id=request_id)


@shared_task
def sweep_unemailed_requests() -> int:
    from actions import services

    return services.endorsement_requests_resend_unemailed()


@shared_task(acks_late=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True,
             max_retries=5)
def send_message_email(message_id: int) -> bool:
    from actions import services

    return services.message_email(message_id=message_id)


@shared_task
def sweep_unemailed_messages() -> int:
    from actions import services

    return services.messages_resend_unemailed()

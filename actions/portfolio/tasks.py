from smtplib import SMTPException

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True,
             max_retries=5)
def send_bulk_message(recipient_id: int) -> bool:
    from actions.portfolio import services

    return services.bulk_recipient_email(recipient_id=recipient_id)


@shared_task
def sweep_bulk_messages() -> int:
    from actions.portfolio import services

    return services.bulk_messages_resend_unsent()

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


@shared_task(**outbox.EMAIL_TASK)
def send_owner_request(self, request_id: int) -> bool:
    from actions import delivery

    with outbox.retry_when_busy(self):
        return delivery.owner_request_email(request_id=request_id)


@shared_task(**outbox.EMAIL_TASK)
def send_update_link(self, link_id: int) -> bool:
    from actions import delivery

    with outbox.retry_when_busy(self):
        return delivery.update_link_email(link_id=link_id)


@shared_task(**outbox.EMAIL_TASK)
def send_offer_confirmation(self, offer_id: int) -> bool:
    from actions import delivery

    with outbox.retry_when_busy(self):
        return delivery.offer_confirmation_email(offer_id=offer_id)


@shared_task(**outbox.EMAIL_TASK)
def send_offer_to_lead(self, offer_id: int) -> bool:
    from actions import delivery

    with outbox.retry_when_busy(self):
        return delivery.offer_lead_email(offer_id=offer_id)


@shared_task(**outbox.EMAIL_TASK)
def send_help_notice(self, notice_id: int) -> bool:
    from actions import delivery

    with outbox.retry_when_busy(self):
        return delivery.help_notice_email(notice_id=notice_id)


@shared_task(**outbox.EMAIL_TASK)
def send_follow_confirmation(self, follower_id: int) -> bool:
    from actions import delivery

    with outbox.retry_when_busy(self):
        return delivery.follow_confirmation_email(follower_id=follower_id)


@shared_task
def sweep_delivery_emails() -> int:
    from actions import delivery

    return delivery.resend_lost_emails()
@shared_task(**outbox.EMAIL_TASK)
def send_message_email(self, message_id: int) -> bool:
    from actions import services

    with outbox.retry_when_busy(self):
        return services.message_email(message_id=message_id)


@shared_task
def sweep_unemailed_messages() -> int:
    from actions import services

    return services.messages_resend_unemailed()

from smtplib import SMTPException

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=True,
             max_retries=5)
def notify_response_milestone(survey_id: int) -> bool:
    from consultation import services

    return services.survey_notify_milestone(survey_id=survey_id)


@shared_task
def sweep_surveys() -> int:
    from consultation import services

    return services.surveys_sweep()

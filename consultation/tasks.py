from celery import shared_task

from clp import outbox


@shared_task(**outbox.EMAIL_TASK)
def notify_response_milestone(self, survey_id: int) -> bool:
    from consultation import services

    with outbox.retry_when_busy(self):
        return services.survey_notify_milestone(survey_id=survey_id)


@shared_task
def sweep_surveys() -> int:
    from consultation import services

    return services.surveys_sweep()


@shared_task
def apply_retention() -> int:
    from consultation.services import retention

    return retention.surveys_apply_retention()

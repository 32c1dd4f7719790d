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


@shared_task(acks_late=True)
def run_import(batch_id: int) -> bool:
    from consultation.services import importing

    return importing.import_process(batch_id=batch_id)


@shared_task
def sweep_imports() -> int:
    from consultation.services import importing

    return importing.imports_requeue_lost()

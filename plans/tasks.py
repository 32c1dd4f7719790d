from celery import shared_task


@shared_task(acks_late=True)
def render_publication(publication_id: int) -> bool:
    from plans import services

    return services.publication_render(publication_id=publication_id)


@shared_task
def sweep_publications() -> int:
    from plans import services

    return services.publications_requeue_lost()

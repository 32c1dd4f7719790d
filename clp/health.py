"""The health endpoint for load balancers and monitoring: the database, the broker, and when the
beat last ran (its heartbeat task writes a row each minute; a worker must run it, so a fresh row
also shows the workers are taking tasks). 200 when all is well, 503 with the failing part named.

It says only "ok" or what failed, never a host name, address or error text.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from clp.models import Heartbeat

logger = logging.getLogger(__name__)
BEAT = "beat"


def heartbeat_write() -> None:
    Heartbeat.objects.update_or_create(name=BEAT, defaults={"at": timezone.now()})


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:  # the reason goes to the log only
        logger.exception("Health check: database unreachable")
        return "failing"
    return "ok"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "not used"
    from clp.celery import QUEUE_UNREACHABLE, app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except QUEUE_UNREACHABLE:
        logger.exception("Health check: broker unreachable")
        return "failing"
    return "ok"


def _beat(now) -> tuple[str, str | None]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "not used", None
    last = Heartbeat.objects.filter(name=BEAT).values_list("at", flat=True).first()
    if last is None:
        return "never ran", None
    fresh = now - last <= timedelta(seconds=settings.HEALTH_BEAT_MAX_AGE)
    return ("ok" if fresh else "late"), last.isoformat()


@never_cache
def health(request):
    database = _database()
    broker = _broker()
    beat, last_run = _beat(timezone.now()) if database == "ok" else ("unknown", None)
    healthy = database == "ok" and broker in ("ok", "not used") and beat in ("ok", "not used")
    return JsonResponse({"status": "ok" if healthy else "failing", "database": database,
                         "broker": broker, "beat": beat, "beat_last_run": last_run},
                        status=200 if healthy else 503)

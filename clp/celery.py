import functools
import logging
import os
import time

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clp.settings")

logger = logging.getLogger(__name__)

# What sending a message raises when the broker (Redis) cannot be reached.
QUEUE_UNREACHABLE = (BrokerError, OSError, RedisConnectionError, RedisTimeoutError)
queue_failures = 0  # per process, since start-up
# (task name, key) → when this process last queued it (time.monotonic): delay_on_commit_now_and_then
SENT: dict[tuple, float] = {}


class Task(DjangoTask):
    """Every task of the project. Queuing after commit never fails the request that queued it.

    The database row is the record of the work, so a message that cannot be sent because the
    broker is down is logged and counted, and the periodic sweep for that kind of row sends it
    later (see CELERY_BEAT_SCHEDULE in settings).
    """

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(self.send_or_log, args, kwargs))

    def delay_on_commit_now_and_then(self, key, every: float, *args) -> None:
        """As `delay_on_commit`, but at most once every `every` seconds from this process for
        `key`. Only a message the broker took counts: after one it refused (or a transaction
        that rolled back) the next call queues again."""
        last = SENT.get((self.name, key))
        if last is not None and time.monotonic() - last < every:
            return
        transaction.on_commit(functools.partial(self._send_and_note, key, args))

    def _send_and_note(self, key, args: tuple) -> None:
        if self.send_or_log(args):
            SENT[(self.name, key)] = time.monotonic()

    def send_or_log(self, args: tuple = (), kwargs: dict | None = None) -> bool:
        """Queue the task now; False (logged and counted) when the broker is unreachable."""
        global queue_failures
        try:
            self.apply_async(args, kwargs)
        except QUEUE_UNREACHABLE as error:
            queue_failures += 1
            logger.warning("Could not queue %s%r (the sweep will send it later): %s",
                           self.name, tuple(args), error)
            return False
        return True


app = Celery("clp", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

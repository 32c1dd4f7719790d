"""Real services a fault test can break: its own Redis, a mail server that never answers, a Celery
worker process. Never the shared Redis on 6379: each test starts and stops its own."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[1]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


class RedisServer:
    """A redis-server of the test's own on a free loopback port; stop() really stops it."""

    def __init__(self, *options: str):
        if not os.path.exists(REDIS_SERVER):
            pytest.skip(f"No redis-server at {REDIS_SERVER}")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.options = options  # more of redis-server's options, e.g. ("--rename-command", …)
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning", *self.options],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        if not wait_for(lambda: self._pings(client), 10):
            raise RuntimeError(f"redis-server on port {self.port} did not start")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    @staticmethod
    def _pings(client) -> bool:
        try:
            return client.ping()
        except redis.exceptions.ConnectionError:
            return False


def cache_settings(url: str, retry_after: float = 0) -> dict:
    return {"default": {"BACKEND": "clp.cache.FailOpenRedisCache", "LOCATION": url,
                        "KEY_PREFIX": "test", "OPTIONS": {"socket_connect_timeout": 0.5,
                                                          "socket_timeout": 1,
                                                          "RETRY_AFTER": retry_after}}}


@contextlib.contextmanager
def celery_on(url: str, **conf):
    """Point the project's Celery app (broker and results) at `url`, as if REDIS_URL were it."""
    from clp.celery import app

    changes = {"broker_url": url, "result_backend": url, "task_always_eager": False,
               "broker_connection_timeout": 0.5,
               "broker_transport_options": {"max_retries": 1, "interval_start": 0,
                                            "interval_step": 0.1}, **conf}
    previous = {key: app.conf[key] for key in changes}
    app.conf.update(changes)
    forget_celery_connections()
    try:
        yield app
    finally:
        app.conf.update(previous)
        forget_celery_connections()


def forget_celery_connections() -> None:
    # Celery keeps broker pools and its result backend; dropping them makes the next use connect
    # to whatever the configuration now says.
    from clp.celery import app

    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


class SilentMailServer:
    """A loopback socket that accepts SMTP connections and never says a word, until answer() is
    called: from then on new connections get a minimal SMTP dialogue and their messages are kept
    in `received`."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.port = self.socket.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.received: list[bytes] = []
        self.answering = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def answer(self) -> None:
        self.answering = True

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self.socket.accept()
            except OSError:
                return
            self.accepted.append(connection)
            if self.answering:
                threading.Thread(target=self._talk, args=(connection,), daemon=True).start()

    def _talk(self, connection: socket.socket) -> None:
        stream = connection.makefile("rwb")

        def say(line: str) -> None:
            stream.write(line.encode() + b"\r\n")
            stream.flush()

        say("220 test ESMTP")
        with contextlib.suppress(OSError, ValueError):
            while line := stream.readline():
                verb = line[:4].upper()
                if verb == b"DATA":
                    say("354 go ahead")
                    body = b""
                    while (part := stream.readline()) not in (b".\r\n", b""):
                        body += part
                    self.received.append(body)
                    say("250 queued")
                elif verb == b"QUIT":
                    say("221 bye")
                    return
                else:
                    say("250 ok")

    def close(self) -> None:
        for connection in self.accepted:
            connection.close()
        self.socket.close()


def start_worker(env: dict, *, log: Path) -> subprocess.Popen:
    """A real `celery -A clp worker` process (its own process group, so SIGKILL reaches it all)."""
    full = {**os.environ, **env}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "clp", "worker", "-l", "info", "--pool", "prefork",
         "--concurrency", "1", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=full, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def pool_children(process: subprocess.Popen) -> list[int]:
    """The worker's pool processes (prefork children of its main process)."""
    path = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def kill_worker(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(20)

"""CLP's own floor for a resident's POST: the project's settings (its middleware, sessions,
CSRF check, cache and database) with one extra view, served by a gunicorn of its own in
`make bench` so CLP's pages are measured on the project's own URL configuration."""

from clp.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor.urls"

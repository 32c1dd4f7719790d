"""Loaded by pytest before Django's settings (`-p tests.environment` in pyproject.toml).

Debug is off by default (production); the test suite, like `make run`, is a development setting.
The Django test runner still runs every request with DEBUG=False.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

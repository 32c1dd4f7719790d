"""Measure a large survey export: time to first byte, total time, size and peak memory.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/clp_yours   # a scratch database
    .venv/bin/python manage.py migrate
    .venv/bin/python scripts/export_memory.py make 62500      # 62,500 responses = 250,000 answers
    .venv/bin/python scripts/export_memory.py measure csv     # each measure in a fresh process
    .venv/bin/python scripts/export_memory.py measure xlsx

Peak memory is the process's maximum resident set size (ru_maxrss), Django and all included.
"""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clp.settings")

import django  # noqa: E402

django.setup()

TITLE = "Export measurement"


def make(count: int) -> None:
    from consultation.models import Answer, Survey
    from tests.consultation.big_survey import add_responses
    from tests.consultation.factories import make_survey
    from tests.factories import MembershipFactory, PlanFactory, UserFactory

    Survey.objects.filter(title=TITLE).delete()
    plan = PlanFactory()
    chair = UserFactory(email=f"export.chair.{plan.pk}@example.org")
    MembershipFactory(plan=plan, user=chair, role="chair")
    survey = make_survey(plan, title=TITLE, actor=chair)
    started = time.monotonic()
    add_responses(survey, count)
    answers = Answer.objects.filter(response__survey=survey).count()
    print(f"survey {survey.pk}: {count} responses, {answers} answers "
          f"({time.monotonic() - started:.0f} s)")


def measure(fmt: str) -> None:
    from django.test import Client
    from django.urls import reverse

    from consultation.models import Survey

    survey = Survey.objects.select_related("plan").get(title=TITLE)
    chair = survey.plan.memberships.get(role="chair").user
    client = Client()
    client.force_login(chair)
    client.get(reverse("home"))  # load URLs, apps and templates before timing
    started = time.monotonic()
    response = client.get(reverse(f"consultation:export_{fmt}", args=[survey.plan_id, survey.pk]))
    size, first = 0, None
    for chunk in response.streaming_content:
        first = first or time.monotonic() - started
        size += len(chunk)
    total = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{fmt}: first byte {first:.2f} s, all {total:.1f} s, {size / 1e6:.1f} MB, "
          f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    {"make": lambda: make(int(sys.argv[2])), "measure": lambda: measure(sys.argv[2])}[sys.argv[1]]()

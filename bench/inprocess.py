"""Time the survey analysis pages in-process (Django's test client), at 200 and 20,000 responses.

    DATABASE_URL=postgres://…/<a copy of the bench database> python -m bench.inprocess

The bench generator's plan has a 200-response and a 20,000-response survey; each page is
fetched once to warm up, then ROUNDS times, and the median is printed in milliseconds with the
query count. Plan-wide pages (who we have heard, coding queue, issues register) have one size.
A quicker check than `make bench`, for a shared machine: it measures the app, not gunicorn.
"""

import os
import statistics
import sys
import time

ROUNDS = int(os.environ.get("ROUNDS", "5"))


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clp.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from clp.models import User
    from consultation.models import Question, QuestionKind, Survey
    from plans.models import CouncillorLink, CouncillorProfile

    big = Survey.objects.get(title__startswith="Bench: household questionnaire (20,000)")
    small = Survey.objects.get(title__startswith="Bench: household questionnaire (200)")
    plan = big.plan
    chair = Client()
    chair.force_login(User.objects.get(email="chair@example.org"))
    councillor = Client()
    profile = CouncillorProfile.objects.first()
    CouncillorLink.objects.get_or_create(plan=plan, councillor=profile)
    councillor.force_login(profile.user)
    public = Client()
    pages = []
    for size, survey in (("200", small), ("20000", big)):
        s = f"/plans/{plan.pk}/surveys/{survey.pk}/"
        q = Question.objects.filter(survey=survey, kind=QuestionKind.SINGLE).order_by("pk").first()
        cat = (Question.objects.filter(survey=survey, kind=QuestionKind.DEMOGRAPHIC)
               .order_by("pk").first().options.exclude(category=None).first().category_id)
        pages += [
            (f"results (steering) {size}", chair, f"{s}results/"),
            (f"results (councillor) {size}", councillor, f"{s}results/"),
            (f"results filtered (steering) {size}", chair, f"{s}results/?category={cat}"),
            (f"results filtered (councillor) {size}", councillor, f"{s}results/?category={cat}"),
            (f"cross-tab (steering) {size}", chair, f"{s}results/questions/{q.pk}/"),
            (f"cross-tab (councillor) {size}", councillor, f"{s}results/questions/{q.pk}/"),
            (f"public results {size}", public, f"/s/{survey.public_id}/results/"),
            (f"written answers {size}", chair, f"{s}answers/"),
            (f"collection {size}", chair, f"{s}collection/"),
            (f"survey detail {size}", chair, s),
        ]
    pages += [
        ("who we have heard (plan)", chair, f"/plans/{plan.pk}/heard/"),
        ("coding queue (plan)", chair, f"/plans/{plan.pk}/coding/"),
        ("issues register (plan)", chair, f"/plans/{plan.pk}/issues/"),
    ]
    only = sys.argv[1:]
    for name, client, url in pages:
        if only and not any(word in name for word in only):
            continue
        response = client.get(url)
        if response.status_code != 200:
            print(f"{name:42} HTTP {response.status_code} {url}")
            continue
        times = []
        for _ in range(ROUNDS):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
        print(f"{name:42} {statistics.median(times):8.1f} ms  {len(queries):3d} queries", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

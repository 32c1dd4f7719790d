"""Who the benchmark is: signed-in sessions, residents' unsent drafts, and per-page query counts.

Sessions are ordinary database sessions, made as a sign-in would make them. Each resident's
draft is a complete unsent response with a session that holds it and a CSRF cookie, so wrk can
send "Send my answers" once per draft as a real browser would after the last page.
"""

import random
import secrets
import string
from pathlib import Path

CSRF_ALPHABET = string.ascii_letters + string.digits


def prepare(ids: dict, *, rounds: int, drafts: int, work: Path) -> dict:
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    from clp.models import User
    from consultation.models import Question, QuestionKind, Survey

    cookies = {}
    for who, pk in (("chair", ids["chair"]), ("officer", ids["officer"])):
        client = Client()
        client.force_login(User.objects.get(pk=pk))
        cookies[who] = f"sessionid={client.cookies['sessionid'].value}"
    big = Survey.objects.get(pk=ids["big"])
    session = SessionStore()
    session[f"consultation.response.{big.pk}"] = _drafts(big, 1)[0]
    session.create()
    cookies["draft"] = f"sessionid={session.session_key}"
    submit = Survey.objects.get(pk=ids["submit"])
    work.mkdir(parents=True, exist_ok=True)
    files = []
    for round_no in range(rounds):
        path = work / f"drafts-{round_no + 1}.txt"
        path.write_text("".join(f"{_session_for(submit, token)} {_csrf()}\n"
                                for token in _drafts(submit, drafts)))
        files.append(str(path))
    question = (Question.objects.filter(survey=big, kind=QuestionKind.SINGLE).order_by("pk").first())
    return {"cookies": cookies, "drafts": files, "submit_public": submit.public_id,
            "crosstab_question": question.pk}


def _csrf() -> str:
    return "".join(secrets.choice(CSRF_ALPHABET) for _ in range(32))


def _session_for(survey, token: str) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[f"consultation.response.{survey.pk}"] = token
    session.create()
    return session.session_key


def _drafts(survey, count: int) -> list[str]:
    """Complete, unsent responses, answered as the demo's residents answer."""
    from consultation import demo
    from consultation.models import Answer, Response, ResponseStatus

    rng = random.Random()
    questions = survey.ordered_questions()
    responses = Response.objects.bulk_create(
        [Response(survey=survey, status=ResponseStatus.DRAFT) for _ in range(count)])
    answers = [a for r in responses for q in questions for a in demo._answers(q, r, demo.AGE_BALANCED, rng)]
    Answer.objects.bulk_create(answers, batch_size=5000)
    return [r.resume_token for r in responses]


def submitted(survey_id: int) -> int:
    from consultation.models import Response

    return Response.objects.filter(survey_id=survey_id).submitted().count()


def query_counts(pages, ids: dict) -> dict:
    """Each page's SQL queries, fetched once in-process as its user (after one warm-up)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from clp.models import User
    from consultation.models import Survey

    counts = {}
    for name, path, who, _target, _base in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        url = path.format(**ids)
        if who in ("chair", "officer"):
            client.force_login(User.objects.get(pk=ids[who]))
        if who == "draft":
            client.cookies["sessionid"] = ids["cookies"]["draft"].split("=", 1)[1]
        if who == "submit":
            submit = Survey.objects.get(pk=ids["submit"])
            client.cookies["sessionid"] = _session_for(submit, _drafts(submit, 1)[0])
            with CaptureQueriesContext(connection) as captured:
                response = client.post(url)
        else:
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
        if response.status_code not in (200, 302):
            raise SystemExit(f"{name}: {url} answered {response.status_code} in-process")
        counts[name] = len(captured.captured_queries)
    return counts

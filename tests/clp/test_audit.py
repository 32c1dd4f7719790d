"""The audit log: who signed in, who was refused, and who moved, endorsed, exported, published or
erased what; and proof that no answer, code, token or password reaches it or the Python log."""

import logging

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from clp.models import AuditEvent, AuditKind
from consultation import services
from consultation.models import AccessMode, QuestionKind, Response
from consultation.services import evidence as evidence_services
from plans import services as plan_services
from tests.consultation.factories import make_survey, question, submitted_response
from tests.consultation.test_answering import _first_page, _start, _url

pytestmark = pytest.mark.django_db

SECRET_WORDS = "Zebra crossing outside number 14 Acacia Avenue"


def _kinds():
    return list(AuditEvent.objects.values_list("kind", flat=True))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sign_ins_and_refused_sign_ins_are_logged_without_the_password(world):
    chair = world.people["chair"]
    chair.set_password("correct-horse-battery")
    chair.save()
    Client().post(reverse("account_login"), {"login": chair.email, "password": "Hunter2-typed!"})
    Client().post(reverse("account_login"), {"login": chair.email, "password": "correct-horse-battery"})
    assert AuditKind.SIGN_IN_FAILED in _kinds()
    assert AuditEvent.objects.filter(kind=AuditKind.SIGN_IN, actor=chair).exists()
    assert not AuditEvent.objects.filter(summary__contains="Hunter2").exists()


def test_refused_access_is_logged_with_the_status(world):
    outsider = _client(world.people["outsider"])
    outsider.get(reverse("plans:detail", kwargs={"pk": world.plan.pk}))
    councillor = _client(world.people["councillor"])
    councillor.get(reverse("plans:edit", kwargs={"pk": world.plan.pk}))
    summaries = list(AuditEvent.objects.filter(kind=AuditKind.REFUSED).values_list("summary", "actor"))
    assert any(s.startswith("404 GET") and a == world.people["outsider"].pk for s, a in summaries)
    assert any(s.startswith("403 GET") and a == world.people["councillor"].pk for s, a in summaries)


def test_transitions_exports_publications_and_erasures_are_logged(world):
    chair = world.people["chair"]
    plan_services.plan_set_paused(plan=world.plan, actor=chair, paused=True, reason="Summer")
    survey = make_survey(world.plan, actor=chair)
    response = submitted_response(survey)
    _client(chair).get(reverse("consultation:export_csv", kwargs={"pk": world.plan.pk,
                                                                  "sid": survey.pk}))
    evidence_services.results_set_published(survey=survey, published=True, actor=chair)
    services.response_delete(response=response, reason="Asked by the resident", actor=chair)
    for kind in (AuditKind.TRANSITION, AuditKind.EXPORT, AuditKind.PUBLICATION, AuditKind.ERASURE):
        assert AuditEvent.objects.filter(kind=kind, actor=chair).exists(), kind
    assert not AuditEvent.objects.filter(summary__contains="Summer").exists()  # reasons stay out


def test_the_site_admin_reads_the_log_and_nobody_can_change_it(world):
    plan_services.plan_set_paused(plan=world.plan, actor=world.people["chair"], paused=True)
    admin_client = _client(world.people["admin"])
    page = admin_client.get(reverse("admin:clp_auditevent_changelist"))
    assert page.status_code == 200 and "Plan moved step or state" in page.content.decode()
    model_admin = admin.site._registry[AuditEvent]
    request = type("R", (), {"user": world.people["admin"]})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert _client(world.people["chair"]).get(
        reverse("admin:clp_auditevent_changelist")).status_code == 302


def test_no_answer_code_or_token_ever_reaches_the_audit_log_or_the_python_log(world, caplog):
    caplog.set_level(logging.DEBUG)
    survey = make_survey(world.plan, access=AccessMode.CODES)
    code = services.codes_generate(survey=survey, count=1, batch="", actor=world.people["chair"])[0]
    client = Client()
    _start(client, survey, code=code)
    client.post(_url("public_page", survey, n=1), _first_page(survey))
    love_hate = question(survey, QuestionKind.LOVE_HATE)
    client.post(_url("public_page", survey, n=2), {f"q{love_hate.pk}_love": SECRET_WORDS,
                                                   f"q{love_hate.pk}_hate": SECRET_WORDS})
    response = Response.objects.get(survey=survey)
    client.post(_url("public_resume", survey), {"link": f"/resume/#{response.resume_token}"})
    assert client.post(_url("public_check", survey)).status_code == 302
    _start(Client(), survey, code=code)  # the code again: refused
    _client(world.people["chair"]).get(reverse("consultation:export_csv", kwargs={
        "pk": world.plan.pk, "sid": survey.pk}))
    services.response_delete(response=Response.objects.get(pk=response.pk), reason="test",
                             actor=world.people["chair"])

    secrets = [SECRET_WORDS, "Acacia", code, f"{code[:4]}-{code[4:]}", response.resume_token]
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    audited = "\n".join(f"{e.target} {e.summary}" for e in AuditEvent.objects.all())
    assert AuditEvent.objects.exists()
    for secret in secrets:
        assert secret not in logged, secret
        assert secret not in audited, secret

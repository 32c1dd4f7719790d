"""The open-data API plays against an attacker: nothing unpublished, no personal data and no
hidden small number leaves, whatever filters, ordering, pages or formats are asked for."""

import json
import socket
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.validation import validate_schema

from actions.api import published
from actions.api.views import ENDPOINTS
from actions.models import (
    CommentStatus,
    CommunityUpdate,
    DraftComment,
    Endorsement,
    HelpOffer,
    PartnerBody,
    PlanVersion,
    ProgressUpdate,
    Section,
)
from actions.versions import snapshot
from clp.forms import CommunityForm
from consultation import analysis
from consultation.analysis.suppression import threshold
from consultation.models import AccessCode, QuestionKind, code_digest
from consultation.services.evidence import results_set_published
from plans.models import Plan, PlanStatus
from tests.actions.factories import ActionFactory, PriorityFactory
from tests.consultation.factories import make_survey, option, question, submitted_response
from tests.factories import CommunityFactory, CouncillorFactory, PlanFactory, UserFactory

LISTS = [f"/api/v1/{path}/" for path, *_rest in ENDPOINTS]

# Things that exist in the database and must never appear in any open-data answer.
SECRETS = [
    "Secret priority", "Secret action", "Unfrozen plan", "Jo Volunteer", "jo@volunteer.test",
    "07700 900123", "Rae Resident", "rae@resident.test", "Private progress note", "Draft news",
    "Rejected remark", "Councillor's private comment", "highways@county.test", "Pat Helper",
    "pat@helper.test", "Abandoned hope", "Unpublished questionnaire", "SECRETCODE",
]


def publish(plan, actor) -> PlanVersion:
    return PlanVersion.objects.create(plan=plan, number=plan.versions.count() + 1,
                                      data=snapshot(plan), frozen_by=actor)


def published_plan(actor, *, name: str = "Wicketby", priorities: int = 1) -> Plan:
    """A finalised plan: a section-2 priority whose action has a resident lead, a partner body,
    a progress update, an endorsement and residents' comments; then frozen."""
    plan = PlanFactory(community=CommunityFactory(name=name, gss_code="E04012345"))
    partner = PartnerBody.objects.create(plan=plan, name=f"{name} County Highways",
                                         contact_email="highways@county.test")
    councillor = CouncillorFactory(tier="county")
    for _ in range(priorities):
        priority = PriorityFactory(plan=plan, section=Section.HELP, title=f"{name} speeding")
        action = ActionFactory(priority=priority, lead_name="Jo Volunteer", lead_email="jo@volunteer.test",
                               lead_contact="07700 900123", partner_body=partner)
        update = ProgressUpdate.objects.create(
            action=action, status="on_track", previous_status="not_started", percent=30,
            reason="Survey booked", note="Private progress note", by_name="Jo Volunteer")
        action.latest_update, action.progress = update, "on_track"
        action.save()
        Endorsement.objects.create(priority=priority, councillor=councillor, decision="endorse",
                                   comment="Councillor's private comment")
        HelpOffer.objects.create(action=action, name="Pat Helper", email="pat@helper.test", what="Flyers",
                                 nonce="n")
    DraftComment.objects.create(plan=plan, name="Rae Resident", body="Rejected remark",
                                status=CommentStatus.REJECTED)
    CommunityUpdate.objects.create(plan=plan, title="Draft news", body="Not yet", covers_from=timezone.now())
    CommunityUpdate.objects.create(plan=plan, title="Spring news", body="Signs ordered",
                                   covers_from=timezone.now(), published_at=timezone.now())
    publish(plan, actor)
    return plan


def survey_with(plan, actor, *, title: str, answers: list[str], public: bool):
    """A closed survey with one response per entry of `answers` (its length-of-residence)."""
    survey = make_survey(plan, title=title, actor=actor)
    single = question(survey, QuestionKind.SINGLE)
    for label in answers:
        submitted_response(survey, **{f"q{single.pk}": str(option(single, label).pk)})
    AccessCode.objects.create(survey=survey, digest=code_digest("SECRETCODE"))
    if public:
        results_set_published(survey=survey, published=True, actor=actor)
    return survey


@pytest.fixture
def data(db):
    actor = UserFactory(full_name="Rae Resident", email="rae@resident.test")
    plan = published_plan(actor)
    # A plan that was never frozen, and one frozen but then abandoned.
    hidden = PlanFactory(title="Unfrozen plan", community=CommunityFactory(name="Quietby"))
    secret = PriorityFactory(plan=hidden, title="Secret priority")
    ActionFactory(priority=secret, what="Secret action")
    abandoned = PlanFactory(title="Abandoned hope")
    PriorityFactory(plan=abandoned, title="Abandoned hope")
    publish(abandoned, actor)
    Plan.objects.filter(pk=abandoned.pk).update(status=PlanStatus.ABANDONED)
    mixed = ["2 to 10 years"] * 12 + ["Over 10 years"] * 3
    big = survey_with(plan, actor, title="Village questionnaire", answers=mixed, public=True)
    small = survey_with(plan, actor, title="Tiny poll", answers=["Over 10 years"] * 3, public=True)
    survey_with(hidden, actor, title="Unpublished questionnaire", answers=["Over 10 years"] * 12,
                public=False)
    return {"plan": plan, "hidden": hidden, "abandoned": abandoned, "big": big, "small": small,
            "secret": secret}


def everything(client, url: str, **params) -> list[dict]:
    """Every record of a list, page by page, one record a page."""
    records, page = [], f"{url}?{_query({'page_size': 1, **params})}"
    while page:
        body = client.get(page).json()
        records += body["results"]
        page = body["next"]
    return records


def _query(params: dict) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items())


def assert_clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked"


# --- nothing unpublished, no personal data ---------------------------------------------------

ATTACKS = [{}, {"ordering": "-updated"}, {"ordering": "lead_name"}, {"ordering": "-lead_email"},
           {"updated_since": "2000-01-01"}, {"page_size": 500}, {"format": "csv"}]


def test_lists_never_show_unpublished_or_personal_data(client, data):
    for url in LISTS:
        for params in ATTACKS:
            response = client.get(f"{url}?{_query(params)}")
            assert response.status_code == 200, (url, params)
            assert_clean(response.content.decode())


def test_filtering_by_an_unpublished_plan_or_community_finds_nothing(client, data):
    hidden = data["hidden"]
    for url in [u for u in LISTS if "communities" not in u and "partner" not in u]:
        for params in ({"plan": hidden.pk}, {"community": hidden.community_id}):
            response = client.get(f"{url}?{_query(params)}")
            assert response.status_code == 200
            assert response.json()["count"] == 0, (url, params)


def test_every_page_and_every_detail_is_clean(client, data):
    for url in LISTS:
        for record in everything(client, url):
            key = record["id"]
            detail = client.get(f"{url}{key}/")
            assert detail.status_code == 200
            assert_clean(detail.content.decode())


def test_unpublished_records_are_not_found_by_id(client, data):
    secret = data["secret"]
    assert client.get(f"/api/v1/priorities/{secret.pk}/").status_code == 404
    assert client.get(f"/api/v1/actions/{secret.actions.get().pk}/").status_code == 404
    draft = CommunityUpdate.objects.get(title="Draft news")
    assert client.get(f"/api/v1/community-updates/{draft.pk}/").status_code == 404
    hidden_survey = data["hidden"].surveys.get()
    assert client.get(f"/api/v1/surveys/{hidden_survey.public_id}/").status_code == 404
    assert client.get(f"/api/v1/surveys/{hidden_survey.public_id}/results/").status_code == 404


def test_a_plan_version_keeps_the_plan_but_drops_the_leads_name(client, data):
    (version,) = client.get("/api/v1/plan-versions/").json()["results"]
    assert version["plan"] == data["plan"].pk
    action = version["priorities"][0]["actions"][0]
    assert "lead" not in action and action["what"]
    assert version["priorities"][0]["support"][0]["tier"] == "County council"
    stored = PlanVersion.objects.get(plan=data["plan"]).data
    assert stored["priorities"][0]["actions"][0]["lead"] == "Jo Volunteer"  # still in the record


def test_actions_say_who_leads_as_a_role_with_status_and_partner(client, data):
    (action,) = client.get("/api/v1/actions/").json()["results"]
    assert action["lead_role"] == "volunteer"
    assert action["status"] == "on_track" and action["section"] == Section.HELP
    body = client.get(f"/api/v1/partner-bodies/{action['partner_body']}/").json()
    assert body["name"] == "Wicketby County Highways" and "contact_email" not in body
    updates = client.get(f"/api/v1/progress-updates/?partner_body={action['partner_body']}")
    (update,) = updates.json()["results"]
    assert update["reason"] == "Survey booked" and "note" not in update


def test_priorities_count_current_endorsements_by_tier(client, data):
    (priority,) = client.get("/api/v1/priorities/").json()["results"]
    assert priority["endorsements_by_tier"] == [{"tier": "county", "endorse": 1, "support": 0, "decline": 0}]
    (endorsement,) = client.get("/api/v1/endorsements/?tier=county").json()["results"]
    assert set(endorsement) == {"id", "priority", "plan", "community", "tier", "council", "decision", "at",
                                "updated"}


def test_communities_show_their_ons_code_and_district(client, data):
    names = {c["name"]: c for c in client.get("/api/v1/communities/").json()["results"]}
    assert set(names) == {"Wicketby"}
    assert names["Wicketby"]["gss_code"] == "E04012345"
    assert client.get("/api/v1/communities/?gss_code=E04012345").json()["count"] == 1
    assert client.get("/api/v1/communities/?district=meonbridge district").json()["count"] == 1


def test_ons_code_is_checked_against_its_pattern(db):
    base = {"name": "Ashby", "kind": "parish"}
    form = CommunityForm({**base, "gss_code": "E4012345"})
    assert not form.is_valid()
    assert "nine-character ONS code" in form.errors["gss_code"][0]
    assert CommunityForm({**base, "gss_code": "E04012345"}).is_valid()


# --- small numbers ---------------------------------------------------------------------------

def test_only_surveys_with_published_results_are_listed(client, data):
    titles = {s["title"] for s in client.get("/api/v1/surveys/").json()["results"]}
    assert titles == {"Village questionnaire", "Tiny poll"}


def test_survey_figures_hide_small_counts_and_what_would_give_them_away(client, data):
    body = client.get(f"/api/v1/surveys/{data['big'].public_id}/results/").json()
    assert body["respondents"] == 15 and body["threshold"] == threshold()
    single = next(q for q in body["questions"] if q["kind"] == QuestionKind.SINGLE)
    cells = {c["label"]: c for c in single["cells"]}
    # 3 is below the threshold; 12 would give the 3 away from the total of 15.
    assert cells["Over 10 years"] == {"label": "Over 10 years", "count": None, "percent": None,
                                      "hidden": True, "note": ""}
    assert cells["2 to 10 years"]["count"] is None and cells["2 to 10 years"]["hidden"]
    raw = analysis.survey_results(data["big"])
    for result, shown in zip(raw, body["questions"], strict=True):
        for cell, out in zip(result.cells, shown["cells"], strict=False):
            if 0 < cell.count < threshold():
                assert out["count"] is None


def test_a_survey_with_few_answers_shows_no_number_at_all(client, data):
    body = client.get(f"/api/v1/surveys/{data['small'].public_id}/results/").json()
    assert body["respondents"] is None
    for q in body["questions"]:
        assert q["answered"] in (None, 0) and q["mean"] is None
        assert all(c["count"] is None or c["count"] == 0 for c in q["cells"])
    csv_text = client.get(f"/api/v1/surveys/{data['small'].public_id}/results/?format=csv").content.decode()
    assert ",3," not in csv_text and "SECRETCODE" not in csv_text


def test_survey_figures_go_through_the_public_results_path(data):
    respondents, results = published.survey_figures(data["big"])
    public = analysis.survey_results(data["big"], suppress_below=threshold())
    assert respondents == 15
    assert [[c.count for c in r.cells] for r in results] == [[c.count for c in r.cells] for r in public]


# --- polling, pages, formats -------------------------------------------------------------------

def test_updated_since_returns_only_what_changed(client, data):
    long_ago = timezone.now() - timedelta(days=90)
    ProgressUpdate.objects.update(at=long_ago)
    PlanVersion.objects.update(frozen_at=long_ago)
    from actions.models import Action

    Action.objects.update(created_at=long_ago)
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert client.get(f"/api/v1/actions/?updated_since={since}").json()["count"] == 0
    action = Action.objects.get(priority__plan=data["plan"])
    update = ProgressUpdate.objects.create(action=action, status="done", previous_status="on_track",
                                           percent=100, reason="Signs up")
    action.latest_update = update
    action.save()
    (changed,) = client.get(f"/api/v1/actions/?updated_since={since}").json()["results"]
    assert changed["id"] == action.pk
    assert client.get(f"/api/v1/progress-updates/?updated_since={since}").json()["count"] == 1


def test_a_bad_updated_since_is_refused_with_a_message(client, data):
    response = client.get("/api/v1/actions/?updated_since=last-tuesday")
    assert response.status_code == 400
    assert "ISO 8601" in response.json()["updated_since"]


def test_lists_carry_the_licence_and_pages_do_not_overlap(client, data):
    body = client.get("/api/v1/progress-updates/?page_size=1").json()
    assert body["licence"]["name"] == "Open Government Licence v3.0"
    ids = [r["id"] for r in everything(client, "/api/v1/communities/", ordering="-updated")]
    assert len(ids) == len(set(ids))
    csv_response = client.get("/api/v1/actions/?format=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "open-government-licence" in csv_response["Link"]
    assert csv_response.content.decode().splitlines()[0].startswith("id,priority,plan,community,section")


def test_the_human_page_is_linked_from_every_page_and_explains_the_codes(client, data):
    home = client.get(reverse("actions:api:about"))
    assert home.status_code == 200
    text = home.content.decode()
    assert "Open Government Licence" in text and "<code>at_risk</code>" in text
    assert reverse("actions:api:about") in client.get("/").content.decode()


def test_the_schema_validates(client, db):
    response = client.get(reverse("actions:api:schema") + "?format=json")
    schema = json.loads(response.content)
    validate_schema(schema)
    assert "/api/v1/actions/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/actions/"]["get"]["parameters"]}
    assert {"updated_since", "status", "partner_body", "page", "ordering", "format"} <= params


# --- CORS and rate limits ----------------------------------------------------------------------

def test_any_site_may_read_but_not_write(client, data):
    got = client.get("/api/v1/actions/", HTTP_ORIGIN="https://county.example")
    assert got["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/actions/", HTTP_ORIGIN="https://county.example",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 200 and preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    posted = client.post("/api/v1/actions/", {}, HTTP_ORIGIN="https://county.example")
    assert posted.status_code in (403, 405) and "Access-Control-Allow-Origin" not in posted
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://county.example")


def test_too_many_requests_are_slowed_down(client, data, settings):
    settings.OPEN_DATA_RATE = "3/m"
    codes = [client.get("/api/v1/communities/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
             for n in range(4)]
    assert codes == [200, 200, 200, 429]  # a made-up forwarding header does not reset the count


def test_the_rate_limit_lets_requests_through_when_the_cache_is_down(client, data, settings):
    settings.OPEN_DATA_RATE = "1/m"
    with socket.socket() as probe:  # a loopback port nobody listens on: a real connection error
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    with override_settings(CACHES=dead):
        codes = [client.get("/api/v1/communities/").status_code for _ in range(3)]
    assert codes == [200, 200, 200]


# --- bounded queries ----------------------------------------------------------------------------

def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_every_list_needs_the_same_queries_at_two_sizes(client, db):
    urls = LISTS + [f"{u}?format=csv" for u in LISTS]
    actor = UserFactory()
    plan = published_plan(actor, name="Ashby", priorities=1)
    survey_with(plan, actor, title="One", answers=["Over 10 years"], public=True)
    small = {url: _queries(client, url) for url in urls}
    for n in range(3):
        more = published_plan(actor, name=f"Bigby {n}", priorities=3)
        survey_with(more, actor, title=f"More {n}", answers=["Over 10 years"], public=True)
    large = {url: _queries(client, url) for url in urls}
    assert large == small
    assert max(large.values()) <= 6

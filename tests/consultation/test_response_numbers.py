"""Volunteers see each survey's own response numbers, never database ids."""

import pytest
from django.urls import reverse

from consultation import services
from consultation.models import AccessMode, Response
from tests.consultation.factories import form_data, make_survey, option, question, submitted_response


@pytest.fixture
def surveys(world):
    first = make_survey(world.plan, access=AccessMode.LINK, actor=world.people["chair"])
    second = make_survey(world.plan, access=AccessMode.LINK, actor=world.people["chair"])
    for _i in range(4):
        submitted_response(first)  # database ids move on; the second survey's count does not
    return first, second


def _url(name, survey, **kwargs):
    return reverse(f"consultation:{name}", kwargs={"pk": survey.plan_id, "sid": survey.pk, **kwargs})


def test_paper_entry_says_the_surveys_own_number(world, surveys):
    _first, second = surveys
    single = question(second, "single")
    response = world.client("member").post(_url("response_new", second), {
        "channel": "paper", f"q{single.pk}": str(option(single, "Over 10 years").pk)}, follow=True)
    entered = Response.objects.get(survey=second)
    assert entered.pk > 1 and entered.number == 1
    assert "Response 1 saved." in response.text
    assert f"Response {entered.pk} saved" not in response.text
    listing = world.client("member").get(_url("responses", second)).text
    assert "Response 1<" in listing
    detail = world.client("member").get(entered.get_absolute_url()).text
    assert "<h1>Response 1</h1>" in detail


def test_online_answers_are_numbered_when_sent_and_numbers_are_not_reused(world, surveys):
    first, _second = surveys
    started = services.response_start(survey=first)
    services.answers_save(response=started, rows=_rows(first))
    assert Response.objects.get(pk=started.pk).number is None  # a draft has no number yet
    assert services.response_submit(response=started).number == 5
    last = Response.objects.filter(survey=first).order_by("-number").first()
    services.response_delete(response=last, reason="Duplicate", actor=world.people["chair"])
    again = submitted_response(first)
    assert again.number == 6  # 5 was deleted, and is not given out again
    assert first.deletions.get().response_number == 5


def _rows(survey):
    from consultation.forms.answers import AnswerForm

    form = AnswerForm(form_data(survey), questions=survey.ordered_questions(), enforce_required=False)
    assert form.is_valid()
    return form.answer_rows()

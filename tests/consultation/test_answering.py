import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultation import services
from consultation.forms.answers import AnswerForm
from consultation.models import (
    AccessMode,
    Answer,
    AnswerPart,
    Channel,
    QuestionKind,
    Response,
    ResponseStatus,
    Survey,
    SurveyStatus,
)
from tests.consultation.factories import make_survey, option, question


def _url(name, survey, **kwargs):
    return reverse(f"consultation:{name}", kwargs={"public_id": survey.public_id, **kwargs})


def _start(client, survey, **extra):
    return client.post(_url("public_start", survey), {"consent": "on", **extra})


def _second_page(survey, **overrides):
    multiple = question(survey, QuestionKind.MULTIPLE)
    love_hate = question(survey, QuestionKind.LOVE_HATE)
    data = {f"q{love_hate.pk}_love": "The green", f"q{love_hate.pk}_hate": "Speeding lorries",
            f"q{multiple.pk}": [str(option(multiple, "Shop").pk)]}
    data.update(overrides)
    return data


def _first_page(survey, **overrides):
    single = question(survey, QuestionKind.SINGLE)
    data = {f"q{single.pk}": str(option(single, "2 to 10 years").pk),
            f"q{question(survey, QuestionKind.RATING).pk}": "4"}
    data.update(overrides)
    return data


def _answer_all(client, survey, first=None, second=None):
    client.post(_url("public_page", survey, n=1), first or _first_page(survey))
    client.post(_url("public_page", survey, n=2), second or _second_page(survey))
    return client.post(_url("public_check", survey))


@pytest.fixture
def survey(world):
    return make_survey(world.plan, actor=world.people["chair"])


def test_a_resident_answers_page_by_page_without_an_account_and_sends(survey):
    client = Client()
    start = client.get(_url("public_start", survey))
    assert "How we use your answers" in start.text
    assert "We do not keep your email address or your internet (IP) address" in start.text

    response = _start(client, survey)
    assert response["Location"] == _url("public_page", survey, n=1)
    page = client.get(response["Location"])
    assert "Page 1 of 2" in page.text

    assert client.post(_url("public_page", survey, n=1), _first_page(survey))["Location"] == \
        _url("public_page", survey, n=2)
    assert client.post(_url("public_page", survey, n=2), _second_page(survey))["Location"] == \
        _url("public_check", survey)
    check = client.get(_url("public_check", survey))
    assert "Check your answers before sending them" in check.text
    assert "2 to 10 years" in check.text and "Speeding lorries" in check.text

    sent = client.post(_url("public_check", survey))
    assert sent["Location"] == _url("public_done", survey)
    stored = Response.objects.get(survey=survey)
    assert stored.status == ResponseStatus.SUBMITTED
    assert stored.channel == Channel.ONLINE and stored.entered_by is None
    assert stored.submitted_at is not None
    single = question(survey, QuestionKind.SINGLE)
    assert stored.answers.get(question=single).option == option(single, "2 to 10 years")
    assert stored.answers.get(question=question(survey, QuestionKind.RATING)).number == 4
    assert stored.answers.get(part=AnswerPart.HATE).text == "Speeding lorries"


def test_consent_is_required_and_explained(survey):
    response = Client().post(_url("public_start", survey), {})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Tick the box to say you agree to take part" in response.text
    assert not Response.objects.exists()


def test_a_page_with_an_error_keeps_what_was_typed_and_names_the_question(survey):
    client = Client()
    _start(client, survey)
    single = question(survey, QuestionKind.SINGLE)
    rating = question(survey, QuestionKind.RATING)
    response = client.post(_url("public_page", survey, n=1), {f"q{rating.pk}": "2"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Choose an answer to “How long have you lived here?”" in response.text
    assert f'href="#id_q{single.pk}_0"' in response.text  # the summary links to the field
    assert f'id="question-{single.pk}-error"' in response.text
    assert 'value="2" class="form-check-input" id="id_q' in response.text
    assert 'checked' in response.text.split(f'name="q{rating.pk}" value="2"')[1][:60]
    assert not Answer.objects.exists()


def test_other_needs_words_and_ranks_must_differ(world, survey):
    client = Client()
    _start(client, survey)
    client.post(_url("public_page", survey, n=1), _first_page(survey))
    multiple = question(survey, QuestionKind.MULTIPLE)
    other = next(o for o in multiple.options.all() if o.is_other)
    response = client.post(_url("public_page", survey, n=2),
                           _second_page(survey, **{f"q{multiple.pk}": [str(other.pk)]}))
    assert "Say what your other answer is" in response.text

    ranking = services.question_create(
        section=survey.sections.first(), kind=QuestionKind.RANKING, actor=world.people["chair"],
        options=["Roads", "Homes"], fields={"text": "Rank these"})
    a, b = ranking.options.all()
    response = client.post(_url("public_page", survey, n=1),
                           _first_page(survey, **{f"q{ranking.pk}_rank_{a.pk}": "1",
                                                  f"q{ranking.pk}_rank_{b.pk}": "1"}))
    assert "Give each choice a different place in “Rank these”" in response.text


def test_words_in_the_other_box_count_as_choosing_other(survey):
    multiple = question(survey, QuestionKind.MULTIPLE)
    other = next(o for o in multiple.options.all() if o.is_other)
    form = AnswerForm({f"q{multiple.pk}": [str(option(multiple, "Pub").pk)],
                       f"q{multiple.pk}_other": "Farm shop"}, questions=[multiple])
    assert form.is_valid()
    rows = form.answer_rows()[multiple]
    assert [(a.option, a.text) for a in rows] == [(option(multiple, "Pub"), ""), (other, "Farm shop")]


def test_partial_answers_are_kept_and_the_resume_link_brings_them_back(survey):
    client = Client()
    _start(client, survey)
    client.post(_url("public_page", survey, n=1), _first_page(survey))
    draft = Response.objects.get(survey=survey)
    assert draft.status == ResponseStatus.DRAFT and draft.answers.count() == 2
    page = client.get(_url("public_page", survey, n=2))
    link = f"http://testserver{_url('public_resume', survey)}#{draft.resume_token}"
    assert link in page.text

    elsewhere = Client()
    assert 'data-resume-from-hash' in elsewhere.get(_url("public_resume", survey)).text
    welcome = elsewhere.post(_url("public_resume", survey), {"link": link})
    assert "You have answered 2 questions so far" in welcome.text
    again = elsewhere.get(_url("public_page", survey, n=1))
    rating = question(survey, QuestionKind.RATING)
    assert 'checked' in again.text.split(f'name="q{rating.pk}" value="4"')[1][:60]
    assert elsewhere.post(_url("public_page", survey, n=2), _second_page(survey)).status_code == 302
    assert elsewhere.post(_url("public_check", survey)).status_code == 302
    assert Response.objects.get().status == ResponseStatus.SUBMITTED
    refused = Client().post(_url("public_resume", survey), {"link": link})
    assert refused.status_code == 400 and "This link does not work any more" in refused.text


def test_the_resume_token_is_never_in_a_requested_url(survey):
    client = Client()
    _start(client, survey)
    client.post(_url("public_page", survey, n=1), _first_page(survey))
    token = Response.objects.get().resume_token
    shown = re.search(r'class="share-link">([^<]+)<', client.get(_url("public_page", survey, n=2)).text)
    path, _hash, fragment = shown.group(1).partition("#")
    assert token not in path and fragment == token
    # The path is what servers log; the token goes in the body of a POST.
    elsewhere = Client()
    assert token not in urlsplit(path).path
    assert elsewhere.post(urlsplit(path).path, {"link": shown.group(1)}).status_code == 200
    assert elsewhere.get(_url("public_page", survey, n=1)).status_code == 200


def test_an_old_style_link_works_once_and_its_logged_token_then_opens_nothing(survey):
    client = Client()
    _start(client, survey)
    old = Response.objects.get().resume_token
    followed = Client().get(_url("public_resume_link", survey, token=old))
    assert followed.status_code == 200 and "Welcome back" in followed.text
    assert Response.objects.get().resume_token != old
    assert Client().get(_url("public_resume_link", survey, token=old)).status_code == 404


def test_sending_is_refused_while_a_required_answer_is_missing(survey):
    client = Client()
    _start(client, survey)
    client.post(_url("public_page", survey, n=2), _second_page(survey))
    response = client.post(_url("public_check", survey))
    assert response.status_code == 200
    assert "Answer “How long have you lived here?”" in response.text
    assert Response.objects.get().status == ResponseStatus.DRAFT


def test_a_code_works_once_and_a_second_use_is_refused_politely(world):
    survey = make_survey(world.plan, access=AccessMode.CODES)
    printed = services.codes_generate(survey=survey, count=2, batch="", actor=world.people["chair"])[0]
    code = services.find_code(survey, printed, lock=False)
    client = Client()
    assert "Enter the code printed on your leaflet" in _start(client, survey).text
    assert "We do not recognise that code" in _start(client, survey, code="ZZZZ-ZZZZ").text
    assert _start(client, survey, code=printed.lower()).status_code == 302
    assert _answer_all(client, survey).status_code == 302
    code.refresh_from_db()
    assert code.is_used and code.response.is_submitted

    refused = _start(Client(), survey, code=printed)
    assert refused.status_code == 200
    assert "This code has already been used to answer the survey" in refused.text
    assert "Thank you for taking part" in refused.text
    assert Response.objects.count() == 1


def test_entering_the_same_code_again_on_the_same_device_continues_the_unsent_answers(world):
    survey = make_survey(world.plan, access=AccessMode.BOTH)
    [code] = services.codes_generate(survey=survey, count=1, batch="", actor=world.people["chair"])
    device = Client()
    _start(device, survey, code=code)
    device.post(_url("public_page", survey, n=1), _first_page(survey))
    _start(device, survey, code=code.lower())
    assert Response.objects.count() == 1
    assert 'checked' in device.get(_url("public_page", survey, n=1)).text
    assert device.post(_url("public_page", survey, n=2), _second_page(survey)).status_code == 302
    assert device.post(_url("public_check", survey)).status_code == 302
    assert Response.objects.get().code == services.find_code(survey, code, lock=False)


def test_someone_else_typing_a_households_code_starts_afresh_and_never_sees_its_answers(world):
    survey = make_survey(world.plan, access=AccessMode.BOTH)
    [code] = services.codes_generate(survey=survey, count=1, batch="", actor=world.people["chair"])
    household = Client()
    _start(household, survey, code=code)
    household.post(_url("public_page", survey, n=2), _second_page(survey))
    typed = Answer.objects.filter(text__gt="").values_list("text", flat=True).first()
    assert typed

    stranger = Client()
    assert _start(stranger, survey, code=code).status_code == 302
    for n in (1, 2):
        assert typed not in stranger.get(_url("public_page", survey, n=n)).text
    assert typed not in stranger.get(_url("public_check", survey)).text
    assert Response.objects.count() == 1 and not Answer.objects.exists()
    # The household's browser no longer holds answers under that code.
    assert "no_answers" in household.get(_url("public_page", survey, n=2)).templates[0].name


def test_a_family_on_one_device_can_each_answer_but_identical_repeats_are_refused(survey):
    device = Client(HTTP_USER_AGENT="Family tablet")
    _start(device, survey)
    assert _answer_all(device, survey)["Location"] == _url("public_done", survey)
    _start(device, survey)
    single = question(survey, QuestionKind.SINGLE)
    other_answers = _first_page(survey, **{f"q{single.pk}": str(option(single, "Over 10 years").pk)})
    assert _answer_all(device, survey, first=other_answers)["Location"] == _url("public_done", survey)

    _start(device, survey)
    repeat = _answer_all(device, survey)
    assert repeat.status_code == 409  # refused: no client may take it for a success
    assert "These exact answers have already been sent from this device" in repeat.text
    assert Response.objects.submitted().count() == 2
    assert all(len(r.client_key) == 64 for r in Response.objects.all())  # a hash, not an address


def test_sending_is_rate_limited_per_address(settings, survey):
    settings.CONSULTATION_RATE_SUBMIT = "2/h"
    client = Client()
    single = question(survey, QuestionKind.SINGLE)
    sent = []
    for label in ["Under 2 years", "2 to 10 years", "Over 10 years"]:
        _start(client, survey)
        first = _first_page(survey, **{f"q{single.pk}": str(option(single, label).pk)})
        sent.append(_answer_all(client, survey, first=first).status_code)
    assert sent == [302, 302, 429]
    assert Response.objects.submitted().count() == 2


def test_code_guesses_are_rate_limited_but_starting_without_a_code_is_not(settings, world):
    settings.CONSULTATION_RATE_CODE = "3/h"
    survey = make_survey(world.plan, access=AccessMode.BOTH)
    client = Client()
    statuses = [_start(client, survey, code=f"WRONG{i}").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert _start(Client(), survey).status_code == 302


def test_a_bot_filling_the_hidden_field_saves_nothing(survey):
    response = Client().post(_url("public_start", survey), {"consent": "on", "website": "spam"})
    assert response.status_code == 302
    assert not Response.objects.exists()


@pytest.mark.parametrize("status", [SurveyStatus.DRAFT, SurveyStatus.CLOSED])
def test_drafts_and_closed_surveys_are_not_public(world, status):
    survey = make_survey(world.plan, status=status)
    for persona in ["anonymous", "admin", "chair"]:
        client = world.client(persona)
        for name, kwargs in [("public_start", {}), ("public_page", {"n": 1}), ("public_check", {}),
                             ("public_done", {})]:
            response = client.get(_url(name, survey, **kwargs))
            assert response.status_code == 404, (name, persona)
            assert (survey.title in response.text) == (status == SurveyStatus.CLOSED)


def test_a_survey_past_its_closing_date_takes_no_answers(survey):
    client = Client()
    _start(client, survey)
    client.post(_url("public_page", survey, n=1), _first_page(survey))
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    response = client.post(_url("public_page", survey, n=2), _second_page(survey))
    assert response.status_code == 404
    assert "This survey has closed" in response.text


def test_answers_already_sent_cannot_be_changed(survey):
    client = Client()
    _start(client, survey)
    _answer_all(client, survey)
    submitted = Response.objects.get()
    with pytest.raises(services.Refused):
        services.answers_save(response=submitted, rows={})
    assert client.get(_url("public_page", survey, n=1)).status_code == 200  # told how to start
    assert submitted.answers.count() == 5



def test_changing_an_answer_from_the_check_page_returns_to_it(survey):
    client = Client()
    _start(client, survey)
    client.post(_url("public_page", survey, n=1), _first_page(survey))
    client.post(_url("public_page", survey, n=2), _second_page(survey))
    check = client.get(_url("public_check", survey)).text
    assert f"{_url('public_page', survey, n=1)}?change=1" in check
    back = client.post(f"{_url('public_page', survey, n=1)}?change=1", _first_page(survey))
    assert back["Location"] == _url("public_check", survey)


def test_sending_again_once_sent_is_refused_with_a_conflict_status(survey):
    client = Client()
    _start(client, survey)
    assert _answer_all(client, survey)["Location"] == _url("public_done", survey)
    again = client.post(_url("public_check", survey))
    assert again.status_code == 409
    assert "We cannot find your answers in this browser" in again.text
    assert Response.objects.submitted().count() == 1


def test_a_code_already_used_is_refused_on_another_phone(world):
    survey = make_survey(world.plan, access=AccessMode.CODES)
    [code] = services.codes_generate(survey=survey, count=1, batch="", actor=world.people["chair"])
    first, second = Client(), Client()
    _start(first, survey, code=code)
    first.post(_url("public_page", survey, n=1), _first_page(survey))
    assert _answer_all(first, survey)["Location"] == _url("public_done", survey)
    refused = _start(second, survey, code=code)  # the household's code, tried again elsewhere
    assert refused.status_code == 200
    assert "has already been used to answer the survey" in refused.text
    assert Response.objects.submitted().count() == 1

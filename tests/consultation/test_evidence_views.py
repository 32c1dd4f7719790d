import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultation.analysis.issues import issue_support, issues_register
from consultation.models import Answer, AnswerCoding, Issue, QuestionKind, Survey, SurveyKind
from consultation.services import evidence as evidence_services
from plans import gates
from tests.consultation.analysis_data import add_responses, analysis_survey


@pytest.fixture
def data(world):
    survey, q, options, cats, age_options = analysis_survey(world.plan)
    add_responses(survey, q, options, cats, age_options, [
        (6, {"text": "Too much speeding traffic on the main road", "age": "old"}),
        (4, {"text": "The bus only comes twice a day", "age": "young"}),
        (30, {"yes": True, "age": "old"}),
    ])
    return survey, q, cats


def test_coding_page_suggests_themes_and_saves_a_page_of_answers(world, data):
    client = world.client("member")
    url = reverse("consultation:coding", args=[world.plan.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "10 written answers still need a theme." in page.text
    assert "(suggested)" in page.text
    transport = world.plan.themes.get(name="Transport and roads")
    answers = list(Answer.objects.exclude(text="").order_by("pk"))
    post = {"answer": [a.pk for a in answers]}
    for a in answers:
        post[f"themes_{a.pk}"] = [transport.pk]
    response = client.post(url, post)
    assert response.status_code == 302
    assert AnswerCoding.objects.filter(theme=transport).count() == 10
    assert "Every written answer has a theme" in client.get(url).text


def test_bulk_coding_by_search_term(world, data):
    transport = evidence_services.themes_ensure(world.plan)[1]
    world.client("member").post(reverse("consultation:coding_bulk", args=[world.plan.pk]),
                                {"term": "bus", "theme": transport.pk})
    assert AnswerCoding.objects.filter(theme=transport).count() == 4
    response = world.client("member").post(reverse("consultation:coding_bulk", args=[world.plan.pk]),
                                           {"term": "a", "theme": transport.pk}, follow=True)
    assert "at least 3 letters" in response.text


def test_a_word_too_short_to_code_by_is_refused_beside_the_box_and_kept(world, data):
    transport = evidence_services.themes_ensure(world.plan)[1]
    response = world.client("member").post(reverse("consultation:coding_bulk", args=[world.plan.pk]),
                                           {"term": " bu ", "theme": transport.pk})
    assert response.status_code == 200 and not AnswerCoding.objects.exists()
    page = response.text
    message = "Enter a word of at least 3 letters to find the answers to code"
    assert 'class="error-summary"' in page and f'<a href="#b-term">{message}</a>' in page
    assert 'class="form-control is-invalid" id="b-term" name="term" value=" bu "' in page  # as typed
    assert 'aria-invalid="true" aria-describedby="b-term-error"' in page
    assert f'id="b-term-error"><p class="mb-0"><span class="visually-hidden">Error:</span> {message}' in page
    assert f'<option value="{transport.pk}" selected>' in page  # the theme chosen stays chosen
    assert "alert-danger" not in page
    # Drawn at the bulk form's address, the queue's own forms and links still lead to the queue.
    coding = reverse("consultation:coding", args=[world.plan.pk])
    assert page.count(f'action="{coding}"') == 2 and 'href="?' not in page


def test_a_theme_of_another_plan_is_refused_beside_the_theme_box(world, data):
    evidence_services.themes_ensure(world.plan)
    elsewhere = evidence_services.themes_ensure(world.other_plan)[0]
    response = world.client("member").post(reverse("consultation:coding_bulk", args=[world.plan.pk]),
                                           {"term": "speeding", "theme": elsewhere.pk})
    assert response.status_code == 200 and not AnswerCoding.objects.exists()
    assert '<a href="#b-theme">Choose the theme to give the matching answers</a>' in response.text
    assert 'aria-describedby="b-theme-error"' in response.text
    assert 'value="speeding"' in response.text


def test_an_issue_is_built_from_linked_answers_and_shows_its_support(world, data):
    client = world.client("member")
    response = client.post(reverse("consultation:issue_new", args=[world.plan.pk]), {
        "title": "Speeding on the main road", "description": "Cars drive too fast.", "who_affected": ""})
    issue = Issue.objects.get()
    assert response["Location"] == issue.get_absolute_url()
    found = client.get(issue.get_absolute_url(), {"q": "speeding"}).text
    assert found.count('name="answer"') == 6
    ids = list(Answer.objects.filter(text__icontains="speeding").values_list("pk", flat=True))
    client.post(reverse("consultation:issue_link", args=[world.plan.pk, issue.pk]), {"answer": ids})
    support = issue_support(issue)
    assert (support["raised"], support["of"]) == (6, 40)
    register = client.get(reverse("consultation:issues", args=[world.plan.pk])).text
    assert "Speeding on the main road" in register and "15%" in register


def test_an_issue_form_asks_for_the_problem_not_a_solution(world, data):
    response = world.client("member").post(reverse("consultation:issue_new", args=[world.plan.pk]),
                                           {"title": "", "description": ""})
    assert "There is a problem" in response.text
    assert "Enter the issue in a few words" in response.text
    assert "what is the problem" in response.text.lower()


def test_minority_need_and_clear_mandate_flags(world, data):
    survey, q, cats = data
    chair = world.people["chair"]
    bus = evidence_services.issue_save(issue=Issue(plan=world.plan, title="Bus", description="x"),
                                       actor=chair, created=True)
    evidence_services.issue_link_answers(
        issue=bus, answer_ids=list(Answer.objects.filter(text__icontains="bus").values_list("pk", flat=True)),
        actor=chair)
    speed = evidence_services.issue_save(issue=Issue(plan=world.plan, title="Speed", description="x"),
                                         actor=chair, created=True)
    evidence_services.issue_link_answers(
        issue=speed, answer_ids=list(Answer.objects.filter(text__icontains="speeding")
                                     .values_list("pk", flat=True)), actor=chair)
    register = {i.title: i for i in issues_register(world.plan)["issues"]}
    # All 4 bus answers come from the young, who are 4 of the 40 who gave their age.
    assert register["Bus"].minority_groups == ["18 to 24"]
    assert not register["Bus"].mandate
    assert register["Speed"].support == 6 and not register["Speed"].minority_groups


def test_population_baseline_by_form_and_by_csv(world, data):
    survey, q, cats = data
    dimension = q["age"].dimension
    url = reverse("consultation:baseline", args=[world.plan.pk, dimension.pk])
    client = world.client("member")
    bad = client.post(url, {"source": "Census", "year": "2021", f"cat_{cats['young'].pk}": "-1",
                            f"cat_{cats['old'].pk}": "400"})
    assert "must be 0 or more" in bad.text
    client.post(url, {"source": "Census 2021", "year": "2021", f"cat_{cats['young'].pk}": "100",
                      f"cat_{cats['old'].pk}": "400"})
    assert dict(dimension.baseline.figures.values_list("category", "count")) == {
        cats["young"].pk: 100, cats["old"].pk: 400}
    csv = SimpleUploadedFile("ages.csv", b"group,number of people\n18 to 24,120\nOver 90,5\n")
    response = client.post(url, {"csv-source": "ONS", "csv-year": "2022", "csv-csv": csv})
    assert "Row 3: “Over 90” is not one of the groups" in response.text
    csv = SimpleUploadedFile("ages.csv", b"group,number of people\n18 to 24,120\n65 to 74,\"1,380\"\n")
    client.post(url, {"csv-source": "ONS", "csv-year": "2022", "csv-csv": csv})
    dimension.baseline.refresh_from_db()
    assert dimension.baseline.source == "ONS"
    assert dict(dimension.baseline.figures.values_list("category", "count")) == {
        cats["young"].pk: 120, cats["old"].pk: 1380}


def test_evidence_gate_items_follow_the_work(world, data):
    plan, chair = world.plan, world.people["chair"]

    def state():
        return {s.item.key: s.done for s in gates.checklist(plan, "understanding").items}

    assert not any(state()[k] for k in ("representation_reviewed", "issues_with_evidence",
                                        "priorities_round"))
    world.client("member").post(reverse("consultation:representation_review", args=[plan.pk]),
                                {"note": "Need more young people"})
    issue = evidence_services.issue_save(issue=Issue(plan=plan, title="Bus", description="x"),
                                         actor=chair, created=True)
    assert not state()["issues_with_evidence"]
    issue.answers.add(Answer.objects.exclude(text="").first())
    assert state()["representation_reviewed"] and state()["issues_with_evidence"]


def test_priorities_round_is_drafted_and_its_ratings_flow_back(world, data):
    plan, chair = world.plan, world.people["chair"]
    issue = evidence_services.issue_save(issue=Issue(plan=plan, title="Speeding", description="x"),
                                         actor=chair, created=True)
    response = world.client("member").post(reverse("consultation:priorities_round", args=[plan.pk]),
                                           {"title": "What matters most?", "issues": [issue.pk]})
    survey = Survey.objects.get(kind=SurveyKind.PRIORITIES)
    assert response["Location"] == survey.get_absolute_url()
    question = survey.questions.get()
    assert (question.kind, question.issue) == (QuestionKind.RATING, issue)
    from consultation.models import Response

    for rating in (5, 5, 4, 2):
        r = Response.objects.create(survey=survey, status="submitted")
        Answer.objects.create(response=r, question=question, number=rating)
    rating = issue_support(issue)["rating"]
    assert rating["answered"] == 4 and rating["mean"] == 4.0 and rating["important_share"] == 0.75


def test_free_text_is_published_only_after_approval_and_redaction(world, data, client):
    survey = data[0]
    answer = Answer.objects.exclude(text="").first()
    answer.text = "Ring me on 01234 567890 or mail jo@example.org about the bus"
    answer.save()
    url = reverse("consultation:text_publish", args=[world.plan.pk, survey.pk, answer.pk])
    form = world.client("member").get(url).text
    assert "Ring me on [removed] or mail [removed] about the bus" in form
    world.client("member").post(url, {"text": "Please improve the bus"})
    evidence_services.results_set_published(survey=survey, published=True, actor=world.people["chair"])
    public = client.get(reverse("consultation:public_results", args=[survey.public_id])).text
    assert "Please improve the bus" in public
    assert "01234" not in public and "Too much speeding" not in public


def test_results_and_issues_download(world, data):
    survey = data[0]
    csv = world.client("member").get(reverse("consultation:results_download",
                                             args=[world.plan.pk, survey.pk, "csv"]))
    body = b"".join(csv.streaming_content).decode()
    assert "Should the village have a 20 mph limit?,Yes,30,100,30" in body
    xlsx = world.client("member").get(reverse("consultation:issues_download", args=[world.plan.pk, "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert world.client("member").get(reverse("consultation:issues_download",
                                              args=[world.plan.pk, "pdf"])).status_code == 404


def test_issues_register_query_count_does_not_grow(world, data, django_assert_max_num_queries):
    plan, chair = world.plan, world.people["chair"]
    client = world.client("member")
    url = reverse("consultation:issues", args=[plan.pk])
    answer_ids = list(Answer.objects.exclude(text="").values_list("pk", flat=True))

    def add(n):
        for i in range(n):
            issue = evidence_services.issue_save(issue=Issue(plan=plan, title=f"Issue {i}", description="x"),
                                                 actor=chair, created=True)
            issue.answers.add(*answer_ids[:3])

    add(2)
    client.get(url)
    with django_assert_max_num_queries(25) as small:
        client.get(url)
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_community_page_links_open_surveys_and_published_results(world, data, client):
    survey = data[0]
    page = client.get(reverse("plans:community", args=[world.community.slug])).text
    assert survey.get_public_url() in page
    assert reverse("consultation:public_results", args=[survey.public_id]) not in page
    evidence_services.results_set_published(survey=survey, published=True, actor=world.people["chair"])
    page = client.get(reverse("plans:community", args=[world.community.slug])).text
    assert reverse("consultation:public_results", args=[survey.public_id]) in page


def test_councillors_see_small_groups_hidden_on_who_we_have_heard(world, data):
    url = reverse("consultation:representation", args=[world.plan.pk])
    page = world.client("councillor").get(url).text
    assert "fewer than 10" in page
    member_page = world.client("member").get(url).text
    assert "fewer than 10" not in member_page


def test_a_blank_paper_form_is_not_saved(world, data):
    survey = data[0]
    from consultation.models import Response

    before = Response.objects.count()
    url = reverse("consultation:response_new", args=[world.plan.pk, survey.pk])
    response = world.client("member").post(url, {"channel": "paper", "code": ""})
    assert "Nothing has been filled in" in response.text
    assert Response.objects.count() == before

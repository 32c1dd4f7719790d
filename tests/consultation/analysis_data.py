"""Fast builders for analysis tests: thousands of submitted responses with bulk inserts."""

from django.utils import timezone

from consultation.models import (
    Answer,
    Dimension,
    DimensionCategory,
    Option,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    ResponsesVersion,
    Section,
    Survey,
    SurveyStatus,
)


def analysis_survey(plan, *, title="Village survey"):
    """A survey with a yes/no question, a single choice, a rating, free text and an age question."""
    survey = Survey.objects.create(plan=plan, title=title, kind="open", status=SurveyStatus.OPEN)
    section = Section.objects.create(survey=survey, title="Questions", position=0)
    age, _ = Dimension.objects.get_or_create(plan=plan, kind="age")
    young = DimensionCategory.objects.get_or_create(dimension=age, label="18 to 24",
                                                    defaults={"position": 0})[0]
    old = DimensionCategory.objects.get_or_create(dimension=age, label="65 to 74",
                                                  defaults={"position": 1})[0]
    q = {
        "yes_no": Question.objects.create(survey=survey, section=section, kind=QuestionKind.YES_NO,
                                          text="Should the village have a 20 mph limit?", position=0),
        "single": Question.objects.create(survey=survey, section=section, kind=QuestionKind.SINGLE,
                                          text="How do you travel to work?", position=1),
        "rating": Question.objects.create(survey=survey, section=section, kind=QuestionKind.RATING,
                                          text="Rate the bus service", position=2, scale_min=1, scale_max=5),
        "text": Question.objects.create(survey=survey, section=section, kind=QuestionKind.LONG_TEXT,
                                        text="What would you change?", position=3),
        "age": Question.objects.create(survey=survey, section=section, kind=QuestionKind.DEMOGRAPHIC,
                                       text="How old are you?", position=4, dimension=age),
    }
    options = {label: Option.objects.create(question=q["single"], label=label, position=i)
               for i, label in enumerate(["Car", "Bus", "Walk"])}
    age_options = {c.pk: Option.objects.create(question=q["age"], label=c.label, category=c, position=i)
                   for i, c in enumerate([young, old])}
    return survey, q, options, {"young": young, "old": old}, age_options


def add_responses(survey, q, options, cats, age_options, spec, channel="online"):
    """spec: list of (count, dict(yes=bool|None, travel=label|None, rating=int|None, text=str, age=key))."""
    now = timezone.now()
    responses = []
    plan_rows = []
    for count, answer in spec:
        for _ in range(count):
            responses.append(Response(survey=survey, status=ResponseStatus.SUBMITTED, channel=channel,
                                      submitted_at=now))
            plan_rows.append(answer)
    Response.objects.bulk_create(responses, batch_size=2000)
    answers = []
    for response, a in zip(responses, plan_rows, strict=True):
        if a.get("yes") is not None:
            answers.append(Answer(response=response, question=q["yes_no"], number=1 if a["yes"] else 0))
        if a.get("travel"):
            answers.append(Answer(response=response, question=q["single"], option=options[a["travel"]]))
        if a.get("rating"):
            answers.append(Answer(response=response, question=q["rating"], number=a["rating"]))
        if a.get("text"):
            answers.append(Answer(response=response, question=q["text"], text=a["text"]))
        if a.get("age"):
            cat = cats[a["age"]]
            answers.append(Answer(response=response, question=q["age"], option=age_options[cat.pk],
                                  category=cat))
    Answer.objects.bulk_create(answers, batch_size=5000)
    ResponsesVersion.bump(survey_id=survey.pk)  # bulk inserts send no signal; the services bump too
    return responses


def small_group_parish(world):
    """103 people; 3 aged 18 to 24 on paper, 40 aged 35 to 64, 60 aged 65 to 74."""
    survey, q, options, cats, age_options = analysis_survey(world.plan)
    age = q["age"].dimension
    DimensionCategory.objects.filter(pk=cats["old"].pk).update(position=2)
    Option.objects.filter(category=cats["old"]).update(position=2)
    cats["middle"] = DimensionCategory.objects.create(dimension=age, label="35 to 64", position=1)
    age_options[cats["middle"].pk] = Option.objects.create(question=q["age"], label="35 to 64",
                                                           category=cats["middle"], position=1)
    young = [(1, {"yes": True, "travel": "Walk", "rating": 1, "age": "young"}),
             (2, {"yes": False, "travel": "Walk", "rating": 2, "age": "young"})]
    others = [(30, {"yes": True, "travel": "Car", "rating": 4, "age": "middle"}),
              (10, {"yes": False, "travel": "Bus", "rating": 5, "age": "middle"}),
              (40, {"yes": True, "travel": "Car", "rating": 4, "age": "old"}),
              (20, {"yes": False, "travel": "Bus", "rating": 3, "age": "old"})]
    add_responses(survey, q, options, cats, age_options, young, channel="paper")
    add_responses(survey, q, options, cats, age_options, others)
    return survey, q, cats

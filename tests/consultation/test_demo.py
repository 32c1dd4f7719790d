import io

from django.core.management import call_command
from django.db.models import Count

from consultation.models import Answer, DimensionKind, Response, Survey, SurveyStatus
from plans.gates import checklist


def test_seed_demo_gives_evidence_communities_realistic_surveys_once(db):
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Survey.objects.count(), Response.objects.count(), Answer.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Survey.objects.count(), Response.objects.count(), Answer.objects.count()) == counts

    communities = set(Survey.objects.values_list("plan__community__slug", flat=True))
    assert communities == {"bramley-green", "cheriton-market", "eastfield-ward", "kingsley-vale"}
    for slug in communities - {"kingsley-vale"}:  # Kingsley Vale's one small round: see below
        submitted = Response.objects.submitted().filter(survey__plan__community__slug=slug)
        assert submitted.count() >= 300
        assert submitted.values("channel").distinct().count() >= 4
    household = Survey.objects.get(plan__community__slug="bramley-green", title__contains="household")
    assert household.status == SurveyStatus.OPEN and household.codes.filter(used_at__isnull=False)

    def older_share(survey):
        ages = dict(Answer.objects.filter(question__survey=survey,
                                          question__dimension__kind=DimensionKind.AGE)
                    .values_list("category__label").annotate(n=Count("pk")))
        return (ages.get("65 to 74", 0) + ages.get("75 or over", 0)) / sum(ages.values())

    balanced = Survey.objects.get(plan__community__slug="cheriton-market", title__contains="household")
    assert older_share(household) > 0.55 > 0.35 > older_share(balanced)

    bramley = household.plan
    gate = next(s for s in checklist(bramley).items if s.item.key == "survey_closed_with_responses")
    assert gate.done  # the love it / hate it round is closed with responses

"""'Groups the plan should reach' and where the 'about right' line is on 'who we have heard'."""

from django.urls import reverse

from consultation.analysis.coverage import community_group_of, engagement_coverage
from consultation.models import BaselineFigure, Dimension, DimensionCategory, Option, PopulationBaseline
from plans.steps import CommunityGroup
from tests.consultation.analysis_data import add_responses, analysis_survey


def _coverage(page: str, group: str) -> str:
    start = page.index(f"<td data-label=\"Group\">{group}</td>")
    return page[start:page.index("</tr>", start)]


def test_a_group_no_question_could_show_is_not_asked_not_not_yet(world):
    survey, q, options, cats, age_options = analysis_survey(world.plan)
    add_responses(survey, q, options, cats, age_options, [(12, {"yes": True, "age": "old"})])
    page = world.client("member").get(reverse("consultation:representation", args=[world.plan.pk])).text
    assert "Yes" in _coverage(page, "Older people")
    assert "Not yet" in _coverage(page, "Young people")  # asked about age, nobody young answered
    assert "Not asked" in _coverage(page, "Disabled people")  # no question about disability
    assert "Not yet" not in _coverage(page, "Disabled people")


def test_a_plans_own_age_band_65_plus_counts_as_older_people(world):
    survey, q, options, cats, age_options = analysis_survey(world.plan)
    age = Dimension.objects.get(plan=world.plan, kind="age")
    band = DimensionCategory.objects.create(dimension=age, label="65+", position=9)
    age_options[band.pk] = Option.objects.create(question=q["age"], label="65+", category=band, position=9)
    cats["band"] = band
    responses = add_responses(survey, q, options, cats, age_options, [(140, {"yes": True, "age": "band"})])
    coverage = {row["group"]: row for row in engagement_coverage(
        world.plan, survey.responses.filter(pk__in=[r.pk for r in responses]), survey)}
    assert coverage[CommunityGroup.OLDER_PEOPLE.label]["by_answers"]
    assert not coverage[CommunityGroup.YOUNG_PEOPLE.label]["by_answers"]
    assert community_group_of("age", "Under 18") == CommunityGroup.YOUNG_PEOPLE
    assert community_group_of("age", "16 to 24") == CommunityGroup.YOUNG_PEOPLE
    assert community_group_of("age", "18–34") is None
    assert community_group_of("age", "65 and over") == CommunityGroup.OLDER_PEOPLE


def test_exactly_half_its_share_is_about_right_and_the_page_says_where_the_line_is(world):
    survey, q, options, cats, age_options = analysis_survey(world.plan)
    add_responses(survey, q, options, cats, age_options, [
        (25, {"yes": True, "age": "young"}), (75, {"yes": True, "age": "old"})])
    baseline = PopulationBaseline.objects.create(dimension=cats["young"].dimension, source="Census 2021",
                                                 year=2021)
    BaselineFigure.objects.create(baseline=baseline, category=cats["young"], count=500)
    BaselineFigure.objects.create(baseline=baseline, category=cats["old"], count=500)
    page = world.client("member").get(reverse("consultation:representation", args=[world.plan.pk])).text
    row = page[page.index("<td data-label=\"Group\">18 to 24</td>"):]
    row = row[:row.index("</tr>")]
    assert "About right" in row  # 25% of answers against 50% of the population: exactly half
    assert "anything from exactly half up to one and a half times counts as “About right”" in page

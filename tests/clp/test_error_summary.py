"""The error summary at the top of every form links each message to the box it is about."""

import re

from django.urls import reverse

from consultation.models import Issue


def test_a_list_of_boxes_with_nothing_to_tick_still_shows_its_error(world):
    # A plan with no issues yet: the priorities round's list of issues has no boxes at all, so
    # there is no first box to link to; the page must still say what is wrong (it was a 500).
    Issue.objects.filter(plan=world.plan).delete()
    page = world.client("chair").post(
        reverse("consultation:priorities_round", args=[world.plan.pk]), {"title": ""})
    assert page.status_code == 200
    summary = page.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert summary.count("<li>") == 2  # the title and the issues


def test_a_list_of_boxes_links_its_error_to_the_first_box(world):
    issue = Issue.objects.create(plan=world.plan, title="Speeding on the main road")
    page = world.client("chair").post(
        reverse("consultation:priorities_round", args=[world.plan.pk]), {"title": "Our priorities"})
    assert page.status_code == 200
    summary = page.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    [target] = re.findall(r'href="#([^"]*)"', summary)
    assert target and f'id="{target}"' in page.text and f'value="{issue.pk}"' in page.text

from django.urls import reverse

from actions.models import Priority
from consultation.models import Issue
from consultation.services import evidence as evidence_services


def test_a_priority_is_made_from_an_issue_with_its_evidence(world):
    chair = world.people["chair"]
    issue = evidence_services.issue_save(
        issue=Issue(plan=world.plan, title="Speeding on the A30", description="Too fast."),
        actor=chair, created=True)
    client = world.client("member")
    page = client.get(issue.get_absolute_url()).text
    new_url = reverse("actions:priority_new", args=[world.plan.pk])
    assert f"{new_url}?issue={issue.pk}" in page
    form = client.get(new_url, {"issue": issue.pk}).text
    assert 'value="Speeding on the A30"' in form
    assert "Raised by 0 of the 0 people who answered an open survey." in form
    client.post(new_url, {"title": "Slow traffic on the A30", "why": "Residents asked.", "section": "2",
                          "issues": [issue.pk]})
    priority = Priority.objects.get(title="Slow traffic on the A30")
    assert list(priority.issues.all()) == [issue]
    detail = client.get(priority.get_absolute_url()).text
    assert issue.get_absolute_url() in detail

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from consultation.models import Survey
from plans.models import Plan


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_skewed_community_flags_young_people_as_under_represented(demo, client):
    from clp.models import User

    plan = Plan.objects.get(community__slug="bramley-green")
    survey = Survey.objects.get(plan=plan, title__contains="household")
    client.force_login(User.objects.get(email="chair@example.org"))
    page = client.get(reverse("consultation:representation", args=[plan.pk]), {"survey": survey.pk}).text
    age = page.split("Not heard enough from:", 1)[1].split("</div>", 1)[0]
    assert "18 to 24" in age and "11 to 15" in age
    row = page.split("<td data-label=\"Group\">18 to 24</td>", 1)[1].split("</tr>", 1)[0]
    assert "Under-represented" in row
    # The balanced love/hate round of the same plan does not flag 18 to 24 year olds.
    other = Survey.objects.get(plan=plan, title__startswith="Love it")
    page = client.get(reverse("consultation:representation", args=[plan.pk]), {"survey": other.pk}).text
    row = page.split("<td data-label=\"Group\">18 to 24</td>", 1)[1].split("</tr>", 1)[0]
    assert "Under-represented" not in row


def test_demo_has_issues_with_evidence_and_gate_items(demo):
    from plans import gates

    plan = Plan.objects.get(community__slug="cheriton-market")
    assert plan.issues.filter(answers__isnull=False).exists()
    states = {s.item.key: s.done for s in gates.checklist(plan, "understanding").items}
    assert states["issues_with_evidence"] and states["representation_reviewed"]

import io

from django.core.management import call_command
from django.urls import reverse

from clp.models import Organisation
from consultation.models import Question, StandardQuestion


def test_demo_comparison_page_shows_published_rows_with_a_small_parish_hidden(db, client):
    call_command("seed_demo", stdout=io.StringIO())
    organisation = Organisation.objects.get(name="Downshire Community Action")
    safe = StandardQuestion.objects.get(organisation=organisation, text__startswith="How safe")
    copies = Question.objects.filter(standard=safe)
    assert set(copies.values_list("survey__plan__community__slug", flat=True)) == {
        "cheriton-market", "eastfield-ward", "kingsley-vale"}
    assert all(q.answers.exists() and q.survey.results_published for q in copies)

    page = client.get(reverse("portfolio:compare", args=[organisation.pk, safe.pk])).text
    for name in ["Cheriton Market", "Eastfield Ward", "Kingsley Vale"]:
        assert name in page
    kingsley = page[page.index("Kingsley Vale"):].split("</tr>")[0]
    assert "fewer than" in kingsley.casefold()
    cheriton = page[page.index("Cheriton Market"):].split("</tr>")[0]
    assert "fewer than" not in cheriton.casefold()

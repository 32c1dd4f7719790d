"""A panel on a community's public page: its published answers to standard questions, each with
a link to the same question answered across the support organisation's other communities."""


def _compared(community):
    from consultation.models import Question

    found = (Question.objects.filter(survey__plan__community=community,
                                     survey__results_published=True, standard__isnull=False,
                                     standard__organisation__communities=community)
             .select_related("standard__organisation").order_by("standard__text", "standard_id"))
    standards = list({q.standard_id: q.standard for q in found}.values())
    return {"standards": standards} if standards else None


def register_panels() -> None:
    from clp.panels import Panel
    from plans.community import register_panel

    register_panel(Panel("standard_questions", "portfolio/includes/community_compare.html", 40,
                         _compared))

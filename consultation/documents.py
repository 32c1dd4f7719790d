"""The paper questionnaire: any survey as a print-ready form, in standard and large print, or one
copy per one-time code with the household's code printed on it; and the code leaflets.

Questions carry the same numbers as on the paper-entry screen (Q1, Q2, … through the survey in
page order), so volunteers can key returns in quickly. Registered with `plans.documents` in
ConsultationConfig.ready().
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultation.models import QuestionKind, Survey, SurveyStatus, display_code
from plans import documents

# Lines of write-in space for each kind of free-text question.
SLIPS_PER_PAGE = 8
MAX_CODED_COPIES = 200  # questionnaires with codes built at once: one PDF stays within a task's time
WRITE_IN_LINES = {QuestionKind.SHORT_TEXT: 2, QuestionKind.LONG_TEXT: 7, QuestionKind.LOVE_HATE: 4}


def _survey(plan, source_id) -> Survey | None:
    if source_id is None:
        return None
    return Survey.objects.filter(plan=plan, pk=source_id).first()


def _source(plan, source_id) -> documents.Source | None:
    survey = _survey(plan, source_id)
    if survey is None:
        return None
    return documents.Source(
        title=survey.title, label=_("Paper questionnaire"),
        date=survey.opened_at or survey.created_at,
        # Anyone may print their own copy of a survey open to everyone with the link.
        is_public=survey.status == SurveyStatus.OPEN and survey.uses_link)


def _item(number: int, question) -> dict:
    options = list(question.options.all())
    return {
        "number": number, "q": question, "options": [o for o in options if not o.is_other],
        "other": question.offers_other, "lines": range(WRITE_IN_LINES.get(question.kind, 0)),
        "scale": question.scale() if question.kind == QuestionKind.RATING else [],
        "several": question.allows_several,
    }


def _pages(survey) -> list[dict]:
    """The survey's pages in order, each with its numbered questions."""
    pages = []
    by_section: dict[int, dict] = {}
    for number, question in enumerate(survey.ordered_questions(), start=1):
        page = by_section.get(question.section_id)
        if page is None:
            page = {"section": question.section, "items": []}
            by_section[question.section_id] = page
            pages.append(page)
        page["items"].append(_item(number, question))
    for page in pages:
        page["about_you"] = all(i["q"].kind == QuestionKind.DEMOGRAPHIC for i in page["items"])
        previous = None
        for item in page["items"]:
            # "About you" questions among others get their own heading where their run starts.
            is_about = item["q"].kind == QuestionKind.DEMOGRAPHIC
            item["starts_about_you"] = (is_about and not page["about_you"]
                                        and previous != QuestionKind.DEMOGRAPHIC)
            previous = item["q"].kind
    return pages


def questionnaire_context(publication) -> dict:
    survey = _survey(publication.plan, publication.source_id)
    return {"survey": survey, "pages": _pages(survey), "kinds": QuestionKind,
            "online_url": settings.SITE_URL.rstrip("/") + survey.get_public_url() if survey.uses_link else ""}


def questionnaire_headings(publication) -> list[str]:
    survey = _survey(publication.plan, publication.source_id)
    return [survey.title, _("How we use your answers"), _("How to return this form")]


def _leaflet_source(plan, source_id) -> documents.Source | None:
    survey = _survey(plan, source_id)
    if survey is None or not survey.uses_codes:
        return None
    return documents.Source(title=_("Code leaflets: %(title)s") % {"title": survey.title},
                            label=_("One-time codes"), date=survey.opened_at or survey.created_at,
                            is_public=False)


def qr_data_uri(url: str) -> str:
    """A QR code of the survey's address, as an SVG image. Only the address: a code in a URL
    would end up in web server logs and browser histories."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def leaflets_context(publication) -> dict:
    survey = _survey(publication.plan, publication.source_id)
    secret = publication.secret_input or {}
    codes = [display_code(code) for code in secret.get("codes", [])]
    url = settings.SITE_URL.rstrip("/") + survey.get_public_url()
    layout = secret.get("layout", "slips")
    return {"survey": survey, "codes": codes, "url": url, "qr": qr_data_uri(url), "layout": layout,
            "batch": secret.get("batch", ""),
            "sheets": [codes[i:i + SLIPS_PER_PAGE] for i in range(0, len(codes), SLIPS_PER_PAGE)]}


def leaflets_headings(publication) -> list[str]:
    return [_("Have your say")]


def _coded_source(plan, source_id) -> documents.Source | None:
    survey = _survey(plan, source_id)
    if survey is None or not survey.uses_codes:
        return None
    return documents.Source(title=_("Questionnaires with codes: %(title)s") % {"title": survey.title},
                            label=_("One copy per one-time code"),
                            date=survey.opened_at or survey.created_at, is_public=False)


def coded_context(publication) -> dict:
    """The paper questionnaire once per code, each copy with its own code printed on it. The
    codes come from the publication's input, as for leaflets, and are wiped once it is built."""
    secret = publication.secret_input or {}
    return {**questionnaire_context(publication), "batch": secret.get("batch", ""),
            "codes": [display_code(code) for code in secret.get("codes", [])]}


def register_kinds() -> None:
    documents.register(documents.DocumentKind(
        key="code_leaflets", label=gettext_lazy("Code leaflets"),
        template="consultation/documents/leaflets.html", source=_leaflet_source,
        context=leaflets_context, headings=leaflets_headings, pages=(1, 5000),
        private_perm="plans.edit_plan_content", rebuildable=True, web_page=False,
        private_note=gettext_lazy("It holds one-time codes, so only the steering group can open it. "
                                  "Keep the printed leaflets safe until they are delivered.")))
    documents.register(documents.DocumentKind(
        key="questionnaire", label=gettext_lazy("Paper questionnaire"),
        template="consultation/documents/questionnaire.html", source=_source,
        context=questionnaire_context, headings=questionnaire_headings, pages=(1, 80),
        offers_large_print=True, rebuildable=True))
    documents.register(documents.DocumentKind(
        key="coded_questionnaires", label=gettext_lazy("Paper questionnaires with codes"),
        template="consultation/documents/questionnaires_coded.html", source=_coded_source,
        context=coded_context, headings=questionnaire_headings, pages=(1, 80 * MAX_CODED_COPIES),
        private_perm="plans.edit_plan_content", rebuildable=True, web_page=False,
        private_note=gettext_lazy("Each copy holds its household's one-time code, so only the "
                                  "steering group can open it. Keep the printed forms safe until "
                                  "they are delivered.")))


def latest_copies(survey) -> list[dict]:
    """The questionnaire in standard and large print, each with its latest publication."""
    from plans.models import Publication

    latest = {}
    for publication in Publication.objects.filter(plan_id=survey.plan_id, kind="questionnaire",
                                                  source_id=survey.pk).order_by("pk"):
        latest[publication.large_print] = publication
    return [{"large_print": large, "publication": latest.get(large),
             "label": _("Large print (16 point)") if large else _("Standard print")}
            for large in (False, True)]

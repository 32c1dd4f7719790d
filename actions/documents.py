"""Documents built from a frozen plan version: the plan itself and the household summary (with a
large-print variant). Registered with `plans.documents` in ActionsConfig.ready().

The action plan comes from the frozen snapshot, so the document says exactly what was agreed. The
community, the consultation figures and the charts come from the records as they stand, with
small numbers hidden exactly as on the public results page.
"""

from collections import Counter
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.models import PlanVersion, Priority, Section
from actions.summary import consulted_surveys
from clp.models import CouncilTier
from plans import documents
from plans.models import Meeting, MeetingKind

MAX_CHARTS_PER_THEME = 2
MAX_HIGHLIGHTS = 4


def public_threshold() -> int:
    from consultation.analysis.suppression import threshold

    return threshold()


def public_figures(question, cache: dict):
    """A question's figures and chart as the public results page shows them: through the one
    disclosure mechanism (`consultation.analysis.results_for`, viewer None), worked out once per
    survey and kept in `cache` for the rest of the document."""
    from consultation import analysis
    from consultation.views.results import _chart

    if question.survey_id not in cache:
        results = analysis.results_for(question.survey, viewer=None)
        cache[question.survey_id] = {r.question.pk: r for r in results.questions}
    result = cache[question.survey_id].get(question.pk)
    return result, (_chart(result) if result is not None else None)


def _version(plan, source_id) -> PlanVersion | None:
    if source_id is None:
        return None
    return PlanVersion.objects.filter(plan=plan, pk=source_id).first()


def _source(plan, source_id) -> documents.Source | None:
    version = _version(plan, source_id)
    if version is None:
        return None
    return documents.Source(
        title=version.data.get("title") or plan.title,
        label=_("Version %(n)s") % {"n": version.number},
        date=version.frozen_at, is_public=True)


def _summary_source(plan, source_id) -> documents.Source | None:
    source = _source(plan, source_id)
    if source is None:
        return None
    return documents.Source(title=_("%(title)s: summary for every household") % {"title": source.title},
                            label=source.label, date=source.date, is_public=True)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _sections(data: dict) -> list[dict]:
    sections = []
    for section in Section:
        priorities = [dict(p) for p in data["priorities"] if p["section"] == section.value]
        for p in priorities:
            p["actions"] = [{**a, "target_date": _date(a.get("target"))} for a in p["actions"]]
        sections.append({"number": section.value, "label": section.label, "priorities": priorities})
    return sections


def _support_by_tier(data: dict) -> list[dict]:
    """Endorsements by tier: each councillor's decision on each priority in the version."""
    order = {tier.label: i for i, tier in enumerate(CouncilTier)}
    tiers: dict[str, list] = {}
    for p in data["priorities"]:
        for s in p.get("support", []):
            when = datetime.fromisoformat(s["at"]).date() if s.get("at") else None
            tiers.setdefault(s["tier"], []).append({"priority": p["title"], **s, "when": when})
    return [{"tier": tier, "decisions": rows}
            for tier, rows in sorted(tiers.items(), key=lambda item: order.get(item[0], 99))]


def _findings(plan, data: dict) -> list[dict]:
    """Key findings by theme: the priorities under each theme, and charts of the survey questions
    their issues were evidenced by."""
    ids = [p["id"] for p in data["priorities"]]
    evidence = {}
    for priority in (Priority.objects.filter(plan=plan, pk__in=ids)
                     .prefetch_related("issues__questions__survey", "issues__questions__options")):
        evidence[priority.pk] = [q for issue in priority.issues.all() for q in issue.questions.all()]
    themes: dict[str, dict] = {}
    for p in data["priorities"]:
        theme = themes.setdefault(p["theme"].strip() or _("Other"), {"priorities": [], "questions": []})
        theme["priorities"].append(p)
        for question in evidence.get(p["id"], []):
            if question.survey.results_published and question not in theme["questions"]:
                theme["questions"].append(question)
    return [{"theme": name, "priorities": theme["priorities"],
             "charts": _charts(theme["questions"], MAX_CHARTS_PER_THEME)}
            for name, theme in sorted(themes.items())]


def _charts(questions, limit: int) -> list[dict]:
    charts, cache = [], {}
    for question in questions:
        result, chart = public_figures(question, cache)
        if chart is not None:
            charts.append({"result": result, "chart": chart, "limit": public_threshold()})
        if len(charts) == limit:
            break
    return charts


def _highlights(surveys) -> dict | None:
    """When no priority links to survey evidence: charts from the survey with the most responses
    whose results are public, so the document still shows what people said."""
    from consultation.models import QuestionKind

    published = [s for s in surveys if s.results_published and s.response_count]
    if not published:
        return None
    survey = max(published, key=lambda s: s.response_count)
    questions = [q for q in survey.ordered_questions() if q.kind != QuestionKind.DEMOGRAPHIC]
    return {"survey": survey, "charts": _charts(questions, MAX_HIGHLIGHTS)}


def _events(plan) -> list:
    """Events the group chose to show on the public page (never, say, home visits)."""
    return list(Meeting.objects.filter(plan=plan, is_public=True).exclude(kind=MeetingKind.STEERING)
                .order_by("date", "pk"))


def _cadences(data: dict) -> list[tuple[str, int]]:
    counts = Counter(a["cadence"] for p in data["priorities"] for a in p["actions"]
                     if a["status"] != "dropped")
    return sorted(counts.items(), key=lambda item: -item[1])


def plan_context(publication) -> dict:
    version = _version(publication.plan, publication.source_id)
    data = version.data
    surveys = consulted_surveys(publication.plan)
    findings = _findings(publication.plan, data)
    has_charts = any(theme["charts"] for theme in findings)
    return {
        "version": version, "data": data, "sections": _sections(data),
        "findings": findings, "surveys": surveys,
        "highlights": None if has_charts else _highlights(surveys),
        "total_responses": sum(s.response_count for s in surveys),
        "events": _events(publication.plan), "support_tiers": _support_by_tier(data),
        "cadences": _cadences(data), "suppression_threshold": public_threshold(),
        "community_url": settings.SITE_URL + publication.plan.community.get_absolute_url(),
        "quick_wins": [p for p in data["priorities"] if p["quick_win"]],
    }


def plan_headings(publication) -> list[str]:
    community = publication.plan.community.name
    vision = [_("Our vision")] if _version(publication.plan, publication.source_id).data.get("vision") else []
    return [_("Contents"), *vision, _("About %(name)s") % {"name": community},
            _("How we consulted"), _("Key findings by theme"), _("The action plan"),
            str(Section.COMMUNITY.label), str(Section.HELP.label),
            _("Councillor endorsements by tier"), _("How progress will be monitored and reviewed")]


def summary_headings(publication) -> list[str]:
    vision = [_("Our vision")] if _version(publication.plan, publication.source_id).data.get("vision") else []
    return [*vision, _("What you told us"), _("What we will do"), _("Get involved")]


def register_kinds() -> None:
    documents.register(documents.DocumentKind(
        key="plan", label=gettext_lazy("The community plan"), template="actions/documents/plan.html",
        source=_source, context=plan_context, headings=plan_headings, pages=(4, 400)))
    documents.register(documents.DocumentKind(
        key="household_summary", label=gettext_lazy("Summary for every household"),
        template="actions/documents/household_summary.html", source=_summary_source,
        context=plan_context, headings=summary_headings, pages=(2, 4), large_print_pages=(2, 8),
        offers_large_print=True))

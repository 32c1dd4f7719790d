"""How collection is going, the list of responses, one response, deleting one, and exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Min
from django.db.models.functions import TruncWeek
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clp.audit import audit_download
from consultation import services
from consultation.analysis import counts, exports, spreadsheet
from consultation.analysis.exports import describe
from consultation.forms import ReasonForm
from consultation.models import Channel, ResponseStatus
from consultation.permissions import VIEW_RESPONSES
from consultation.views.common import posted, survey_for
from plans.permissions import MANAGE_PLAN

PER_PAGE = 25


def _percent(part: int, whole: int | None) -> int | None:
    return round(100 * part / whole) if whole else None


@login_required
def collection(request, pk, sid):
    """Counts only, so councillors may see it: over time, by channel, against the community."""
    survey = survey_for(request, pk, sid)
    figures = counts.remember(survey, "collection", lambda: _collection_counts(survey))
    total, by_channel, weeks = figures["total"], figures["by_channel"], figures["weeks"]
    running = 0
    for week in weeks:
        running += week["n"]
        week["total"] = running
    community = survey.plan.community
    codes = survey.codes.aggregate(issued=Count("pk"), used=Count("used_at"))
    return render(request, "consultation/collection.html", {
        "plan": survey.plan, "survey": survey, "total": total, "weeks": weeks,
        "peak": max((w["n"] for w in weeks), default=0),
        "channels": [(label, by_channel.get(value, 0)) for value, label in Channel.choices],
        "community": community,
        "household_rate": _percent(total, community.households),
        "population_rate": _percent(total, community.population),
        "codes": codes, "code_rate": _percent(codes["used"], codes["issued"]),
        "unsent": survey.responses.filter(status=ResponseStatus.DRAFT).count(),
        "first": figures["first"],
    })


def _collection_counts(survey) -> dict:
    """The submitted responses counted by channel and by week: read once per version of the
    survey's answers and kept with its other counts (consultation.analysis.counts), since each of these
    reads every response; the access codes and unsent drafts are counted fresh."""
    submitted = survey.responses.submitted()
    weeks = [{"week": row["week"], "n": row["n"]} for row in submitted.annotate(
        week=TruncWeek("submitted_at")).values("week").annotate(n=Count("pk")).order_by("week")]
    return {"total": sum(w["n"] for w in weeks),
            "by_channel": dict(submitted.values_list("channel").annotate(n=Count("pk")).order_by()),
            "weeks": weeks, "first": submitted.aggregate(first=Min("submitted_at"))["first"]}


def _channel(request) -> str:
    channel = request.GET.get("channel", "")
    return channel if channel in Channel.values else ""


@login_required
def responses(request, pk, sid):
    survey = survey_for(request, pk, sid, VIEW_RESPONSES)
    channel = _channel(request)
    queryset = survey.responses.submitted().select_related("code", "entered_by")
    if channel:
        queryset = queryset.filter(channel=channel)
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "consultation/response_list.html", {
        "plan": survey.plan, "survey": survey, "page": page, "channel": channel,
        "channels": Channel.choices,
        "deletions": survey.deletions.select_related("deleted_by")[:20],
        "deletion_requests": survey.deletion_requests.filter(response__isnull=False),
    })


@login_required
def response_detail(request, pk, sid, rid):
    survey = survey_for(request, pk, sid, VIEW_RESPONSES)
    response = get_object_or_404(survey.responses.submitted().select_related("code", "entered_by"),
                                 pk=rid)
    saved: dict = {}
    for answer in response.answers.all():
        saved.setdefault(answer.question_id, []).append(answer)
    items = [(n, q, describe(q, saved.get(q.pk, [])))
             for n, q in enumerate(survey.ordered_questions(), start=1)]
    return render(request, "consultation/response_detail.html",
                  {"plan": survey.plan, "survey": survey, "response": response, "items": items})


@login_required
@require_http_methods(["GET", "POST"])
def response_delete(request, pk, sid, rid):
    survey = survey_for(request, pk, sid, MANAGE_PLAN)
    response = get_object_or_404(survey.responses.submitted(), pk=rid)
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.response_delete(response=response, reason=form.cleaned_data["reason"],
                                 actor=request.user)
        messages.success(request, _("Response %(n)s deleted. The reason is in the plan's history.")
                         % {"n": response.number})
        return redirect("consultation:responses", pk=pk, sid=sid)
    return render(request, "consultation/response_delete.html",
                  {"plan": survey.plan, "survey": survey, "response": response, "form": form})


def _audit_export(request, survey, extension: str) -> None:
    audit_download(actor=request.user, target=survey, fmt=extension,
                   what=f"Responses (channel: {_channel(request) or 'all'})")


def _filename(survey, extension: str) -> str:
    return f"{slugify(survey.title)[:60] or 'survey'}-responses.{extension}"


@login_required
def export_csv(request, pk, sid):
    survey = survey_for(request, pk, sid, VIEW_RESPONSES)
    _audit_export(request, survey, "csv")
    response = StreamingHttpResponse(exports.csv_stream(survey, _channel(request)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "csv")}"'
    return response


@login_required
def export_xlsx(request, pk, sid):
    survey = survey_for(request, pk, sid, VIEW_RESPONSES)
    _audit_export(request, survey, "xlsx")
    response = StreamingHttpResponse(exports.xlsx_stream(survey, _channel(request)),
                                     content_type=spreadsheet.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "xlsx")}"'
    return response

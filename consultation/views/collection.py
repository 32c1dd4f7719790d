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

from clp.audit import AuditKind, audit_record
from consultation import services
from consultation.analysis import exports, spreadsheet
from consultation.analysis.exports import describe
from consultation.forms import ReasonForm
from consultation.models import Channel, ResponseStatus
from consultation.views.common import posted, survey_for

READ_ANSWERS = "consultation.view_responses"
PER_PAGE = 25


def _percent(part: int, whole: int | None) -> int | None:
    return round(100 * part / whole) if whole else None


@login_required
def collection(request, pk, sid):
    """Counts only, so councillors may see it: over time, by channel, against the community."""
    survey = survey_for(request, pk, sid)
    submitted = survey.responses.submitted()
    total = submitted.count()
    by_channel = dict(submitted.values_list("channel").annotate(n=Count("pk")).order_by())
    weeks = list(submitted.annotate(week=TruncWeek("submitted_at")).values("week")
                 .annotate(n=Count("pk")).order_by("week"))
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
        "first": submitted.aggregate(first=Min("submitted_at"))["first"],
    })


def _channel(request) -> str:
    channel = request.GET.get("channel", "")
    return channel if channel in Channel.values else ""


@login_required
def responses(request, pk, sid):
    survey = survey_for(request, pk, sid, READ_ANSWERS)
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
    survey = survey_for(request, pk, sid, READ_ANSWERS)
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
    survey = survey_for(request, pk, sid, "plans.manage_plan")
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
    audit_record(kind=AuditKind.EXPORT, actor=request.user, target=survey,
                 summary=f"Responses downloaded as {extension.upper()} "
                         f"(channel: {_channel(request) or 'all'})")


def _filename(survey, extension: str) -> str:
    return f"{slugify(survey.title)[:60] or 'survey'}-responses.{extension}"


@login_required
def export_csv(request, pk, sid):
    survey = survey_for(request, pk, sid, READ_ANSWERS)
    _audit_export(request, survey, "csv")
    response = StreamingHttpResponse(exports.csv_stream(survey, _channel(request)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "csv")}"'
    return response


@login_required
def export_xlsx(request, pk, sid):
    survey = survey_for(request, pk, sid, READ_ANSWERS)
    _audit_export(request, survey, "xlsx")
    response = StreamingHttpResponse(exports.xlsx_stream(survey, _channel(request)),
                                     content_type=spreadsheet.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "xlsx")}"'
    return response

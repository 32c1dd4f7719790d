"""The open-data endpoints: read-only, the same for everyone, published records only."""

from django.db.models import Prefetch
from django.shortcuts import render
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from actions.api import published
from actions.api import serializers as s
from actions.api.http import (
    FORMAT_PARAMETER,
    LICENCE,
    CSVRenderer,
    FieldFilters,
    Ordering,
    Pages,
    Throttle,
    UpdatedSince,
)
from actions.models import Decision, Endorsement, OwnerStatus, PartnerKind, Section, UpdateStatus
from clp.models import CommunityKind, CouncilTier
from consultation.analysis.suppression import threshold


def _codes(choices) -> str:
    return "; ".join(f"`{value}` {label}" for value, label in choices)


def _in_plan(prefix: str = "") -> dict:
    return {"community": (f"{prefix}plan__community_id", int, "Only this community (its id)."),
            "plan": (f"{prefix}plan_id", int, "Only this plan (its id).")}


LIST_SCHEMA = extend_schema_view(list=extend_schema(parameters=[FORMAT_PARAMETER]))


class OpenData(viewsets.ReadOnlyModelViewSet):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [Throttle]
    renderer_classes = [JSONRenderer, CSVRenderer]
    pagination_class = Pages
    filter_backends = [FieldFilters, UpdatedSince, Ordering]
    ordering_fields = ["id", "updated"]
    ordering = ["id"]
    filter_fields: dict = {}

    def paginate_queryset(self, queryset):
        if self.request.accepted_renderer.format == "csv":
            return None  # a download holds every matching record
        return super().paginate_queryset(queryset)


@LIST_SCHEMA
class Communities(OpenData):
    """Parishes, towns and neighbourhoods with a published plan or published survey results."""

    serializer_class = s.CommunitySerializer
    filter_fields = {"district": ("district__iexact", str, "District or borough name."),
                     "gss_code": ("gss_code", str, "ONS GSS code, e.g. E04012345."),
                     "kind": ("kind", str, f"Kind: {_codes(CommunityKind.choices)}.")}

    def get_queryset(self):
        return published.communities()


@LIST_SCHEMA
class Versions(OpenData):
    """Frozen versions of published plans: the plan as it was agreed, never a draft."""

    serializer_class = s.PlanVersionSerializer
    filter_fields = _in_plan()

    def get_queryset(self):
        return published.versions()


@LIST_SCHEMA
class Priorities(OpenData):
    """Priorities of published plans, with current councillor decisions counted by tier."""

    serializer_class = s.PrioritySerializer
    filter_fields = {**_in_plan(), "section": ("section", int, f"Section: {_codes(Section.choices)}.")}

    def get_queryset(self):
        current = Endorsement.objects.current().select_related("councillor")
        return published.priorities().prefetch_related(
            Prefetch("endorsements", queryset=current, to_attr="current_endorsements"))


@LIST_SCHEMA
class Actions(OpenData):
    """Actions of published plans: status, timescales, who leads (as a role) and which partner
    body is asked to help."""

    serializer_class = s.ActionSerializer
    filter_fields = {
        **_in_plan("priority__"),
        "priority": ("priority_id", int, "Only actions of this priority (its id)."),
        "section": ("priority__section", int, f"Section: {_codes(Section.choices)}."),
        "status": ("progress", str, f"Status: {_codes(UpdateStatus.choices)}."),
        "partner_body": ("partner_body_id", int, "Only actions this partner body is asked to help with."),
        "partner_status": ("partner_status", str, f"Partner's answer: {_codes(OwnerStatus.choices)}."),
    }

    def get_queryset(self):
        return published.actions()


@LIST_SCHEMA
class ProgressUpdates(OpenData):
    """Progress reports on published actions, with the reason the group gave residents."""

    serializer_class = s.ProgressUpdateSerializer
    filter_fields = {
        **_in_plan("action__priority__"),
        "action": ("action_id", int, "Only updates of this action (its id)."),
        "partner_body": ("action__partner_body_id", int, "Only updates of this partner body's actions."),
        "status": ("status", str, f"Status: {_codes(UpdateStatus.choices)}."),
    }

    def get_queryset(self):
        return published.progress_updates()


@LIST_SCHEMA
class CommunityUpdates(OpenData):
    """Updates the steering groups published for residents."""

    serializer_class = s.CommunityUpdateSerializer
    filter_fields = _in_plan()

    def get_queryset(self):
        return published.community_updates()


@LIST_SCHEMA
class Endorsements(OpenData):
    """Councillors' current decisions on published priorities, by tier of council."""

    serializer_class = s.EndorsementSerializer
    filter_fields = {
        **_in_plan("priority__"),
        "priority": ("priority_id", int, "Only decisions on this priority (its id)."),
        "tier": ("councillor__tier", str, f"Tier: {_codes(CouncilTier.choices)}."),
        "decision": ("decision", str, f"Decision: {_codes(Decision.choices)}."),
    }

    def get_queryset(self):
        return published.endorsements()


@LIST_SCHEMA
class PartnerBodies(OpenData):
    """Councils and agencies that published actions ask to help."""

    serializer_class = s.PartnerBodySerializer
    filter_fields = {"kind": ("kind", str, f"Type: {_codes(PartnerKind.choices)}.")}

    def get_queryset(self):
        return published.partner_bodies()


@LIST_SCHEMA
class Surveys(OpenData):
    """Surveys whose results the group has published."""

    serializer_class = s.SurveySerializer
    lookup_field = "public_id"
    filter_fields = _in_plan()

    def get_queryset(self):
        return published.surveys()

    @extend_schema(responses=s.SurveyResultsSerializer, parameters=[FORMAT_PARAMETER])
    @action(detail=True, pagination_class=None, filter_backends=[])
    def results(self, request, public_id=None):
        """Headline figures of every question, small numbers hidden as on the public page."""
        survey = self.get_object()
        respondents, results = published.survey_figures(survey)
        questions = [s.figures(r) for r in results]
        if request.accepted_renderer.format == "csv":
            return Response([{"question": q["text"], "kind": q["kind"], "answered": q["answered"],
                              "hidden": q["hidden"], **{f"answer.{k}": v for k, v in c.items()}}
                             for q in questions for c in q["cells"] or [{}]])
        return Response({"survey": survey.public_id, "respondents": respondents,
                         "threshold": threshold(), "questions": questions})


ENDPOINTS = [  # (path, record name, title, view)
    ("communities", "community", "Communities", Communities),
    ("plan-versions", "plan-version", "Frozen plan versions", Versions),
    ("priorities", "priority", "Priorities", Priorities),
    ("actions", "action", "Actions", Actions),
    ("progress-updates", "progress-update", "Progress updates", ProgressUpdates),
    ("community-updates", "community-update", "Updates for residents", CommunityUpdates),
    ("endorsements", "endorsement", "Councillors' endorsements", Endorsements),
    ("partner-bodies", "partner-body", "Partner bodies", PartnerBodies),
    ("surveys", "survey", "Surveys with published results", Surveys),
]


def about(request):
    """The human page: what the open data holds, its code lists, licence and how to poll it."""
    return render(request, "actions/api/about.html", {
        "endpoints": [(f"v1/{path}/", title, view.__doc__.strip()) for path, _n, title, view in ENDPOINTS],
        "licence": LICENCE, "threshold": threshold(),
        "code_lists": [("status", UpdateStatus.choices), ("section", Section.choices),
                       ("lead_role", s.LeadRole.CHOICES), ("partner_status", OwnerStatus.choices),
                       ("tier", CouncilTier.choices), ("decision", Decision.choices),
                       ("kind (partner bodies)", PartnerKind.choices)],
    })

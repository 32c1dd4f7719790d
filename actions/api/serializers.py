"""What each open-data record says. Fields are listed one by one: nothing reaches the API by
default, and no serializer here names a person, an email address, an answer or a code."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actions.models import (
    Action,
    CommunityUpdate,
    Decision,
    Endorsement,
    PartnerBody,
    PlanVersion,
    Priority,
    ProgressUpdate,
    Section,
    UpdateStatus,
)
from clp.models import Community, CouncilTier
from consultation.models import QuestionKind, Survey


class LeadRole:
    """Who leads an action, as a role: the open data never names a resident."""

    STEERING_GROUP = "steering_group"
    VOLUNTEER = "volunteer"
    NONE = "none"
    CHOICES = [(STEERING_GROUP, "A member of the steering group"),
               (VOLUNTEER, "A volunteer from the community"), (NONE, "No lead yet")]


class CommunitySerializer(serializers.ModelSerializer):
    updated = serializers.DateTimeField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Community
        fields = ["id", "slug", "name", "kind", "gss_code", "district", "county", "population",
                  "households", "web_url", "updated"]

    def get_web_url(self, obj) -> str:
        return obj.get_absolute_url()


class _InPlan(serializers.ModelSerializer):
    """Shared by records of a plan: which plan and community they belong to."""

    plan = serializers.IntegerField(source="plan_id")
    community = serializers.IntegerField(source="plan.community_id")
    updated = serializers.DateTimeField()


class VersionActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    what = serializers.CharField()
    outcome = serializers.CharField()
    measure = serializers.CharField()
    partners = serializers.CharField()
    start = serializers.DateField(allow_null=True)
    target = serializers.DateField(allow_null=True)
    cost = serializers.CharField(allow_null=True)
    funding = serializers.CharField()
    cadence = serializers.CharField()
    status = serializers.CharField()


class VersionSupportSerializer(serializers.Serializer):
    tier = serializers.CharField()
    decision = serializers.ChoiceField(choices=Decision.choices)
    at = serializers.DateTimeField()


class VersionPrioritySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    why = serializers.CharField()
    theme = serializers.CharField()
    section = serializers.ChoiceField(choices=Section.choices)
    rank = serializers.IntegerField()
    quick_win = serializers.BooleanField()
    long_term = serializers.BooleanField()
    long_term_note = serializers.CharField()
    actions = VersionActionSerializer(many=True)
    support = VersionSupportSerializer(many=True)


class PlanVersionSerializer(serializers.ModelSerializer):
    """A frozen version, re-read field by field from the snapshot (which also holds the lead's
    name: that key is never copied)."""

    plan = serializers.IntegerField(source="plan_id")
    community = serializers.IntegerField(source="plan.community_id")
    updated = serializers.DateTimeField()
    title = serializers.SerializerMethodField()
    vision = serializers.SerializerMethodField()
    monitoring = serializers.SerializerMethodField()
    priorities = serializers.SerializerMethodField()

    class Meta:
        model = PlanVersion
        fields = ["id", "plan", "community", "number", "frozen_at", "title", "vision", "monitoring",
                  "priorities", "updated"]

    def get_title(self, obj) -> str:
        return obj.data.get("title", "")

    def get_vision(self, obj) -> str:
        return obj.data.get("vision", "")

    def get_monitoring(self, obj) -> str:
        return obj.data.get("monitoring", "")

    @extend_schema_field(VersionPrioritySerializer(many=True))
    def get_priorities(self, obj) -> list:
        keep = VersionPrioritySerializer().fields
        action_keys = VersionActionSerializer().fields
        support_keys = ("tier", "decision", "at")
        out = []
        for p in obj.data.get("priorities", []):
            item = {k: p.get(k) for k in keep if k not in ("actions", "support")}
            item["actions"] = [{k: a.get(k) for k in action_keys} for a in p.get("actions", [])]
            item["support"] = [{k: s.get(k) for k in support_keys} for s in p.get("support", [])]
            out.append(item)
        return out


class TierCountsSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=CouncilTier.choices)
    endorse = serializers.IntegerField()
    support = serializers.IntegerField()
    decline = serializers.IntegerField()


class PrioritySerializer(_InPlan):
    endorsements_by_tier = serializers.SerializerMethodField()

    class Meta:
        model = Priority
        fields = ["id", "plan", "community", "title", "why", "theme", "section", "rank", "is_quick_win",
                  "is_long_term", "long_term_note", "endorsements_by_tier", "updated"]

    @extend_schema_field(TierCountsSerializer(many=True))
    def get_endorsements_by_tier(self, obj) -> list:
        """Current decisions of councillors, counted per tier (needs `current_endorsements`)."""
        counts = {}
        for e in obj.current_endorsements:
            row = counts.setdefault(e.councillor.tier, dict.fromkeys(Decision.values, 0))
            row[e.decision] += 1
        return [{"tier": tier, **counts[tier]} for tier in CouncilTier.values if tier in counts]


class ActionSerializer(serializers.ModelSerializer):
    priority = serializers.IntegerField(source="priority_id")
    plan = serializers.IntegerField(source="priority.plan_id")
    community = serializers.IntegerField(source="priority.plan.community_id")
    section = serializers.ChoiceField(source="priority.section", choices=Section.choices)
    status = serializers.ChoiceField(source="progress", choices=UpdateStatus.choices)
    lead_role = serializers.SerializerMethodField()
    partner_body = serializers.IntegerField(source="partner_body_id", allow_null=True)
    updated = serializers.DateTimeField()

    class Meta:
        model = Action
        fields = ["id", "priority", "plan", "community", "section", "what", "outcome", "measure",
                  "status", "percent", "start_date", "target_date", "original_target_date",
                  "update_cadence", "lead_role", "partners", "partner_body", "partner_status",
                  "updated"]

    @extend_schema_field(serializers.ChoiceField(choices=LeadRole.CHOICES))
    def get_lead_role(self, obj) -> str:
        if obj.lead_user_id:
            return LeadRole.STEERING_GROUP
        return LeadRole.VOLUNTEER if obj.lead_name else LeadRole.NONE


class ProgressUpdateSerializer(serializers.ModelSerializer):
    """A progress report: the status and the reason the group wrote for residents. Its note
    and who wrote it stay with the group."""

    action = serializers.IntegerField(source="action_id")
    community = serializers.IntegerField(source="action.priority.plan.community_id")
    partner_body = serializers.IntegerField(source="action.partner_body_id", allow_null=True)
    updated = serializers.DateTimeField()

    class Meta:
        model = ProgressUpdate
        fields = ["id", "action", "community", "partner_body", "at", "status", "previous_status",
                  "percent", "reason", "revised_target_date", "updated"]


class CommunityUpdateSerializer(_InPlan):
    class Meta:
        model = CommunityUpdate
        fields = ["id", "plan", "community", "title", "body", "published_at", "updated"]


class EndorsementSerializer(serializers.ModelSerializer):
    priority = serializers.IntegerField(source="priority_id")
    plan = serializers.IntegerField(source="priority.plan_id")
    community = serializers.IntegerField(source="priority.plan.community_id")
    tier = serializers.ChoiceField(source="councillor.tier", choices=CouncilTier.choices)
    council = serializers.CharField(source="councillor.council_name")
    updated = serializers.DateTimeField()

    class Meta:
        model = Endorsement
        fields = ["id", "priority", "plan", "community", "tier", "council", "decision", "at", "updated"]


class PartnerBodySerializer(serializers.ModelSerializer):
    updated = serializers.DateTimeField()

    class Meta:
        model = PartnerBody
        fields = ["id", "name", "kind", "updated"]


class SurveySerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")
    plan = serializers.IntegerField(source="plan_id")
    community = serializers.IntegerField(source="plan.community_id")
    results_url = serializers.SerializerMethodField()
    updated = serializers.DateTimeField()

    class Meta:
        model = Survey
        fields = ["id", "plan", "community", "title", "kind", "status", "opens_on", "closes_on",
                  "opened_at", "closed_at", "results_url", "updated"]

    def get_results_url(self, obj) -> str:
        return reverse("actions:api:survey-results", kwargs={"public_id": obj.public_id})


class CellSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField(allow_null=True, help_text="People, or the ranking score; "
                                     "null when hidden because the number is small.")
    percent = serializers.FloatField(allow_null=True)
    hidden = serializers.BooleanField()
    note = serializers.CharField(help_text="For a ranking: the mean rank and score.")


class QuestionFiguresSerializer(serializers.Serializer):
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    answered = serializers.IntegerField(allow_null=True)
    hidden = serializers.BooleanField(help_text="Too few answers to show any figure.")
    mean = serializers.FloatField(allow_null=True)
    cells = CellSerializer(many=True)


class SurveyResultsSerializer(serializers.Serializer):
    survey = serializers.CharField()
    respondents = serializers.IntegerField(allow_null=True)
    threshold = serializers.IntegerField(help_text="Counts below this are hidden.")
    questions = QuestionFiguresSerializer(many=True)


def figures(result) -> dict:
    """One question's published figures; a hidden figure is null, never a number."""
    if result.hidden_all:
        return {"text": result.question.text, "kind": result.question.kind, "answered": None,
                "hidden": True, "mean": None, "cells": []}
    cells = [{"label": c.label, "count": None if c.hidden else c.count,
              "percent": None if c.hidden else c.percent, "hidden": c.hidden, "note": c.extra}
             for c in result.cells]
    return {"text": result.question.text, "kind": result.question.kind, "answered": result.answered,
            "hidden": False, "mean": result.mean, "cells": cells}


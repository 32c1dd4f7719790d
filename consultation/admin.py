from django.contrib import admin

from consultation.models import Response, ResponseDeletion, Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "kind", "status", "access", "closes_on"]
    list_filter = ["status", "kind"]
    readonly_fields = ["status", "public_id"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Read-only: answers change only through the survey pages, which keep the audit trail."""

    list_display = ["pk", "survey", "status", "channel", "submitted_at"]
    list_filter = ["status", "channel"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResponseDeletion)
class ResponseDeletionAdmin(admin.ModelAdmin):
    list_display = ["response_number", "survey", "deleted_by", "deleted_at", "reason"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

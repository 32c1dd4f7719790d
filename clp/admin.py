from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from clp.models import (
    AuditEvent,
    Community,
    CouncillorProfile,
    Invitation,
    Organisation,
    Recipient,
    Reminder,
    User,
)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence, so nobody edits or deletes it here."""

    list_display = ["at", "kind", "actor", "target", "summary"]
    list_filter = ["kind"]
    search_fields = ["target", "summary", "actor__email"]
    date_hierarchy = "at"
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "password1", "password2"]})]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "county", "households"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    filter_horizontal = ["officers", "communities"]


@admin.register(CouncillorProfile)
class CouncillorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "tier", "council_name", "ward"]
    filter_horizontal = ["communities"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "role", "created_at", "sent_at", "accepted_at"]
    readonly_fields = ["nonce", "sent_at", "accepted_at", "accepted_by"]


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ["email", "user", "weekly_sent_at", "created_at"]
    search_fields = ["email", "user__email"]
    readonly_fields = ["nonce", "weekly_sent_at"]
    raw_id_fields = ["user"]
    actions = ["reset_links"]

    @admin.action(description="Make the links in emails already sent stop working")
    def reset_links(self, request, queryset):
        from clp import services

        for recipient in queryset:
            services.recipient_reset_links(recipient=recipient)
        self.message_user(request, f"Old email links stopped for {queryset.count()} people.")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "subject_key", "period", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email", "subject_key"]
    list_select_related = ["recipient__user"]
    readonly_fields = ["batch", "claimed_at", "sent_at", "attempts", "last_error"]
    raw_id_fields = ["recipient", "community"]

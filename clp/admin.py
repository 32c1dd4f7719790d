from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from clp.models import Community, CouncillorProfile, Invitation, Organisation, User


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

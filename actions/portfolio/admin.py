from django.contrib import admin

from actions.portfolio.models import BulkMessage, BulkRecipient, SavedFilter


class RecipientInline(admin.TabularInline):
    model = BulkRecipient
    fields = ["plan", "user", "emailed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(BulkMessage)
class BulkMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "organisation", "sender", "created_at"]
    list_filter = ["organisation"]
    readonly_fields = ["organisation", "sender", "subject", "body", "created_at"]
    inlines = [RecipientInline]


@admin.register(SavedFilter)
class SavedFilterAdmin(admin.ModelAdmin):
    list_display = ["name", "officer", "organisation", "query"]
    list_filter = ["organisation"]

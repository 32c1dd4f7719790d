from django.contrib import admin

from plans.models import Membership, Plan, PlanEvent


class MembershipInline(admin.StackedInline):  # labelled fields (a tabular inline fails WCAG)
    model = Membership
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "step", "status"]
    readonly_fields = ["step", "status"]
    inlines = [MembershipInline]


@admin.register(PlanEvent)
class PlanEventAdmin(admin.ModelAdmin):
    list_display = ["plan", "at", "kind", "summary", "actor"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False

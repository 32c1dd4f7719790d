from plans.views.content import content_delete, content_edit, content_list, file_download
from plans.views.group import (
    councillor_attach,
    councillor_invite,
    member_edit,
    member_invite,
    member_remove,
    members,
)
from plans.views.plan import (
    checklist_tick,
    checklist_untick,
    checklist_waive,
    plan_advance,
    plan_close,
    plan_create,
    plan_detail,
    plan_edit,
    plan_history,
    plan_pause,
    plan_resume,
    plan_review,
    plan_revisit,
)
from plans.views.public import community_public, portfolio

__all__ = [
    "checklist_tick", "checklist_untick", "checklist_waive", "community_public",
    "content_delete", "content_edit", "content_list", "councillor_attach", "councillor_invite",
    "file_download", "member_edit", "member_invite", "member_remove", "members", "plan_advance",
    "plan_close", "plan_create", "plan_detail", "plan_edit", "plan_history", "plan_pause", "plan_resume",
    "plan_review", "plan_revisit", "portfolio",
]

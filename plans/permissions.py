"""The names of the permissions `plans.rules` registers; views and registries use these, not strings."""

VIEW_PLAN = "plans.view_plan"
EDIT_PLAN_CONTENT = "plans.edit_plan_content"
MANAGE_PLAN = "plans.manage_plan"
INVITE_TO_PLAN = "plans.invite_to_plan"
WAIVE_GATE_ITEM = "plans.waive_gate_item"
VIEW_NOTIFICATIONS = "plans.view_notifications"

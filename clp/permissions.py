"""The names of the permissions `clp.rules` registers; views and registries use these, not strings."""

VIEW_ORGANISATION = "clp.view_organisation"
INVITE_OFFICER = "clp.invite_officer"
MANAGE_PORTFOLIO = "clp.manage_portfolio"
START_PLAN = "clp.start_plan"

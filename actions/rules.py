"""Who may do what with the action plan. Predicates take the plan and return False for None.

Editing priorities and actions follows plan editing (the steering group); finalising, publishing
the draft and moderating residents' comments follow plan management (chair and secretary).
"""

import rules

from clp.rules import is_site_admin
from plans.rules import can_edit_content, can_manage, is_councillor, is_support_officer

# A councillor attached to the plan (plans.CouncillorLink) responds to its priorities.
rules.add_perm("actions.respond_to_priority", is_councillor)
# The lead's phone or email stays with the group and the people who support it.
rules.add_perm("actions.view_lead_contact", can_edit_content | is_support_officer | is_site_admin)
# The steering group agrees the plan at a meeting; its chair or secretary (the officers who
# manage the plan) records that by finalising, as the Finalising checklist says.
rules.add_perm("actions.finalise_plan", can_manage)

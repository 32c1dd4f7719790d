"""Who may do what with surveys. Building follows plan editing; individual answers are personal
data, so only the steering group, support officers and site admins read them (councillors see
the counts). Predicates return False when the plan is None."""

import rules

from clp.rules import is_site_admin
from consultation.permissions import VIEW_RESPONSES
from plans.rules import is_member, is_support_officer

can_read_answers = is_site_admin | is_member | is_support_officer

rules.add_perm(VIEW_RESPONSES, can_read_answers)

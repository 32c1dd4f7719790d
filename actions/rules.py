"""Who may do what with the action plan. Predicates take the plan and return False for None.

Editing priorities and actions follows plan editing (the steering group); finalising, publishing
the draft and moderating residents' comments follow plan management (chair and secretary).
"""

import rules

from actions.permissions import (
    ANSWER_FOR_PARTNER,
    FINALISE_PLAN,
    MANAGE_PARTNER_DIRECTORY,
    MANAGE_REGISTERED_PARTNER,
    RESPOND_TO_PRIORITY,
    VIEW_COUNCILLOR_INBOX,
    VIEW_LEAD_CONTACT,
    VIEW_PARTNER_INBOX,
)
from clp.rules import is_officer_of_organisation, is_site_admin
from plans.rules import can_edit_content, can_manage, is_councillor, is_support_officer

# A councillor attached to the plan (plans.CouncillorLink) responds to its priorities.
rules.add_perm(RESPOND_TO_PRIORITY, is_councillor)
# The lead's phone or email stays with the group and the people who support it.
rules.add_perm(VIEW_LEAD_CONTACT, can_edit_content | is_support_officer | is_site_admin)
# The steering group agrees the plan at a meeting; its chair or secretary (the officers who
# manage the plan) records that by finalising, as the Finalising checklist says.
rules.add_perm(FINALISE_PLAN, can_manage)


# --- the agency inbox: the directory is kept by the organisation's support officers; a body's
# inbox is open to its contacts (who answer) and to those officers (who follow response times).

@rules.predicate
def is_contact_of_partner(user, partner) -> bool:
    if partner is None or not user.is_authenticated:
        return False
    return partner.contacts.filter(user=user).exists()


@rules.predicate
def is_officer_of_partner(user, partner) -> bool:
    if partner is None or not user.is_authenticated:
        return False
    return partner.organisation.officers.filter(pk=user.pk).exists()


@rules.predicate
def is_councillor_profile_of(user, councillor) -> bool:
    return councillor is not None and user.is_authenticated and councillor.user_id == user.pk


rules.add_perm(MANAGE_PARTNER_DIRECTORY, is_site_admin | is_officer_of_organisation)
rules.add_perm(MANAGE_REGISTERED_PARTNER, is_site_admin | is_officer_of_partner)
rules.add_perm(VIEW_PARTNER_INBOX,
               is_site_admin | is_officer_of_partner | is_contact_of_partner)
rules.add_perm(ANSWER_FOR_PARTNER, is_contact_of_partner)
rules.add_perm(VIEW_COUNCILLOR_INBOX, is_councillor_profile_of)

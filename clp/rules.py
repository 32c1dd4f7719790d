"""Object-level permissions for the core models. Predicates return False for a missing object."""

import rules

from clp.permissions import INVITE_OFFICER, MANAGE_PORTFOLIO, START_PLAN, VIEW_ORGANISATION

is_site_admin = rules.is_active & rules.is_superuser


@rules.predicate
def is_officer_of_organisation(user, organisation) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return organisation.officers.filter(pk=user.pk).exists()


@rules.predicate
def is_officer_for_community(user, community) -> bool:
    if community is None or not user.is_authenticated:
        return False
    return community.organisations.filter(officers=user).exists()


rules.add_perm(VIEW_ORGANISATION, is_site_admin | is_officer_of_organisation)
rules.add_perm(INVITE_OFFICER, is_site_admin | is_officer_of_organisation)
rules.add_perm(MANAGE_PORTFOLIO, is_site_admin | is_officer_of_organisation)
rules.add_perm(START_PLAN, is_site_admin | is_officer_for_community)

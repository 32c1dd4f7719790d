"""Object-level permissions for the core models. Predicates return False for a missing object."""

import rules
from django.db import connection

from clp.permissions import INVITE_OFFICER, MANAGE_PORTFOLIO, START_PLAN, VIEW_ORGANISATION

is_site_admin = rules.is_active & rules.is_superuser


@rules.predicate
def is_officer_of_organisation(user, organisation) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    # Plain SQL: this runs on every portfolio page, and the ORM took longer to build the query
    # than the database took to answer it.
    through = organisation.officers.through
    with connection.cursor() as cursor:
        cursor.execute(_OFFICER_SQL.format(table=through._meta.db_table,
                                           organisation=_column(through, "organisation"),
                                           user=_column(through, "user")),
                       [organisation.pk, user.pk])
        return cursor.fetchone() is not None


_OFFICER_SQL = "SELECT 1 FROM {table} WHERE {organisation} = %s AND {user} = %s"


def _column(model, name: str) -> str:
    return model._meta.get_field(name).column


@rules.predicate
def is_officer_for_community(user, community) -> bool:
    if community is None or not user.is_authenticated:
        return False
    return community.organisations.filter(officers=user).exists()


rules.add_perm(VIEW_ORGANISATION, is_site_admin | is_officer_of_organisation)
rules.add_perm(INVITE_OFFICER, is_site_admin | is_officer_of_organisation)
rules.add_perm(MANAGE_PORTFOLIO, is_site_admin | is_officer_of_organisation)
rules.add_perm(START_PLAN, is_site_admin | is_officer_for_community)

"""The one access helper every view uses: 404 when the user may not see, 403 when they may not act."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from clp import rows
from clp.permissions import VIEW_ORGANISATION


def get_object_for_user(request, queryset, perm: str | None, **lookup):
    try:
        obj = get_object_or_404(queryset.visible_to(request.user), **lookup)
    except Http404:
        refused(request, queryset, 404)
        raise
    if perm is not None and not request.user.has_perm(perm, obj):
        refused(request, queryset, 403, perm)
        raise PermissionDenied
    return obj


def organisation_for(request, pk, perm: str = VIEW_ORGANISATION):
    """The organisation `pk` (a support body): 404 unless the user may see it (an officer of it,
    or a site admin, as `Organisation.objects.visible_to` and the rule agree), 403 without
    `perm`. Read by its key through `clp.rows`, as `plans.access.plan_for` reads a plan."""
    from clp.models import Organisation

    organisation = rows.one(Organisation, pk)
    if organisation is None or not request.user.has_perm(VIEW_ORGANISATION, organisation):
        refused(request, Organisation.objects.all(), 404)
        raise Http404
    if perm != VIEW_ORGANISATION and not request.user.has_perm(perm, organisation):
        refused(request, Organisation.objects.all(), 403, perm)
        raise PermissionDenied
    return organisation


def refused(request, queryset, status: int, perm: str = "") -> None:
    from clp.audit import AuditKind, audit_record

    audit_record(kind=AuditKind.REFUSED, actor=request.user, summary=(
        f"{status} {request.method} {request.path[:200]} ({queryset.model._meta.label_lower}"
        f"{' ' + perm if perm else ''})"))


def show_refused(request, refused) -> None:
    """Put a service's refusal (`clp.exceptions.Refused`) at the top of the next page."""
    from django.contrib import messages

    messages.error(request, str(refused))

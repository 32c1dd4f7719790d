"""The one access helper every view uses: 404 when the user may not see, 403 when they may not act."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404


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


def refused(request, queryset, status: int, perm: str = "") -> None:
    from clp.audit import AuditKind, audit_record

    audit_record(kind=AuditKind.REFUSED, actor=request.user, summary=(
        f"{status} {request.method} {request.path[:200]} ({queryset.model._meta.label_lower}"
        f"{' ' + perm if perm else ''})"))


def show_refused(request, refused) -> None:
    """Put a service's refusal (`clp.exceptions.Refused`) at the top of the next page."""
    from django.contrib import messages

    messages.error(request, str(refused))

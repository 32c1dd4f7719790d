"""The one access helper every view uses: 404 when the user may not see, 403 when they may not act."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def get_object_for_user(request, queryset, perm: str | None, **lookup):
    obj = get_object_or_404(queryset.visible_to(request.user), **lookup)
    if perm is not None and not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return obj

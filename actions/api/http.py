"""How the open-data API answers: pages, filters, the rate limit, CSV, the licence and CORS."""

import csv
import io
import json
import logging
from datetime import datetime, time

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import OpenApiParameter
from redis.exceptions import RedisError
from rest_framework import filters, pagination, renderers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "attribution": "Contains information published by community led plan groups under the "
                   "Open Government Licence v3.0.",
}


class Pages(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response(self, data):
        return Response({"licence": LICENCE, "count": self.page.paginator.count,
                         "next": self.get_next_link(), "previous": self.get_previous_link(),
                         "results": data})

    def get_paginated_response_schema(self, schema):
        wrapped = super().get_paginated_response_schema(schema)
        wrapped["properties"] = {"licence": {"type": "object", "properties": {
            k: {"type": "string"} for k in LICENCE}}, **wrapped["properties"]}
        return wrapped


class Throttle(SimpleRateThrottle):
    """Per address, for everyone alike. If the cache is down the request is let through: the
    data is public, and an agency's poll must not fail because Redis restarted."""

    scope = "open_data"

    def get_rate(self):
        return settings.OPEN_DATA_RATE

    def get_cache_key(self, request, view):
        # The address the rest of the site limits by; X-Forwarded-For is trusted only through it.
        ident = request.META.get(settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR", "")
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as error:
            logger.warning("Open-data rate limit skipped, cache unavailable: %s", error)
            return True


class UpdatedSince(filters.BaseFilterBackend):
    """`updated_since`: only records changed at or after a moment (ISO 8601 date or date-time)."""

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get("updated_since", "").strip()
        if not raw:
            return queryset
        moment = parse_datetime(raw)
        if moment is None and (day := parse_date(raw)):
            moment = datetime.combine(day, time.min)
        if moment is None:
            raise ValidationError({"updated_since": "Use an ISO 8601 date or date-time, e.g. "
                                                    "2026-11-01 or 2026-11-01T09:00:00Z."})
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return queryset.filter(updated__gte=moment)

    def get_schema_operation_parameters(self, view):
        return [{"name": "updated_since", "in": "query", "required": False,
                 "description": "Only records changed at or after this ISO 8601 date or date-time.",
                 "schema": {"type": "string", "format": "date-time"}}]


class FieldFilters(filters.BaseFilterBackend):
    """Exact filters a view declares in `filter_fields`: {param: (lookup, type, description)}.
    Only public fields are ever declared, so a filter cannot reach a private one."""

    def filter_queryset(self, request, queryset, view):
        for name, (lookup, kind, _description) in getattr(view, "filter_fields", {}).items():
            raw = request.query_params.get(name)
            if raw in (None, ""):
                continue
            if kind is int:
                if not raw.isdigit():
                    raise ValidationError({name: "Use a whole number."})
                raw = int(raw)
            queryset = queryset.filter(**{lookup: raw})
        return queryset

    def get_schema_operation_parameters(self, view):
        return [{"name": name, "in": "query", "required": False, "description": description,
                 "schema": {"type": "integer" if kind is int else "string"}}
                for name, (_lookup, kind, description) in getattr(view, "filter_fields", {}).items()]


class Ordering(filters.OrderingFilter):
    """Order by id or by when a record changed; the id always breaks ties, so pages are stable."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or ["id"])
        if not {"id", "-id"} & set(ordering):
            ordering.append("id")
        return ordering


class CSVRenderer(renderers.BaseRenderer):
    """A list as CSV, one record a row; nested values become dotted columns or JSON text."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        rows = [_flat(item) for item in (data if isinstance(data, list) else [data])]
        columns = list(dict.fromkeys(k for row in rows for k in row))
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")


def _flat(item, prefix: str = "") -> dict:
    row = {}
    for key, value in (item or {}).items():
        if isinstance(value, dict):
            row.update(_flat(value, f"{prefix}{key}."))
        elif isinstance(value, list):
            row[f"{prefix}{key}"] = json.dumps(value, default=str)
        else:
            row[f"{prefix}{key}"] = value
    return row


LICENCE_LINK = f'<{LICENCE["url"]}>; rel="license"'

FORMAT_PARAMETER = OpenApiParameter(
    "format", str, enum=["json", "csv"], required=False,
    description="`csv` for a CSV download of every matching record (no pages).")


class ApiCorsMiddleware:
    """Any web page may read the API (GET, HEAD, OPTIONS only, never with cookies); only paths
    under /api/ get the headers. Every API response also names its licence."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/") and request.method in ("GET", "HEAD", "OPTIONS"):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            response["Access-Control-Max-Age"] = "86400"
            response["Link"] = LICENCE_LINK
        return response

"""Tables of figures (results, cross-tabs, the issues register) as CSV or XLSX downloads, streamed
and ending with an "End of file" row (consultation.analysis.spreadsheet)."""

from collections.abc import Iterable

from django.http import Http404, StreamingHttpResponse
from django.utils.translation import gettext as _

from consultation.analysis import spreadsheet


def download(rows: Iterable[list], *, fmt: str, filename: str, sheet: str):
    """Stream a CSV or an XLSX; cells that look like formulas are neutralised."""
    if fmt == "csv":
        response = StreamingHttpResponse(spreadsheet.csv_stream(rows, noun=_("rows")),
                                         content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = StreamingHttpResponse(spreadsheet.xlsx_stream(rows, sheet=sheet, noun=_("rows")),
                                         content_type=spreadsheet.XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response

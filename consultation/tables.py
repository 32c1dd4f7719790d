"""Tables of figures (results, cross-tabs, the issues register) as CSV or XLSX downloads."""

import csv
import tempfile
from collections.abc import Iterable

from django.http import FileResponse, Http404, StreamingHttpResponse

from consultation.exports import Echo, safe


def download(rows: Iterable[list], *, fmt: str, filename: str, sheet: str):
    """Stream a CSV, or build an XLSX row by row; cells that look like formulas are neutralised."""
    if fmt == "csv":
        writer = csv.writer(Echo())

        def stream():
            yield "\ufeff"
            for row in rows:
                yield writer.writerow([safe(v) for v in row])

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(title=sheet[:31])
        for row in rows:
            worksheet.append([ILLEGAL_CHARACTERS_RE.sub("", safe(v)) if isinstance(v, str) else v
                              for v in row])
        handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
        workbook.save(handle)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    raise Http404

"""CSV and XLSX files written as a stream: the first bytes leave before the second row is read, and
memory holds one chunk of rows whatever the size of the survey.

A file that was cut off (the connection dropped, a worker timed out) must never pass for a
complete one. Both formats therefore end with a last row saying "End of file" and how many rows
came before it; the pages offering the downloads tell people to look for it. An XLSX cut short
also lacks the zip directory that ends the file, so spreadsheet programs refuse to open it.

XLSX is written by hand (one sheet of inline strings and numbers, the smallest workbook Excel,
LibreOffice and openpyxl accept) into a zip stream: openpyxl's write-only mode still builds the
whole file before the first byte can be sent.
"""

import csv
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

FLUSH_EVERY = 200  # rows between two chunks sent to the client
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe(value) -> object:
    """Stop spreadsheet programs running residents' text as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def end_row(count: int, noun: str) -> list[str]:
    return [_("End of file"), f"{count} {noun}"]


class Echo:
    def write(self, value):
        return value


def csv_stream(rows: Iterable[list], *, noun: str) -> Iterator[str]:
    """The header row, the data rows, then the end row counting the data rows."""
    writer = csv.writer(Echo())
    yield "\ufeff"  # so Excel reads the file as UTF-8
    count = -1
    for count, row in enumerate(rows):  # noqa: B007 - the count is the point
        yield writer.writerow([safe(v) for v in row])
    yield writer.writerow(end_row(max(count, 0), noun))


# --- XLSX ---------------------------------------------------------------------------------------

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DOC = "http://schemas.openxmlformats.org/package/2006"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _parts(sheet: str) -> dict[str, str]:
    name = "".join(c for c in sheet if c not in '[]:*?/\\')[:31] or "Sheet1"
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return {
        "[Content_Types].xml": (
            f'{HEAD}<Types xmlns="{DOC}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{office}.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{office}.styles+xml"/></Types>'),
        "_rels/.rels": (
            f'{HEAD}<Relationships xmlns="{DOC}/relationships">'
            f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'),
        "xl/workbook.xml": (
            f'{HEAD}<workbook {NS} xmlns:r="{REL_NS}"><sheets>'
            f'<sheet name={quoteattr(name)} sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'{HEAD}<Relationships xmlns="{DOC}/relationships">'
            f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL_NS}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": (
            f'{HEAD}<styleSheet {NS}><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
            '</font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="1"><xf xfId="0"/></cellXfs><cellStyles count="1">'
            '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
    }


def _cell(ref: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = escape(ILLEGAL_CHARACTERS_RE.sub("", str(safe(value))))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _row(number: int, values: list, letters: list[str]) -> str:
    while len(letters) < len(values):
        letters.append(get_column_letter(len(letters) + 1))
    cells = "".join(_cell(f"{letters[i]}{number}", v) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


class _Sink:
    """What the zip writer writes to: collected, then handed to the client chunk by chunk."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def xlsx_stream(rows: Iterable[list], *, sheet: str, noun: str) -> Iterator[bytes]:
    """One worksheet: the header row, the data rows, then the end row counting the data rows."""
    sink, letters = _Sink(), []
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=5) as archive:
        for name, body in _parts(sheet).items():
            archive.writestr(name, body)
        yield sink.take()
        # Not forced to zip64 (an export stays far below 4 GB); plain zip opens everywhere.
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(f"{HEAD}<worksheet {NS}><sheetData>".encode())
            number = 0
            for number, row in enumerate(rows, start=1):  # noqa: B007 - the count is the point
                part.write(_row(number, row, letters).encode())
                if number % FLUSH_EVERY == 0:
                    yield sink.take()
            part.write(_row(number + 1, end_row(max(number - 1, 0), noun), letters).encode())
            part.write(b"</sheetData></worksheet>")
    yield sink.take()  # the zip directory: without it the file does not open

"""Reading an uploaded CSV file: refused at once, with one message, when it is not a text file,
is too long or cannot be read as CSV. Checking the answers in it is consultation.services.importing."""

import csv
import io

from django.utils.translation import gettext as _

from clp.exceptions import Refused

MAX_ROWS = 5000
MAX_CELL = 5000  # characters: the longest written answer a survey accepts
# UTF-16 files (Excel's "Unicode text") start with one of these byte-order marks.
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


class FileRefused(Refused):
    """The file cannot be checked at all (its size, encoding or shape): one message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_upload(upload) -> tuple[str, list[list[str]]]:
    """The text of an uploaded CSV and its rows, refused at once (before any row is checked) when
    it is not a UTF-8 or Windows text file, has more than MAX_ROWS rows or has a cell over MAX_CELL."""
    raw = upload.read()
    if raw.startswith(UTF16_MARKS):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise FileRefused(_("The file is saved as Unicode text but is damaged. Save it from "
                                "the spreadsheet as “CSV UTF-8” and upload it again.")) from error
    elif b"\x00" in raw:
        raise FileRefused(_("This is not a CSV text file (it may be a spreadsheet or Unicode text). "
                            "Save it from the spreadsheet as “CSV UTF-8” and upload it again."))
    else:
        text = decode_bytes(raw)
    return text, read_rows(text)


def read_rows(text: str) -> list[list[str]]:
    """Read every row, counting rows and measuring cells without checking answers: fast enough for
    any allowed file. The one pass over the text in a request; the rows are then checked as read."""
    count, rows = 0, []
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text)), start=1):
            long = next((v for v in values if len(v) > MAX_CELL), None)
            if long is not None:
                raise FileRefused(_("Row %(row)s has a cell of %(n)s characters; a cell can hold at "
                                    "most %(max)s. Check the row, or split the answer.")
                                  % {"row": number, "n": f"{len(long):,}", "max": f"{MAX_CELL:,}"})
            count += any(v.strip() for v in values) and number > 1
            rows.append(values)
    except csv.Error as error:
        # The csv module refuses cells over 128 KiB, stray NUL characters and broken quoting.
        raise FileRefused(_("The file cannot be read as CSV near row %(row)s (a cell may be far too "
                            "long, or a quote mark not closed). Save it from the spreadsheet as "
                            "“CSV UTF-8” and try again.") % {"row": count + 2}) from error
    if count > MAX_ROWS:
        raise FileRefused(_("The file has %(count)s rows of answers; a file can hold at most %(n)s. "
                            "Split it into smaller files.")
                          % {"count": f"{count:,}", "n": f"{MAX_ROWS:,}"})
    return rows


def decode_bytes(raw: bytes) -> str:
    """UTF-8 (with or without Excel's marker), else Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")

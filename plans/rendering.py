"""Turning a document's HTML into a tagged PDF (WeasyPrint), and checking the PDF before anyone
can read it.

The HTML is the document's own web page; the PDF adds only the print stylesheet. WeasyPrint may
fetch nothing but `data:` URIs (charts and QR codes are embedded), so text typed by users cannot
make the renderer read a local file or the network. The PDF's dates come from the document's
source (e.g. when the plan version was frozen), so the same input gives the same bytes.
"""

import hashlib
import io
import logging
import re
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from clp.exceptions import Refused

PRINT_STYLESHEETS = ("css/document.css",)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per layout step
PDF_VARIANT = "pdf/ua-1"


class CheckFailed(Refused):
    """The PDF was built but is not fit to publish; the message says why, in plain English."""


@dataclass(frozen=True)
class Rendered:
    content: bytes
    pages: int
    sha256: str


def render_html(template: str, context: dict, *, for_print: bool) -> str:
    return render_to_string(template, {**context, "for_print": for_print})


def render_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",), timeout=1)
    stylesheets = [CSS(filename=finders.find(path)) for path in PRINT_STYLESHEETS]
    document = HTML(string=html, url_fetcher=fetcher, base_url="data:,")
    return _add_header_scopes(document.write_pdf(stylesheets=stylesheets, pdf_variant=PDF_VARIANT,
                                                 pdf_identifier=b"clp-document"))


def _add_header_scopes(content: bytes) -> bytes:
    """Give every table header cell its /Scope (column in a table head, row in its body), which
    WeasyPrint 70 leaves out, so screen readers can tell which header goes with which cell."""
    import pikepdf

    with pikepdf.open(io.BytesIO(content)) as pdf:
        for cell, group in _header_cells(pdf.Root.StructTreeRoot):
            attributes = cell.get("/A")
            if not isinstance(attributes, pikepdf.Dictionary):
                attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
                cell.A = attributes
            if "/Scope" not in attributes:
                attributes.Scope = pikepdf.Name.Column if group == "/THead" else pikepdf.Name.Row
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _header_cells(node, group: str = "", depth: int = 0):
    import pikepdf

    if depth > 80:
        return
    kids = node.get("/K")
    kids = [kids] if isinstance(kids, pikepdf.Dictionary) else kids
    if not isinstance(kids, pikepdf.Array | list):
        return
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            tag = str(kid.S)
            if tag == "/TH":
                yield kid, group
            yield from _header_cells(kid, tag if tag in ("/THead", "/TBody", "/TFoot") else group, depth + 1)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip().casefold()


def check_pdf(content: bytes, *, headings: list[str], pages: tuple[int, int], lang: str) -> int:
    """Raise CheckFailed unless the PDF has real text, a structure tree with headings, the
    document language, the expected headings and a page count in bounds. Returns the page count."""
    import pikepdf
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    count = len(reader.pages)
    if not pages[0] <= count <= pages[1]:
        raise CheckFailed(f"The document has {count} pages; this kind of document should have "
                          f"between {pages[0]} and {pages[1]}.")
    text = _normalise(" ".join(page.extract_text() or "" for page in reader.pages))
    if not text:
        raise CheckFailed("No text could be read from the document, so screen readers could not read it.")
    missing = [h for h in headings if _normalise(h) not in text]
    if missing:
        raise CheckFailed("These headings are missing from the document's text: " + "; ".join(missing) + ".")
    with pikepdf.open(io.BytesIO(content)) as pdf:
        root = pdf.Root
        if "/StructTreeRoot" not in root:
            raise CheckFailed("The document is not tagged (it has no structure tree), so assistive "
                              "technology cannot follow its headings and tables.")
        if str(root.get("/Lang", "")) != lang:
            raise CheckFailed(f"The document's language is not set to {lang}.")
        tags = _structure_tags(root.StructTreeRoot)
    if headings and not tags & {"/H1", "/H2", "/H3"}:
        raise CheckFailed("The document's structure tree has no headings.")
    _check_pdfua(content)
    return count


def _check_pdfua(content: bytes) -> None:
    """The machine-checkable part of PDF/UA-1 (the pdfua package): errors stop publication;
    warnings do not (it is a partial check, not a certificate)."""
    import tempfile

    from pdfua import PdfuaError, Severity, validate

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        try:
            report = validate(handle.name)
        except PdfuaError as error:
            raise CheckFailed(f"The accessibility check could not read the document: {error}") from error
    errors = sorted({f.message for f in report.findings if f.severity >= Severity.ERROR})
    if errors:
        raise CheckFailed("The accessibility check (PDF/UA-1) found problems: " + " ".join(errors[:3]))


def _structure_tags(node, depth: int = 0, found: set | None = None) -> set:
    """Every structure type (/H1, /Table, /P, …) under a node of the structure tree."""
    import pikepdf

    found = set() if found is None else found
    if depth > 80:
        return found
    kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else node
    if isinstance(kids, pikepdf.Dictionary):
        kids = [kids]
    if not isinstance(kids, (pikepdf.Array, list)):
        return found
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary):
            if "/S" in kid:
                found.add(str(kid.S))
            _structure_tags(kid, depth + 1, found)
    return found


def build(template: str, context: dict, *, headings: list[str], pages: tuple[int, int],
          lang: str = "en-GB") -> Rendered:
    """Render the document's HTML to PDF and check it; raises CheckFailed with the reason."""
    content = render_pdf(render_html(template, context, for_print=True))
    count = check_pdf(content, headings=headings, pages=pages, lang=lang)
    return Rendered(content=content, pages=count, sha256=hashlib.sha256(content).hexdigest())

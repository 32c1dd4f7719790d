"""Server-side SVG charts (pygal), one code path for web pages and PDFs.

Charts are embedded as `<img src="data:image/svg+xml;base64,…">`: an SVG image runs no script
and its own styles are outside the page's Content-Security-Policy, so the strict CSP stays on.
Every chart carries a text alternative; pages also show the figures as a table.
"""

import base64
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pygal
from pygal.style import Style

# Okabe–Ito colours: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#0b0c0c",
    foreground_strong="#0b0c0c", foreground_subtle="#6f777b", colors=PALETTE,
    font_family="DejaVu Sans, Arial, sans-serif", label_font_size=14, major_label_font_size=14,
    value_font_size=13, legend_font_size=14, title_font_size=16, tooltip_font_size=13,
    opacity="1", opacity_hover="1",
)
MAX_ALT_ITEMS = 12


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    alt: str

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "no data"
    if unit == "%":  # half up, as people expect (62.5 -> 63), not Python's half-to-even
        return f"{Decimal(str(value)).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"
    return f"{value:g}{unit}"


def _config(kind, n_labels: int, **extra):
    height = max(160, 60 + 38 * n_labels)
    return kind(style=STYLE, js=[], disable_xml_declaration=True, width=720, height=height,
                print_values=True, truncate_label=-1, show_y_guides=False, **extra)


def bar(title: str, labels: list[str], values: list[float | None], *, unit: str = "%",
        max_value: float | None = None) -> Chart:
    """A horizontal bar chart: one bar a label."""
    chart = _config(pygal.HorizontalBar, len(labels), show_legend=False,
                    range=(0, max_value) if max_value else None,
                    formatter=lambda v: _fmt(v, unit))
    # pygal draws the first label at the bottom; reverse so the chart reads top-down like the table.
    chart.x_labels = labels[::-1]
    chart.add(title, values[::-1])
    pairs = [f"{label} {_fmt(value, unit)}" for label, value in zip(labels, values, strict=True)]
    return Chart(title, chart.render(is_unicode=True), _alt("Bar chart", title, pairs))


def grouped_bar(title: str, labels: list[str], series: list[tuple[str, list[float | None]]], *,
                unit: str = "%") -> Chart:
    """Bars grouped by label, one colour a series (e.g. answers broken down by age band)."""
    chart = _config(pygal.HorizontalBar, len(labels) * max(1, len(series)), show_legend=True,
                    legend_at_bottom=True, formatter=lambda v: _fmt(v, unit))
    chart.x_labels = labels[::-1]
    for name, values in series:
        chart.add(name, values[::-1])
    pairs = [
        f"{name}: " + ", ".join(f"{label} {_fmt(v, unit)}" for label, v in zip(labels, values, strict=True))
        for name, values in series
    ]
    return Chart(title, chart.render(is_unicode=True), _alt("Grouped bar chart", title, pairs))


def _alt(kind: str, title: str, pairs: list[str]) -> str:
    shown = pairs[:MAX_ALT_ITEMS]
    more = f"; and {len(pairs) - len(shown)} more (see the table)" if len(pairs) > len(shown) else ""
    return f"{kind}, {title}: " + "; ".join(shown) + more + "."

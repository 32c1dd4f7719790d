"""Server-side SVG charts (pygal), one code path for web pages and PDFs.

Charts are embedded as `<img src="data:image/svg+xml;base64,…">`: an SVG image runs no script
and its own styles are outside the page's Content-Security-Policy, so the strict CSP stays on.
Every chart carries a text alternative; pages also show the figures as a table.
"""

import base64
import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pygal
from django.core.cache import cache
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
FORMAT = 5  # bump when the drawing changes (style, sizes), so no worker reads an older drawing


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
    # no_prefix: each chart is its own image, so its styles need not name it (a third of its size)
    return kind(style=STYLE, js=[], disable_xml_declaration=True, no_prefix=True, width=720,
                height=height, print_values=True, truncate_label=-1, show_y_guides=False, **extra)


class _Drawings:
    """Drawn charts, kept by what they were drawn from.

    pygal takes 5–10 ms a chart, more than the rest of a results page's figures, and a page
    draws one per question, though its figures change only when answers arrive. A drawing is a
    pure function of its arguments (title, labels, values, unit, scale), so it is kept under a
    hash of exactly those: the same figures always give the same picture, and different figures
    (another filter, another viewer's suppressed cells, a new response) a different key, so
    nothing is ever invalidated and nothing can be shown to the wrong person. Each worker keeps
    the last `SIZE` in memory, and the shared cache (Redis) holds them for the other workers and
    for a restart; a cache that is down just means drawing again.
    """

    SIZE = 512
    TIMEOUT = 60 * 60 * 24

    def __init__(self):
        self._recent: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(kind: str, args: tuple) -> str:
        digest = hashlib.sha256(repr((FORMAT, kind, args)).encode()).hexdigest()
        return f"chart:{digest}"

    def get(self, key: str) -> str | None:
        with self._lock:
            svg = self._recent.get(key)
            if svg is not None:
                self._recent.move_to_end(key)
                return svg
        svg = cache.get(key)
        if svg is not None:
            self._keep(key, svg)
        return svg

    def put(self, key: str, svg: str) -> None:
        self._keep(key, svg)
        cache.set(key, svg, self.TIMEOUT)

    def _keep(self, key: str, svg: str) -> None:
        with self._lock:
            self._recent[key] = svg
            self._recent.move_to_end(key)
            while len(self._recent) > self.SIZE:
                self._recent.popitem(last=False)


drawings = _Drawings()


def _drawn(kind: str, args: tuple, draw) -> str:
    key = drawings.key(kind, args)
    svg = drawings.get(key)
    if svg is None:
        svg = draw()
        drawings.put(key, svg)
    return svg


def bar(title: str, labels: list[str], values: list[float | None], *, unit: str = "%",
        max_value: float | None = None) -> Chart:
    """A horizontal bar chart: one bar a label."""
    pairs = [f"{label} {_fmt(value, unit)}" for label, value in zip(labels, values, strict=True)]
    svg = _drawn("bar", (title, tuple(labels), tuple(values), unit, max_value),
                 lambda: _draw_bar(title, labels, values, unit, max_value))
    return Chart(title, svg, _alt("Bar chart", title, pairs))


def _draw_bar(title, labels, values, unit, max_value) -> str:
    chart = _config(pygal.HorizontalBar, len(labels), show_legend=False,
                    range=(0, max_value) if max_value else None,
                    formatter=lambda v: _fmt(v, unit))
    # pygal draws the first label at the bottom; reverse so the chart reads top-down like the table.
    chart.x_labels = labels[::-1]
    chart.add(title, values[::-1])
    return _lighter(chart.render(is_unicode=True))


def grouped_bar(title: str, labels: list[str], series: list[tuple[str, list[float | None]]], *,
                unit: str = "%") -> Chart:
    """Bars grouped by label, one colour a series (e.g. answers broken down by age band)."""
    pairs = [
        f"{name}: " + ", ".join(f"{label} {_fmt(v, unit)}" for label, v in zip(labels, values, strict=True))
        for name, values in series
    ]
    frozen = tuple((name, tuple(values)) for name, values in series)
    svg = _drawn("grouped", (title, tuple(labels), frozen, unit),
                 lambda: _draw_grouped(title, labels, series, unit))
    return Chart(title, svg, _alt("Grouped bar chart", title, pairs))


def _draw_grouped(title, labels, series, unit) -> str:
    chart = _config(pygal.HorizontalBar, len(labels) * max(1, len(series)), show_legend=True,
                    legend_at_bottom=True, formatter=lambda v: _fmt(v, unit))
    chart.x_labels = labels[::-1]
    for name, values in series:
        chart.add(name, values[::-1])
    return _lighter(chart.render(is_unicode=True))


SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
UNSEEN = re.compile(r"<!--.*?-->|<title>[^<]*</title>|<desc\b[^>]*>[^<]*</desc>", re.S)
# The empty box pygal keeps for its script's tooltip, and the (empty) overlay for its dots.
TOOLTIP_BOX = re.compile(r'<g[^>]*class="plot tooltip-overlay"><g[^>]*class="tooltip">'
                         r'<rect[^>]*/><g class="text"/></g></g>|<g[^>]*class="plot overlay">'
                         r'(?:<g class="series serie-\d+ color-\d+"/>)*</g>')
COORDINATES = re.compile(r'\b(d|x|y|width|height|transform|points)="([^"]*)"')
LONG_NUMBER = re.compile(r"-?\d+\.\d{2,}")
STYLESHEET = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)
CLASSES = re.compile(r'class="([^"]*)"')
RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
NEGATION = re.compile(r":not\([^)]*\)")
CLASS_NAME = re.compile(r"\.([\w-]+)")
# Only a pointer or a script changes a drawn image: hovering, selecting and transitions.
MOTION = ("transition", "user-select", "font-smoothing")


def _lighter(svg: str) -> str:
    """The chart as an image needs it: a chart is shown through `<img>` (and in PDFs), which
    runs no script, shows no tooltip, reacts to no pointer and reads no comment. So pygal's
    settings script (about 3.5 KB), its tooltips, comments and empty overlays are dropped;
    coordinates keep one decimal place (a tenth of a pixel; pygal writes sixteen); and its
    stylesheet (4 KB, for every kind of pygal chart) keeps only the rules that can match an
    element of this chart (`_used_rules`). A results page of a dozen charts is some 120 KB
    lighter; the figures themselves are in each chart's text alternative and the table."""
    svg = TOOLTIP_BOX.sub("", UNSEEN.sub("", SCRIPT.sub("", svg)))
    svg = COORDINATES.sub(lambda m: f'{m.group(1)}="{LONG_NUMBER.sub(_one_place, m.group(2))}"', svg)
    used = {name for names in CLASSES.findall(svg) for name in names.split()}
    return STYLESHEET.sub(lambda m: m.group(1) + _used_rules(m.group(2), used) + m.group(3), svg)


def _used_rules(css: str, used: set[str]) -> str:
    """The rules of `css` whose selectors can match this drawing: every class a selector names
    (outside `:not(…)`) is on some element, and it needs no pointer (`:hover`). A rule with no
    selector (pygal leaves `{…}` where its chart id would be, with `no_prefix`) is invalid CSS
    that no renderer applies, and goes too, as do declarations that only animate."""
    kept = []
    for selectors, declarations in RULE.findall(css):
        shown = [s.strip() for s in selectors.split(",") if _can_match(s.strip(), used)]
        still = ";".join(d for d in declarations.split(";")
                         if d.strip() and not any(word in d for word in MOTION))
        if shown and still:
            kept.append(",".join(shown) + "{" + still + "}")
    return "".join(kept)


def _can_match(selector: str, used: set[str]) -> bool:
    return bool(selector) and ":hover" not in selector and all(
        name in used for name in CLASS_NAME.findall(NEGATION.sub("", selector)))


def _one_place(match) -> str:
    return f"{float(match.group()):.1f}".removesuffix(".0")


def _alt(kind: str, title: str, pairs: list[str]) -> str:
    shown = pairs[:MAX_ALT_ITEMS]
    more = f"; and {len(pairs) - len(shown)} more (see the table)" if len(pairs) > len(shown) else ""
    return f"{kind}, {title}: " + "; ".join(shown) + more + "."

"""Charts of `newsarchive.stats.Counts`: a line per series, Greek title and labels, as PNG or
SVG (matplotlib's Agg canvas; no pyplot, so nothing global but the rc settings, held under a
lock while a chart is drawn). Imported only when a chart is asked for."""

from __future__ import annotations

import io
import threading
import unicodedata

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from newsarchive.stats import Counts, top_series

WIDTH, HEIGHT = 1000, 500
"""A chart's size in pixels unless told."""
DPI = 100
MIN_SIZE, MAX_SIZE = 200, 8000
"""The smallest and largest width or height in pixels."""
MAX_TICKS = 12
"""The most period labels on the x axis."""
MARKERS_UP_TO = 40
"""Lines of this many periods or fewer mark each period's point."""
OTHERS_COLOR = "#333333"
"""The summed smaller series, dashed (tab10's own grey is one of the ten colours)."""

PERIOD = {"day": "ημέρα", "week": "εβδομάδα", "month": "μήνα"}
"""`Άρθρα ανά …`: each period in the accusative."""
AXIS = {"day": "Ημέρα (ώρα Ελλάδας)", "week": "Εβδομάδα (από Δευτέρα)", "month": "Μήνας"}
GROUP = {"site": "ιστότοπο", "region": "περιοχή", "section": "κατηγορία"}
"""`… και …`: each group in the accusative."""
LEGEND = {"site": "Ιστότοπος", "region": "Περιοχή", "section": "Κατηγορία"}
NOTHING = "Κανένα άρθρο"
ARTICLES = "Άρθρα"
QUERY_SHOWN = 60
"""The most characters of a query shown in a title."""

_drawing = threading.Lock()


class BadChartSizeError(ValueError):
    """A chart size out of MIN_SIZE…MAX_SIZE."""


def shown(text: str) -> str:
    """Text for a label: no control, format or unassigned characters (they are not drawable,
    and not allowed in SVG), white space as single spaces."""
    kept = "".join(char for char in text if unicodedata.category(char)[0] != "C" or char == " ")
    return " ".join(kept.split())


def title(found: Counts) -> str:
    """`Άρθρα ανά εβδομάδα`, `Άρθρα που αναφέρουν «πλημμύρα», ανά μήνα και ιστότοπο` …"""
    head = ARTICLES
    if found.query:
        query = shown(found.query)
        query = query if len(query) <= QUERY_SHOWN else query[: QUERY_SHOWN - 1] + "…"
        head += f" που αναφέρουν «{query}»,"
    head += f" ανά {PERIOD[found.every]}"
    return head + (f" και {GROUP[found.by]}" if found.by else "")


def check_size(width: int, height: int) -> None:
    for name, value in (("width", width), ("height", height)):
        if not MIN_SIZE <= value <= MAX_SIZE:
            raise BadChartSizeError(
                f"a chart's {name} of {value} pixels: give {MIN_SIZE} to {MAX_SIZE}"
            )


def _ticks(count: int) -> list[int]:
    step = max(1, -(-count // MAX_TICKS))
    return list(range(0, count, step))


def _draw(found: Counts, width: int, height: int) -> Figure:
    check_size(width, height)
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(found.periods)))
    marker = "o" if len(positions) <= MARKERS_UP_TO else None
    drawn = top_series(found)
    summed = len(drawn) < len(found.series)
    for number, (label, values) in enumerate(drawn.items()):
        others = summed and number == len(drawn) - 1
        (line,) = axes.plot(
            positions,
            values,
            marker=marker,
            markersize=3,
            linewidth=1.6,
            label=shown(label) or ARTICLES,
            color=OTHERS_COLOR if others else f"C{number}",
            linestyle="--" if others else "-",
        )
        line.set_gid(f"series-{number}")
    axes.set_title(title(found))
    axes.set_xlabel(AXIS[found.every])
    axes.set_ylabel(ARTICLES)
    ticks = _ticks(len(found.periods))
    axes.set_xticks(ticks, [found.periods[tick] for tick in ticks], rotation=30, ha="right")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    if not found.total:
        axes.text(0.5, 0.5, NOTHING, transform=axes.transAxes, ha="center", va="center")
    if found.by and found.series:
        figure.legend(title=LEGEND[found.by], loc="outside right upper", fontsize="small")
    return figure


def _render(found: Counts, width: int, height: int, kind: str) -> bytes:
    settings = matplotlib.rc_context(
        {
            "font.family": "DejaVu Sans",  # shipped with matplotlib, with every Greek glyph
            "svg.fonttype": "none",  # SVG text as text: searchable, selectable, Greek as written
            "svg.hashsalt": "newsarchive",  # the same SVG for the same counts
            "text.parse_math": False,  # a `$` in a query or a section is a dollar, not TeX
        }
    )
    with _drawing, settings:
        figure = _draw(found, width, height)
        out = io.BytesIO()
        metadata = {"Date": None} if kind == "svg" else {"Software": None}
        figure.savefig(out, format=kind, metadata=metadata)
        return out.getvalue()


def chart_svg(found: Counts, *, width: int = WIDTH, height: int = HEIGHT) -> str:
    """The counts as an SVG chart (text kept as text), `width`×`height` pixels."""
    return _render(found, width, height, "svg").decode("utf-8")


def chart_png(found: Counts, *, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The counts as a PNG chart of exactly `width`×`height` pixels."""
    return _render(found, width, height, "png")

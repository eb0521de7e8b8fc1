"""`newsarchive.charts`: a line per series (the largest, the rest as «άλλα»), Greek text kept as
text in SVG and drawn with its glyphs in PNG, at the size asked."""

from __future__ import annotations

import struct
import warnings
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ThreadPoolExecutor

import pytest

from newsarchive.charts import BadChartSizeError, chart_png, chart_svg
from newsarchive.stats import OTHERS, Counts, top_series

SVG = "{http://www.w3.org/2000/svg}"
WEEKS = ["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"]


def texts(svg: str) -> list[str]:
    """Every text of the SVG, as an SVG reader sees it (the document must be well formed)."""
    root = ElementTree.fromstring(svg)
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def lines(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    return [
        g.attrib["id"] for g in root.iter(f"{SVG}g") if g.attrib.get("id", "").startswith("series-")
    ]


def many(count: int) -> Counts:
    """`count` sites' series, site_00 the largest."""
    series = {f"site_{n:02}": [count - n, 1, 0, count - n] for n in range(count)}
    return Counts(periods=WEEKS, series=series, every="week", by="site")


CHARTS = [
    (
        Counts(periods=WEEKS, series={"": [3, 0, 1, 2]}, every="week"),
        ["Άρθρα ανά εβδομάδα", "Εβδομάδα (από Δευτέρα)", "Άρθρα", "2025-01-06"],
        1,
    ),
    (
        Counts(
            periods=["2025-01", "2025-02"],
            series={"ΛΑΡΙΣΑ": [2, 1], "ΒΟΛΟΣ": [0, 2], "(χωρίς)": [1, 0]},
            every="month",
            by="section",
        ),
        ["Άρθρα ανά μήνα και κατηγορία", "Μήνας", "Κατηγορία", "ΛΑΡΙΣΑ", "ΒΟΛΟΣ", "(χωρίς)"],
        3,
    ),
    (
        Counts(
            periods=["2025-03-29", "2025-03-30"],
            series={"larisa": [1, 0], "magnisia": [0, 1]},
            every="day",
            by="region",
            query="πλημμύρα -Βόλος",
        ),
        [
            "Άρθρα που αναφέρουν «πλημμύρα -Βόλος», ανά ημέρα και περιοχή",
            "Ημέρα (ώρα Ελλάδας)",
            "Περιοχή",
            "magnisia",
        ],
        2,
    ),
    (many(10), ["Ιστότοπος", "site_00", "site_09"], 10),
    (many(13), ["site_09", OTHERS], 11),
]


@pytest.mark.parametrize(("found", "shown", "series"), CHARTS)
def test_svg_keeps_greek_labels_as_text_and_draws_a_line_per_series(
    found: Counts, shown: list[str], series: int
) -> None:
    svg = chart_svg(found)
    assert set(shown) <= set(texts(svg))
    assert lines(svg) == [f"series-{number}" for number in range(series)]
    assert "DejaVuSans-" not in svg  # no text drawn as glyph paths


def test_svg_is_of_the_size_asked() -> None:
    root = ElementTree.fromstring(chart_svg(CHARTS[0][0], width=800, height=400))
    # 100 pixels an inch, 72 points an inch
    assert (root.attrib["width"], root.attrib["height"]) == ("576pt", "288pt")


def test_the_smaller_series_are_summed_as_others() -> None:
    shown = top_series(many(13))
    assert list(shown) == [*(f"site_{n:02}" for n in range(10)), OTHERS]
    assert shown[OTHERS] == [3 + 2 + 1, 3, 0, 3 + 2 + 1]
    assert top_series(many(10)) == many(10).series


@pytest.mark.parametrize(("width", "height"), [(1000, 500), (640, 360), (1234, 567), (200, 8000)])
def test_png_is_a_png_of_the_size_asked_with_every_glyph(width: int, height: int) -> None:
    found = CHARTS[1][0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns of each glyph its font lacks
        data = chart_png(found, width=width, height=height)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (width, height)


@pytest.mark.parametrize(("width", "height"), [(199, 500), (1000, 8001), (0, 0)])
def test_sizes_out_of_range_are_refused(width: int, height: int) -> None:
    with pytest.raises(BadChartSizeError, match="give 200 to 8000"):
        chart_svg(CHARTS[0][0], width=width, height=height)


def test_what_a_label_cannot_show_is_left_out_and_dollars_stay_dollars() -> None:
    found = Counts(
        periods=WEEKS[:1],
        series={"Α\x1b[31mΒ\u202e": [1], "$x^2$": [1]},
        every="week",
        by="section",
        query="τιμή $5",
    )
    shown = texts(chart_svg(found))  # well formed: no control character reaches the XML
    assert {"Α[31mΒ", "$x^2$", "Άρθρα που αναφέρουν «τιμή $5», ανά εβδομάδα και κατηγορία"} <= set(
        shown
    )


def test_no_articles_is_said_on_the_chart() -> None:
    empty = Counts(periods=[], series={"": []}, every="month")
    assert "Κανένα άρθρο" in texts(chart_svg(empty))
    none_split = Counts(periods=WEEKS, series={}, every="week", by="site")
    svg = chart_svg(none_split)
    assert "Κανένα άρθρο" in texts(svg)
    assert lines(svg) == []


def test_the_same_counts_give_the_same_svg_from_any_thread() -> None:
    found = many(13)
    alone = chart_svg(found)
    with ThreadPoolExecutor(4) as pool:
        drawn = list(pool.map(chart_svg, [found] * 4))
    assert drawn == [alone] * 4

"""Extraction quality and speed: newsarchive's `extract` against trafilatura on the same pages.

Pages: every article of the bundled fixture sites and of the corpus in `tests/fixtures/pages/`
(decoded once, as the crawler would). For each tool: body F1, precision and recall by 4-word
shingles (the metric of the public article-extraction benchmarks), exact title matches, date
accuracy (the calendar day, the only part trafilatura gives; our exact datetime is shown too),
and pages per second, separately for pages of known sites (a spider with selectors) and of
unknown ones (generic rules only). Not a test: it prints figures and ratios.

    .venv/bin/python bench/extraction.py [--rounds 5] [--show-worst 5]
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from statistics import mean
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura

from newsarchive.extract import extract
from tests.corpus import CorpusPage, all_pages, precision_recall_f1


@dataclass
class Output:
    """What a tool made of a page."""

    title: str
    body: str
    day: date | None
    moment: datetime | None = None


@dataclass
class Score:
    """One tool's results over a group of pages."""

    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    f1: list[float] = field(default_factory=list)
    titles: list[bool] = field(default_factory=list)
    days: list[bool] = field(default_factory=list)
    moments: list[bool] = field(default_factory=list)
    seconds: float = 0.0
    calls: int = 0
    worst: list[tuple[float, str]] = field(default_factory=list)


def ours(page: CorpusPage, html: str) -> Output:
    record = extract(html, page.url, fetched_at=page.fetched_at)
    moment = record.published_at
    return Output(record.headline, record.body, moment.date() if moment else None, moment)


def theirs(page: CorpusPage, html: str) -> Output:
    document = trafilatura.bare_extraction(
        html, url=page.url, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None:
        return Output("", "", None)
    found = document if isinstance(document, dict) else document.as_dict()
    day = _day(found.get("date"))
    return Output(found.get("title") or "", found.get("text") or "", day)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _same(one: str, other: str) -> bool:
    squash = lambda text: " ".join(unicodedata.normalize("NFC", text).split())  # noqa: E731
    return squash(one) == squash(other)


def measure(
    tool: Callable[[CorpusPage, str], Output], pages: list[CorpusPage], rounds: int
) -> Score:
    score = Score()
    htmls = [page.html() for page in pages]
    for page, html in zip(pages, htmls, strict=True):
        output = tool(page, html)
        expected = page.expected
        precision, recall, f1 = precision_recall_f1(output.body, expected["body"])
        score.precision.append(precision)
        score.recall.append(recall)
        score.f1.append(f1)
        score.worst.append((f1, page.id))
        score.titles.append(_same(output.title, expected["headline"]))
        want = (
            datetime.fromisoformat(expected["published_at"])
            if expected.get("published_at")
            else None
        )
        score.days.append(output.day == (want.date() if want else None))
        score.moments.append(output.moment == want)
    start = time.process_time()
    for _ in range(rounds):
        for page, html in zip(pages, htmls, strict=True):
            tool(page, html)
    score.seconds = time.process_time() - start
    score.calls = rounds * len(pages)
    return score


def row(name: str, score: Score, exact: bool) -> str:
    moments = f"{mean(score.moments):7.1%}" if exact else "      –"
    return (
        f"  {name:<12} {mean(score.f1):6.3f} {mean(score.precision):6.3f} {mean(score.recall):6.3f}"
        f" {mean(score.titles):7.1%} {mean(score.days):7.1%} {moments}"
        f" {score.calls / score.seconds:9.1f}"
    )


def report(group: str, pages: list[CorpusPage], rounds: int, show_worst: int) -> None:
    if not pages:
        return
    ours_score = measure(ours, pages, rounds)
    theirs_score = measure(theirs, pages, rounds)
    print(f"\n{group}: {len(pages)} pages")
    print("  tool          F1    prec.  recall  title   date(day) exact  pages/s")
    print(row("newsarchive", ours_score, exact=True))
    print(row("trafilatura", theirs_score, exact=False))
    speed = (ours_score.calls / ours_score.seconds) / (theirs_score.calls / theirs_score.seconds)
    print(f"  speed ratio newsarchive/trafilatura: ×{speed:.2f}")
    for name, score in (("newsarchive", ours_score), ("trafilatura", theirs_score)):
        worst = sorted(score.worst)[:show_worst]
        print(f"  {name} lowest F1: " + ", ".join(f"{page} {f1:.2f}" for f1, page in worst))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="timed passes over the pages")
    parser.add_argument("--show-worst", type=int, default=3, help="lowest-F1 pages to name")
    args = parser.parse_args()
    articles = [page for page in all_pages() if page.kind == "article"]
    known = [page for page in articles if page.known_site]
    unknown = [page for page in articles if not page.known_site]
    print(f"trafilatura {trafilatura.__version__}; {len(articles)} article pages")
    report("all pages", articles, args.rounds, args.show_worst)
    report("known sites (site selectors)", known, args.rounds, args.show_worst)
    report("unknown sites (generic rules only)", unknown, args.rounds, args.show_worst)


if __name__ == "__main__":
    main()

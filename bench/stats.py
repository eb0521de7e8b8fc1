"""`newsarchive.stats.counts` on a large SQLite archive, against the database's own GROUP BY.

Makes a fresh archive (the schema through `Archive`), then writes N synthetic article rows
straight into `articles` and the full-text index (not timed; bodies of a few hundred bytes, as
counts never read them): eight sites, four regions, twenty sections spelled two ways, published
over three years, 1% undated, 5% mentioning «πλημμύρα». Then times each count: per day, week and
month, per site and section, and a query. The peer is SQLite's own GROUP BY of the same rows
(by UTC day: not the Athens day, no section folding, no zero-filled periods), the least any
count could cost; each line prints the ratio to it.

    .venv/bin/python bench/stats.py [--articles 300000]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newsarchive.archive import Archive
from newsarchive.filters import Filters
from newsarchive.search.keys import search_key
from newsarchive.stats import counts

SITES = {
    "larissanet": "larisa",
    "thessaliatv": "larisa",
    "eleftheria": "larisa",
    "e_thessalia": "magnisia",
    "taxydromos": "magnisia",
    "trikaladay": "trikala",
    "trikalavoice": "trikala",
    "karditsa_online": "karditsa",
}
SECTIONS = [f"ΕΝΟΤΗΤΑ {n}" for n in range(20)]
START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)
COLUMNS = (
    "id, canonical_url, url, site, region, headline, body, section, tags, authors, images, "
    "published_at, language, fetched_at, first_seen_at, content_hash, provenance, is_teaser, "
    "search_text, version_count, search_title"
)


def stored(moment: datetime | None) -> str | None:
    """A datetime as the archive writes it on SQLite (UTC, microseconds always)."""
    return None if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def rows(count: int, seed: int = 11) -> Iterator[tuple[tuple[Any, ...], tuple[int, str, str]]]:
    """Each article's row and its full-text index row."""
    pick = random.Random(seed)
    sites = list(SITES)
    for number in range(1, count + 1):
        site = pick.choice(sites)
        section = pick.choice(SECTIONS)
        section = section.title() if pick.random() < 0.3 else section
        published = None if pick.random() < 0.01 else START + SPAN * pick.random()
        flood = pick.random() < 0.05
        words = "πλημμυρ στη λαρισ" if flood else "συνεδριασ του δημοτικ συμβουλι"
        body = f"Άρθρο {number}: " + ("η πλημμύρα στη Λάρισα" if flood else "το δημοτικό συμβούλιο")
        url = f"https://example.gr/{site}/{number}/"
        now = stored(START + SPAN)
        yield (
            (number, url, url, site, SITES[site], f"Τίτλος {number}", body * 3, section, "[]",
             "[]", "[]", stored(published), "el", now, now, f"{number:064x}", "{}", 0, body,
             1, f"τιτλ {number}"),
            (search_key(number, published), f"τιτλ {number}", words),
        )  # fmt: skip


def build(path: Path, count: int) -> None:
    Archive(f"sqlite:///{path}").close()
    connection = sqlite3.connect(path)
    articles, index = zip(*rows(count), strict=True)
    marks = ", ".join("?" * len(articles[0]))
    with connection:
        connection.executemany(f"INSERT INTO articles ({COLUMNS}) VALUES ({marks})", articles)
        connection.executemany(
            "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", index
        )
    connection.close()


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(3):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def peer(path: Path, column: str) -> Callable[[], Any]:
    def group_by() -> Any:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            query = (
                f"SELECT {column}, substr(published_at, 1, 10), count(*) FROM articles "
                "WHERE published_at IS NOT NULL GROUP BY 1, 2"
            )
            return connection.execute(query).fetchall()
        finally:
            connection.close()

    return group_by


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "archive.db"
        build(path, options.articles)
        print(f"{options.articles} articles in {path.stat().st_size / 1e6:.0f} MB")
        peer_time, _ = timed(peer(path, "site"))
        print(f"peer: SQLite GROUP BY site, UTC day: {peer_time:.2f} s")
        cases = [
            ("day", "site", None, Filters()),
            ("week", None, None, Filters()),
            ("month", "section", None, Filters()),
            ("week", "site", "πλημμύρα", Filters()),
            ("day", "region", None, Filters.parse(since="2025-01-01", until="2025-06-30")),
        ]
        with Archive(f"sqlite:///{path}", read_only=True) as archive:
            for every, by, query, filters in cases:
                seconds, found = timed(
                    lambda e=every, b=by, q=query, f=filters: counts(
                        archive.session, every=e, by=b, query=q, filters=f
                    )
                )
                print(
                    f"every {every:5} by {by or '-':7} query {query or '-':8} "
                    f"{'since/until ' if filters.since else ''}"
                    f"{found.total:7} articles {len(found.periods):5} periods "
                    f"{len(found.series):3} series: {seconds:.2f} s "
                    f"({found.total / seconds:,.0f} articles/s, {seconds / peer_time:.1f}x peer)"
                )


if __name__ == "__main__":
    main()

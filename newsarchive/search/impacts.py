"""The best matches of the archive's common terms kept in bm25 order (SQLite), so that ranking a
common word reads the first page's matches instead of scoring every match.

FTS5 scores every match of a term before the first page is known (about 1 µs a match: 0.4 s for
a word in a third of 1,000,000 articles), and its doclists carry no bounds on scores to skip by.
For a query of one term, bm25 (`BM25`) depends on an article only through the term's weighted
count in it (a headline hit weighs TITLE_WEIGHT) and the article's length in terms: of two
articles with the same count, the shorter ranks first, whatever the archive's size and average
length. So each common term's articles are kept in buckets by weighted count, in (length, key)
order, and a page is an exact merge of the buckets' heads, its scores computed as FTS5 computes
bm25 (`score`).

A bucket keeps every article of its term and count, or its KEPT best and a cut: every article
it does not keep ranks after the cut (an article is added only if it ranks before the cut, and
the cut only moves earlier). A page that needs more of a cut bucket than it keeps is left to
FTS5 (`best` returns None). The store path keeps the buckets and each term's document count
(bm25's idf) in step with the index (`Keeper.write`, from the index's own changes); `promote`
finds the terms that have become common, builds their buckets and trims the others.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from newsarchive.search.index import ADD_ROW, DROP_ROW, FTS_TABLE, TITLE_WEIGHT, Change

COMMON_AT = 20_000
"""Articles a term is in before it gets buckets. Below this FTS5 scores its matches in about
20 ms; above, the time FTS5 takes grows with the archive."""
KEPT = 1000
"""Articles a bucket keeps at least once trimmed: a page reaching past the 1,000th hit of one
count (50 pages of 20) is left to FTS5."""
TRIM_AT = 2 * KEPT
"""Articles of a cut bucket past which `promote` trims it back to KEPT."""
SCAN_GROWTH = 2
"""`promote` looks for new common terms when the archive has grown this many times since it
last looked (a scan reads the whole index: done rarely, its cost shared by the articles)."""
K1, B = 1.2, 0.75
"""bm25's parameters, as FTS5 fixes them."""

TERMS = "search_common_terms"
BUCKETS = "search_impact_buckets"
IMPACTS = "search_impacts"
META = "search_impact_meta"
TABLES = (TERMS, BUCKETS, IMPACTS, META)
CREATE = (
    f"CREATE TABLE {TERMS} (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, "
    "documents INTEGER NOT NULL)",
    # cut_length/cut_key: NULL while the bucket keeps every article of its count
    f"CREATE TABLE {BUCKETS} (term_id INTEGER NOT NULL, weight INTEGER NOT NULL, "
    "cut_length INTEGER, cut_key INTEGER, PRIMARY KEY (term_id, weight)) WITHOUT ROWID",
    f"CREATE TABLE {IMPACTS} (term_id INTEGER NOT NULL, weight INTEGER NOT NULL, "
    "length INTEGER NOT NULL, key INTEGER NOT NULL, "
    "PRIMARY KEY (term_id, weight, length, key)) WITHOUT ROWID",
    # generation: bumped when terms or cuts change; scanned_at: the archive's size at the last scan
    f"CREATE TABLE {META} (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
)

if not float(TITLE_WEIGHT).is_integer():  # pragma: no cover - a weight the buckets cannot hold
    raise ValueError("impacts keep weighted counts as integers: TITLE_WEIGHT must be whole")
_TITLE = int(TITLE_WEIGHT)

Bucket = tuple[int, int]
"""(term id, weighted count)."""
Place = tuple[int, int]
"""An article's place in a bucket: (length, search key)."""


def create(cursor: Any) -> None:
    """Make the tables (SQLite DBAPI cursor)."""
    for statement in CREATE:
        cursor.execute(statement)
    cursor.executemany(
        f"INSERT INTO {META} (name, value) VALUES (?, 0)", [("generation",), ("scanned_at",)]
    )


def score(weight: float, length: int, idf: float, average: float) -> float:
    """bm25 of one term, as FTS5's bm25() computes it (the same operations, in its order)."""
    return 0.0 + idf * ((weight * (K1 + 1.0)) / (weight + K1 * (1 - B + B * length / average)))


def idf_of(rows: int, documents: int) -> float:
    """bm25's inverse document frequency, as FTS5 computes it."""
    idf = math.log((rows - documents + 0.5) / (documents + 0.5))
    return idf if idf > 0.0 else 1e-6


def _varints(data: bytes) -> Iterator[int]:
    """SQLite's varints, one after the other (FTS5's records)."""
    at = 0
    while at < len(data):
        value = 0
        for step in range(9):
            byte = data[at + step]
            if step == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        at += step + 1
        yield value


def totals(cursor: Any) -> tuple[int, int]:
    """The index's rows and terms in all, from FTS5's own record of them (what bm25 reads)."""
    found = cursor.execute(f"SELECT block FROM {FTS_TABLE}_data WHERE id = 1").fetchone()
    counts = list(_varints(found[0])) if found is not None else []
    return (counts[0], sum(counts[1:])) if counts else (0, 0)


def weights(title: str, text: str, common: dict[str, int]) -> tuple[int, dict[int, int]]:
    """An article's length in terms, and the weighted count of each common term it has (by id),
    from the term strings it is indexed with."""
    title_terms, text_terms = title.split(), text.split()
    found: dict[int, int] = defaultdict(int)
    for term in title_terms:
        term_id = common.get(term)
        if term_id is not None:
            found[term_id] += _TITLE
    for term in text_terms:
        term_id = common.get(term)
        if term_id is not None:
            found[term_id] += 1
    return len(title_terms) + len(text_terms), found


# --- the store path ------------------------------------------------------------------------------


class Keeper:
    """Keeps the buckets in step with the index's changes, in the store's transaction."""

    def __init__(self) -> None:
        self.generation = -1
        self.common: dict[str, int] = {}
        self.cuts: dict[Bucket, Place | None] = {}
        self.present: bool | None = None

    def write(self, cursor: Any, changes: Sequence[Change]) -> None:
        """The buckets' and counts' share of the index's changes (made just before, in order)."""
        if not self._load(cursor) or not self.common:
            return
        places: Counter[tuple[int, int, int, int]] = Counter()
        documents: Counter[int] = Counter()
        new_buckets: set[Bucket] = set()
        for sql, values in changes:
            sign = 1 if sql == ADD_ROW else -1 if sql == DROP_ROW else 0
            key, title, text = values
            length, found = weights(title, text, self.common)
            for term_id, weight in found.items():
                documents[term_id] += sign
                bucket = (term_id, weight)
                if bucket not in self.cuts:
                    new_buckets.add(bucket)
                    self.cuts[bucket] = None
                cut = self.cuts[bucket]
                if cut is None or (length, key) < cut:
                    places[(term_id, weight, length, key)] += sign
        cursor.executemany(
            f"INSERT OR IGNORE INTO {BUCKETS} (term_id, weight) VALUES (?, ?)", sorted(new_buckets)
        )
        cursor.executemany(
            f"DELETE FROM {IMPACTS} WHERE term_id = ? AND weight = ? AND length = ? AND key = ?",
            sorted(place for place, net in places.items() if net < 0),
        )
        cursor.executemany(
            f"INSERT OR IGNORE INTO {IMPACTS} (term_id, weight, length, key) VALUES (?, ?, ?, ?)",
            sorted(place for place, net in places.items() if net > 0),
        )
        cursor.executemany(
            f"UPDATE {TERMS} SET documents = documents + ? WHERE id = ?",
            [(net, term_id) for term_id, net in sorted(documents.items()) if net],
        )

    def _load(self, cursor: Any) -> bool:
        """The common terms and cuts, read again when `promote` changed them; False on an
        archive without the tables."""
        if self.present is None:
            self.present = (
                cursor.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (META,)
                ).fetchone()[0]
                > 0
            )
        if not self.present:
            return False
        generation = _meta(cursor, "generation")
        if generation != self.generation:
            self.common = dict(cursor.execute(f"SELECT term, id FROM {TERMS}").fetchall())
            self.cuts = {
                (term_id, weight): None if cut_length is None else (cut_length, cut_key)
                for term_id, weight, cut_length, cut_key in cursor.execute(
                    f"SELECT term_id, weight, cut_length, cut_key FROM {BUCKETS}"
                )
            }
            self.generation = generation
        return True

    def scan_due(self, cursor: Any) -> bool:
        """Whether the archive has grown enough since the last scan for common terms."""
        if not self._load(cursor):
            return False
        rows, _ = totals(cursor)
        return rows >= COMMON_AT and rows >= SCAN_GROWTH * _meta(cursor, "scanned_at")


def _meta(cursor: Any, name: str) -> int:
    return int(cursor.execute(f"SELECT value FROM {META} WHERE name = ?", (name,)).fetchone()[0])


# --- finding common terms, building and trimming buckets ---------------------------------------


def due_terms(cursor: Any, at_least: int | None = None) -> list[str]:
    """The terms in at least `at_least` (COMMON_AT) articles, and in at most half of them, that
    have no buckets yet: a read of the whole index (fts5vocab), needing no write lock.

    A term in more than half the articles (`και`, `το`) is left to FTS5: bm25 gives it almost
    no weight (its idf is clamped near zero), and its buckets would cost the most, a row for
    nearly every article to keep and to build."""
    at_least = COMMON_AT if at_least is None else at_least
    rows, _ = totals(cursor)
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{FTS_TABLE}_terms "
        f"USING fts5vocab(main, {FTS_TABLE}, row)"
    )
    known = {row[0] for row in cursor.execute(f"SELECT term FROM {TERMS}")}
    found = cursor.execute(
        f"SELECT term FROM temp.{FTS_TABLE}_terms WHERE doc >= ? AND doc * 2 <= ?",
        (at_least, rows),
    ).fetchall()
    return [term for (term,) in found if term not in known]


def promote(cursor: Any, at_least: int | None = None) -> list[str]:
    """Give buckets to every term due (`due_terms`) and finish the scan (`finish_scan`), in one
    transaction the caller commits (SQLite DBAPI cursor). Returns the terms promoted."""
    new = due_terms(cursor, at_least)
    for term in new:
        build(cursor, term)
    finish_scan(cursor)
    return new


def rebuild(cursor: Any, at_least: int | None = None) -> list[str]:
    """Empty the buckets and build them again for every common term (after the index was
    rebuilt)."""
    for table in (TERMS, BUCKETS, IMPACTS):
        cursor.execute(f"DELETE FROM {table}")
    return promote(cursor, at_least)


def finish_scan(cursor: Any) -> None:
    """Trim the cut buckets grown past TRIM_AT, and record the scan: the archive's size, and a
    new generation for the store paths that keep the terms and cuts in memory."""
    _trim(cursor)
    rows, _ = totals(cursor)
    _next_generation(cursor)
    cursor.execute(f"UPDATE {META} SET value = ? WHERE name = 'scanned_at'", (rows,))


def build(cursor: Any, term: str) -> bool:
    """One term's buckets, from the index's own positions of it and FTS5's record of each
    article's length (False when it has them already: another writer promoted it)."""
    if cursor.execute(f"SELECT 1 FROM {TERMS} WHERE term = ?", (term,)).fetchone():
        return False
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{FTS_TABLE}_hits "
        f"USING fts5vocab(main, {FTS_TABLE}, instance)"
    )
    found: dict[int, int] = defaultdict(int)
    lengths: dict[int, int] = {}
    for key, column, count, sizes in cursor.execute(
        f"SELECT hits.doc, hits.col, count(*), sizes.sz FROM temp.{FTS_TABLE}_hits hits "
        f"JOIN {FTS_TABLE}_docsize sizes ON sizes.id = hits.doc "
        "WHERE hits.term = ? GROUP BY hits.doc, hits.col",
        (term,),
    ):
        found[key] += _TITLE * count if column == "title" else count
        if key not in lengths:
            lengths[key] = sum(_varints(sizes))
    cursor.execute(f"INSERT INTO {TERMS} (term, documents) VALUES (?, ?)", (term, len(found)))
    term_id = cursor.lastrowid
    buckets: dict[int, list[Place]] = defaultdict(list)
    for key, weight in found.items():
        buckets[weight].append((lengths[key], key))
    for weight, places in sorted(buckets.items()):
        kept, cut = _best(places)
        cursor.execute(
            f"INSERT INTO {BUCKETS} (term_id, weight, cut_length, cut_key) VALUES (?, ?, ?, ?)",
            (term_id, weight, *(cut or (None, None))),
        )
        cursor.executemany(
            f"INSERT INTO {IMPACTS} (term_id, weight, length, key) VALUES (?, ?, ?, ?)",
            [(term_id, weight, length, key) for length, key in kept],
        )
    _next_generation(cursor)
    return True


def _next_generation(cursor: Any) -> None:
    """Tell every store path that keeps the terms and cuts in memory to read them again."""
    cursor.execute(f"UPDATE {META} SET value = value + 1 WHERE name = 'generation'")


def _best(places: Iterable[Place]) -> tuple[list[Place], Place | None]:
    """The KEPT first places, and the cut (the first one left out) when there are more."""
    first = heapq.nsmallest(KEPT + 1, places)
    if len(first) <= KEPT:
        return first, None
    return first[:KEPT], first[KEPT]


def _trim(cursor: Any) -> None:
    """Cut back every bucket grown past TRIM_AT to its KEPT first articles."""
    grown = cursor.execute(
        f"SELECT term_id, weight FROM {IMPACTS} GROUP BY term_id, weight HAVING count(*) > ?",
        (TRIM_AT,),
    ).fetchall()
    for term_id, weight in grown:
        cut = cursor.execute(
            f"SELECT length, key FROM {IMPACTS} WHERE term_id = ? AND weight = ? "
            "ORDER BY length, key LIMIT 1 OFFSET ?",
            (term_id, weight, KEPT),
        ).fetchone()
        cursor.execute(
            f"DELETE FROM {IMPACTS} WHERE term_id = ? AND weight = ? AND (length, key) >= (?, ?)",
            (term_id, weight, *cut),
        )
        cursor.execute(
            f"UPDATE {BUCKETS} SET cut_length = ?, cut_key = ? WHERE term_id = ? AND weight = ?",
            (*cut, term_id, weight),
        )


# --- reading ----------------------------------------------------------------------------------


CHUNK = 64
"""Places read from a bucket at a time."""


def best(cursor: Any, term: str, wanted: int) -> list[tuple[int, float]] | None:
    """The `wanted` best matches of one term by bm25, best first, ties in key order (as FTS5's
    `ORDER BY bm25, rowid` gives them): (search key, score). None when the term has no
    buckets, or when the page reaches past what a cut bucket keeps (ask FTS5)."""
    found = cursor.execute(f"SELECT id, documents FROM {TERMS} WHERE term = ?", (term,)).fetchone()
    if found is None:
        return None
    term_id, documents = found
    rows, terms = totals(cursor)
    if rows == 0 or documents == 0:
        return []
    idf, average = idf_of(rows, documents), terms / rows
    heads: list[tuple[float, int, int, bool]] = []
    runs: dict[int, _Run] = {}
    for weight, cut_length, cut_key in cursor.execute(
        f"SELECT weight, cut_length, cut_key FROM {BUCKETS} WHERE term_id = ?", (term_id,)
    ).fetchall():
        cut = None if cut_length is None else (cut_length, cut_key)
        run = runs[weight] = _Run(cursor, term_id, weight, cut, wanted)
        head = run.next(idf, average)
        if head is not None:
            heads.append(head)
    heapq.heapify(heads)
    page: list[tuple[int, float]] = []
    while heads and len(page) < wanted:
        negative, key, weight, bound = heapq.heappop(heads)
        if bound:  # a cut bucket's next article may come here, and it is not kept
            return None
        page.append((key, -negative))
        head = runs[weight].next(idf, average)
        if head is not None:
            heapq.heappush(heads, head)
    return page


class _Run:
    """One bucket read in order, a chunk at a time."""

    def __init__(self, cursor: Any, term_id: int, weight: int, cut: Place | None, wanted: int):
        self.cursor, self.term_id, self.weight, self.cut = cursor, term_id, weight, cut
        self.size = min(wanted, CHUNK)
        self.places: list[Place] = []
        self.after: Place = (-1, -1)
        self.done = False

    def next(self, idf: float, average: float) -> tuple[float, int, int, bool] | None:
        """The bucket's next article as a heap entry (-score, key, weight, False); past the
        last kept article of a cut bucket, the cut (True: no article left out ranks before
        it); None at the end."""
        if not self.places and not self.done:
            self._read()
        if self.places:
            length, key = self.places.pop()
            return -score(self.weight, length, idf, average), key, self.weight, False
        if self.cut is not None:
            (length, key), self.cut = self.cut, None
            return -score(self.weight, length, idf, average), key, self.weight, True
        return None

    def _read(self) -> None:
        length, key = self.after
        found = self.cursor.execute(
            f"SELECT length, key FROM {IMPACTS} WHERE term_id = ? AND weight = ? "
            "AND (length, key) > (?, ?) ORDER BY length, key LIMIT ?",
            (self.term_id, self.weight, length, key, self.size),
        ).fetchall()
        self.done = len(found) < self.size
        self.size = min(self.size * 4, 4096)
        if found:
            self.after = found[-1]
        self.places = found[::-1]

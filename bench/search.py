"""Search speed: the full-text index against today's LIKE search, on archives of synthetic Greek
articles, and the start-up of `newsarchive search`.

Each size gets an SQLite archive at the schema head (`Archive`), filled with synthetic articles
(`bench/greek_vocabulary.py`: a generated Greek vocabulary with Zipf-like frequencies; headline
~8 words, lead ~25, body ~120; 18 sites; five years) by SQLAlchemy Core `insert` in batches, and
indexed by `newsarchive.search.index.rebuild` (what migration 0003 runs on an existing archive).
Generation, insert and index build are timed apart; the archive's size and the index's share of
it are read from SQLite's `dbstat`.

Then each kind of query (`KINDS`) is run `--runs` times, with varied words of its kind (the same
words at every size), through `newsarchive.search.run.search_page` (20 hits, newest first and by
relevance, each hit with its snippet), and `--like-runs` times through today's search as it was
before the index: one `LIKE '%word%'` per folded word over the folded text of headline, lead,
section and body, newest first, same filters, rows loaded as ORM objects. That text is kept in a
side table of the bench archive only (`bench_like`), as the index's rebuild replaces
`search_text` with index terms. LIKE reads the whole table per query, so it runs on a sample.

Last, `newsarchive search λάρισα --db EMPTY.db` is timed as a subprocess (median of
`--startup-runs`) beside `python -c pass` and `python -c "import sqlalchemy"`, in turns.

    .venv/bin/python bench/search.py [--sizes 100000,1000000] [--keep DIR] [--runs 30]
        [--like-runs 5] [--startup-runs 10] [--reindex]

`--keep DIR` keeps each archive as DIR/search-SIZE.db and reuses one already built there by
the same generator (its build figures are those of its build), upgraded first as any command
upgrades an archive when it was made at another schema revision or index definition (a changed
index definition with no migration of its own is not made again: use `--reindex`); its index is
built again when a sample of its terms are not today's index terms, or with `--reindex`.
Every query is timed elapsed and in the bench's CPU time, with the archive in the OS page
cache (it has just been written or read), on whatever else the machine is doing: the load is
printed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Column, ColumnElement, Integer, MetaData, Table, Text, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

import greek_vocabulary as greek

from newsarchive import sites
from newsarchive.archive import Archive
from newsarchive.archive.files import SCHEMA_HEAD
from newsarchive.archive.models import ArticleRow
from newsarchive.filters import Filters
from newsarchive.search import impacts, index
from newsarchive.search.run import search_page
from newsarchive.search.tokens import term
from newsarchive.text import content_hash, fold

SEED = 11
BATCH = 5000
"""Articles per insert statement (executemany) and transaction."""
HITS = 20
SORTS = ("newest", "relevance")
KINDS = {
    "common": "a word in about a third of the articles",
    "rare": "a word in about 1 article in 10,000",
    "two words": "two words, each in 2–15% of the articles",
    "phrase": 'a two-word phrase in quotes, in 0.2–3% ("δημοτικό συμβούλιο")',
    "place, other case": "a place name in a case other than its nominative (Τρικάλων, Λαρίσης)",
    "site + dates": "a word in 5–45%, one site, one year",
}
"""Each kind of query measured, and what it is."""
SHARES = {
    "common": (0.25, 0.45),
    "rare": (3e-5, 1.5e-4),
    "two words": (0.02, 0.15),
    "phrase": (0.002, 0.03),
    "site + dates": (0.05, 0.45),
}
"""The expected share of articles holding each kind's words (the same at every size)."""
NEWSARCHIVE = Path(sys.executable).with_name("newsarchive")
STARTUP_QUERY = "λάρισα"

like_table = Table(
    "bench_like",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("text", Text, nullable=False),
)
"""Today's folded search text of each article (headline, lead, section, body), for LIKE."""


# --- building an archive ------------------------------------------------------------------------


@dataclass
class Build:
    """How one archive was made, and what it takes on disk."""

    size: int
    generate_seconds: float = 0.0
    """Making the texts, and folding them for the LIKE copy."""
    insert_seconds: float = 0.0
    index_seconds: float = 0.0
    upgrade_seconds: float = 0.0
    """The last schema upgrade of a kept archive (`Archive` running the migrations), if any."""
    file_bytes: int = 0
    """The database file, without the bench's LIKE copy (`bench_like`)."""
    tables: dict[str, int] = field(default_factory=dict)
    """Bytes per table and index (dbstat)."""
    term_bytes: int = 0
    """The term columns (`search_title`, `search_text`) within the articles table."""

    @property
    def fts_bytes(self) -> int:
        return sum(size for name, size in self.tables.items() if name.startswith("articles_fts"))

    @property
    def impact_bytes(self) -> int:
        """The common terms' buckets (`search.impacts`), their indexes included."""
        return sum(
            size
            for name, size in self.tables.items()
            if any(
                name == table or name.startswith(f"sqlite_autoindex_{table}")
                for table in impacts.TABLES
            )
        )

    @property
    def archive_bytes(self) -> int:
        return sum(size for name, size in self.tables.items() if not name.startswith("bench_"))


def site_table() -> list[tuple[str, str | None, str]]:
    return [(site.name, site.region, site.base_url.rstrip("/")) for site in sites.all()]


def rows(
    texts: Sequence[greek.Text], first_id: int, places: dict[str, tuple[str | None, str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The articles rows (every NOT NULL column) and the LIKE copies of a chunk of texts."""
    articles, likes = [], []
    for number, text in enumerate(texts, start=first_id):
        region, base = places[text.site]
        moment = text.published_at
        fetched = (moment or greek.START) + timedelta(minutes=20)
        day = f"{moment:%Y/%m/%d}" if moment else "undated"
        url = f"{base}/{day}/article-{number}/"
        articles.append(
            {
                "id": number,
                "canonical_url": url,
                "url": url,
                "site": text.site,
                "region": region,
                "headline": text.headline,
                "lead": text.lead,
                "body": text.body,
                "section": text.section,
                "tags": [],
                "authors": ["Σύνταξη"],
                "images": [],
                "published_at": moment,
                "published_raw": f"{moment:%d/%m/%Y %H:%M}" if moment else None,
                "modified_at": None,
                "modified_raw": None,
                "language": "el",
                "fetched_at": fetched,
                "first_seen_at": fetched,
                "last_seen_at": fetched,
                "content_hash": content_hash(text.headline, text.lead, text.body),
                "provenance": {"headline": "jsonld", "body": "selector"},
                "is_teaser": False,
                "source_credit": None,
                "search_text": "",
                "search_title": "",
                "version_count": 1,
                "current_version_id": None,
                "story_id": None,
                "minhash": None,
            }
        )
        likes.append({"id": number, "text": today_search_text(text)})
    return articles, likes


def today_search_text(text: greek.Text) -> str:
    """`search_text` as the store path wrote it before the index: folded headline, lead,
    section (and tags: none here), then the folded body."""
    parts = [fold(part) for part in (text.headline, text.lead, text.section) if part]
    return " ".join([*parts, fold(text.body)])


def build(path: Path, size: int, words: greek.Vocabulary) -> Build:
    """A new archive of `size` articles at `path`, indexed; its figures."""
    figures = Build(size)
    url = f"sqlite:///{path}"
    places = {name: (region, base) for name, region, base in site_table()}
    made = greek.Articles(words, size, list(places), seed=SEED)
    with Archive(url) as archive:
        like_table.create(archive.engine)
        first_id = 1
        for chunk in timed_chunks(made.chunks(BATCH), figures):
            started = time.perf_counter()
            articles, likes = rows(chunk, first_id, places)
            figures.generate_seconds += time.perf_counter() - started
            started = time.perf_counter()
            with archive.engine.begin() as connection:
                connection.execute(insert(ArticleRow), articles)
                connection.execute(insert(like_table), likes)
            figures.insert_seconds += time.perf_counter() - started
            first_id += len(chunk)
            progress(f"  {first_id - 1:,} articles inserted")
    reindex(path, figures)
    return figures


def reindex(path: Path, figures: Build) -> None:
    """Build the archive's index (again), timed, and measure the archive."""
    progress("  index build")
    with Archive(f"sqlite:///{path}") as archive:
        started = time.perf_counter()
        with archive.engine.begin() as connection:
            indexed = index.rebuild(connection)
            impacts.rebuild(connection.connection.driver_connection.cursor())
        figures.index_seconds = time.perf_counter() - started
    assert indexed == figures.size, f"the index took {indexed} of {figures.size} articles"
    measure_size(path, figures)


TERMS_SAMPLE = 300
"""Articles of a kept archive whose terms are computed again, to see the index is current."""


def terms_current(path: Path) -> bool:
    """Whether a sample of the archive's term columns are what the index terms are today."""
    connection = sqlite3.connect(path)
    try:
        found = connection.execute(
            "SELECT headline, lead, body, search_title, search_text FROM articles "
            "WHERE id % (SELECT max(1, count(*) / ?) FROM articles) = 0",
            (TERMS_SAMPLE,),
        ).fetchall()
    finally:
        connection.close()
    return all(
        (index.title_terms(headline), index.text_terms(lead, fold(body))) == (title, text)
        for headline, lead, body, title, text in found
    )


def upgrade(path: Path, figures: Build) -> None:
    """Bring a kept archive to today's schema as any command does (`Archive` runs the
    migrations), timed, and measure it again."""
    progress(f"  {path}: schema upgrade")
    started = time.perf_counter()
    with Archive(f"sqlite:///{path}") as archive:
        progress(f"  upgraded from {archive.upgraded_from}")
    figures.upgrade_seconds = time.perf_counter() - started
    measure_size(path, figures)
    save_build(path, figures)


def timed_chunks(chunks: Iterator[list[greek.Text]], figures: Build) -> Iterator[list[greek.Text]]:
    """The chunks, the time spent making each added to the generation time."""
    while True:
        started = time.perf_counter()
        chunk = next(chunks, None)
        figures.generate_seconds += time.perf_counter() - started
        if chunk is None:
            return
        yield chunk


def measure_size(path: Path, figures: Build) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        # Pages counted one by one: dbstat's aggregate sizes wrap past 2**31 bytes (3.40).
        (page_size,) = connection.execute("PRAGMA page_size").fetchone()
        figures.tables = {
            name: pages * page_size
            for name, pages in connection.execute(
                "SELECT name, count(*) FROM dbstat GROUP BY name ORDER BY name"
            )
        }
        (figures.term_bytes,) = connection.execute(
            "SELECT sum(length(CAST(search_title AS BLOB)) + length(CAST(search_text AS BLOB))) "
            "FROM articles"
        ).fetchone()
    finally:
        connection.close()
    like = sum(size for name, size in figures.tables.items() if name.startswith("bench_"))
    figures.file_bytes = path.stat().st_size - like


META = "CREATE TABLE IF NOT EXISTS bench_meta (key TEXT PRIMARY KEY, value TEXT)"


def schema(connection: sqlite3.Connection) -> list[Any]:
    """What a kept archive must share with this code to be reused: the schema revision and
    the full-text index's definition (and the generator's seed)."""
    (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return [SEED, greek.VERSION, revision, index.CREATE_FTS, index.SET_RANK]


def save_build(path: Path, figures: Build) -> None:
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(META)
        connection.execute(
            "INSERT OR REPLACE INTO bench_meta VALUES ('build', ?)",
            (json.dumps({"schema": schema(connection), **asdict(figures)}),),
        )
    connection.close()


def saved_build(path: Path, size: int) -> tuple[Build, bool] | None:
    """The figures of a complete archive built by this bench at `path`, if there is one, and
    whether it is at today's schema and index definition (else its articles are today's, and
    an upgrade brings the rest)."""
    if not path.exists():
        return None
    connection = sqlite3.connect(path)
    try:
        found = connection.execute("SELECT value FROM bench_meta WHERE key = 'build'").fetchone()
        current = schema(connection)
    except sqlite3.OperationalError:
        return None
    finally:
        connection.close()
    if found is None:
        return None
    values = json.loads(found[0])
    built = values.pop("schema", None)
    if built is None or built[:2] != current[:2] or values["size"] != size:
        progress(f"  {path} was built by other code: building it again")
        return None
    return Build(**values), built == current and current[2] == SCHEMA_HEAD


def archive_for(
    size: int, folder: Path, words: greek.Vocabulary, *, again: bool = False
) -> tuple[Path, Build, bool]:
    """The archive of `size` articles in `folder`: reused when complete (its index built again
    when `again`, or when its terms are not today's), else built."""
    path = folder / f"search-{size}.db"
    saved = saved_build(path, size)
    if saved is not None:
        kept, current = saved
        if not current:
            upgrade(path, kept)
        if again or not terms_current(path):
            progress(f"  {path}: its index is built again" + ("" if again else " (terms changed)"))
            reindex(path, kept)
            save_build(path, kept)
        return path, kept, True
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    figures = build(path, size, words)
    save_build(path, figures)
    return path, figures, False


# --- the queries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    filters: Filters


@dataclass
class Terms:
    """What share of articles each index term (and each phrase's term sequence) is expected in,
    and the words that give each term."""

    share: dict[str, float]
    words: dict[str, list[str]]
    phrases: dict[tuple[str, ...], tuple[float, str]]
    places: list[tuple[str, ...]]


def expected_terms(words: greek.Vocabulary) -> Terms:
    draws = greek.DRAWS_PER_ARTICLE
    mass: dict[str, float] = defaultdict(float)
    spelled: dict[str, set[str]] = defaultdict(set)
    for word, share, kind in words.word_probabilities():
        found = term(word)
        mass[found] += share
        if kind in ("content", "place"):
            spelled[found].add(word)
    phrases: dict[tuple[str, ...], tuple[float, str]] = {}
    for unit, probability in zip(words.units, words.probabilities, strict=True):
        if unit.kind != "phrase":
            continue
        for text in unit.forms:
            key = tuple(term(word) for word in text.split())
            before = phrases.get(key, (0.0, text))[0]
            phrases[key] = (before + float(probability) / len(unit.forms), text)
    return Terms(
        share={found: greek.document_share(value, draws) for found, value in mass.items()},
        words={found: sorted(forms) for found, forms in spelled.items()},
        phrases={key: (greek.document_share(p, draws), text) for key, (p, text) in phrases.items()},
        places=[unit.forms for unit in words.units if unit.kind == "place"],
    )


def within(terms: Terms, kind: str) -> list[str]:
    low, high = SHARES[kind]
    return sorted(
        found
        for found, share in terms.share.items()
        if low <= share <= high and terms.words.get(found)
    )


def shuffled(rng: np.random.Generator, items: Sequence[Any]) -> Iterator[Any]:
    """The items in a random order, again and again (each used before any is used twice)."""
    while True:
        for number in rng.permutation(len(items)):
            yield items[int(number)]


def queries(terms: Terms, runs: int, seed: int = SEED) -> dict[str, list[Query]]:
    """`runs` queries of each kind, words drawn at random among those of the kind, each word
    in one of its forms."""
    rng = np.random.default_rng([seed, runs])

    def spelled(found: Iterator[str]) -> str:
        forms = terms.words[next(found)]
        return forms[int(rng.integers(len(forms)))]

    common, rare = shuffled(rng, within(terms, "common")), shuffled(rng, within(terms, "rare"))
    pairs, wide = (
        shuffled(rng, within(terms, "two words")),
        shuffled(rng, within(terms, "site + dates")),
    )
    low, high = SHARES["phrase"]
    phrases = shuffled(
        rng, sorted(text for share, text in terms.phrases.values() if low <= share <= high)
    )
    other_cases = shuffled(rng, [form for forms in terms.places for form in forms[1:]])
    names = shuffled(rng, [site.name for site in sites.all()])
    days = (greek.SPAN - timedelta(days=365)).days
    made: dict[str, list[Query]] = defaultdict(list)
    none = Filters()
    for _ in range(runs):
        made["common"].append(Query("common", spelled(common), none))
        made["rare"].append(Query("rare", spelled(rare), none))
        two = f"{spelled(pairs)} {spelled(pairs)}"
        made["two words"].append(Query("two words", two, none))
        made["phrase"].append(Query("phrase", f'"{next(phrases)}"', none))
        made["place, other case"].append(Query("place, other case", next(other_cases), none))
        since = greek.START + timedelta(days=int(rng.integers(days)))
        window = Filters(sites=(next(names),), since=since, until=since + timedelta(days=365))
        made["site + dates"].append(Query("site + dates", spelled(wide), window))
    return dict(made)


# --- running them -------------------------------------------------------------------------------


CLOCKS = ("wall", "cpu")
"""Elapsed time, and this process's CPU time (what a query costs with the machine to itself:
the archive is in the OS page cache, and the machine is shared)."""


@dataclass
class Timings:
    """Milliseconds of each query of a kind (elapsed and CPU), and the matches each found (the
    index's count, capped at its COUNT_CAP)."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    matches: list[int] = field(default_factory=list)
    capped: list[bool] = field(default_factory=list)

    def median(self, clock: str = "wall") -> float:
        return float(statistics.median(getattr(self, clock)))

    def p95(self, clock: str = "wall") -> float:
        return float(np.percentile(getattr(self, clock), 95))

    def add(self, other: Timings) -> None:
        for name in ("wall", "cpu", "matches", "capped"):
            getattr(self, name).extend(getattr(other, name))

    def matches_shown(self) -> str:
        middle = statistics.median(self.matches)
        capped = sorted(self.capped)[len(self.capped) // 2]
        return f"{middle:,.0f}{'+' if capped else ''}"


@contextmanager
def clocked(timings: Timings) -> Iterator[None]:
    started, cpu = time.perf_counter(), time.process_time()
    yield
    timings.wall.append((time.perf_counter() - started) * 1000)
    timings.cpu.append((time.process_time() - cpu) * 1000)


def index_timings(url: str, kind: list[Query], sort: str) -> Timings:
    found = Timings()
    for query in kind:
        with clocked(found):
            page = search_page(url, query.text, query.filters, sort=sort, limit=HITS)
        found.matches.append(page.total)
        found.capped.append(bool(getattr(page, "capped", False)))
    return found


def today_terms(text: str) -> list[str]:
    """The words today's search looked for: the folded words, each once (no phrases)."""
    return list(dict.fromkeys(fold(text.replace('"', " ")).split()))


def like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_statement(query: Query) -> Any:
    """Today's search: every folded word LIKE '%word%' in the folded text, within the filters,
    newest first (undated last), HITS articles."""
    words = [
        like_table.c.text.like(f"%{like_escape(word)}%", escape="\\")
        for word in today_terms(query.text)
    ]
    conditions: list[ColumnElement[bool]] = []
    if query.filters.sites:
        conditions.append(ArticleRow.site.in_(query.filters.sites))
    if query.filters.since is not None:
        conditions.append(ArticleRow.published_at >= query.filters.since)
    if query.filters.until is not None:
        conditions.append(ArticleRow.published_at <= query.filters.until)
    return (
        select(ArticleRow)
        .join(like_table, like_table.c.id == ArticleRow.id)
        .where(*conditions, *words)
        .order_by(
            ArticleRow.published_at.is_(None),
            ArticleRow.published_at.desc(),
            ArticleRow.id.desc(),
        )
        .limit(HITS)
    )


def like_timings(url: str, kind: list[Query]) -> Timings:
    found = Timings()
    with Archive(url, read_only=True) as archive:
        for query in kind:
            with clocked(found):
                hits = list(archive.session.scalars(like_statement(query)))
            found.matches.append(len(hits))
            found.capped.append(False)
            archive.session.expunge_all()
    return found


@dataclass
class Measured:
    """One size's timings: per kind, per sort ('newest', 'relevance', 'like')."""

    size: int
    build: Build
    reused: bool
    kinds: dict[str, dict[str, Timings]] = field(default_factory=dict)

    def mix(self, sort: str) -> Timings:
        every = Timings()
        for timings in self.kinds.values():
            every.add(timings[sort])
        return every


def measure(
    path: Path, build_figures: Build, reused: bool, plan: dict[str, list[Query]], like_runs: int
) -> Measured:
    url = f"sqlite:///{path}"
    measured = Measured(build_figures.size, build_figures, reused)
    for query in warm_up(plan):
        search_page(url, query.text, query.filters, limit=HITS)
    for kind, kind_queries in plan.items():
        progress(f"  {kind}")
        measured.kinds[kind] = {sort: index_timings(url, kind_queries, sort) for sort in SORTS}
        measured.kinds[kind]["like"] = like_timings(url, kind_queries[:like_runs])
    return measured


def warm_up(plan: dict[str, list[Query]]) -> list[Query]:
    """A few queries run before the timed ones (opening the file, Python's own caches)."""
    return [kind_queries[-1] for kind_queries in plan.values()]


# --- start-up -----------------------------------------------------------------------------------


def startup(runs: int, folder: Path) -> dict[str, tuple[float, float]]:
    """Median seconds (elapsed, and the child's CPU) of each command, run in turns."""
    empty = folder / "empty.db"
    Archive(f"sqlite:///{empty}").close()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        'python -c "import sqlalchemy"': [sys.executable, "-c", "import sqlalchemy"],
        f"newsarchive search {STARTUP_QUERY} --db EMPTY.db": [
            *newsarchive_command(),
            "search",
            STARTUP_QUERY,
            "--db",
            str(empty),
        ],
    }
    seconds: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _ in range(runs):
        for name, command in commands.items():
            started, cpu = time.perf_counter(), children_cpu()
            subprocess.run(command, check=True, capture_output=True)
            seconds[name].append((time.perf_counter() - started, children_cpu() - cpu))
    return {
        name: (statistics.median(v[0] for v in values), statistics.median(v[1] for v in values))
        for name, values in seconds.items()
    }


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def newsarchive_command() -> list[str]:
    return [str(NEWSARCHIVE)] if NEWSARCHIVE.exists() else [sys.executable, "-m", "newsarchive"]


# --- report -------------------------------------------------------------------------------------


def progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


def report_builds(measured: Sequence[Measured]) -> None:
    print(
        "\n| articles | generate s | insert s | index build s | archive | FTS5 tables "
        "| term columns | buckets | upgrade s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for one in measured:
        build_figures = one.build
        archive = build_figures.archive_bytes
        print(
            f"| {one.size:,}{' (kept)' if one.reused else ''} "
            f"| {build_figures.generate_seconds:,.0f} | {build_figures.insert_seconds:,.0f} "
            f"| {build_figures.index_seconds:,.0f} | {megabytes(archive)} "
            f"| {megabytes(build_figures.fts_bytes)} ({build_figures.fts_bytes / archive:.0%}) "
            f"| {megabytes(build_figures.term_bytes)} "
            f"({build_figures.term_bytes / archive:.0%}) "
            f"| {megabytes(build_figures.impact_bytes)} "
            f"({build_figures.impact_bytes / archive:.1%}) "
            f"| {build_figures.upgrade_seconds:,.0f} |"
        )


def cell(timings: Timings, clock: str) -> str:
    return f"{timings.median(clock):,.1f} / {timings.p95(clock):,.1f}"


def report_latency(one: Measured, clock: str) -> None:
    counts = {sort: len(one.mix(sort).wall) // len(one.kinds) for sort in ("newest", "like")}
    what = "elapsed" if clock == "wall" else "CPU"
    print(
        f"\n{one.size:,} articles: {what} milliseconds, median / p95 "
        f"(index: {counts['newest']} queries a kind and sort; LIKE: {counts['like']})"
    )
    print("\n| query | matches | newest | relevance | LIKE (today) | LIKE / newest |")
    print("|---|---|---|---|---|---|")
    for kind in [*one.kinds, "mix"]:
        timings = timings_of(one, kind)
        ratio = timings["like"].median(clock) / timings["newest"].median(clock)
        print(
            f"| {kind} | {timings['newest'].matches_shown()} | {cell(timings['newest'], clock)} "
            f"| {cell(timings['relevance'], clock)} | {cell(timings['like'], clock)} "
            f"| ×{ratio:,.1f} |"
        )


def timings_of(one: Measured, kind: str) -> dict[str, Timings]:
    """A kind's timings per sort ('mix': every kind's together)."""
    if kind == "mix":
        return {sort: one.mix(sort) for sort in (*SORTS, "like")}
    return one.kinds[kind]


def growth(a: Timings, b: Timings, clock: str, statistic: str) -> str:
    return f"×{getattr(b, statistic)(clock) / getattr(a, statistic)(clock):.2f}"


def report_scaling(small: Measured, large: Measured) -> None:
    print(f"\nGrowth from {small.size:,} to {large.size:,} articles (elapsed; CPU):")
    print(
        "\n| query | newest p95 | relevance p95 | newest median | relevance median | LIKE median |"
    )
    print("|---|---|---|---|---|---|")
    for kind in [*large.kinds, "mix"]:
        a, b = timings_of(small, kind), timings_of(large, kind)
        cells = [
            "; ".join(growth(a[sort], b[sort], clock, statistic) for clock in CLOCKS)
            for statistic, sort in (
                ("p95", "newest"),
                ("p95", "relevance"),
                ("median", "newest"),
                ("median", "relevance"),
                ("median", "like"),
            )
        ]
        print(f"| {kind} | {' | '.join(cells)} |")


def report_targets(large: Measured, small: Measured | None) -> None:
    checks = [
        ("mix, newest first: p95 < 50 ms", large.mix("newest"), 50),
        ("rare word by relevance: p95 < 50 ms", large.kinds["rare"]["relevance"], 50),
        ("phrase by relevance: p95 < 50 ms", large.kinds["phrase"]["relevance"], 50),
        ("common word by relevance: p95 < 250 ms", large.kinds["common"]["relevance"], 250),
    ]
    print(f"\nTargets at {large.size:,} articles (elapsed; CPU):")
    for name, timings, limit in checks:
        found = [timings.p95(clock) for clock in CLOCKS]
        verdicts = ["met" if value < limit else "NOT met" for value in found]
        print(f"- {name}: {found[0]:,.1f} ms, {verdicts[0]}; CPU {found[1]:,.1f} ms, {verdicts[1]}")
    if small is not None:
        for clock in CLOCKS:
            worst = max(
                (large.kinds[kind][sort].p95(clock) / small.kinds[kind][sort].p95(clock), kind)
                for kind in large.kinds
                for sort in SORTS
            )
            verdict = "met" if worst[0] <= 2 else "NOT met"
            print(
                f"- p95 at {large.size:,} within ×2 of {small.size:,} ({clock}): "
                f"worst ×{worst[0]:.2f} ({worst[1]}), {verdict}"
            )


def report_startup(seconds: dict[str, tuple[float, float]], runs: int) -> None:
    print(f"\nStart-up, median of {runs} runs each (in turns):\n")
    print("| command | seconds | CPU seconds |")
    print("|---|---|---|")
    for name, (wall, cpu) in seconds.items():
        print(f"| `{name}` | {wall:.3f} | {cpu:.3f} |")
    wall, cpu = seconds[f"newsarchive search {STARTUP_QUERY} --db EMPTY.db"]
    print(
        f"\n`newsarchive search` on an empty archive: {wall:.3f} s, CPU {cpu:.3f} s "
        f"(target < 0.25 s: {'met' if wall < 0.25 else 'NOT met'}; "
        f"CPU {'met' if cpu < 0.25 else 'NOT met'})"
    )


# --- main ---------------------------------------------------------------------------------------


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="archive sizes, comma-separated")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the archives in this folder")
    parser.add_argument("--runs", type=int, default=30, help="index queries of each kind")
    parser.add_argument("--like-runs", type=int, default=5, help="LIKE queries of each kind")
    parser.add_argument("--startup-runs", type=int, default=10)
    parser.add_argument(
        "--reindex", action="store_true", help="build the index of kept archives again (timed)"
    )
    return parser.parse_args()


def main() -> None:
    args = arguments()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    progress("vocabulary")
    words = greek.vocabulary(SEED)
    plan = queries(expected_terms(words), args.runs)
    describe(plan)
    measured = []
    try:
        for size in sizes:
            progress(f"{size:,} articles")
            path, figures, reused = archive_for(size, folder, words, again=args.reindex)
            measured.append(measure(path, figures, reused, plan, args.like_runs))
        seconds = startup(args.startup_runs, folder)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    report_builds(measured)
    for one in measured:
        for clock in CLOCKS:
            report_latency(one, clock)
    if len(measured) > 1:
        report_scaling(measured[0], measured[-1])
    report_targets(measured[-1], measured[0] if len(measured) > 1 else None)
    report_startup(seconds, args.startup_runs)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")


def describe(plan: dict[str, list[Query]]) -> None:
    print("\nQueries (the same at every size), e.g.:")
    for kind, kind_queries in plan.items():
        examples = ", ".join(query.text for query in kind_queries[:3])
        print(f"- {kind}: {KINDS[kind]}: {examples}")
    window = plan["site + dates"][0].filters
    assert window.since is not None
    print(f"  (site + dates, e.g. --site {window.sites[0]} --since {window.since:%Y-%m-%d})")


if __name__ == "__main__":
    main()

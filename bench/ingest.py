"""Store speed: synthetic Greek articles through the store path into SQLite, at growing sizes.

Each size gets a fresh SQLite archive in a temporary folder, and each article goes the way a
crawl takes it: its page written to WARC (`newsarchive.archive.warc.WarcWriter`) and its
`raw_pages` row left waiting (what the raw-pages middleware does), then, every
NEWSARCHIVE_STORE_BATCH records as the store pipeline does (`--batch`), `Archive.store_many` (one
transaction: the waiting rows, then each record, story lookup on). Articles are
made of real Greek words (the project's Greek texts, weighted by how often they occur): 300–700
words in paragraphs of sentences, on eight sites; a share of them (`--duplicates`) are copies of
a recent article of another site, edited the way outlets republish (own headline and first
line, a paragraph cut or two merged, a word changed, a sentence added). Making the articles is
not timed.

Prints for each size: articles per second through the whole path and through the batches
alone, elapsed and per CPU second of this process (the machine is shared: elapsed time counts
the other processes' turns too), the rate over the run's last tenth (the cost of one more
article at that size), the WARC write's own rate, and the share of copies found in their
original's story (and any article joined to a story it is not a copy in). Then the ratio of
the per-article cost at the largest size to the smallest (target: at least 1,000 articles/s,
ratio at most 1.3).

With `--import`, each archive is also exported (`newsarchive export`) and the export imported
into a new archive (`newsarchive import`, timed with its start-up).

With `--bands`, only the band rows are timed, at the largest size, in each layout: 42 random
64-bit keys an article inserted with bare sqlite3 (the writer's pragmas, the batches' size)
into one rowid table keyed (key, article_id) (schema 0003), into one WITHOUT ROWID table, and
into `story_bands_new`, moved into `story_bands` every `ingest.MERGE_ROWS` rows (schema 0004);
CPU per article over the run and over its last tenth.

    .venv/bin/python bench/ingest.py [--sizes 10000,100000] [--duplicates 0.1] [--profile]
        [--import] [--no-peer] [--batch 200] [--bands]
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import io
import json
import pstats
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from newsarchive.archive import Archive, ingest, similarity
from newsarchive.archive.ingest import RawPage
from newsarchive.archive.models import ArticleRow
from newsarchive.archive.runs import start_run
from newsarchive.archive.store import WRITER_PRAGMAS
from newsarchive.archive.warc import Exchange, WarcWriter
from newsarchive.dates import ATHENS
from newsarchive.items import Article, Image
from newsarchive.pipelines.store import DEFAULT_BATCH
from newsarchive.text import content_hash, fold

REPO = Path(__file__).resolve().parent.parent
TEXTS = [REPO / "tests" / "fixtures", REPO / "newsarchive" / "fixture_sites"]
GREEK_WORD = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]+")
SITES = {
    "larissanet": ("https://www.larissanet.gr", "larisa"),
    "thessaliatv": ("https://www.thessaliatv.gr", "larisa"),
    "thessaly_gov": ("https://www.thessaly.gov.gr", "thessalia"),
    "onlarissa.gr": ("https://www.onlarissa.gr", "larisa"),
    "e-thessalia.gr": ("https://www.e-thessalia.gr", "thessalia"),
    "trikalanews.gr": ("https://www.trikalanews.gr", "trikala"),
    "taxydromos.gr": ("https://www.taxydromos.gr", "magnisia"),
    "karditsanews.gr": ("https://www.karditsanews.gr", "karditsa"),
}
SECTIONS = ["ΛΑΡΙΣΑ", "ΘΕΣΣΑΛΙΑ", "ΤΡΙΚΑΛΑ", "ΒΟΛΟΣ", "ΚΑΡΔΙΤΣΑ", "ΑΓΡΟΤΙΚΑ", "ΠΟΛΙΤΙΚΗ"]
ATTRIBUTIONS = [
    "Σύμφωνα με ανακοίνωση της Περιφέρειας Θεσσαλίας,",
    "Όπως αναφέρεται σε ανακοίνωση,",
    "Σε ανακοίνωσή του ο δήμος αναφέρει ότι",
    "Αναλυτικά η ανακοίνωση:",
]
RECENT = 2000
"""Copies are made of the last this many originals (syndication happens within days)."""
START = datetime(2026, 1, 5, 8, 0, tzinfo=ATHENS)


def vocabulary() -> tuple[list[str], list[int]]:
    """The Greek words of the project's texts (fixture records), and how often each occurs."""
    counts: collections.Counter[str] = collections.Counter()
    for root in TEXTS:
        for path in root.rglob("*.json"):
            counts.update(GREEK_WORD.findall(path.read_text(encoding="utf-8")))
    words = sorted(counts)
    return words, [counts[word] for word in words]


@dataclass
class Made:
    """One synthetic article, its page, and which original text it is (a copy's original's)."""

    article: Article
    page: bytes
    group: int
    copy: bool


@dataclass
class Generator:
    """Synthetic articles: originals, and now and then a copy of a recent one on another site."""

    duplicates: float
    seed: int = 1
    words: list[str] = field(default_factory=list)
    weights: list[int] = field(default_factory=list)
    recent: collections.deque[tuple[int, str, list[str]]] = field(
        default_factory=lambda: collections.deque(maxlen=RECENT)
    )

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)
        self.words, self.weights = vocabulary()
        self.cumulative = list(_accumulate(self.weights))
        self.chrome = {name: self._chrome(name) for name in SITES}

    def pick(self, count: int) -> list[str]:
        return self.random.choices(self.words, cum_weights=self.cumulative, k=count)

    def sentence(self) -> str:
        words = self.pick(self.random.randint(8, 24))
        return " ".join([words[0].capitalize(), *words[1:]]) + "."

    def paragraphs(self) -> list[str]:
        target = self.random.randint(300, 700)
        found: list[str] = []
        length = 0
        while length < target:
            paragraph = " ".join(self.sentence() for _ in range(self.random.randint(2, 5)))
            found.append(paragraph)
            length += paragraph.count(" ") + 1
        return found

    def make(self, number: int) -> Made:
        """The `number`th article (its time grows with it: about one a minute)."""
        if self.recent and self.random.random() < self.duplicates:
            group, origin, paragraphs = self.random.choice(self.recent)
            site = self.random.choice([name for name in SITES if name != origin])
            return self._made(number, site, self._edited(paragraphs), group, copy=True)
        site = self.random.choice(list(SITES))
        paragraphs = self.paragraphs()
        self.recent.append((number, site, paragraphs))
        return self._made(number, site, paragraphs, number, copy=False)

    def _edited(self, paragraphs: list[str]) -> list[str]:
        """A republished copy: own first line, a paragraph cut or two merged, a word changed,
        perhaps a sentence added."""
        edited = list(paragraphs)
        edited[0] = f"{self.random.choice(ATTRIBUTIONS)} {edited[0]}"
        if len(edited) >= 4 and self.random.random() < 0.5:
            del edited[self.random.randrange(1, len(edited))]
        elif len(edited) >= 2:
            where = self.random.randrange(len(edited) - 1)
            edited[where : where + 2] = [f"{edited[where]} {edited[where + 1]}"]
        where = self.random.randrange(len(edited))
        words = edited[where].split(" ")
        words[self.random.randrange(len(words))] = self.pick(1)[0]
        edited[where] = " ".join(words)
        if self.random.random() < 0.5:
            edited.append(self.sentence())
        return edited

    def _made(
        self, number: int, site: str, paragraphs: list[str], group: int, *, copy: bool
    ) -> Made:
        base, region = SITES[site]
        published = START + timedelta(minutes=number)
        url = f"{base}/{published:%Y/%m/%d}/article-{number}/"
        headline = " ".join(self.pick(self.random.randint(6, 12))).capitalize()
        lead = self.sentence() if self.random.random() < 0.6 else None
        body = "\n\n".join(paragraphs)
        article = Article(
            url=url,
            canonical_url=url,
            site=site,
            region=region,
            headline=headline,
            lead=lead,
            body=body,
            section=self.random.choice(SECTIONS),
            tags=self.pick(self.random.randint(0, 4)),
            authors=["Σύνταξη"],
            images=[Image(url=f"{base}/images/{number}.jpg", caption=self.sentence())],
            published_at=published,
            published_raw=f"{published:%d.%m.%Y | %H:%M}",
            fetched_at=published + timedelta(minutes=30),
            content_hash=content_hash(headline, lead, body),
            provenance={"headline": "jsonld", "body": "selector", "published_at": "meta"},
        )
        return Made(article, self._page(article, paragraphs), group, copy)

    def _page(self, article: Article, paragraphs: list[str]) -> bytes:
        header, footer = self.chrome[article.site]
        text = "".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs)
        lead = f'<p class="lead">{article.lead}</p>' if article.lead else ""
        return (
            f'<!DOCTYPE html><html lang="el"><head><meta charset="utf-8">'
            f"<title>{article.headline}</title></head><body>{header}<article>"
            f"<h1>{article.headline}</h1>{lead}<time>{article.published_raw}</time>{text}"
            f"</article>{footer}</body></html>"
        ).encode()

    def _chrome(self, site: str) -> tuple[str, str]:
        """A site's menu and ticker of other headlines (before), and its footer (after)."""
        menu = "".join(f'<li><a href="/{n}/">{s}</a></li>' for n, s in enumerate(SECTIONS))
        ticker = "".join(
            f'<li><a href="/news/{n}/">{" ".join(self.pick(9))}</a></li>' for n in range(40)
        )
        footer = f"<footer>{' '.join(self.pick(60))} © {site}</footer>"
        return f"<header><ul>{menu}</ul></header><aside><ul>{ticker}</ul></aside>", footer


def _accumulate(weights: list[int]) -> Iterator[int]:
    total = 0
    for weight in weights:
        total += weight
        yield total


@dataclass
class Clock:
    """Elapsed seconds and this process's CPU seconds (what the path costs with the machine to
    itself: it is shared, and elapsed time counts the others' turns too)."""

    wall: float = 0.0
    cpu: float = 0.0

    def __add__(self, other: Clock) -> Clock:
        return Clock(self.wall + other.wall, self.cpu + other.cpu)


def now() -> Clock:
    return Clock(time.perf_counter(), time.process_time())


def since(start: Clock) -> Clock:
    end = now()
    return Clock(end.wall - start.wall, end.cpu - start.cpu)


@dataclass
class Timing:
    """Seconds spent per stage of the path, over a run."""

    warc: Clock = field(default_factory=Clock)
    store: Clock = field(default_factory=Clock)
    """The batches: raw_pages rows and records, with their commits."""
    last_tenth: Clock = field(default_factory=Clock)
    page_bytes: int = 0

    @property
    def total(self) -> Clock:
        return self.warc + self.store


def keep_page(writer: WarcWriter, made: Made, run_id: int) -> RawPage:
    """The raw-pages middleware's work: the WARC record, and its row left for the batch."""
    article = made.article
    exchange = Exchange(
        url=article.url,
        fetched_at=article.fetched_at,
        status=200,
        headers=[("Content-Type", "text/html; charset=utf-8"), ("Server", "nginx")],
        body=made.page,
    )
    place = writer.write(exchange)
    return RawPage(
        url=article.url,
        fetched_at=article.fetched_at,
        status=200,
        content_type="text/html; charset=utf-8",
        warc_file=place.file,
        warc_offset=place.offset,
        warc_length=place.length,
        payload_sha256=place.payload_sha256,
        crawl_run_id=run_id,
    )


def run(
    size: int, folder: Path, generator: Generator, profile: cProfile.Profile | None, batch_size: int
) -> tuple[Timing, dict[str, int], Path]:
    """Stores `size` articles into a new archive in `folder`; the timing, each article's group."""
    path = folder / f"bench-{size}.db"
    timing = Timing()
    groups: dict[int, int] = {}
    copies: set[int] = set()
    with Archive(f"sqlite:///{path}") as archive, WarcWriter(folder / f"warc-{size}") as writer:
        run_id = start_run(archive.session, "crawl", sorted(SITES))
        pending: list[RawPage] = []
        batch: list[Article] = []
        last_tenth = size - size // 10
        for number in range(size):
            made = generator.make(number)
            groups[number] = made.group
            if made.copy:
                copies.add(number)
            timing.page_bytes += len(made.page)
            if profile is not None:
                profile.enable()
            started = now()
            pending.append(keep_page(writer, made, run_id))
            warc = since(started)
            batch.append(made.article)
            if len(batch) >= batch_size or number == size - 1:
                stored = archive.store_many(batch, raw_pages=pending, run_id=run_id)
                assert not stored.one_by_one, "a batch failed"
                batch, pending = [], []
            both = since(started)
            if profile is not None:
                profile.disable()
            timing.warc += warc
            timing.store += Clock(both.wall - warc.wall, both.cpu - warc.cpu)
            if number >= last_tenth:
                timing.last_tenth += both
        found = story_check(archive, groups, copies)
    return timing, found, path


FLOOR_SCHEMA = """
CREATE TABLE raw_pages (id INTEGER PRIMARY KEY, url TEXT, fetched_at TEXT, status INT,
    content_type TEXT, warc_file TEXT, warc_offset INT, warc_length INT, payload_sha256 TEXT,
    crawl_run_id INT);
CREATE TABLE articles (id INTEGER PRIMARY KEY, canonical_url TEXT UNIQUE, url TEXT, site TEXT,
    headline TEXT, lead TEXT, body TEXT, published_at TEXT, fetched_at TEXT, content_hash TEXT,
    search_text TEXT, minhash BLOB, current_version_id INT);
CREATE INDEX ix_site_hash ON articles (site, content_hash);
CREATE TABLE article_versions (id INTEGER PRIMARY KEY, article_id INT, number INT, record TEXT);
CREATE TABLE story_bands (key BIGINT, article_id INT, PRIMARY KEY (key, article_id));
"""
"""The peer's tables: the rows newsarchive writes for an article, without its other columns."""


def floor(size: int, folder: Path, generator: Generator, batch_size: int) -> Clock:
    """The peer: the same rows (raw page; article, version, band keys) written with sqlite3 in
    the same batch transactions, with the archive's writer pragmas, and no lookup at all;
    seconds of SQL. What writing costs on this disk before any dedup or story work."""
    connection = sqlite3.connect(folder / f"floor-{size}.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    for pragma in WRITER_PRAGMAS:
        connection.execute(pragma)
    connection.executescript(FLOOR_SCHEMA)
    seconds = Clock()
    rows: list[tuple[str, str]] = []
    batch: list[tuple[Article, str, bytes | None, list[int], str]] = []
    for number in range(size):
        article = generator.make(number).article
        folded = fold(article.body)
        signature = similarity.signature(folded, folded=True)
        keys = similarity.band_keys(signature) if signature else []
        record = json.dumps(article.to_dict(), ensure_ascii=False)
        rows.append((article.url, article.fetched_at.isoformat()))
        batch.append((article, folded, signature, keys, record))
        if len(batch) < batch_size and number < size - 1:
            continue
        started = now()
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            "INSERT INTO raw_pages VALUES (NULL, ?, ?, 200, 'text/html', 'a.warc.gz', 0, 0, '', 1)",
            rows,
        )
        for article, folded, signature, keys, record in batch:
            moment = article.fetched_at.isoformat()
            article_id = connection.execute(
                "INSERT INTO articles VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) "
                "RETURNING id",
                (
                    article.canonical_url,
                    article.url,
                    article.site,
                    article.headline,
                    article.lead,
                    article.body,
                    moment,
                    moment,
                    article.content_hash,
                    folded,
                    signature,
                ),
            ).fetchone()[0]
            version_id = connection.execute(
                "INSERT INTO article_versions VALUES (NULL, ?, 1, ?) RETURNING id",
                (article_id, record),
            ).fetchone()[0]
            connection.execute(
                "UPDATE articles SET current_version_id = ? WHERE id = ?", (version_id, article_id)
            )
            connection.executemany(
                "INSERT INTO story_bands VALUES (?, ?)", [(key, article_id) for key in set(keys)]
            )
        connection.execute("COMMIT")
        seconds += since(started)
        rows, batch = [], []
    connection.close()
    return seconds


BAND_LAYOUTS = {
    "one rowid table (0003)": ("", False),
    "one WITHOUT ROWID table": (" WITHOUT ROWID", False),
    "story_bands_new, then moved (0004)": (" WITHOUT ROWID", True),
}


def bands_only(size: int, folder: Path, batch_size: int, layout: str) -> tuple[float, float]:
    """CPU seconds an article of the band rows alone in one layout: over the run, last tenth."""
    options, staged = BAND_LAYOUTS[layout]
    connection = sqlite3.connect(folder / f"bands-{len(options)}-{staged}.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    for pragma in WRITER_PRAGMAS:
        connection.execute(pragma)
    for table in ("story_bands", "story_bands_new"):
        connection.execute(
            f"CREATE TABLE {table} (key BIGINT, article_id INT, PRIMARY KEY (key, article_id))"
            + options
        )
    target = "story_bands_new" if staged else "story_bands"
    draw = random.Random(1)
    started = time.process_time()
    tenth = started
    waiting = 0
    for first in range(0, size, batch_size):
        articles = range(first, min(first + batch_size, size))
        connection.execute("BEGIN IMMEDIATE")
        for article in articles:
            keys = [(draw.getrandbits(64) - 2**63, article) for _ in range(similarity.BANDS)]
            connection.executemany(f"INSERT INTO {target} VALUES (?, ?)", keys)
        waiting += len(articles) * similarity.BANDS
        if staged and waiting >= ingest.MERGE_ROWS:
            connection.execute(
                "INSERT INTO story_bands SELECT * FROM story_bands_new ORDER BY 1, 2"
            )
            connection.execute("DELETE FROM story_bands_new")
            waiting = 0
        connection.execute("COMMIT")
        if first < size - size // 10 <= first + batch_size:
            tenth = time.process_time()
    ended = time.process_time()
    connection.close()
    return (ended - started) / size, (ended - tenth) / (size // 10 or 1)


def story_check(archive: Archive, groups: dict[int, int], copies: set[int]) -> dict[str, int]:
    """Counts: copies found in their original's story, copies missed, articles joined wrongly."""
    rows = archive.session.execute(select(ArticleRow.url, ArticleRow.story_id)).all()
    story_of = {int(url.rstrip("/").rsplit("-", 1)[1]): story for url, story in rows}
    members: dict[int, set[int]] = collections.defaultdict(set)
    for number, story in story_of.items():
        if story is not None:
            members[story].add(groups[number])
    found = sum(
        1
        for number in copies
        if story_of[number] is not None and story_of[number] == story_of[groups[number]]
    )
    wrong = sum(
        1 for number, story in story_of.items() if story is not None and len(members[story]) > 1
    )
    return {"copies": len(copies), "found": found, "wrongly joined": wrong}


def rates(size: int, clock: Clock) -> str:
    """Articles per second elapsed, and per CPU second."""
    return f"{size / clock.wall:,.0f}/s (CPU {size / clock.cpu:,.0f}/s)"


def report(
    size: int,
    timing: Timing,
    found: dict[str, int],
    path: Path,
    peer: Clock | None,
    batch_size: int,
) -> Clock:
    """Prints one size's figures; its per-article cost in milliseconds (elapsed, CPU)."""
    total = timing.total
    tenth = max(size // 10, 1)
    share = found["found"] / found["copies"] if found["copies"] else 1.0
    print(
        f"{size:>7} articles through the path: {rates(size, total)}, "
        f"{total.wall / size * 1000:.3f} ms each (CPU {total.cpu / size * 1000:.3f}); "
        f"last tenth {rates(tenth, timing.last_tenth)}"
    )
    print(
        f"{'':>7}  store (rows and records, in batches of {batch_size}) "
        f"{rates(size, timing.store)}; "
        f"WARC writes {rates(size, timing.warc)} "
        f"(pages of {timing.page_bytes / size / 1000:.1f} KB)"
    )
    print(
        f"{'':>7}  near-duplicates found as stories: {found['found']}/{found['copies']} "
        f"({share:.1%}); articles joined to a story of another text: {found['wrongly joined']}; "
        f"archive {path.stat().st_size / 1e6:,.0f} MB"
    )
    if peer is not None:
        print(
            f"{'':>7}  peer (bare sqlite3, same rows and transactions, no lookups): "
            f"{rates(size, peer)}; store path / peer: {total.wall / peer.wall:.2f}× the time "
            f"(CPU {total.cpu / peer.cpu:.2f}×)"
        )
    return Clock(total.wall / size * 1000, total.cpu / size * 1000)


def import_speed(path: Path, folder: Path) -> tuple[int, Clock]:
    """`newsarchive export` of the archive (not timed), then `newsarchive import` of it into a
    new archive: the lines, and the import command's elapsed and CPU seconds (start-up in)."""
    command = [sys.executable, "-m", "newsarchive"]
    dump = folder / f"{path.stem}.jsonl"
    with dump.open("wb") as out:
        subprocess.run(
            [*command, "export", "--db", str(path)],
            stdout=out,
            stderr=subprocess.DEVNULL,
            check=True,
        )
    lines = sum(1 for _ in dump.open("rb"))
    before, started = children_cpu(), time.perf_counter()
    target = folder / f"{path.stem}-imported.db"
    subprocess.run(
        [*command, "import", str(dump), "--db", str(target)], stdout=subprocess.DEVNULL, check=True
    )
    return lines, Clock(time.perf_counter() - started, children_cpu() - before)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated article counts")
    parser.add_argument("--duplicates", type=float, default=0.1, help="share of copies")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="cProfile the smallest size's path")
    parser.add_argument("--folder", type=Path, default=None, help="where the archives go (tmp)")
    parser.add_argument("--no-peer", action="store_true", help="skip the bare sqlite3 peer")
    parser.add_argument(
        "--batch", type=int, default=DEFAULT_BATCH, help="records a transaction (the crawl's)"
    )
    parser.add_argument("--bands", action="store_true", help="the band rows alone, per layout")
    parser.add_argument(
        "--import", dest="imports", action="store_true", help="time newsarchive import too"
    )
    options = parser.parse_args()
    sizes = sorted(int(size) for size in options.sizes.split(","))
    costs: list[Clock] = []
    if options.bands:
        with tempfile.TemporaryDirectory(dir=options.folder) as folder:
            for layout in BAND_LAYOUTS:
                run_cost, last = bands_only(sizes[-1], Path(folder), options.batch, layout)
                print(
                    f"{sizes[-1]:,} articles' band rows into {layout}: CPU {run_cost * 1000:.3f} "
                    f"ms an article, {last * 1000:.3f} in the last tenth"
                )
        return 0
    with tempfile.TemporaryDirectory(dir=options.folder) as folder:
        for index, size in enumerate(sizes):
            generator = Generator(options.duplicates, options.seed)
            profile = cProfile.Profile() if options.profile and index == 0 else None
            timing, found, path = run(size, Path(folder), generator, profile, options.batch)
            peer = None
            if not options.no_peer:
                peer = floor(
                    size, Path(folder), Generator(options.duplicates, options.seed), options.batch
                )
            costs.append(report(size, timing, found, path, peer, options.batch))
            if options.imports:
                lines, clock = import_speed(path, Path(folder))
                print(f"{'':>7}  newsarchive import of its export: {rates(lines, clock)} lines")
            if profile is not None:
                text = io.StringIO()
                pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(30)
                print(text.getvalue())
    if len(costs) > 1:
        print(
            f"per-article cost at {sizes[-1]:,} / at {sizes[0]:,}: "
            f"{costs[-1].wall / costs[0].wall:.2f} elapsed, {costs[-1].cpu / costs[0].cpu:.2f} CPU "
            "(target ≤ 1.3)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

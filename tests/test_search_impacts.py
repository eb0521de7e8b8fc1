"""The common terms' buckets (`newsarchive.search.impacts`) kept by the store path of a real
SQLite archive: the pages they give are FTS5's own (the same articles, order and scores), and
every bucket holds exactly the best articles of its term and count."""

from __future__ import annotations

import random
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from newsarchive.archive import Archive
from newsarchive.items import Article
from newsarchive.search import impacts, run
from tests.test_search_run import JAN, piece

WORDS = (
    "Λάρισα Λάρισας ΛΑΡΙΣΑ Βόλος Βόλου Τρίκαλα Τρικάλων Καρδίτσα Καρδίτσας πλημμύρα πλημμύρες "
    "δήμαρχος δημάρχου αγρότες αγροτών μπλόκο Τέμπη σεισμός σεισμού Περιφέρεια Περιφέρειας "
    "νοσοκομείο νοσοκομείου σχολείο σχολεία δρόμος δρόμου νερό νερά φωτιά πυρκαγιά"
).split()


def text(rng: random.Random, words: int) -> str:
    # Zipf-like: the first words are in most articles, the last in few
    return " ".join(
        WORDS[min(int(rng.paretovariate(0.7)) - 1, len(WORDS) - 1)] for _ in range(words)
    )


def pieces(count: int, seed: int) -> Iterator[Article]:
    rng = random.Random(seed)
    for number in range(count):
        yield piece(
            number + 100,
            text(rng, rng.randint(1, 6)),
            text(rng, rng.randint(3, 40)),
            published_at=JAN + timedelta(hours=rng.randint(0, 2000)),
        )


@pytest.fixture
def small_buckets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Terms common at 12 articles; buckets cut at 3 kept, trimmed past 5, read 2 at a time:
    every case met."""
    monkeypatch.setattr(impacts, "COMMON_AT", 12)
    monkeypatch.setattr(impacts, "KEPT", 3)
    monkeypatch.setattr(impacts, "TRIM_AT", 5)
    monkeypatch.setattr(impacts, "CHUNK", 2)


@pytest.fixture
def archive_path(tmp_path: Path, small_buckets: None) -> Path:
    """An archive grown in batches (scans at 12, 24, 48, 96... articles), then with a third of
    its articles changed (each a new version: out of the buckets, and in again)."""
    path = tmp_path / "archive.db"
    made = list(pieces(150, seed=7))
    with Archive(f"sqlite:///{path}") as archive:
        for start in range(0, len(made), 10):
            archive.store_many(made[start : start + 10])
        rng = random.Random(8)
        changed = [
            piece(
                100 + number,
                text(rng, rng.randint(1, 6)),
                text(rng, rng.randint(3, 40)),
                published_at=made[number].published_at,
            )
            for number in range(0, len(made), 3)
        ]
        for start in range(0, len(changed), 10):
            archive.store_many(changed[start : start + 10])
    return path


def fts5_page(connection: sqlite3.Connection, term: str, wanted: int) -> list[tuple[int, float]]:
    return connection.execute(
        f"SELECT rowid, -{run.BM25} FROM articles_fts WHERE articles_fts MATCH ? "
        f"ORDER BY {run.BM25}, rowid LIMIT ?",
        (f'"{term}"', wanted),
    ).fetchall()


KEYS = "SELECT id FROM articles_fts_docsize"
"""Each indexed article's search key (the index's rowid)."""


def common_terms(connection: sqlite3.Connection) -> list[str]:
    return [row[0] for row in connection.execute(f"SELECT term FROM {impacts.TERMS}")]


def test_the_store_path_promotes_common_terms(archive_path: Path) -> None:
    connection = sqlite3.connect(archive_path)
    terms = common_terms(connection)
    assert {"πλημμυρ", "καρδιτσ", "σεισμ"} <= set(terms)
    (articles,) = connection.execute("SELECT count(*) FROM articles").fetchone()
    for term in ("λαρισ", "βολ"):  # in more than half the articles: left to FTS5
        assert term not in terms
        assert len(fts5_page(connection, term, articles)) * 2 > articles
    cut = connection.execute(
        f"SELECT count(*) FROM {impacts.BUCKETS} WHERE cut_length IS NOT NULL"
    ).fetchone()[0]
    assert cut > 0  # some buckets were trimmed, so the cut path is tested


@pytest.mark.parametrize("wanted", [1, 2, 3, 5, 20])
def test_pages_are_fts5s_own(archive_path: Path, wanted: int) -> None:
    connection = sqlite3.connect(archive_path)
    answered = 0
    for term in common_terms(connection):
        found = impacts.best(connection, term, wanted)
        if found is not None:
            assert found == fts5_page(connection, term, wanted), term
            answered += 1
    if wanted <= impacts.KEPT:
        assert answered > 0
    else:  # a page past what a cut bucket keeps is left to FTS5
        assert answered < len(common_terms(connection))
    if wanted == 1:  # every bucket keeps its best article
        assert answered == len(common_terms(connection))


def test_buckets_hold_the_best_articles_of_their_count(archive_path: Path) -> None:
    """Computed again from the articles' own term columns, not from the index."""
    connection = sqlite3.connect(archive_path)
    ids = dict(connection.execute(f"SELECT term, id FROM {impacts.TERMS}").fetchall())
    truth: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    documents: Counter[int] = Counter()
    keys = {key & run.ID_MASK: key for (key,) in connection.execute(KEYS)}
    rows = connection.execute("SELECT id, search_title, search_text FROM articles")
    for article_id, title, body in rows:
        length, found = impacts.weights(title, body, ids)
        for term_id, weight in found.items():
            documents[term_id] += 1
            truth[(term_id, weight)].append((length, keys[article_id]))
    assert dict(connection.execute(f"SELECT id, documents FROM {impacts.TERMS}")) == dict(documents)
    for term_id, weight, cut_length, cut_key in connection.execute(
        f"SELECT term_id, weight, cut_length, cut_key FROM {impacts.BUCKETS}"
    ).fetchall():
        kept = connection.execute(
            f"SELECT length, key FROM {impacts.IMPACTS} WHERE term_id = ? AND weight = ? "
            "ORDER BY length, key",
            (term_id, weight),
        ).fetchall()
        every = sorted(truth[(term_id, weight)])
        assert kept == every[: len(kept)]
        if cut_length is None:
            assert kept == every
        else:
            assert all(place >= (cut_length, cut_key) for place in every[len(kept) :])


def test_search_pages_by_relevance_are_those_of_fts5(
    archive_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{archive_path}"

    def pages() -> list[tuple[list[tuple[int, float | None, tuple]], int]]:
        found = []
        for word in ("ΠΛΗΜΜΥΡΕΣ", "Καρδίτσας", "σεισμού", "δημάρχου", "λαρισα"):
            for offset in (0, 2, 4):
                page = run.search_page(url, word, sort="relevance", limit=2, offset=offset)
                hits = [(hit.id, hit.score, hit.snippet) for hit in page.hits]
                found.append((hits, page.total))
        return found

    read: list[str] = []
    best = impacts.best
    monkeypatch.setattr(impacts, "best", lambda *args: read.append(args[1]) or best(*args))
    kept = pages()
    assert read  # the buckets were read
    monkeypatch.setattr(impacts, "best", lambda *args: None)  # FTS5 scores every match
    assert kept == pages()


def test_an_archive_from_before_the_buckets_gets_them_when_upgraded(archive_path: Path) -> None:
    connection = sqlite3.connect(archive_path)
    before = set(common_terms(connection))
    for table in impacts.TABLES:
        connection.execute(f"DROP TABLE {table}")
    connection.execute("UPDATE alembic_version SET version_num = '0004'")
    connection.commit()
    connection.close()
    with Archive(f"sqlite:///{archive_path}") as archive:
        assert archive.upgraded_from == "0004"
    connection = sqlite3.connect(archive_path)
    terms = common_terms(connection)
    assert before <= set(terms)  # and any that became common since the last scan
    for term in terms:
        assert impacts.best(connection, term, 1) == fts5_page(connection, term, 1)
        assert impacts.best(connection, term, 3) in (None, fts5_page(connection, term, 3))

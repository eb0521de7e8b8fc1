"""The archive: upsert on the canonical URL, time zones kept, consistent after a failure."""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from newsarchive.archive import Archive, ArchiveError, UpsertResult
from newsarchive.archive.models import ArticleRow
from newsarchive.dates import ATHENS
from newsarchive.items import Article, Image
from newsarchive.search.index import outside_models
from newsarchive.search.tokens import index_terms
from newsarchive.text import content_hash, fold
from tests.conftest import empty_postgres


def article(**changes: object) -> Article:
    base = Article(
        url="https://www.thessaliatv.gr/news/185511/imerida/",
        canonical_url="https://www.thessaliatv.gr/news/185511/",
        site="thessaliatv",
        region="larisa",
        headline="Ημερίδα για την κοινωνική καινοτομία",
        lead="Στο κέντρο καινοτομίας JOIST στη Λάρισα",
        body="Η στρατηγική της Περιφέρειας Θεσσαλίας αναλύθηκε σε ημερίδα στη Λάρισα.",
        tags=["καινοτομία"],
        images=[Image(url="https://www.thessaliatv.gr/a.jpg", caption="Λεζάντα")],
        published_at=datetime(2026, 1, 19, 13, 47, tzinfo=ATHENS),
        published_raw="19.01.2026 | 13:47",
        fetched_at=datetime(2026, 2, 9, 9, 0, tzinfo=UTC),
    )
    changed = dataclasses.replace(base, **changes)  # type: ignore[arg-type]
    changed.content_hash = content_hash(changed.headline, changed.lead, changed.body)
    return changed


def count(archive: Archive) -> int:
    return archive.session.scalar(select(func.count()).select_from(ArticleRow)) or 0


def test_upsert_new_unchanged_updated(db_url: str) -> None:
    with Archive(db_url) as archive:
        assert archive.upsert(article()) is UpsertResult.NEW
        assert (
            archive.upsert(article(url="https://thessaliatv.gr/news/185511/"))
            is UpsertResult.UNCHANGED
        )
        assert (
            archive.upsert(article(body=article().body + " Νέα πρόταση.")) is UpsertResult.UPDATED
        )
        assert count(archive) == 1
        assert archive.known_urls("thessaliatv") == {"https://www.thessaliatv.gr/news/185511/"}
        assert archive.known_urls("larissanet") == set()


def test_dates_come_back_aware_in_athens_time(db_url: str) -> None:
    summer = datetime(2025, 7, 1, 9, 30, tzinfo=ATHENS)
    with Archive(db_url) as archive:
        archive.upsert(article(published_at=summer))
    with Archive(db_url, create=False) as archive:
        row = archive.session.scalars(select(ArticleRow)).one()
        assert row.published_at == summer
        assert row.published_at is not None and row.published_at.utcoffset() == summer.utcoffset()
        assert row.images == [{"url": "https://www.thessaliatv.gr/a.jpg", "caption": "Λεζάντα"}]


def test_the_index_terms_are_folded_and_stemmed(db_url: str) -> None:
    with Archive(db_url) as archive:
        archive.upsert(article())
        row = archive.session.scalars(select(ArticleRow)).one()
        assert "λαρισ" in row.search_text.split() and "ημεριδ" in row.search_text.split()
        assert row.search_title.split() == index_terms(row.headline)


def test_a_failed_write_leaves_the_archive_as_it_was(db_url: str) -> None:
    with Archive(db_url) as archive:
        archive.upsert(article())
        broken = article(
            canonical_url="https://www.thessaliatv.gr/news/1/",
            body="Άλλο κείμενο, για να μην είναι ψευδώνυμο του πρώτου. " * 3,
            published_at=datetime(2026, 1, 1),
        )
        with pytest.raises(Exception, match="naive datetime"):
            archive.upsert(broken)
        assert count(archive) == 1
        assert (
            archive.upsert(
                article(
                    canonical_url="https://www.thessaliatv.gr/news/2/", body="Τρίτο κείμενο. " * 9
                )
            )
            is UpsertResult.NEW
        )
        assert count(archive) == 2


def test_migrations_build_exactly_the_models_schema(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from newsarchive.archive.models import Base

    with Archive(db_url) as archive, archive.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": lambda name, kind, parent: not outside_models(name),
            },
        )
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() is not None


def _archive_at_revision_0001(url: str, records: list[Article]) -> None:
    """An archive as newsarchive 0.1 (schema 0001) left it: one mutable row per URL."""
    from alembic import command

    from newsarchive.archive.store import _alembic_config

    engine = create_engine(url)
    with engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        for record in records:
            values = {
                "url": record.url,
                "canonical_url": record.canonical_url,
                "site": record.site,
                "region": record.region,
                "headline": record.headline,
                "lead": record.lead,
                "body": record.body,
                "section": record.section,
                "tags": '["καινοτομία"]',
                "authors": "[]",
                "images": "[]",
                "published_at": record.published_at.astimezone(UTC).replace(tzinfo=None)
                if record.published_at
                else None,
                "published_raw": record.published_raw,
                "language": "el",
                "fetched_at": record.fetched_at.astimezone(UTC).replace(tzinfo=None),
                "first_seen_at": record.fetched_at.astimezone(UTC).replace(tzinfo=None),
                "content_hash": record.content_hash,
                "provenance": '{"headline": "jsonld"}',
                "is_teaser": False,
                "search_text": fold(f"{record.headline} {record.body}"),
            }
            columns = ", ".join(values)
            marks = ", ".join(f":{name}" for name in values)
            connection.execute(text(f"INSERT INTO articles ({columns}) VALUES ({marks})"), values)
    engine.dispose()


def test_an_archive_of_schema_0001_upgrades_in_place_with_every_row_kept(db_url: str) -> None:
    from newsarchive.archive.models import VersionRow

    old = [
        article(canonical_url=f"https://www.thessaliatv.gr/news/{n}/", body=f"Κείμενο αριθμός {n}.")
        for n in range(5)
    ]
    _archive_at_revision_0001(db_url, old)
    with pytest.raises(ArchiveError, match="newsarchive db upgrade"):
        Archive(db_url, read_only=True)
    with Archive(db_url) as archive:
        assert archive.upgraded_from == "0001"
        rows = archive.session.scalars(select(ArticleRow).order_by(ArticleRow.id)).all()
        assert [row.canonical_url for row in rows] == [record.canonical_url for record in old]
        assert [row.body for row in rows] == [record.body for record in old]
        versions = archive.session.scalars(select(VersionRow).order_by(VersionRow.id)).all()
        assert [(v.article_id, v.number) for v in versions] == [(row.id, 1) for row in rows]
        assert all(row.current_version_id == v.id for row, v in zip(rows, versions, strict=True))
        first = versions[0].record
        assert first["headline"] == old[0].headline and first["tags"] == ["καινοτομία"]
        assert datetime.fromisoformat(first["published_at"]) == old[0].published_at
        assert rows[0].last_seen_at == old[0].fetched_at
        # What the old archive knew keeps working: the same page again is unchanged.
        assert archive.upsert(old[0]) is UpsertResult.UNCHANGED
        changed = article(canonical_url=old[1].canonical_url, body="Διορθωμένο κείμενο.")
        assert archive.store(changed).version == 2
    with Archive(db_url, read_only=True) as archive:
        assert archive.session.scalar(select(func.count()).select_from(ArticleRow)) == 5


def _migrate(url: str, revision: str, *, down: bool = False) -> None:
    from alembic import command

    from newsarchive.archive.store import _alembic_config

    engine = create_engine(url)
    with engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
    engine.dispose()


def _band_rows(archive: Archive, table: str) -> set[tuple[int, int]]:
    query = text(f"SELECT key, article_id FROM {table}")
    return {(key, article) for key, article in archive.session.execute(query)}


def test_an_archive_of_schema_0003_keeps_every_band_row_in_the_band_index(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsarchive.archive import ingest
    from tests.test_similarity import TEXTS

    names = ["release_region", "report_thessaliatv", "release_thessaliatv", "short_kyprou"]
    with Archive(db_url) as archive:
        monkeypatch.setattr(ingest, "MERGE_CHECK_ROWS", 1)
        monkeypatch.setattr(ingest, "MERGE_ROWS", 1)
        archive.store(TEXTS[names[0]].article)  # its rows moved into story_bands
        monkeypatch.setattr(ingest, "MERGE_ROWS", 10**9)
        for name in names[1:]:
            archive.store(TEXTS[name].article)
        moved, waiting = _band_rows(archive, "story_bands"), _band_rows(archive, "story_bands_new")
        assert moved and waiting
    _migrate(db_url, "0003", down=True)  # what 0003 had: every row in story_bands
    old = create_engine(db_url)
    with old.connect() as connection:
        assert "story_bands_new" not in inspect_tables(connection)
        kept = set(connection.execute(text("SELECT key, article_id FROM story_bands")))
    old.dispose()
    assert kept == moved | waiting
    with Archive(db_url) as archive:
        assert archive.upgraded_from == "0003"
        assert _band_rows(archive, "story_bands") == moved | waiting
        assert _band_rows(archive, "story_bands_new") == set()
        if archive.path is not None:
            made = archive.session.execute(
                text("SELECT sql FROM sqlite_master WHERE name LIKE 'story_bands%'")
            ).scalars()
            assert all("WITHOUT ROWID" in sql for sql in made)
        copy = archive.store(TEXTS["release_larissanet"].article)  # its original, upgraded
        assert copy.story_id is not None
        assert _band_rows(archive, "story_bands_new")


def inspect_tables(connection: Any) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(connection).get_table_names())


# --- opening: concurrent creation, read-only openings, what is not an archive -----------------


def _open_when_released(url: str, barrier: Any, results: Any) -> None:
    """A child process: wait for the others, then open (and so create) the archive."""
    barrier.wait()
    try:
        Archive(url).close()
        results.put("ok")
    except Exception as error:  # reported to the test, which shows it
        results.put(f"{type(error).__name__}: {error}")


def test_concurrent_first_openings_create_the_schema_once(db_url: str, tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    processes = 8
    for round_ in range(4):
        url = db_url if db_url.startswith("postgresql") else f"sqlite:///{tmp_path}/new{round_}.db"
        if round_ and db_url.startswith("postgresql"):
            empty_postgres(db_url)
        barrier, results = context.Barrier(processes), context.Queue()
        children = [
            context.Process(target=_open_when_released, args=(url, barrier, results))
            for _ in range(processes)
        ]
        for child in children:
            child.start()
        outcomes = [results.get(timeout=120) for _ in children]
        for child in children:
            child.join(timeout=60)
        assert outcomes == ["ok"] * processes, outcomes
        with Archive(url, read_only=True) as archive:
            assert count(archive) == 0


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def foreign_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    connection.execute("INSERT INTO notes (text) VALUES ('my notes')")
    connection.commit()
    connection.close()


@pytest.mark.parametrize("kind", ["empty", "foreign"])
@pytest.mark.parametrize("read_only", [True, False])
def test_what_is_not_an_archive_is_refused_and_left_alone(
    tmp_path: Path, kind: str, read_only: bool
) -> None:
    path = tmp_path / "other.db"
    if kind == "empty":
        path.write_bytes(b"")
    else:
        foreign_sqlite(path)
    before = digest(path)
    if kind == "empty" and not read_only:  # an empty file is an empty SQLite database: made ours
        Archive(f"sqlite:///{path}").close()
        return
    with pytest.raises(ArchiveError, match="is not a newsarchive archive"):
        Archive(f"sqlite:///{path}", read_only=read_only)
    assert digest(path) == before
    assert [child.name for child in tmp_path.iterdir()] == ["other.db"]


def set_revision(url: str, revision: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
    engine.dispose()


@pytest.mark.parametrize("read_only", [True, False])
def test_an_unknown_schema_revision_is_refused(db_url: str, read_only: bool) -> None:
    with Archive(db_url) as archive:
        archive.upsert(article())
    set_revision(db_url, "ffff9999")
    path = db_url.removeprefix("sqlite:///")
    before = digest(Path(path)) if db_url.startswith("sqlite") else None
    with pytest.raises(ArchiveError, match="schema revision 'ffff9999', which this newsarchive"):
        Archive(db_url, read_only=read_only)
    if before is not None:
        assert digest(Path(path)) == before


def test_a_read_only_opening_writes_nothing_and_cannot_write(db_url: str) -> None:
    with Archive(db_url) as archive:
        archive.upsert(article())
    path = Path(db_url.removeprefix("sqlite:///"))
    sqlite = db_url.startswith("sqlite")
    before = (digest(path), sorted(path.parent.iterdir())) if sqlite else None
    with Archive(db_url, read_only=True) as archive:
        assert count(archive) == 1
        with pytest.raises(Exception, match=r"(?i)read.?only"):
            archive.upsert(article(canonical_url="https://www.thessaliatv.gr/news/2/"))
    if before is not None:
        assert (digest(path), sorted(path.parent.iterdir())) == before


def test_a_new_file_is_taken_back_when_creation_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsarchive.archive import store

    def failing(connection: object) -> None:
        raise OperationalError("CREATE TABLE", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(store, "migrate", failing)
    with pytest.raises(ArchiveError, match="disk I/O error"):
        Archive(f"sqlite:///{tmp_path / 'new.db'}")
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_page_is_an_archive_error_when_read(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    with Archive(f"sqlite:///{path}") as archive:
        for n in range(300):
            archive.upsert(
                article(canonical_url=f"https://www.thessaliatv.gr/news/{n}/", body=f"Κείμενο {n}.")
            )
    data = bytearray(path.read_bytes())
    page = 4096
    schema_pages = 40  # each table and index has its root page among the first ones
    assert len(data) > 2 * schema_pages * page
    data[schema_pages * page :] = b"\xff" * (len(data) - schema_pages * page)
    path.write_bytes(bytes(data))
    with (
        Archive(f"sqlite:///{path}", read_only=True) as archive,
        pytest.raises(ArchiveError, match=r"cannot read archive .*archive\.db"),
        archive.reading(),
    ):
        list(archive.session.scalars(select(ArticleRow)))


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_database_url_is_refused(value: str) -> None:
    with pytest.raises(ArchiveError, match="empty database URL"):
        Archive(value)


@pytest.mark.parametrize("name", ["50%.db", "a%20b.db", "why?.db", "λάρισα #1.db"])
def test_a_file_path_is_taken_as_it_is_written(tmp_path: Path, name: str) -> None:
    with Archive(str(tmp_path / name)) as archive:
        archive.upsert(article())
    assert [path.name for path in tmp_path.iterdir()] == [name]
    with Archive(str(tmp_path / name), read_only=True) as archive:
        assert count(archive) == 1

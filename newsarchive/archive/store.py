"""Opening an archive by URL, creating its schema, and upserting records.

Opening is safe to do from several processes at once: creating or upgrading the schema happens
under a lock (the archive folder's `flock` and `BEGIN IMMEDIATE` on SQLite, an advisory lock on
PostgreSQL). A read-only opening (`read_only=True`, what search and export use) never writes:
it checks that the database is a newsarchive archive at the schema this code knows, and refuses
anything else with an `ArchiveError` saying what it found.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session

from newsarchive.archive.files import BUSY_SECONDS as BUSY_SECONDS
from newsarchive.archive.files import DEFAULT_DATABASE_URL as DEFAULT_DATABASE_URL
from newsarchive.archive.files import ENV_DATABASE_URL as ENV_DATABASE_URL
from newsarchive.archive.files import (
    SCHEMA_HEAD,
    SCHEMA_REVISIONS,
    _check_sqlite_file,
    _has_surrogates,
    _sqlite_uri,
)
from newsarchive.archive.files import ArchiveError as ArchiveError
from newsarchive.archive.files import database_url as database_url
from newsarchive.archive.ingest import FIND_RAW_PAGE, Ingest, RawPage, Stored, UpsertResult
from newsarchive.archive.models import ArticleRow
from newsarchive.items import Article
from newsarchive.search import impacts

if TYPE_CHECKING:
    from alembic.config import Config

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: SQLite's own locking only
    fcntl = None  # type: ignore[assignment]

LOCK_SECONDS = 60.0
"""How long opening waits for another process creating or upgrading the same SQLite archive."""
PG_LOCK_KEY = 0x6E657773  # "news": the advisory lock held while a PostgreSQL schema is made
OUR_TABLES = frozenset(
    {
        "articles",
        "alembic_version",
        "article_versions",
        "url_aliases",
        "stories",
        "story_bands",
        "story_bands_new",
        "crawl_runs",
        "raw_pages",
        "sources",
    }
)
MIGRATIONS = "newsarchive.archive:migrations"
WRITER_PRAGMAS = (
    # With WAL: consistent after a crash (a commit may be lost on power loss, never half-kept).
    "PRAGMA synchronous=NORMAL",
    # Checkpoint after ~200 MB of WAL, not 4 MB: each article's 42 band rows land on 42 random
    # pages of the band index, and a page written again before the checkpoint is copied back
    # once. Measured by bench/ingest.py: twice the rate of bare sqlite3 at 10,000 articles at
    # 40 MB; storing into a 60,000-article archive, commits took 0.57 ms of CPU an article at
    # 200 MB, 0.83 at 40 MB (the WAL then holds ~7 batches of 200, not ~1.5).
    "PRAGMA wal_autocheckpoint=50000",
    # 8 MB of page cache (2 MB by default), and no memory map: both grow with the archive up to
    # their limit, and a crawl's peak memory with them (64 MB of cache and a 256 MB map took a
    # crawl from 189 MiB at 300 pages to 260 at 3,000; with 8 MB, 189 to 196). Pages missed are
    # read from the OS's file cache: bench/ingest.py stored 10,000 articles at the same CPU
    # rate with 2, 8, 16 or 64 MB, and with or without the map (±10%, the machine's noise).
    "PRAGMA cache_size=-8192",
    # The story lookup's GROUP BY / ORDER BY sorts in memory, not in a temporary file.
    "PRAGMA temp_store=MEMORY",
)
"""What a writing connection sets (a read-only one sets none of these: readers are unaffected)."""
RAW_IDS_KEPT = 10_000
"""Ids of raw pages stored in earlier batches whose records have not come yet (a record comes
after its page); past this, the oldest are asked of the database instead."""

logger = logging.getLogger(__name__)


def _parse_url(value: str) -> URL:
    try:
        url = make_url(value)
    except (ArgumentError, ValueError):
        raise ArchiveError(
            f"malformed database URL {value!r}: use sqlite:///PATH or postgresql://USER@HOST/DB"
        ) from None
    if url.get_backend_name() == "sqlite" and url.query:
        raise ArchiveError(
            f"unsupported database URL {value!r}: SQLite URL options (?…) are not taken; "
            "use sqlite:///PATH"
        )
    if url.get_backend_name() != "sqlite" and _has_surrogates(value):
        raise ArchiveError(f"malformed database URL {value!r}: it is not valid UTF-8")
    return url


def _sqlite_path(url: URL) -> Path | None:
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def json_text(value: Any) -> str:
    """JSON as stored: Greek as it is written (a third of the size of `\\u` escapes)."""
    return json.dumps(value, ensure_ascii=False)


def _make_engine(url: URL, *, create: bool, read_only: bool) -> Engine:
    path = _sqlite_path(url)
    try:
        if path is not None:
            uri = _sqlite_uri(path, create=create, read_only=read_only)

            def connect() -> sqlite3.Connection:
                connection = sqlite3.connect(
                    uri, uri=True, timeout=BUSY_SECONDS, check_same_thread=False
                )
                _sqlite_pragmas(connection, read_only=read_only)
                return connection

            return create_engine(url, creator=connect, json_serializer=json_text)
        if url.get_backend_name() == "postgresql" and read_only:
            return create_engine(
                url, execution_options={"postgresql_readonly": True}, json_serializer=json_text
            )
        engine = create_engine(url, json_serializer=json_text)
    except (NoSuchModuleError, ArgumentError, ImportError) as error:
        raise ArchiveError(
            f"unsupported database URL {url.render_as_string()!r} ({error}); "
            "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB "
            "(pip install 'newsarchive[postgres]')"
        ) from None
    if url.get_backend_name() == "sqlite":  # in memory

        def pragmas(connection: sqlite3.Connection, _record: Any) -> None:
            _sqlite_pragmas(connection, read_only)

        event.listen(engine, "connect", pragmas)
    return engine


def _sqlite_pragmas(connection: sqlite3.Connection, read_only: bool) -> None:
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_SECONDS * 1000)}")
    if read_only:
        cursor.execute("PRAGMA query_only=ON")  # a read command never writes, whatever it runs
    else:
        for pragma in WRITER_PRAGMAS:
            cursor.execute(pragma)
    cursor.close()


@contextmanager
def _creation_lock(path: Path | None) -> Iterator[None]:
    """Held while a SQLite archive is opened for writing: one process at a time creates or
    upgrades the schema (an exclusive `flock` on the archive's folder; no file is added)."""
    if path is None or fcntl is None:
        yield
        return
    try:
        folder = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield  # an unreadable folder: BEGIN IMMEDIATE alone serializes the migration
        return
    try:
        deadline = time.monotonic() + LOCK_SECONDS
        while True:
            try:
                fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ArchiveError(
                        f"cannot open archive {path}: another process has been creating it "
                        f"for {LOCK_SECONDS:.0f} s; try again"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(folder)  # releases the lock


@dataclass
class Batch:
    """What `Archive.store_many` did: one outcome per record, in order (what was stored, or the
    error that kept that record out), and the raw pages that could not be kept, with why."""

    outcomes: list[Stored | Exception] = field(default_factory=list)
    raw_pages_not_kept: list[tuple[RawPage, Exception]] = field(default_factory=list)
    one_by_one: bool = False
    """The batch's transaction failed and every record was stored alone."""


@dataclass(frozen=True)
class SchemaState:
    """What a database holds, as far as newsarchive cares."""

    tables: frozenset[str]
    """Its tables and views (default schema)."""
    revision: str | None
    """The Alembic revision it is at; None without an `alembic_version` row."""


def read_schema(connection: Connection) -> SchemaState:
    """The schema state of a database, read without writing."""
    inspector = inspect(connection)
    tables = frozenset(inspector.get_table_names()) | frozenset(inspector.get_view_names())
    revision = None
    if "alembic_version" in tables:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return SchemaState(tables, revision)


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return config


def known_revisions() -> tuple[list[str], str]:
    """Every schema revision this newsarchive knows, newest first, and the newest (head)."""
    return list(reversed(SCHEMA_REVISIONS)), SCHEMA_HEAD


def _listing(names: frozenset[str]) -> str:
    shown = sorted(names)
    return ", ".join(shown[:5]) + (f" and {len(shown) - 5} more" if len(shown) > 5 else "")


def check_schema(state: SchemaState, where: str, *, sqlite: bool, read_only: bool) -> bool:
    """Whether the database needs migrating; raises ArchiveError when it is not ours, or at a
    revision this code does not know, or (read-only) not at the newest revision."""
    known, head = known_revisions()
    not_ours = f"{where} is not a newsarchive archive"
    if state.revision is not None and state.revision not in known:
        raise ArchiveError(
            f"{where} is at schema revision {state.revision!r}, which this newsarchive does not "
            "know: a newer newsarchive wrote it (upgrade newsarchive), or it is not a "
            "newsarchive archive"
        )
    others = state.tables - OUR_TABLES
    if state.revision is None:
        if "articles" in state.tables or (sqlite and others):
            raise ArchiveError(
                f"{not_ours}: it holds another program's tables ({_listing(state.tables)})"
            )
        if read_only:
            found = "it is empty" if not state.tables else "it has no articles table"
            raise ArchiveError(f"{not_ours}: {found} (run `newsarchive crawl` into it first)")
        return True
    if "articles" not in state.tables:
        raise ArchiveError(f"{not_ours}: it has a schema revision but no articles table")
    if state.revision != head:
        if read_only:
            raise ArchiveError(
                f"{where} is at the older schema revision {state.revision}: run "
                "`newsarchive db upgrade` (or a crawl) to upgrade it"
            )
        return True
    return False


def migrate(connection: Connection) -> None:
    """Bring the schema to the newest Alembic revision (creating it in a new archive), in one
    transaction that holds the database's write lock (SQLite) or an advisory lock
    (PostgreSQL), so that concurrent openings create it once."""
    from alembic import command

    dialect = connection.dialect.name
    if dialect == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
    from alembic.util import CommandError

    config = _alembic_config()
    config.attributes["connection"] = connection
    try:
        command.upgrade(config, "head")
    except CommandError as error:
        raise MigrationError(str(error)) from error
    connection.commit()


class MigrationError(RuntimeError):
    """Alembic could not bring the schema to its head."""


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


def _remove_new_file(path: Path) -> None:
    """Takes back a SQLite file this opening created and could not finish."""
    for leftover in (path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))):
        with suppress(OSError):
            leftover.unlink()


class Archive:
    """A connection to the archive.

    `create=False` refuses to make a new SQLite file. `read_only=True` (implies create=False)
    opens it for reading only: nothing is created, migrated or written, and anything but a
    newsarchive archive at the newest schema revision is refused.
    """

    def __init__(
        self, url: str | None = None, *, create: bool = True, read_only: bool = False
    ) -> None:
        parsed = _parse_url(database_url(url))
        create = create and not read_only
        self.url = parsed
        self.read_only = read_only
        path = _sqlite_path(parsed)
        self.path = path
        """The SQLite file; None for a server (or in memory)."""
        self.where = str(path) if path is not None else parsed.render_as_string()
        self.upgraded_from: str | None = None
        """The schema revision this opening upgraded from ("none": it created the schema)."""
        """The archive as messages name it (a path, or the URL without its password)."""
        if path is not None:
            _check_sqlite_file(path, create=create, read_only=read_only)
        if read_only:
            self.engine = self._open(parsed, path, create=False)
        else:
            with _creation_lock(path):
                self.engine = self._open(parsed, path, create=create)
        self.session = Session(self.engine, expire_on_commit=False)
        self._ingest = Ingest(self.session)
        self._raw_ids: OrderedDict[tuple[str, datetime], int] = OrderedDict()

    def _open(self, url: URL, path: Path | None, *, create: bool) -> Engine:
        created = path is not None and not path.exists()
        engine = _make_engine(url, create=create, read_only=self.read_only)
        try:
            with engine.connect() as connection:
                if connection.dialect.name == "postgresql" and not self.read_only:
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY}
                    )
                state = read_schema(connection)
                needs_migration = check_schema(
                    state, self.where, sqlite=path is not None, read_only=self.read_only
                )
                if path is not None and not self.read_only:
                    connection.commit()
                    connection.exec_driver_sql("PRAGMA journal_mode=WAL")  # readers never block
                    connection.commit()
                if needs_migration:
                    self.upgraded_from = state.revision or "none"
                    migrate(connection)
                connection.commit()
        except (SQLAlchemyError, MigrationError, sqlite3.Error, OSError) as error:
            engine.dispose()
            if created and path is not None:
                _remove_new_file(path)
            raise ArchiveError(f"cannot open archive {self.where}: {_reason(error)}") from None
        except BaseException:
            engine.dispose()
            if created and path is not None:
                _remove_new_file(path)
            raise
        return engine

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Database errors met while reading (a damaged page, a lost connection) as one
        ArchiveError naming the archive."""
        try:
            yield
        except SQLAlchemyError as error:
            raise ArchiveError(f"cannot read archive {self.where}: {_reason(error)}") from None

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()
        self.engine.dispose()

    def known_urls(self, site: str) -> set[str]:
        """Canonical URLs of a site's archived articles."""
        query = select(ArticleRow.canonical_url).where(ArticleRow.site == site)
        return set(self.session.scalars(query))

    @contextmanager
    def transaction(self) -> Iterator[Ingest]:
        """One write transaction (taking SQLite's write lock at once, so that two writers
        never meet half-way), committed at the end, rolled back on any error."""
        try:
            if self.path is not None or self.url.get_backend_name() == "sqlite":
                self.session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield self._ingest
            self._ingest.finish()
            self.session.commit()
        except BaseException:
            self.session.rollback()
            self._ingest.discard()  # a source inserted by what was rolled back is gone
            raise
        if self._ingest.scan_wanted:
            self.promote_common_terms()

    def promote_common_terms(self) -> list[str]:
        """Give the terms that have become common their buckets (`search.impacts`), each in a
        transaction of its own, after a read of the whole index that takes no write lock (SQLite;
        a few seconds at 1,000,000 articles). Until then a search of such a term by relevance
        is FTS5's, slower and the same; a failure here is logged and loses nothing."""
        self._ingest.scan_wanted = False
        promoted: list[str] = []
        try:
            due = impacts.due_terms(self._ingest.connection.cursor)
            self.session.rollback()  # the end of the read
            for term in due:
                with self.transaction() as ingest:
                    if impacts.build(ingest.connection.cursor, term):
                        promoted.append(term)
            with self.transaction() as ingest:
                impacts.finish_scan(ingest.connection.cursor)
        except (SQLAlchemyError, sqlite3.Error) as error:
            self.session.rollback()
            logger.warning("common search terms not promoted in %s: %s", self.where, error)
        return promoted

    def store(self, article: Article, **context: Any) -> Stored:
        """Store a record in its own transaction (`Ingest.store`: new, a version, unchanged, an
        alias, a copy in a story); a race with another writer on the same URL is retried."""
        try:
            with self.transaction() as ingest:
                return ingest.store(article, **context)
        except IntegrityError:  # another crawl inserted the same URL meanwhile
            with self.transaction() as ingest:
                return ingest.store(article, **context)

    def store_many(
        self,
        articles: Sequence[Article],
        *,
        raw_pages: Sequence[RawPage] = (),
        **context: Any,
    ) -> Batch:
        """Store records and raw pages in one transaction: the raw pages' rows first, then each
        record (`Ingest.store` with `context`), pointing to the raw page of its URL and fetch
        time unless `context` names one.

        If the transaction fails (a bad record, a race with another writer), it is rolled back
        and everything is stored again one at a time, each in its own transaction, so that one
        bad record never loses the others: the outcome of a record that fails alone is its
        error. Nothing is committed before the batch ends: a process killed meanwhile loses the
        batch, whose pages the next crawl fetches again since they are not archived.
        """
        batch = Batch()
        pages = list(raw_pages)
        try:
            with self.transaction() as ingest:
                kept = ingest.add_raw_pages(pages)
                ids = dict(zip((page.key for page in pages), kept, strict=True))
                batch.outcomes = [
                    ingest.store(article, **self._context(article, ids, context))
                    for article in articles
                ]
        except Exception:
            return self._one_by_one(articles, pages, context)
        self._remember(ids, articles)
        return batch

    def _one_by_one(
        self, articles: Sequence[Article], pages: list[RawPage], context: Mapping[str, Any]
    ) -> Batch:
        batch = Batch(one_by_one=True)
        ids: dict[tuple[str, datetime], int] = {}
        for page in pages:
            try:
                (ids[page.key],) = self.add_raw_pages([page])
            except Exception as error:
                batch.raw_pages_not_kept.append((page, error))
        for article in articles:
            try:
                batch.outcomes.append(self.store(article, **self._context(article, ids, context)))
            except Exception as error:
                batch.outcomes.append(error)
        self._remember(ids, articles)
        return batch

    def _context(
        self,
        article: Article,
        batch_ids: Mapping[tuple[str, datetime], int],
        context: Mapping[str, Any],
    ) -> dict[str, Any]:
        if "raw_page_id" in context:
            return dict(context)
        key = (article.url, article.fetched_at)
        found = batch_ids.get(key) or self._raw_ids.get(key)
        if found is None:
            found = self.raw_page_id(article.url, article.fetched_at)
        return {**context, "raw_page_id": found}

    def _remember(
        self, ids: Mapping[tuple[str, datetime], int], articles: Sequence[Article]
    ) -> None:
        """Committed raw pages whose record may come in a later batch; those claimed dropped."""
        self._raw_ids.update(ids)
        for article in articles:
            self._raw_ids.pop((article.url, article.fetched_at), None)
        while len(self._raw_ids) > RAW_IDS_KEPT:
            self._raw_ids.popitem(last=False)

    def add_raw_pages(self, pages: Sequence[RawPage]) -> list[int]:
        """Inserts rows of kept responses in one transaction; their ids, in order."""
        with self.transaction() as ingest:
            return ingest.add_raw_pages(list(pages))

    def raw_page_id(self, url: str, fetched_at: datetime) -> int | None:
        """The raw page kept of the response fetched from `url` at `fetched_at`, if any."""
        found = self.session.connection().execute(
            FIND_RAW_PAGE, {"url": url, "fetched_at": fetched_at}
        )
        return found.scalar()

    def upsert(self, article: Article) -> UpsertResult:
        """Store a record; what happened to it."""
        return self.store(article).result

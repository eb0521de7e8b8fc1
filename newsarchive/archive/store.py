"""Opening an archive by URL, creating its schema, and upserting records."""

from __future__ import annotations

import os
from dataclasses import fields
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session

from newsarchive.archive.models import ArticleRow
from newsarchive.items import Article
from newsarchive.text import fold

DEFAULT_DATABASE_URL = "sqlite:///newsarchive.db"
ENV_DATABASE_URL = "NEWSARCHIVE_DATABASE_URL"


class ArchiveError(RuntimeError):
    """The archive cannot be opened or used; the message says what to do."""


class UpsertResult(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def database_url(value: str | None = None) -> str:
    """`--db` value, else NEWSARCHIVE_DATABASE_URL, else the default; a bare path means SQLite."""
    chosen = value or os.environ.get(ENV_DATABASE_URL) or DEFAULT_DATABASE_URL
    return chosen if "://" in chosen else f"sqlite:///{chosen}"


def _parse_url(value: str) -> URL:
    try:
        return make_url(value)
    except (ArgumentError, ValueError):
        raise ArchiveError(
            f"malformed database URL {value!r}: use sqlite:///PATH or postgresql://USER@HOST/DB"
        ) from None


def _sqlite_path(url: URL) -> Path | None:
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def _check_sqlite_location(url: URL, create: bool) -> None:
    path = _sqlite_path(url)
    if path is None:
        return
    if not create and not path.exists():
        raise ArchiveError(f"no archive at {path}: run `newsarchive crawl` or `demo` first")
    if not path.parent.is_dir():
        raise ArchiveError(f"cannot create archive {path}: folder {path.parent} does not exist")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise ArchiveError(f"cannot open archive {path}: not readable and writable")


def _make_engine(url: URL) -> Engine:
    try:
        engine = create_engine(url)
    except (NoSuchModuleError, ArgumentError, ImportError) as error:
        raise ArchiveError(
            f"unsupported database URL {url.render_as_string()!r} ({error}); "
            "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB "
            "(pip install 'newsarchive[postgres]')"
        ) from None
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the crawl's writes
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: still consistent after a crash
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (creating it in a new archive)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "newsarchive.archive:migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Archive:
    """A connection to the archive; `create=False` refuses to make a new SQLite file."""

    def __init__(self, url: str | None = None, *, create: bool = True) -> None:
        parsed = _parse_url(database_url(url))
        _check_sqlite_location(parsed, create)
        self.url = parsed
        self.engine = _make_engine(parsed)
        try:
            migrate(self.engine)
        except SQLAlchemyError as error:
            self.engine.dispose()
            reason = str(getattr(error, "orig", None) or error).splitlines()[0]
            raise ArchiveError(
                f"cannot open archive {parsed.render_as_string()}: {reason}"
            ) from None
        self.session = Session(self.engine, expire_on_commit=False)

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

    def upsert(self, article: Article) -> UpsertResult:
        """Store a record in its own transaction: new, updated in place, or left unchanged."""
        try:
            result = self._upsert(article)
            self.session.commit()
            return result
        except IntegrityError:  # another crawl inserted the same URL meanwhile
            self.session.rollback()
            result = self._upsert(article)
            self.session.commit()
            return result
        except BaseException:
            self.session.rollback()
            raise

    def _upsert(self, article: Article) -> UpsertResult:
        query = select(ArticleRow).where(ArticleRow.canonical_url == article.canonical_url)
        row = self.session.scalars(query).one_or_none()
        if row is None:
            row = ArticleRow(first_seen_at=datetime.now(UTC), **row_values(article))
            self.session.add(row)
            self.session.flush()
            return UpsertResult.NEW
        if row.content_hash == article.content_hash:
            row.fetched_at = article.fetched_at
            return UpsertResult.UNCHANGED
        for key, value in row_values(article).items():
            setattr(row, key, value)
        return UpsertResult.UPDATED


def row_values(article: Article) -> dict[str, object]:
    """Column values of a record, with its search key."""
    values = {field.name: getattr(article, field.name) for field in fields(article)}
    values["images"] = [{"url": image.url, "caption": image.caption} for image in article.images]
    searchable = [article.headline, article.lead, article.section, *article.tags, article.body]
    values["search_text"] = fold("\n".join(part for part in searchable if part))
    return values

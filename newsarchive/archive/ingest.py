"""The store path: one record into the archive, deduplicated on three levels, in one transaction.

1. The canonical URL (or a URL known as an alias of it): the same article. Changed content
   (headline, lead or body; with `any_change`, any record field) adds a version; unchanged
   content only moves `last_seen_at`.
2. Exact content: the same headline, lead and body under another URL of the same site is the
   same article, and the URL becomes its alias.
3. Near-duplicates across sites: a new article whose body's MinHash shares an LSH band with
   archived ones, and is similar enough to one (`similarity.THRESHOLD`), joins that one's story.
   Copies are kept and linked, never dropped. The lookup reads the band index, so its cost
   does not grow with the archive: its 42 keys are looked up in `story_bands` and in
   `story_bands_new`, where new band rows go until MERGE_ROWS wait there; then they are moved
   into `story_bands` in key order, in the transaction that found them so many. Inserted one
   article at a time, 42 rows land on 42 random pages of an index that outgrows the cache and
   every page is written again at each commit; moved many at a time in order, each page of
   `story_bands` takes hundreds of rows at once.

Crawls, `import` and `reextract` all store through `store()`. Its statements are Core ones
built once (no ORM unit of work, the compiled forms cached), on the session's connection: a new
article costs five statements (one finds what its URL or content is known as) and one
executemany of its band rows into `story_bands_new`. A crawl's `raw_pages` rows go in by
`add_raw_pages`, one executemany per batch, in the transaction that stores the batch's records.
SQLite's full-text index changes wait until the transaction ends (`Ingest.finish`, which
`Archive.transaction` calls before its commit), and go in together.
"""

from __future__ import annotations

import itertools
from collections import namedtuple
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Dialect,
    Integer,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from newsarchive import __version__
from newsarchive.archive import similarity
from newsarchive.archive.models import (
    AliasRow,
    ArticleRow,
    BandRow,
    NewBandRow,
    RawPageRow,
    SourceRow,
    StoryRow,
    VersionRow,
)
from newsarchive.archive.terms import Terms, terms_of
from newsarchive.items import Article
from newsarchive.search import impacts, index

COMPARED_FIELDS = (
    "headline",
    "lead",
    "body",
    "section",
    "tags",
    "authors",
    "images",
    "published_at",
    "published_raw",
    "modified_at",
    "modified_raw",
    "language",
    "region",
    "is_teaser",
    "source_credit",
)
"""The record fields a version's `changed` list names (not the fetch's own: URL, time, rules)."""
MAX_CANDIDATES = 50
"""Story candidates checked per article, those sharing most bands first: a text that shares a
band with more archived articles than this is boilerplate, not a story."""
MERGE_ROWS = 200_000
"""Band rows (those of ~4,800 articles) that `story_bands_new` holds before they are moved
into `story_bands`: a B-tree of ~1,000 pages (WITHOUT ROWID), which stays in the writer's page
cache. Measured by `bench/ingest.py --bands` (42 random keys an article, batches of 200) into
100,000 articles: 0.15 ms of CPU an article over the run (0.17 in its last tenth), against
0.36 (0.49) with every row into one WITHOUT ROWID table and 0.45 (0.70) into schema 0003's
rowid table; moving them at 420,000 rows cost about as much (0.14, 0.16 in a first trial)."""
MERGE_CHECK_ROWS = 10_000
"""Band rows added between two counts of `story_bands_new` (and the first transaction of
each `Ingest` counts them, so that many short crawls still move them)."""


class UpsertResult(StrEnum):
    """What storing a record did."""

    NEW = "new"
    UPDATED = "updated"
    """Its content changed: a new version."""
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    """The same content as an article of the site under another URL: now an alias of it."""


@dataclass(frozen=True)
class RawPage:
    """A kept response's `raw_pages` row (its WARC record written), waiting for its batch."""

    url: str
    fetched_at: datetime
    status: int
    content_type: str | None
    warc_file: str
    warc_offset: int
    warc_length: int
    payload_sha256: str
    crawl_run_id: int | None = None

    @property
    def key(self) -> tuple[str, datetime]:
        """What a record made from the page finds it by: its URL and fetch time."""
        return self.url, self.fetched_at


class PendingRawPages:
    """A crawl's `raw_pages` rows not yet in the archive, from the raw-pages middleware to the
    store pipeline (one per crawler: `PendingRawPages.of(crawler)`)."""

    ATTRIBUTE = "_newsarchive_pending_raw_pages"

    def __init__(self) -> None:
        self.rows: list[RawPage] = []
        self.taken = False
        """Whether a store pipeline inserts the rows (else the middleware does, at once)."""

    @classmethod
    def of(cls, crawler: Any) -> PendingRawPages:
        found = getattr(crawler, cls.ATTRIBUTE, None)
        if not isinstance(found, cls):
            found = cls()
            setattr(crawler, cls.ATTRIBUTE, found)
        return found

    def take(self) -> list[RawPage]:
        """The waiting rows, now the caller's."""
        rows, self.rows = self.rows, []
        return rows


@dataclass(frozen=True)
class Stored:
    """The outcome of storing one record."""

    result: UpsertResult
    article_id: int
    version: int
    """The article's version number now."""
    changed: tuple[str, ...] = ()
    """With UPDATED: the fields that differ from the version before."""
    story_id: int | None = None


def record_of(article: Article) -> dict[str, Any]:
    """The record as a version keeps it (JSON-ready)."""
    return article.to_dict()


def row_values(article: Article, terms: Terms) -> dict[str, Any]:
    """Column values of the articles row that carries a record as its current version."""
    values = {name: getattr(article, name) for name in ARTICLE_COLUMNS}
    values["images"] = [{"url": image.url, "caption": image.caption} for image in article.images]
    values["search_title"] = terms.title
    values["search_text"] = terms.text
    return values


ARTICLE_COLUMNS = (
    "url canonical_url site region headline lead body section tags authors images "
    "published_at published_raw modified_at modified_raw language fetched_at content_hash "
    "provenance is_teaser source_credit"
).split()


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    """The compared fields whose values differ between two records."""
    return tuple(name for name in COMPARED_FIELDS if before.get(name) != after.get(name))


# --- the statements, built once ---------------------------------------------------------------

_IDENTITY = (
    ArticleRow.id,
    ArticleRow.content_hash,
    ArticleRow.version_count,
    ArticleRow.current_version_id,
    ArticleRow.story_id,
)
BY_URL, BY_ALIAS, BY_CONTENT = 0, 1, 2
FIND_ARTICLE = union_all(
    select(literal_column(str(BY_URL), Integer).label("kind"), *_IDENTITY).where(
        ArticleRow.canonical_url == bindparam("url")
    ),
    select(literal_column(str(BY_ALIAS), Integer), *_IDENTITY)
    .join(AliasRow, AliasRow.article_id == ArticleRow.id)
    .where(AliasRow.url == bindparam("url")),
    select(literal_column(str(BY_CONTENT), Integer), *_IDENTITY).where(
        ArticleRow.id
        == select(ArticleRow.id)
        .where(ArticleRow.site == bindparam("site"), ArticleRow.content_hash == bindparam("hash"))
        .limit(1)
        .scalar_subquery()
    ),
)
"""The article a URL is the canonical URL or an alias of (kinds BY_URL, BY_ALIAS), and one of
the site's with the same content (BY_CONTENT), in one query."""
ADD_RAW_PAGES = insert(RawPageRow).returning(RawPageRow.id, sort_by_parameter_order=True)
FIND_RAW_PAGE = (
    select(RawPageRow.id)
    .where(RawPageRow.url == bindparam("url"), RawPageRow.fetched_at == bindparam("fetched_at"))
    .order_by(RawPageRow.id.desc())
    .limit(1)
)
FIND_SOURCE = select(SourceRow.name).where(SourceRow.name == bindparam("name"))
ADD_SOURCE = insert(SourceRow)
ADD_ALIAS = insert(AliasRow)
ADD_ARTICLE = insert(ArticleRow).returning(ArticleRow.id)
ADD_VERSION = insert(VersionRow).returning(VersionRow.id)
ADD_BANDS = insert(NewBandRow)
BANDS_SQL = str(ADD_BANDS.compile(dialect=sqlite_dialect(), column_keys=["key", "article_id"]))
"""ADD_BANDS as SQLite runs it, on (key, article_id) tuples: an article's band rows."""
DROP_BANDS = delete(BandRow).where(BandRow.article_id == bindparam("article"))
DROP_NEW_BANDS = delete(NewBandRow).where(NewBandRow.article_id == bindparam("article"))
NEW_BANDS = select(func.count()).select_from(NewBandRow)
MOVE_BANDS = insert(BandRow).from_select(
    ["key", "article_id"],
    select(NewBandRow.key, NewBandRow.article_id).order_by(NewBandRow.key, NewBandRow.article_id),
)
CLEAR_NEW_BANDS = delete(NewBandRow)
_MOVED = delete(NewBandRow).returning(NewBandRow.key, NewBandRow.article_id).cte("moved")
MOVE_BANDS_AT_ONCE = insert(BandRow).from_select(
    ["key", "article_id"], select(_MOVED.c.key, _MOVED.c.article_id)
)
"""MOVE_BANDS and CLEAR_NEW_BANDS in one statement (PostgreSQL): the rows deleted are exactly
those copied, though another writer adds rows meanwhile (SQLite has one writer at a time)."""
INDEXED = select(ArticleRow.published_at, ArticleRow.search_title, ArticleRow.search_text).where(
    ArticleRow.id == bindparam("article")
)
"""What the full-text index holds of an article: to take it out before it changes."""
CURRENT_RECORD = select(VersionRow.record).where(VersionRow.id == bindparam("version"))
SEEN = (
    update(ArticleRow)
    .where(ArticleRow.id == bindparam("article"))
    .where(ArticleRow.last_seen_at.is_(None) | (ArticleRow.last_seen_at < bindparam("moment")))
    .values(last_seen_at=bindparam("moment"))
)
SET_CURRENT = (
    update(ArticleRow)
    .where(ArticleRow.id == bindparam("article"))
    .values(current_version_id=bindparam("version"), story_id=bindparam("story"))
)
SET_STORY = (
    update(ArticleRow)
    .where(ArticleRow.id == bindparam("article"))
    .values(story_id=bindparam("story"))
)
_KEYS: list[BindParameter[Any]] = [bindparam(f"key{band}") for band in range(similarity.BANDS)]
_KEY_NAMES = tuple(key.key for key in _KEYS)
_SHARING = union_all(
    select(BandRow.article_id).where(BandRow.key.in_(_KEYS)),
    select(NewBandRow.article_id).where(NewBandRow.key.in_(_KEYS)),
).subquery()
_SHARED = func.count().label("shared")
CANDIDATES = select(
    ArticleRow.id, ArticleRow.minhash, ArticleRow.story_id, ArticleRow.canonical_url
).where(
    ArticleRow.id.in_(
        select(_SHARING.c.article_id)
        .group_by(_SHARING.c.article_id)
        .order_by(_SHARED.desc(), _SHARING.c.article_id)
        .limit(MAX_CANDIDATES)
        .scalar_subquery()
    )
)
"""The archived articles sharing most band keys with a signature (at most MAX_CANDIDATES); an
article's band rows are all in one of the two tables (moved together)."""
FIND_STORY = select(StoryRow.id).where(StoryRow.key == bindparam("key"))
ADD_STORY = insert(StoryRow).returning(StoryRow.id)
FIRST_PUBLISHER = (
    select(ArticleRow.id, ArticleRow.published_at, ArticleRow.first_seen_at)
    .join(StoryRow, StoryRow.first_article_id == ArticleRow.id)
    .where(StoryRow.id == bindparam("story"))
)
SET_FIRST_PUBLISHER = (
    update(StoryRow)
    .where(StoryRow.id == bindparam("story"))
    .values(first_article_id=bindparam("article"))
)


class _Rows:
    """A DBAPI cursor's rows, read the way the store path reads a Core result."""

    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    def all(self) -> list[Any]:
        return self.rows

    def first(self) -> Any:
        return self.rows[0] if self.rows else None

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None

    def scalar_one(self) -> Any:
        (row,) = self.rows
        return row[0]


@dataclass(frozen=True)
class _Prepared:
    """A statement compiled once for a dialect: its SQL, and each positional parameter's name
    and its type's bind processor (the conversions Core would make), and the row shape."""

    sql: str
    binds: tuple[tuple[str, Any, Any], ...]
    row: Any
    plain: bool
    """Every parameter given by name, none converted (band rows)."""

    @classmethod
    def of(cls, statement: Any, dialect: Dialect, keys: tuple[str, ...]) -> _Prepared:
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        if getattr(compiled, "insert_prefetch", None) or getattr(compiled, "update_prefetch", None):
            raise ValueError(f"statement needs defaults not given: {compiled}")
        binds = tuple(
            (
                name,
                # the dialect's own type (SQLite's DATETIME text, with microseconds), as Core uses
                compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect),
                compiled.binds[name].effective_value,  # a value built in (LIMIT 1)
            )
            for name in compiled.positiontup or ()
        )
        columns = statement.selected_columns if hasattr(statement, "selected_columns") else None
        if columns is None and getattr(statement, "_returning", None):
            columns = statement.returning_column_descriptions
        names = [
            column.key if hasattr(column, "key") else column["name"] for column in columns or ()
        ]
        row = namedtuple("Row", names, rename=True) if names else None
        plain = all(process is None and built is None for _, process, built in binds)
        return cls(str(compiled), binds, row, plain)

    def args(self, values: dict[str, Any]) -> list[Any]:
        if self.plain:  # band rows: names only, no conversion
            return [values[name] for name, _, _ in self.binds]
        found = [values.get(name, built) for name, _, built in self.binds]
        return [
            value if process is None else process(value)
            for value, (_, process, _) in zip(found, self.binds, strict=True)
        ]


class _SQLiteRunner:
    """Runs the store path's fixed statements on the SQLite connection's DBAPI cursor, within
    the session's transaction: what Core does per statement (cache lookup by statement,
    parameter dicts, result objects) costs more than SQLite's own work on these rows. Any other
    statement goes through Core."""

    def __init__(self, connection: Connection, prepared: dict[Any, _Prepared]) -> None:
        self.connection = connection
        self.prepared = prepared
        self.dialect = connection.dialect
        driver = connection.connection.driver_connection
        assert driver is not None
        self.cursor = driver.cursor()

    def execute(self, statement: Any, values: Any = None) -> Any:
        if id(statement) not in FAST:
            return self.connection.execute(statement, values)
        many = isinstance(values, list)
        first = values[0] if many else values
        key = (id(statement), tuple(first))
        prepared = self.prepared.get(key)
        if prepared is None:
            prepared = self.prepared[key] = _Prepared.of(statement, self.dialect, tuple(first))
        if many:
            self.cursor.executemany(prepared.sql, [prepared.args(each) for each in values])
            return _Rows([])
        self.cursor.execute(prepared.sql, prepared.args(values))
        rows = self.cursor.fetchall()
        if prepared.row is not None:
            rows = [prepared.row._make(row) for row in rows]
        return _Rows(rows)


FAST = frozenset(
    id(statement)
    for statement in (
        FIND_ARTICLE,
        CANDIDATES,
        ADD_ARTICLE,
        ADD_VERSION,
        SET_CURRENT,
        SEEN,
        DROP_BANDS,
        DROP_NEW_BANDS,
        ADD_ALIAS,
        FIND_STORY,
        ADD_STORY,
        SET_STORY,
        SET_FIRST_PUBLISHER,
    )
)
"""The statements `_SQLiteRunner` runs on the DBAPI cursor: those of every record, and the
fixed ones whose rows need no conversion (no datetimes or JSON read back)."""


class Ingest:
    """Stores records through one session (the caller commits)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sources: set[str] = set()
        """Sources known to be in the archive (checked once per name)."""
        self.index_changes: list[index.Change] = []
        """The transaction's changes to SQLite's full-text index, written by `finish`."""
        self.impacts = impacts.Keeper()
        self.scan_wanted = False
        """Whether the archive has grown enough for a look for new common terms
        (`impacts.SCAN_GROWTH`), which the archive makes after the commit."""
        self._prepared: dict[Any, _Prepared] = {}
        self.bands_unchecked = MERGE_CHECK_ROWS
        """Band rows added since `story_bands_new` was last counted (the first `finish`
        counts)."""

    def finish(self) -> None:
        """Moves the new band rows into the band index when MERGE_ROWS wait, then writes the
        transaction's changes to the full-text index: the last statements before its commit
        (`index.write` says why)."""
        if self.bands_unchecked >= MERGE_CHECK_ROWS:
            self.bands_unchecked = 0
            self.merge_bands()
        if self.index_changes:
            changes, self.index_changes = self.index_changes, []
            cursor = self.connection.cursor
            index.write(cursor, changes)
            self.impacts.write(cursor, changes)
            self.scan_wanted = self.impacts.scan_due(cursor)

    def merge_bands(self, at_least: int | None = None) -> int:
        """Moves the rows of `story_bands_new` into `story_bands` if at least `at_least`
        (MERGE_ROWS) wait there; how many it moved."""
        connection = self.session.connection()
        waiting = int(connection.execute(NEW_BANDS).scalar_one())
        if not waiting or waiting < (MERGE_ROWS if at_least is None else at_least):
            return 0
        if connection.dialect.name == "postgresql":
            return int(connection.execute(MOVE_BANDS_AT_ONCE).rowcount)
        connection.execute(MOVE_BANDS)
        return int(connection.execute(CLEAR_NEW_BANDS).rowcount)

    def discard(self) -> None:
        """Forgets what a rolled-back transaction did: its index changes, the sources it added."""
        self.index_changes.clear()
        self.sources.clear()

    @contextmanager
    def savepoint(self) -> Iterator[Ingest]:
        """A part of the transaction that an error takes back alone (a SAVEPOINT): its rows and
        its index changes; the error is raised again."""
        changes, sources = len(self.index_changes), set(self.sources)
        try:
            with self.session.begin_nested():
                yield self
        except BaseException:
            del self.index_changes[changes:]
            self.sources = sources
            raise

    @property
    def connection(self) -> Any:
        """What runs the statements: on SQLite a `_SQLiteRunner`, else the session's
        connection (both in the session's transaction)."""
        connection = self.session.connection()
        if connection.dialect.name == "sqlite":
            return _SQLiteRunner(connection, self._prepared)
        return connection

    def store(
        self,
        article: Article,
        *,
        run_id: int | None = None,
        raw_page_id: int | None = None,
        story_key: str | None = None,
        any_change: bool = False,
        extractor_version: str = __version__,
    ) -> Stored:
        """Store one record: see the module's docstring for what happens to it."""
        connection = self.connection
        self._source(connection, article.site, article.fetched_at)
        rows = connection.execute(
            FIND_ARTICLE,
            {"url": article.canonical_url, "site": article.site, "hash": article.content_hash},
        ).all()
        found = min(rows, key=lambda row: row.kind, default=None)
        record = record_of(article)
        context = {
            "run_id": run_id,
            "raw_page_id": raw_page_id,
            "extractor_version": extractor_version,
        }
        if found is not None and found.kind != BY_CONTENT:
            stored = self._again(connection, found, article, record, any_change, context)
        elif found is not None:
            stored = self._alias(connection, found, article)
        else:
            stored = self._new(connection, article, record, story_key, context)
        self._expire(stored)
        return stored

    # --- raw pages -----------------------------------------------------------------------------

    def add_raw_pages(self, pages: list[RawPage]) -> list[int]:
        """Inserts the rows of kept responses (one executemany); their ids, in order."""
        if not pages:
            return []
        values = [vars(page) for page in pages]
        return [int(row[0]) for row in self.connection.execute(ADD_RAW_PAGES, values)]

    # --- identity ------------------------------------------------------------------------------

    def _alias(self, connection: Connection, same: Any, article: Article) -> Stored:
        connection.execute(
            ADD_ALIAS,
            {
                "url": article.canonical_url,
                "article_id": same.id,
                "first_seen_at": article.fetched_at,
            },
        )
        self._seen(connection, same.id, article.fetched_at)
        return Stored(UpsertResult.DUPLICATE, same.id, same.version_count, story_id=same.story_id)

    @staticmethod
    def _seen(connection: Connection, article_id: int, moment: datetime) -> None:
        connection.execute(SEEN, {"article": article_id, "moment": moment})

    def _source(self, connection: Connection, name: str, moment: datetime) -> None:
        if name in self.sources:
            return
        if connection.execute(FIND_SOURCE, {"name": name}).first() is None:
            from newsarchive import sites

            try:
                site: sites.Site | None = sites.get(name)
            except sites.UnknownSiteError:  # a page given by URL: its host is the source
                site = None
            connection.execute(
                ADD_SOURCE,
                {
                    "name": name,
                    "outlet": site.outlet if site else None,
                    "region": site.region if site else None,
                    "base_url": site.base_url if site else None,
                    "first_seen_at": moment,
                },
            )
        self.sources.add(name)

    def _expire(self, stored: Stored) -> None:
        """Rows the session holds of what was written are read again when next used."""
        if not self.session.identity_map:
            return
        keys: list[Any] = [identity_key(ArticleRow, stored.article_id)]
        if stored.story_id is not None:
            keys.append(identity_key(StoryRow, stored.story_id))
        for key in keys:
            held = self.session.identity_map.get(key)
            if held is not None:
                self.session.expire(held)

    # --- versions ------------------------------------------------------------------------------

    @staticmethod
    def _version(
        connection: Connection,
        article_id: int,
        number: int,
        article: Article,
        record: dict[str, Any],
        changed: tuple[str, ...],
        context: dict[str, Any],
    ) -> int:
        values = {
            "article_id": article_id,
            "number": number,
            "fetched_at": article.fetched_at,
            "content_hash": article.content_hash,
            "extractor_version": context["extractor_version"],
            "crawl_run_id": context["run_id"],
            "raw_page_id": context["raw_page_id"],
            "changed": list(changed),
            "record": record,
        }
        return int(connection.execute(ADD_VERSION, values).scalar_one())

    def _again(
        self,
        connection: Connection,
        found: Any,
        article: Article,
        record: dict[str, Any],
        any_change: bool,
        context: dict[str, Any],
    ) -> Stored:
        """A record of an archived article: a new version if it changed, else a sighting."""
        same_content = found.content_hash == article.content_hash
        changed: tuple[str, ...] = ()
        if not same_content or any_change:
            before = connection.execute(
                CURRENT_RECORD, {"version": found.current_version_id}
            ).scalar()
            changed = changed_fields(before or {}, record)
            if not same_content and not changed:
                changed = ("content",)  # the hash says so, though no compared field does
        if not changed:
            self._seen(connection, found.id, article.fetched_at)
            return Stored(
                UpsertResult.UNCHANGED, found.id, found.version_count, story_id=found.story_id
            )
        number = found.version_count + 1
        version_id = self._version(connection, found.id, number, article, record, changed, context)
        terms = terms_of(article)
        signature = terms.signature
        values = row_values(article, terms)
        del values["canonical_url"]
        self._unindex(
            connection, found.id
        )  # fetched through an alias, it keeps the URL it is known by
        connection.execute(
            update(ArticleRow)
            .where(ArticleRow.id == found.id)
            .values(
                **values,
                version_count=number,
                current_version_id=version_id,
                last_seen_at=func.coalesce(ArticleRow.last_seen_at, article.fetched_at),
                minhash=signature,
            )
        )
        self._index(connection, found.id, article, terms)
        self._seen(connection, found.id, article.fetched_at)
        connection.execute(DROP_BANDS, {"article": found.id})
        connection.execute(DROP_NEW_BANDS, {"article": found.id})
        self._index_bands(connection, found.id, terms.band_keys)
        return Stored(UpsertResult.UPDATED, found.id, number, changed, found.story_id)

    def _new(
        self,
        connection: Connection,
        article: Article,
        record: dict[str, Any],
        story_key: str | None,
        context: dict[str, Any],
    ) -> Stored:
        terms = terms_of(article)
        signature = terms.signature
        # Candidates are looked up before the article's own bands are indexed: it cannot be one.
        candidates = self._candidates(connection, terms.band_keys) if story_key is None else []
        values = row_values(article, terms)
        values.update(
            first_seen_at=datetime.now(UTC),
            last_seen_at=article.fetched_at,
            version_count=1,
            minhash=signature,
        )
        article_id = int(connection.execute(ADD_ARTICLE, values).scalar_one())
        self._index(connection, article_id, article, terms)
        version_id = self._version(connection, article_id, 1, article, record, (), context)
        if story_key is not None:
            story_id: int | None = self._story_by_key(connection, story_key, article_id)
        else:
            story_id = self._story_of_copy(connection, signature, candidates)
        connection.execute(
            SET_CURRENT, {"article": article_id, "version": version_id, "story": story_id}
        )
        if story_id is not None:
            self._first_publisher(connection, story_id, article_id, article)
        self._index_bands(connection, article_id, terms.band_keys)
        return Stored(UpsertResult.NEW, article_id, 1, story_id=story_id)

    # --- the full-text index (SQLite's; PostgreSQL keeps its own from the terms) ---------------

    def _index(self, connection: Any, article_id: int, article: Article, terms: Terms) -> None:
        if isinstance(connection, _SQLiteRunner):
            change = index.added(article_id, article.published_at, terms.title, terms.text)
            self.index_changes.append(change)

    def _unindex(self, connection: Any, article_id: int) -> None:
        if isinstance(connection, _SQLiteRunner):
            indexed = connection.execute(INDEXED, {"article": article_id}).first()
            self.index_changes.append(index.dropped(article_id, *indexed))

    # --- stories -------------------------------------------------------------------------------

    def _index_bands(self, connection: Connection, article_id: int, keys: tuple[int, ...]) -> None:
        if not keys:
            return
        self.bands_unchecked += len(keys)
        if isinstance(connection, _SQLiteRunner):
            connection.cursor.executemany(BANDS_SQL, [(key, article_id) for key in keys])
        else:
            connection.execute(ADD_BANDS, [{"key": key, "article_id": article_id} for key in keys])

    @staticmethod
    def _candidates(connection: Connection, keys: tuple[int, ...]) -> list[Any]:
        if not keys:
            return []
        # Fewer distinct keys than bands fill the rest of the 42 places by repeating them.
        values = dict(zip(_KEY_NAMES, itertools.cycle(keys), strict=False))
        return list(connection.execute(CANDIDATES, values).all())

    def _story_of_copy(
        self, connection: Connection, signature: bytes | None, candidates: list[Any]
    ) -> int | None:
        """The story the new article is a copy in (made now if its original had none)."""
        if signature is None:
            return None
        best = None
        best_score = similarity.THRESHOLD
        for row in candidates:
            if row.minhash is None:
                continue
            score = similarity.similarity(signature, row.minhash)
            if score >= best_score:
                best, best_score = row, score
        if best is None:
            return None
        if best.story_id is not None:
            return int(best.story_id)
        story_id = self._make_story(connection, best.canonical_url, best.id)
        connection.execute(SET_STORY, {"article": best.id, "story": story_id})
        self._expire(Stored(UpsertResult.UNCHANGED, best.id, 0))
        return story_id

    def _story_by_key(self, connection: Connection, key: str, article_id: int) -> int:
        """The story named `key` (an exported story), made with this article if it is new."""
        found = connection.execute(FIND_STORY, {"key": key}).scalar()
        return int(found) if found is not None else self._make_story(connection, key, article_id)

    @staticmethod
    def _make_story(connection: Connection, key: str, first_article_id: int) -> int:
        values = {"key": key, "first_article_id": first_article_id, "created_at": datetime.now(UTC)}
        return int(connection.execute(ADD_STORY, values).scalar_one())

    @staticmethod
    def _first_publisher(
        connection: Connection, story_id: int, article_id: int, article: Article
    ) -> None:
        """Makes the article the story's first publisher if it was published before it."""
        first = connection.execute(FIRST_PUBLISHER, {"story": story_id}).first()
        if first is None or first.id == article_id:
            return
        theirs = first.published_at or first.first_seen_at
        ours = article.published_at or datetime.now(UTC)
        if theirs is None or ours < theirs:
            connection.execute(SET_FIRST_PUBLISHER, {"story": story_id, "article": article_id})

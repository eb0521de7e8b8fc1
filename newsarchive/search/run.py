"""Searches over the full-text index: a page of hits, ranked or by date, with highlights.

An SQLite archive is read through `sqlite3` itself, read-only: `newsarchive search` imports
neither SQLAlchemy nor Scrapy, and starts in a fraction of the time. A PostgreSQL archive is
opened as every other command opens it (`newsarchive.archive.Archive`). The SQL is the same
shape on both, written here with every value a bound parameter.
"""

from __future__ import annotations

import html
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from newsarchive.archive.files import (
    BUSY_SECONDS,
    SCHEMA_HEAD,
    ArchiveError,
    _check_sqlite_file,
    _sqlite_uri,
)
from newsarchive.filters import ATHENS, Filters
from newsarchive.search import impacts
from newsarchive.search import parse as query_language
from newsarchive.search.index import TITLE_WEIGHT
from newsarchive.search.keys import DATED, ID_MASK, key_range
from newsarchive.search.tokens import word_spans
from newsarchive.search.tree import Term
from newsarchive.text import fold

SCHEMA = SCHEMA_HEAD
"""The schema revision this module reads: the migrations' head."""
SORTS = ("relevance", "newest", "oldest")
MAX_PAGE = 1000
"""At most this many hits in one page."""
MAX_OFFSET = 1_000_000
COUNT_CAP = 10_000
"""Matches are counted up to this many: past it, `Page.total` is a lower bound (`capped`),
so that a page of a common word costs the same as one of a rare word."""
BM25 = f"bm25(articles_fts, {TITLE_WEIGHT}, 1.0)"
"""The index's relevance, as its `rank` is configured (`index.SET_RANK`)."""
LOOKUPS_AT_MOST = 2000
"""Matches within the dates a filtered count looks up one by one in `articles`; past this, the
filter's own index finds the articles it keeps (`_SQLite.count`)."""
SNIPPET_WORDS = 30
"""Words of lead or body shown around the matches."""
MAX_SNIPPET_SOURCE = 100_000
"""Characters of lead and body read for a snippet (a hit's text, never a whole archive's)."""

Fragment = tuple[str, bool]
"""A piece of original text, and whether it is a matched word."""


class SearchError(ValueError):
    """An archive that cannot be searched (missing, not ours, an older schema): one line."""


@dataclass(frozen=True)
class Hit:
    """An article found, with what a result list shows of it."""

    id: int
    canonical_url: str
    url: str
    site: str
    region: str | None
    headline: str
    lead: str | None
    section: str | None
    published_at: datetime | None
    story: str | None
    versions: int
    score: float | None
    """Relevance (bm25 on SQLite, ts_rank_cd on PostgreSQL; larger is better)."""
    snippet: tuple[Fragment, ...]
    headline_marked: tuple[Fragment, ...]


@dataclass(frozen=True)
class Page:
    """One page of hits, and how many articles match in all."""

    hits: list[Hit]
    total: int
    capped: bool = False
    """True when more than COUNT_CAP match: `total` is then COUNT_CAP."""


# --- checks -----------------------------------------------------------------------------------


def check_page(sort: str, limit: int, offset: int) -> None:
    if sort not in SORTS:
        raise query_language.BadQueryError(f"unknown sort {sort!r}: give one of {', '.join(SORTS)}")
    if not 1 <= limit <= MAX_PAGE:
        raise query_language.BadQueryError(f"limit {limit}: give 1 to {MAX_PAGE}")
    if not 0 <= offset <= MAX_OFFSET:
        raise query_language.BadQueryError(f"offset {offset}: give 0 to {MAX_OFFSET}")


# --- the search -------------------------------------------------------------------------------


def search_page(
    db_url: str,
    query: str,
    filters: Filters | None = None,
    *,
    sort: str = "newest",
    limit: int = 20,
    offset: int = 0,
) -> Page:
    """The page of articles matching `query` within the filters (`filters.limit` is ignored:
    `limit` and `offset` page through them). Raises BadQueryError, SearchError."""
    parsed = query_language.parse(query)
    check_page(sort, limit, offset)
    with connect(db_url) as database:
        return database.page(parsed, filters or Filters(), sort, limit, offset)


def match_condition(dialect: str, query: query_language.Query) -> tuple[str, dict[str, Any]]:
    """SQL true for the rows of `articles` matching the query, with its bound parameters."""
    if dialect == "sqlite":
        return (
            "articles.id IN (SELECT rowid & :fts_mask FROM articles_fts "
            "WHERE articles_fts MATCH :fts_query)",
            {"fts_query": query_language.to_fts5(query), "fts_mask": ID_MASK},
        )
    return (
        "articles.search_vector @@ to_tsquery('simple', :fts_query)",
        {"fts_query": query_language.to_tsquery(query)},
    )


# --- databases --------------------------------------------------------------------------------


@contextmanager
def connect(db_url: str) -> Iterator[_Database]:
    """The archive opened read-only for searching."""
    path = sqlite_file(db_url)
    if path is not None:
        connection = open_sqlite(path)
        try:
            yield _SQLite(connection)
        finally:
            connection.close()
        return
    from newsarchive.archive import Archive, ArchiveError

    try:
        archive = Archive(db_url, read_only=True)
    except ArchiveError as error:
        raise SearchError(str(error)) from None
    try:
        with archive.reading():
            yield _Postgres(archive.session.connection())
    except ArchiveError as error:
        raise SearchError(str(error)) from None
    finally:
        archive.close()


SQLITE_URL = re.compile(r"sqlite(?:\+pysqlite)?:///(?P<path>[^?]+)$")


def sqlite_file(db_url: str) -> Path | None:
    """The file of a plain SQLite URL (`sqlite:///archive.db`); None for any other archive
    (server URLs, and SQLite URLs with options, which `Archive` opens)."""
    found = SQLITE_URL.match(db_url)
    return Path(unquote(found["path"])) if found else None


def open_sqlite(path: Path) -> sqlite3.Connection:
    """The archive file, read-only (writing nothing beside it, as `Archive` reads), at the
    schema this module reads; else SearchError."""
    try:
        _check_sqlite_file(path, create=False, read_only=True)
    except ArchiveError as error:
        raise SearchError(str(error)) from None
    uri = _sqlite_uri(path, create=False, read_only=True)
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS)
        connection.execute("PRAGMA query_only = ON")
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise SearchError(f"{path} is not a newsarchive archive ({error})") from None
    if revision is None or revision[0] != SCHEMA:
        connection.close()
        found = revision[0] if revision else "none"
        raise SearchError(
            f"{path} is at the older schema revision {found}: run `newsarchive db upgrade` "
            "(or a crawl) to upgrade it"
            if found < SCHEMA
            else f"{path} is at schema revision {found!r}, which this newsarchive does not know"
        )
    return connection


class _Database:
    """One backend's SQL for a page of hits; subclasses say how to match and to order."""

    dialect = ""

    def rows(self, sql: str, params: dict[str, Any]) -> list[Any]:
        raise NotImplementedError

    def page(
        self, query: query_language.Query, filters: Filters, sort: str, limit: int, offset: int
    ) -> Page:
        conditions, params = self.filter_conditions(filters)
        if conditions is None:
            return Page([], 0)
        found = self.hits(query, conditions, sort, limit, offset) or self.rows(
            self.hits_sql(conditions, sort),
            {**params, **self.match_params(query, filters), "limit": limit, "offset": offset},
        )
        counted = self.count(
            conditions,
            filters,
            {**params, **self.match_params(query, filters), "cap": COUNT_CAP + 1},
        )
        scores = {int(row[0]): row[1] for row in found}
        shown = self.shown(list(scores))
        hits = [hit_of(shown[id_], scores[id_], query) for id_ in scores if id_ in shown]
        return Page(hits, min(counted, COUNT_CAP), counted > COUNT_CAP)

    def count(self, conditions: list[str], filters: Filters, params: dict[str, Any]) -> int:
        """The matches within the filters, counted up to `params["cap"]`."""
        return int(self.rows(self.count_sql(conditions), params)[0][0])

    # the backend's parts
    def hits(
        self, query: query_language.Query, conditions: list[str], sort: str, limit: int, offset: int
    ) -> list[tuple[int, float]] | None:
        """A page of hits found another way than `hits_sql` (id, score); None when there is
        none for this search."""
        return None

    def match_params(self, query: query_language.Query, filters: Filters) -> dict[str, Any]:
        raise NotImplementedError

    def hits_sql(self, conditions: list[str], sort: str) -> str:
        raise NotImplementedError

    def count_sql(self, conditions: list[str]) -> str:
        raise NotImplementedError

    def moment(self, value: datetime) -> Any:
        return value

    def read_moment(self, value: Any) -> datetime | None:
        return value.astimezone(ATHENS) if value is not None else None

    # shared
    def filter_conditions(self, filters: Filters) -> tuple[list[str] | None, dict[str, Any]]:
        """SQL conditions on `a` (articles) and their parameters; None when nothing can match
        (a section no article has)."""
        conditions: list[str] = []
        params: dict[str, Any] = {}
        if filters.sites:
            names = [f":site{number}" for number in range(len(filters.sites))]
            conditions.append(f"a.site IN ({', '.join(names)})")
            params.update({f"site{number}": site for number, site in enumerate(filters.sites)})
        if filters.region is not None:
            conditions.append("a.region = :region")
            params["region"] = filters.region
        if filters.section is not None:
            spellings = self.section_spellings(filters.section)
            if not spellings:
                return None, {}
            names = [f":section{number}" for number in range(len(spellings))]
            conditions.append(f"a.section IN ({', '.join(names)})")
            params.update({f"section{number}": name for number, name in enumerate(spellings)})
        if filters.since is not None:
            conditions.append("a.published_at >= :since")
            params["since"] = self.moment(filters.since)
        if filters.until is not None:
            conditions.append("a.published_at <= :until")
            params["until"] = self.moment(filters.until)
        if filters.story is not None:
            conditions.append("a.story_id = (SELECT id FROM stories WHERE key = :story)")
            params["story"] = filters.story
        return conditions, params

    def section_spellings(self, section: str) -> list[str]:
        """The archive's spellings of a section, compared folded (`ΛΑΡΙΣΑ`, `Λάρισα`)."""
        wanted = fold(section)
        found = self.rows("SELECT DISTINCT section FROM articles WHERE section IS NOT NULL", {})
        return sorted(row[0] for row in found if fold(row[0]) == wanted)

    def shown(self, ids: list[int]) -> dict[int, Any]:
        """What a hit shows of each article (its lead and body only up to a snippet's need)."""
        if not ids:
            return {}
        names = ", ".join(f":id{number}" for number in range(len(ids)))
        rows = self.rows(
            "SELECT a.id, a.canonical_url, a.url, a.site, a.region, a.headline, a.lead, "
            "a.section, a.published_at, a.version_count, s.key, "
            f"substr(a.body, 1, {MAX_SNIPPET_SOURCE}) "
            f"FROM articles a LEFT JOIN stories s ON s.id = a.story_id WHERE a.id IN ({names})",
            {f"id{number}": id_ for number, id_ in enumerate(ids)},
        )
        return {int(row[0]): (*row[:8], self.read_moment(row[8]), *row[9:]) for row in rows}


class _SQLite(_Database):
    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def rows(self, sql: str, params: dict[str, Any]) -> list[Any]:
        try:
            return self.connection.execute(sql, params).fetchall()
        except sqlite3.OperationalError as error:
            if "fts5" in str(error):  # a query the parser let through: say so, in one line
                raise query_language.BadQueryError(
                    f"the index refused the query ({error})"
                ) from None
            raise SearchError(f"the archive could not be searched ({error})") from None

    def hits(
        self, query: query_language.Query, conditions: list[str], sort: str, limit: int, offset: int
    ) -> list[tuple[int, float]] | None:
        # One common term by relevance, over the whole archive: its best matches are kept in
        # bm25 order (`impacts`), the same page FTS5 gives after scoring every match.
        root = query.root
        if sort != "relevance" or conditions or not isinstance(root, Term) or root.prefix:
            return None
        try:
            found = impacts.best(self.connection, root.text, offset + limit)
        except sqlite3.OperationalError as error:
            raise SearchError(f"the archive could not be searched ({error})") from None
        if found is None:
            return None
        return [(key & ID_MASK, score) for key, score in found[offset:]] or None

    def match_params(self, query: query_language.Query, filters: Filters) -> dict[str, Any]:
        low, high = key_range(filters.since, filters.until)
        return {"q": query_language.to_fts5(query), "low": low, "high": high, "mask": ID_MASK}

    def _from(self, conditions: list[str]) -> str:
        # CROSS JOIN keeps the index the outer loop: its rowid order is the date order, so a
        # page newest first stops after `limit` hits.
        joined = (
            " CROSS JOIN articles a ON a.id = (articles_fts.rowid & :mask)" if conditions else ""
        )
        where = " AND ".join(
            ["articles_fts MATCH :q", "articles_fts.rowid BETWEEN :low AND :high", *conditions]
        )
        return f"FROM articles_fts{joined} WHERE {where}"

    def hits_sql(self, conditions: list[str], sort: str) -> str:
        score, ranked = "rank", "rank"
        if not conditions:
            # FTS5 sorts every match by `rank` in a query of its own before the LIMIT applies;
            # the same bm25 in the ORDER BY lets SQLite keep only the page's rows (a third less
            # CPU), ties in rowid order as rank's sort leaves them. With filters, FTS5's own
            # sort by `rank` alone keeps `articles` looked up for the best matches only.
            score, ranked = BM25, f"{BM25}, articles_fts.rowid"
        order = {
            "relevance": ranked,
            "newest": "articles_fts.rowid DESC",
            "oldest": f"articles_fts.rowid < {DATED}, articles_fts.rowid",
        }[sort]
        return (
            f"SELECT articles_fts.rowid & :mask, -{score} {self._from(conditions)} "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset"
        )

    def count_sql(self, conditions: list[str]) -> str:
        return f"SELECT count(*) FROM (SELECT 1 {self._from(conditions)} LIMIT :cap)"

    def count(self, conditions: list[str], filters: Filters, params: dict[str, Any]) -> int:
        # Counting by the index looks each match up in `articles` for the filters: 4-6 µs a
        # match, most of a second for a common word within one site. When an indexed filter
        # (site, section, story) narrows the articles, the filter's index finds them and each
        # is checked against the list of matches, made once.
        narrowed = bool(filters.sites) or filters.section is not None or filters.story is not None
        if narrowed and self.matches_over(LOOKUPS_AT_MOST, params):
            return int(self.rows(self.count_by_filters_sql(conditions), params)[0][0])
        return super().count(conditions, filters, params)

    def matches_over(self, many: int, params: dict[str, Any]) -> bool:
        """Whether more than `many` articles match within the dates, whatever the filters."""
        sql = f"SELECT count(*) FROM (SELECT 1 {self._from([])} LIMIT :many)"
        return int(self.rows(sql, {**params, "many": many + 1})[0][0]) > many

    def count_by_filters_sql(self, conditions: list[str]) -> str:
        """The count of `count_sql`, the articles within the filters checked against the
        matches (the same articles: a match is one article's search key)."""
        matches = f"SELECT articles_fts.rowid & :mask {self._from([])}"
        where = " AND ".join([*conditions, f"a.id IN ({matches})"])
        return f"SELECT count(*) FROM (SELECT 1 FROM articles a WHERE {where} LIMIT :cap)"

    def moment(self, value: datetime) -> Any:
        # As SQLAlchemy stores them on SQLite: UTC, naive, microseconds always.
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")

    def read_moment(self, value: Any) -> datetime | None:
        if value is None:
            return None
        return datetime.fromisoformat(value).replace(tzinfo=UTC).astimezone(ATHENS)


class _Postgres(_Database):
    dialect = "postgresql"

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def rows(self, sql: str, params: dict[str, Any]) -> list[Any]:
        pyformat = re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql)
        return list(self.connection.exec_driver_sql(pyformat, params).all())

    def match_params(self, query: query_language.Query, filters: Filters) -> dict[str, Any]:
        return {"q": query_language.to_tsquery(query)}

    def _from(self, conditions: list[str]) -> str:
        where = " AND ".join(["a.search_vector @@ q.query", *conditions])
        return (
            f"FROM articles a CROSS JOIN (SELECT to_tsquery('simple', :q) AS query) q WHERE {where}"
        )

    def hits_sql(self, conditions: list[str], sort: str) -> str:
        order = {
            "relevance": "2 DESC, a.published_at DESC NULLS LAST, a.id DESC",
            "newest": "a.published_at DESC NULLS LAST, a.id DESC",
            "oldest": "a.published_at ASC NULLS LAST, a.id ASC",
        }[sort]
        return (
            f"SELECT a.id, ts_rank_cd(a.search_vector, q.query) {self._from(conditions)} "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset"
        )

    def count_sql(self, conditions: list[str]) -> str:
        return f"SELECT count(*) FROM (SELECT 1 {self._from(conditions)} LIMIT :cap) found"


# --- hits and highlights ----------------------------------------------------------------------


def hit_of(row: Sequence[Any], score: Any, query: query_language.Query) -> Hit:
    (id_, canonical_url, url, site, region, headline, lead, section, published_at) = row[:9]
    versions, story, body = row[9:12]
    text = "\n".join(part for part in (lead, body) if part)
    return Hit(
        id=int(id_),
        canonical_url=canonical_url,
        url=url,
        site=site,
        region=region,
        headline=headline,
        lead=lead,
        section=section,
        published_at=published_at,
        story=story,
        versions=int(versions),
        score=float(score) if score is not None else None,
        snippet=snippet(text, query),
        headline_marked=marked(headline, query),
    )


def is_match(term: str, query: query_language.Query) -> bool:
    """The index term is one of the query's words (or starts with one of its prefixes)."""
    return term in query.terms or any(term.startswith(prefix) for prefix in query.prefixes)


def marked(text: str, query: query_language.Query) -> tuple[Fragment, ...]:
    """The whole text as fragments, its matched words marked."""
    return _fragments(text, list(word_spans(text)), query, 0, None)


def snippet(
    text: str, query: query_language.Query, words: int = SNIPPET_WORDS
) -> tuple[Fragment, ...]:
    """The window of `words` words of the text with the most matched words (the first one if
    none match), as fragments; '…' where text is left out."""
    spans = list(word_spans(text))
    if not spans:
        return ()
    if query.prefixes:
        hits = [is_match(term, query) for _, _, term in spans]
    else:
        hits = [term in query.terms for _, _, term in spans]  # is_match without prefixes
    best, best_score = 0, -1
    in_window = sum(hits[:words])
    for start in range(max(1, len(spans) - words + 1)):
        if start:
            in_window += hits[start + words - 1] if start + words - 1 < len(hits) else 0
            in_window -= hits[start - 1]
        if in_window > best_score:
            best, best_score = start, in_window
    # Start a quarter of the window before its first match, so it reads in context: the window
    # only moves forward, so it keeps every match it had.
    first = next((i for i in range(best, min(best + words, len(spans))) if hits[i]), best)
    start = max(0, best, first - words // 4) if best_score else 0
    start = max(0, min(start, len(spans) - words))
    end = min(len(spans), start + words)
    return _fragments(text, spans, query, start, end)


def _fragments(
    text: str,
    spans: list[tuple[int, int, str]],
    query: query_language.Query,
    first: int,
    last: int | None,
) -> tuple[Fragment, ...]:
    if not spans:
        return ((text, False),) if text else ()
    chosen = spans[first:last]
    begin = 0 if first == 0 else chosen[0][0]
    finish = len(text) if last is None or last >= len(spans) else chosen[-1][1]
    pieces: list[Fragment] = [("…", False)] if begin else []
    at = begin
    for start, end, term in chosen:
        if is_match(term, query):
            if start > at:
                pieces.append((text[at:start], False))
            pieces.append((text[start:end], True))
            at = end
    if finish > at:
        pieces.append((text[at:finish], False))
    if finish < len(text):
        pieces.append(("…", False))
    return tuple((" ".join(piece.split("\n")), matched) for piece, matched in pieces)


def snippet_html(fragments: Sequence[Fragment]) -> str:
    """The fragments as HTML: every text escaped, matched words in <mark>."""
    return "".join(
        f"<mark>{html.escape(piece)}</mark>" if matched else html.escape(piece)
        for piece, matched in fragments
    )


def snippet_text(fragments: Sequence[Fragment], *, mark: tuple[str, str] = ("[", "]")) -> str:
    """The fragments as plain text, matched words between `mark`."""
    return "".join(
        f"{mark[0]}{piece}{mark[1]}" if matched else piece for piece, matched in fragments
    )

"""The read side: filters, queries and the record shape over an archive session.

No Scrapy and no click here: the command line and the web API build the same `Filters` from their
parameters, call the same queries, and show the same `record` of each article.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, func, select, text
from sqlalchemy.orm import Session

from newsarchive.archive.models import AliasRow, ArticleRow, StoryRow, VersionRow
from newsarchive.dates import ATHENS
from newsarchive.filters import ISO_EXAMPLE as ISO_EXAMPLE
from newsarchive.filters import MAX_LIMIT as MAX_LIMIT
from newsarchive.filters import BadFilterError as BadFilterError
from newsarchive.filters import Filters as Filters
from newsarchive.filters import parse_when as parse_when
from newsarchive.items import Article
from newsarchive.search.parse import BadQueryError as BadQueryError
from newsarchive.search.tokens import term
from newsarchive.text import fold

if TYPE_CHECKING:
    from newsarchive.search.parse import Query
    from newsarchive.sites import Site

RECORD_FIELDS = (
    "canonical_url",
    "url",
    "site",
    "region",
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
    "fetched_at",
    "first_seen_at",
    "content_hash",
    "provenance",
    "is_teaser",
    "source_credit",
)
"""The keys of a record (`record`), in this order, wherever one is shown or exported."""
ARCHIVED_FIELDS = (*RECORD_FIELDS, "story", "versions")
"""The keys of an archived article as search shows it: its record, its story's key (or null)
and how many versions it has."""
EXPORT_FIELDS = (*ARCHIVED_FIELDS, "extractor_version")
"""The keys of an exported article, in every format: also the newsarchive version whose
extractors made its current record. JSON and JSON Lines add `history` (its earlier versions,
oldest first) when it has more than one version, and `aliases` (its other URLs) when it has
any: what `newsarchive import` needs to rebuild it."""
VERSION_FIELDS = tuple(name for name in RECORD_FIELDS if name != "first_seen_at")
"""The keys of a version's record (what the extractors made; `first_seen_at` is the archive's)."""
DIFF_CONTEXT = 4
"""Words of unchanged text shown on each side of a change in a word diff."""

SITE_FIELDS = (
    "name",
    "outlet",
    "town",
    "region",
    "base_url",
    "hosts",
    "discovery",
    "feeds",
    "sitemaps",
    "listings",
    "wp_rest",
    "date_archives",
    "unverified",
)
"""The keys of a source's description (`site_record`), in this order: `discovery` names the
methods it is crawled by (`feed`, `sitemap`, `rest`, `listing`, `date archive`), `unverified`
the declarations assumed rather than seen on the live site (`Site.unverified`)."""
DISCOVERY = (
    ("feed", "feeds"),
    ("sitemap", "sitemaps"),
    ("rest", "wp_rest"),
    ("listing", "listings"),
    ("date archive", "date_archives"),
)
"""Each discovery method and the `Site` field declaring it."""

MAX_SEARCH_WORDS = 50
"""A search has at most this many different words (each makes one condition of the query)."""
MAX_WORD_LENGTH = 200
"""A search word has at most this many characters (no Greek or Latin word comes near)."""


def _sections_like(session: Session, section: str) -> list[str]:
    """The archive's spellings of a section (`ΛΑΡΙΣΑ`, `Λάρισα` …), compared folded."""
    wanted = fold(section)
    spellings = session.scalars(select(ArticleRow.section).where(ArticleRow.section.is_not(None)))
    return [spelling for spelling in set(spellings) if spelling and fold(spelling) == wanted]


def _conditions(session: Session, filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.sites:
        conditions.append(ArticleRow.site.in_(filters.sites))
    if filters.region is not None:
        conditions.append(ArticleRow.region == filters.region)
    if filters.section is not None:
        conditions.append(ArticleRow.section.in_(_sections_like(session, filters.section)))
    if filters.since is not None:
        conditions.append(ArticleRow.published_at >= filters.since)
    if filters.until is not None:
        conditions.append(ArticleRow.published_at <= filters.until)
    if filters.story is not None:
        story = select(StoryRow.id).where(StoryRow.key == filters.story).scalar_subquery()
        conditions.append(ArticleRow.story_id == story)
    return conditions


def _newest_first(statement: Select[Any]) -> Select[Any]:
    return statement.order_by(
        ArticleRow.published_at.is_(None), ArticleRow.published_at.desc(), ArticleRow.id.desc()
    )


def _select(session: Session, filters: Filters, *more: ColumnElement[bool]) -> Select[Any]:
    statement = _newest_first(select(ArticleRow).where(*_conditions(session, filters), *more))
    return statement.limit(filters.limit) if filters.limit is not None else statement


# --- queries ------------------------------------------------------------------------------------


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_terms(query: str) -> list[str]:
    """The folded words of a query, each once; every one must occur in a match.

    Raises BadQueryError for an empty query, more than MAX_SEARCH_WORDS different words, a word
    longer than MAX_WORD_LENGTH, or text that is not valid Unicode (lone surrogates).
    """
    if any("\ud800" <= char <= "\udfff" for char in query):
        raise BadQueryError("the search is not valid text (it holds bytes that are not UTF-8)")
    terms = list(dict.fromkeys(fold(query).split()))
    if not terms:
        raise BadQueryError("empty search: give at least one word, e.g. newsarchive search Λάρισα")
    if len(terms) > MAX_SEARCH_WORDS:
        raise BadQueryError(
            f"search of {len(terms)} different words: give at most {MAX_SEARCH_WORDS}"
        )
    longest = max(terms, key=len)
    if len(longest) > MAX_WORD_LENGTH:
        raise BadQueryError(
            f"search word of {len(longest)} characters: give words of at most {MAX_WORD_LENGTH}"
        )
    return terms


def search(session: Session, query: str, filters: Filters | None = None) -> list[ArticleRow]:
    """Articles containing every word of the query (case, accents, final sigma ignored), newest
    first, within the filters."""
    words = [
        (ArticleRow.search_title + " " + ArticleRow.search_text).like(
            f"%{_like_escape(term(word))}%", escape="\\"
        )
        for word in search_terms(query)
    ]
    return list(session.scalars(_select(session, filters or Filters(), *words)))


def articles(
    session: Session, filters: Filters | None = None, *, matching: Query | None = None
) -> Iterator[ArticleRow]:
    """The archived articles within the filters (and matching a full-text query), newest
    first, streamed."""
    more: list[ColumnElement[bool]] = []
    if matching is not None:
        from newsarchive.search.run import match_condition

        condition, params = match_condition(session.get_bind().dialect.name, matching)
        more.append(text(condition).bindparams(**params))  # type: ignore[arg-type]
    statement = _select(session, filters or Filters(), *more).execution_options(yield_per=500)
    yield from session.scalars(statement)


def all_articles(session: Session) -> Iterator[ArticleRow]:
    """Every archived article, newest first (`articles` without filters)."""
    return articles(session)


# --- record shape -------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """JSON-ready data: datetimes ISO 8601 in Europe/Athens, text NFC, dataclasses as objects."""
    if isinstance(value, str):
        return (
            value
            if unicodedata.is_normalized("NFC", value)
            else unicodedata.normalize("NFC", value)
        )
    if isinstance(value, datetime):
        return value.astimezone(ATHENS).isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    return value


def record(source: ArticleRow | Article) -> dict[str, Any]:
    """The one shape of an article shown or exported: `RECORD_FIELDS` in order, JSON-ready.

    An archived row and an extracted `Article` of the same page give the same dict, except for
    what only the archive knows (`first_seen_at`, null for an Article).
    """
    return {name: _plain(getattr(source, name, None)) for name in RECORD_FIELDS}


def site_record(site: Site) -> dict[str, Any]:
    """A source as JSON-ready data: `SITE_FIELDS` in order, paths as absolute URLs."""
    return {
        "name": site.name,
        "outlet": site.outlet,
        "town": site.town,
        "region": site.region,
        "base_url": site.base_url,
        "hosts": sorted(site.hosts),
        "discovery": [method for method, name in DISCOVERY if getattr(site, name)],
        "feeds": [site.absolute(path) for path in site.feeds],
        "sitemaps": [site.absolute(path) for path in site.sitemaps],
        "listings": [site.absolute(path) for path in site.listings],
        "wp_rest": site.wp_rest,
        "date_archives": site.absolute(site.date_archives) if site.date_archives else None,
        "unverified": list(site.unverified),
    }


def is_verified(site: Site, fact: str) -> bool:
    """Whether a declaration of the site (`feeds`, `town`, `page selectors` …) was seen on the
    live site: it is not in `Site.unverified` (an entry may add a note: `article_url (root
    slugs)`)."""
    return not any(entry.split(" (")[0].strip() == fact for entry in site.unverified)


# --- archived articles: their story, versions and other URLs ------------------------------------

BATCH = 500
"""Rows whose stories, versions and aliases are looked up together (one query each)."""
MOMENTS = ("published_at", "modified_at", "fetched_at")


@dataclass(frozen=True)
class Archived:
    """An archived article with what the archive knows beyond its record."""

    row: ArticleRow
    story: str | None = None
    """Its story's key (the story's first member's canonical URL), if it is a copy in one."""
    extractor_version: str | None = None
    """The newsarchive version whose extractors made its current record (with `full`)."""
    history: tuple[VersionRow, ...] = ()
    """Its earlier versions, oldest first (with `full`)."""
    aliases: tuple[str, ...] = ()
    """Its other URLs, that gave the same content (with `full`)."""


def archived(
    session: Session, rows: Iterable[ArticleRow], *, full: bool = False
) -> Iterator[Archived]:
    """Each row with its story's key and, with `full`, its current version's extractor version,
    its earlier versions and its aliases; looked up BATCH rows at a time, in the rows' order."""
    batch: list[ArticleRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield from _archived_batch(session, batch, full=full)
            batch = []
    if batch:
        yield from _archived_batch(session, batch, full=full)


def _story_keys(session: Session, story_ids: set[int]) -> dict[int, str]:
    if not story_ids:
        return {}
    found = session.execute(select(StoryRow.id, StoryRow.key).where(StoryRow.id.in_(story_ids)))
    return {story_id: key for story_id, key in found}


def _archived_batch(session: Session, rows: list[ArticleRow], *, full: bool) -> list[Archived]:
    keys = _story_keys(session, {row.story_id for row in rows if row.story_id is not None})
    if not full:
        return [Archived(row, keys.get(row.story_id or 0)) for row in rows]
    current = [row.current_version_id for row in rows if row.current_version_id is not None]
    made_by = select(VersionRow.id, VersionRow.extractor_version).where(VersionRow.id.in_(current))
    extractors = {version_id: made for version_id, made in session.execute(made_by)}
    earlier: dict[int, list[VersionRow]] = {}
    several = [row.id for row in rows if row.version_count > 1]
    if several:
        versions = select(VersionRow).where(VersionRow.article_id.in_(several))
        for version in session.scalars(versions.order_by(VersionRow.number)):
            earlier.setdefault(version.article_id, []).append(version)
    aliases: dict[int, list[str]] = {}
    found = select(AliasRow.article_id, AliasRow.url).where(
        AliasRow.article_id.in_([row.id for row in rows])
    )
    for article_id, url in session.execute(found.order_by(AliasRow.id)):
        aliases.setdefault(article_id, []).append(url)
    return [
        Archived(
            row,
            keys.get(row.story_id or 0),
            extractors.get(row.current_version_id or 0),
            tuple(v for v in earlier.get(row.id, ()) if v.id != row.current_version_id),
            tuple(aliases.get(row.id, ())),
        )
        for row in rows
    ]


def archived_record(item: Archived) -> dict[str, Any]:
    """An archived article as search shows it: `ARCHIVED_FIELDS` in order, JSON-ready."""
    return {**record(item.row), "story": item.story, "versions": item.row.version_count}


def export_record(item: Archived, *, nested: bool = True) -> dict[str, Any]:
    """An archived article as export writes it: `EXPORT_FIELDS`, and with `nested` its
    `history` (earlier versions, oldest first) and `aliases` when it has any."""
    data = {**archived_record(item), "extractor_version": item.extractor_version}
    if nested and item.history:
        data["history"] = [version_entry(version) for version in item.history]
    if nested and item.aliases:
        data["aliases"] = list(item.aliases)
    return data


def version_entry(version: VersionRow) -> dict[str, Any]:
    """One earlier version as export writes it (what `newsarchive import` reads back)."""
    return {
        "number": version.number,
        "fetched_at": _plain(version.fetched_at),
        "extractor_version": version.extractor_version,
        "changed": list(version.changed or ()),
        "record": version_record(version.record),
    }


def _moment(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def version_record(stored: dict[str, Any]) -> dict[str, Any]:
    """A version's stored record in the record shape: `VERSION_FIELDS` in order, times in
    Europe/Athens, text NFC (what `record` gives of the same content)."""
    return {
        name: _plain(_moment(stored.get(name)) if name in MOMENTS else stored.get(name))
        for name in VERSION_FIELDS
    }


# --- stories: one text republished by several outlets ---------------------------------------------

STORY_FIELDS = ("key", "first_site", "first_url", "first_published_at", "outlets", "copies")
"""The keys of a story's description (`story_record`), in this order."""
COPY_FIELDS = ("site", "url", "headline", "published_at")


@dataclass(frozen=True)
class Copy:
    """One outlet's copy of a story."""

    site: str
    url: str
    """Its canonical URL."""
    headline: str
    published_at: datetime | None


@dataclass(frozen=True)
class Story:
    """A story: its key, its first publisher's copy, and every copy (the first publisher's
    first, then by publication time, undated last)."""

    key: str
    first: Copy
    copies: tuple[Copy, ...] = field(default_factory=tuple)


def _story_time() -> ColumnElement[Any]:
    return func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)


def stories(session: Session, filters: Filters | None = None) -> Iterator[Story]:
    """The stories with a copy within the filters (every copy shown), newest first by their
    first publication; `limit` counts stories."""
    filters = filters or Filters()
    matching = select(ArticleRow.story_id).where(
        ArticleRow.story_id.is_not(None), *_conditions(session, filters)
    )
    statement = (
        select(StoryRow.id, StoryRow.key, StoryRow.first_article_id)
        .join(ArticleRow, ArticleRow.id == StoryRow.first_article_id)
        .where(StoryRow.id.in_(matching.scalar_subquery()))
        .order_by(_story_time().desc(), StoryRow.id.desc())
    )
    if filters.limit is not None:
        statement = statement.limit(filters.limit)
    found = session.execute(statement).all()
    for start in range(0, len(found), BATCH):
        yield from _stories_of(session, found[start : start + BATCH])


def _stories_of(session: Session, found: Sequence[Any]) -> Iterator[Story]:
    columns = (
        ArticleRow.id,
        ArticleRow.story_id,
        ArticleRow.site,
        ArticleRow.canonical_url,
        ArticleRow.headline,
        ArticleRow.published_at,
    )
    members = session.execute(
        select(*columns)
        .where(ArticleRow.story_id.in_([story.id for story in found]))
        .order_by(ArticleRow.published_at.is_(None), ArticleRow.published_at, ArticleRow.id)
    ).all()
    copies: dict[int, list[tuple[int, Copy]]] = {}
    for member in members:
        copy = Copy(member.site, member.canonical_url, member.headline, member.published_at)
        copies.setdefault(member.story_id, []).append((member.id, copy))
    for story in found:
        listed = copies.get(story.id, [])
        first = [copy for article_id, copy in listed if article_id == story.first_article_id]
        others = [copy for article_id, copy in listed if article_id != story.first_article_id]
        if first:
            yield Story(story.key, first[0], (first[0], *others))


def story_record(story: Story) -> dict[str, Any]:
    """A story as JSON-ready data: `STORY_FIELDS` in order, each copy `COPY_FIELDS`."""
    return {
        "key": story.key,
        "first_site": story.first.site,
        "first_url": story.first.url,
        "first_published_at": _plain(story.first.published_at),
        "outlets": sorted({copy.site for copy in story.copies}),
        "copies": [_plain(asdict(copy)) for copy in story.copies],
    }


# --- history: an article's versions, and what changed in words -----------------------------------

LIST_TEXT_FIELDS = ("tags", "authors")
"""Fields holding lists of text, diffed as their items joined by `, `."""


@dataclass(frozen=True)
class Version:
    """One version of an article, with the word diff of each changed text field from the one
    before (empty for the first)."""

    number: int
    fetched_at: datetime
    extractor_version: str
    changed: tuple[str, ...]
    record: dict[str, Any]
    """The version's record (`version_record`)."""
    diffs: dict[str, str]


@dataclass(frozen=True)
class History:
    """An article and its versions, oldest first."""

    canonical_url: str
    site: str
    versions: tuple[Version, ...]


def find_article(session: Session, url: str) -> ArticleRow | None:
    """The article known by this URL: its canonical form (the site's rules), or an alias."""
    from newsarchive.sites import canonicalize
    from newsarchive.urls import BadURLError

    given = url.strip()
    candidates = [given]
    with suppress(BadURLError):
        candidates.insert(0, canonicalize(given))
    for candidate in dict.fromkeys(candidates):
        found = session.scalar(select(ArticleRow).where(ArticleRow.canonical_url == candidate))
        if found is None:
            alias = select(AliasRow.article_id).where(AliasRow.url == candidate)
            found = session.scalar(select(ArticleRow).where(ArticleRow.id.in_(alias)))
        if found is not None:
            return found
    return None


def history(session: Session, url: str) -> History | None:
    """The versions of the article known by `url` (see `find_article`), oldest first, each
    with its word diffs; None when no article is known by it."""
    article = find_article(session, url)
    if article is None:
        return None
    rows = session.scalars(
        select(VersionRow).where(VersionRow.article_id == article.id).order_by(VersionRow.number)
    )
    versions: list[Version] = []
    before: dict[str, Any] | None = None
    for row in rows:
        now = version_record(row.record)
        changed = tuple(row.changed or ())
        diffs = text_diffs(before, now, changed) if before is not None else {}
        versions.append(
            Version(row.number, row.fetched_at, row.extractor_version, changed, now, diffs)
        )
        before = now
    return History(article.canonical_url, article.site, tuple(versions))


def _as_text(value: Any) -> str | None:
    """A field's value as text to diff, or None when it is not text (a date, images…)."""
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    return None


def text_diffs(
    before: dict[str, Any], after: dict[str, Any], changed: Iterable[str]
) -> dict[str, str]:
    """The word diff of each changed field that holds text, from `before` to `after`."""
    diffs: dict[str, str] = {}
    for name in changed:
        old, new = _as_text(before.get(name)), _as_text(after.get(name))
        if old is None or new is None:
            continue
        shown = word_diff(old, new)
        if shown:
            diffs[name] = shown
    return diffs


def _kept(words: list[str], context: int, *, first: bool, last: bool) -> str:
    """Unchanged words around a change: `context` of them on each side, `…` for the rest."""
    if first and len(words) > context:
        return "… " + " ".join(words[-context:])
    if last and len(words) > context:
        return " ".join(words[:context]) + " …"
    if not first and not last and len(words) > 2 * context:
        return " ".join(words[:context]) + " … " + " ".join(words[-context:])
    return " ".join(words)


def word_diff(before: str, after: str, *, context: int = DIFF_CONTEXT) -> str:
    """The words removed (`[-…-]`) and added (`{+…+}`) from `before` to `after`, with `context`
    unchanged words around each change; empty when the words are the same."""
    old, new = before.split(), after.split()
    codes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    if all(tag == "equal" for tag, *_ in codes):
        return ""
    parts: list[str] = []
    for index, (tag, start, end, new_start, new_end) in enumerate(codes):
        if tag == "equal":
            first, last = index == 0, index == len(codes) - 1
            parts.append(_kept(old[start:end], context, first=first, last=last))
            continue
        removed = f"[-{' '.join(old[start:end])}-]" if end > start else ""
        added = f"{{+{' '.join(new[new_start:new_end])}+}}" if new_end > new_start else ""
        parts.append(removed + added)
    return " ".join(parts)

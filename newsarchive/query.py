"""The read side: filters, queries and the record shape over an archive session.

No Scrapy and no click here: the command line and the web API build the same `Filters` from their
parameters, call the same queries, and show the same `record` of each article.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, is_dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from newsarchive.archive.models import ArticleRow
from newsarchive.dates import ATHENS
from newsarchive.items import REGIONS, Article
from newsarchive.text import fold

if TYPE_CHECKING:
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

SITE_FIELDS = (
    "name",
    "outlet",
    "town",
    "region",
    "base_url",
    "hosts",
    "feeds",
    "sitemaps",
    "listings",
    "wp_rest",
)
"""The keys of a source's description (`site_record`), in this order."""

ISO_EXAMPLE = "e.g. 2026-02-10 or 2026-02-10T18:30"
MAX_SEARCH_WORDS = 50
"""A search has at most this many different words (each makes one condition of the query)."""
MAX_WORD_LENGTH = 200
"""A search word has at most this many characters (no Greek or Latin word comes near)."""
MAX_LIMIT = 1_000_000_000
"""The largest `limit` (what every database takes as a row count)."""


class BadQueryError(ValueError):
    """A search that cannot match anything as written."""


class BadFilterError(ValueError):
    """A filter value that cannot be used; `parameter` names the filter (`since`, `site` …)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


# --- filters ------------------------------------------------------------------------------------


def parse_when(value: str, *, parameter: str = "since", end_of_day: bool = False) -> datetime:
    """An ISO 8601 date or datetime as an aware datetime; naive values are Europe/Athens time.

    A date alone means its first instant, or its last one with `end_of_day` (an inclusive
    `until`). Raises BadFilterError naming `parameter` for anything else.
    """
    text = value.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return _in_range(
            datetime.combine(day, time.max if end_of_day else time.min, tzinfo=ATHENS),
            value,
            parameter,
        )
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadFilterError(
            parameter, f"{value!r} is not an ISO date or datetime ({ISO_EXAMPLE})"
        ) from None
    return _in_range(
        moment if moment.tzinfo is not None else moment.replace(tzinfo=ATHENS), value, parameter
    )


def _in_range(moment: datetime, value: str, parameter: str) -> datetime:
    """The moment, if it can be stored (in UTC) and shown (in Athens time)."""
    try:
        moment.astimezone(UTC)
        moment.astimezone(ATHENS)
    except OverflowError:
        raise BadFilterError(
            parameter, f"{value!r} is out of range (years 1 to 9999, in UTC and Athens time)"
        ) from None
    return moment


def _known_site(name: str) -> str:
    from newsarchive import sites

    try:
        return sites.get(name).name
    except sites.UnknownSiteError as error:
        raise BadFilterError("site", str(error)) from None


def _blank_is_none(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _parse_limit(value: int | str | None) -> int | None:
    if value is None or isinstance(value, int):
        return value
    try:
        return int(value)
    except ValueError:
        raise BadFilterError("limit", f"{value!r} is not a whole number") from None


@dataclass(frozen=True, kw_only=True)
class Filters:
    """Which articles a query returns; every field left empty means no restriction.

    Checked when made: sites must be known, the region one of `REGIONS`, dates aware, `since`
    not after `until`, `limit` positive. Raises BadFilterError naming the offending filter.
    """

    sites: tuple[str, ...] = ()
    """Only these sites' articles (any of them)."""
    region: str | None = None
    """Only articles of this region (one of `newsarchive.items.REGIONS`)."""
    section: str | None = None
    """Only this section, compared as search compares words (case and accents ignored)."""
    since: datetime | None = None
    """Only articles published at or after this instant (undated articles are left out)."""
    until: datetime | None = None
    """Only articles published at or before this instant (undated articles are left out)."""
    limit: int | None = None
    """At most this many articles (the newest); None: all."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "sites", tuple(_known_site(name) for name in self.sites))
        if self.region is not None and self.region not in REGIONS:
            raise BadFilterError(
                "region", f"unknown region {self.region!r}; regions: {', '.join(REGIONS)}"
            )
        for parameter in ("since", "until"):
            moment = getattr(self, parameter)
            if moment is not None and moment.tzinfo is None:
                raise BadFilterError(parameter, f"{moment.isoformat()} has no time zone")
        if self.since is not None and self.until is not None and self.since > self.until:
            raise BadFilterError(
                "since",
                f"{self.since.isoformat()} is after until {self.until.isoformat()}",
            )
        if self.limit is not None and self.limit < 1:
            raise BadFilterError("limit", f"{self.limit} is not a positive number")
        if self.limit is not None and self.limit > MAX_LIMIT:
            raise BadFilterError("limit", f"{self.limit} is more than {MAX_LIMIT}")

    @classmethod
    def parse(
        cls,
        *,
        sites: Iterable[str] = (),
        region: str | None = None,
        section: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | str | None = None,
    ) -> Filters:
        """Filters from text values, as a command line or a query string gives them.

        Empty strings mean no restriction; dates are ISO 8601 (`parse_when`; a date alone as
        `until` includes that whole day).
        """
        return cls(
            sites=tuple(dict.fromkeys(name.strip() for name in sites if name.strip())),
            region=_blank_is_none(region),
            section=_blank_is_none(section),
            since=parse_when(since, parameter="since") if since else None,
            until=parse_when(until, parameter="until", end_of_day=True) if until else None,
            limit=_parse_limit(limit),
        )


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
        ArticleRow.search_text.like(f"%{_like_escape(term)}%", escape="\\")
        for term in search_terms(query)
    ]
    return list(session.scalars(_select(session, filters or Filters(), *words)))


def articles(session: Session, filters: Filters | None = None) -> Iterator[ArticleRow]:
    """The archived articles within the filters, newest first, streamed."""
    statement = _select(session, filters or Filters()).execution_options(yield_per=500)
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
        "feeds": [site.absolute(path) for path in site.feeds],
        "sitemaps": [site.absolute(path) for path in site.sitemaps],
        "listings": [site.absolute(path) for path in site.listings],
        "wp_rest": site.wp_rest,
    }

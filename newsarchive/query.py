"""The read side: pure functions over an archive session (no Scrapy here)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import Session

from newsarchive.archive.models import ArticleRow
from newsarchive.text import fold

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
"""What a record shows when read back, in this order."""


class BadQueryError(ValueError):
    """A search that cannot match anything as written."""


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_terms(query: str) -> list[str]:
    """The folded words of a query; every one must occur in a match."""
    terms = fold(query).split()
    if not terms:
        raise BadQueryError("empty search: give at least one word, e.g. newsarchive search Λάρισα")
    return terms


def _newest_first(statement: Select[Any]) -> Select[Any]:
    return statement.order_by(
        ArticleRow.published_at.is_(None), ArticleRow.published_at.desc(), ArticleRow.id.desc()
    )


def search(
    session: Session, query: str, *, site: str | None = None, limit: int = 20
) -> list[ArticleRow]:
    """Articles containing every word of the query, ignoring case, accents and final sigma."""
    conditions: list[ColumnElement[bool]] = [
        ArticleRow.search_text.like(f"%{_like_escape(term)}%", escape="\\")
        for term in search_terms(query)
    ]
    if site:
        conditions.append(ArticleRow.site == site)
    statement = _newest_first(select(ArticleRow).where(and_(*conditions))).limit(limit)
    return list(session.scalars(statement))


def all_articles(session: Session, *, site: str | None = None) -> Iterator[ArticleRow]:
    """Every archived article, newest first, streamed."""
    statement = select(ArticleRow)
    if site:
        statement = statement.where(ArticleRow.site == site)
    yield from session.scalars(_newest_first(statement).execution_options(yield_per=500))


def record(row: ArticleRow) -> dict[str, Any]:
    """A row as JSON-ready data: datetimes in ISO 8601 (Europe/Athens)."""
    data: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        value = getattr(row, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data

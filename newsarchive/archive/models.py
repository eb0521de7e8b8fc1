"""The archive's tables (SQLAlchemy 2), the same on SQLite and PostgreSQL.

An article is an identity (its canonical URL, site, first and last sighting) that carries its
current version's content, so that search and export read one row; every content it ever had
is an `article_versions` row (the whole record as JSON), numbered from 1. Other URLs that gave
the same content are `url_aliases`; near-duplicates across sites share a `stories` row, found
through `story_bands` and `story_bands_new` (MinHash LSH bands, `newsarchive.archive.similarity`).
Each crawl is a `crawl_runs` row, and each fetched article response a `raw_pages` row pointing
into a WARC file.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from newsarchive.dates import ATHENS


class AwareDateTime(TypeDecorator[datetime]):
    """Stored in UTC (naive on SQLite, which has no time zones), read back in Europe/Athens."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} cannot be archived")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(ATHENS)


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    """One archived article, keyed by its canonical URL, with its current version's content."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    canonical_url: Mapped[str] = mapped_column(String(2048), unique=True)
    url: Mapped[str] = mapped_column(String(2048))
    site: Mapped[str] = mapped_column(String(100), index=True)
    region: Mapped[str | None] = mapped_column(String(20))
    headline: Mapped[str] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(String(200))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    images: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None] = mapped_column(AwareDateTime, index=True)
    published_raw: Mapped[str | None] = mapped_column(Text)
    modified_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    modified_raw: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    fetched_at: Mapped[datetime] = mapped_column(AwareDateTime)
    first_seen_at: Mapped[datetime] = mapped_column(AwareDateTime)
    content_hash: Mapped[str] = mapped_column(String(64))
    provenance: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    is_teaser: Mapped[bool] = mapped_column(Boolean, default=False)
    source_credit: Mapped[str | None] = mapped_column(Text)
    search_title: Mapped[str] = mapped_column(Text, default="")
    """The headline's index terms (`newsarchive.search.index`), what the full-text index holds."""
    search_text: Mapped[str] = mapped_column(Text)
    """The lead's and body's index terms (`newsarchive.search.index`)."""

    last_seen_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    """When a fetch last found the article (changed or not)."""
    version_count: Mapped[int] = mapped_column(Integer, default=1)
    current_version_id: Mapped[int | None] = mapped_column(Integer)
    story_id: Mapped[int | None] = mapped_column(Integer, index=True)
    """The story (near-duplicates across sites) the article is a copy in, if any."""
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The body's MinHash signature (`similarity.signature`); None for bodies too short."""

    __table_args__ = (
        Index("ix_articles_site_published", "site", "published_at"),
        Index("ix_articles_site_hash", "site", "content_hash"),
        Index("ix_articles_section", "section"),
    )


class VersionRow(Base):
    """One content of an article, as fetched (or re-extracted) at one time."""

    __tablename__ = "article_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    """1 for the first content seen, then one more for each change."""
    fetched_at: Mapped[datetime] = mapped_column(AwareDateTime)
    content_hash: Mapped[str] = mapped_column(String(64))
    extractor_version: Mapped[str] = mapped_column(String(40))
    """The newsarchive version whose extractors made the record."""
    crawl_run_id: Mapped[int | None] = mapped_column(Integer)
    raw_page_id: Mapped[int | None] = mapped_column(Integer)
    """The WARC record the version was read from; None when imported or from before WARC."""
    changed: Mapped[list[str]] = mapped_column(JSON, default=list)
    """The record fields that differ from the version before (empty for version 1)."""
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The whole record (`Article.to_dict()`)."""

    __table_args__ = (UniqueConstraint("article_id", "number", name="uq_version_number"),)


class AliasRow(Base):
    """Another URL of an archived article (the same content under two URLs of one site)."""

    __tablename__ = "url_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    first_seen_at: Mapped[datetime] = mapped_column(AwareDateTime)


class StoryRow(Base):
    """Articles of several sites that are copies of one text (a press release republished)."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(2048), unique=True)
    """Stable name of the story across archives: its first member's canonical URL."""
    first_article_id: Mapped[int] = mapped_column(Integer)
    """The first publisher's copy: the earliest published (first seen when undated)."""
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)


class _Band:
    """One LSH band hash of an article's MinHash: equal keys make candidates for a story."""

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class BandRow(_Band, Base):
    """The band index: the band rows of all but the latest articles, moved here from
    `story_bands_new` many at a time in key order."""

    __tablename__ = "story_bands"
    # One B-tree on SQLite (a rowid table keyed (key, article_id) is a table and an index).
    __table_args__ = ({"sqlite_with_rowid": False},)


class NewBandRow(_Band, Base):
    """The band rows of the latest articles (`ingest.MERGE_ROWS` at most, moved then): new rows
    land on the pages of this small B-tree, which stay cached, not on random pages of the band
    index, however large the archive. A story lookup reads both."""

    __tablename__ = "story_bands_new"
    __table_args__ = ({"sqlite_with_rowid": False},)


class CrawlRunRow(Base):
    """One crawl (or import, or re-extraction): when, which sites, what it counted, its end."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="crawl")
    started_at: Mapped[datetime] = mapped_column(AwareDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    sites: Mapped[list[str]] = mapped_column(JSON, default=list)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Per site: fetched, new, updated, unchanged, known, duplicates, dropped, errors…"""
    coverage: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Per site and field: the share of records that have it."""
    exit_status: Mapped[int | None] = mapped_column(Integer)
    """0 when every site went well, 1 when one failed; None while running (or killed)."""


class RawPageRow(Base):
    """A fetched article response kept in a gzipped WARC file (request and response)."""

    __tablename__ = "raw_pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    fetched_at: Mapped[datetime] = mapped_column(AwareDateTime)
    status: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(200))
    warc_file: Mapped[str] = mapped_column(String(500))
    """The WARC file's name, relative to the archive's WARC folder."""
    warc_offset: Mapped[int] = mapped_column(BigInteger)
    warc_length: Mapped[int] = mapped_column(BigInteger)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    crawl_run_id: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (Index("ix_raw_pages_url_fetched", "url", "fetched_at"),)


class SourceRow(Base):
    """An outlet articles come from (a declared site, or the host of a page given by URL)."""

    __tablename__ = "sources"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    outlet: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(String(20))
    base_url: Mapped[str | None] = mapped_column(String(2048))
    first_seen_at: Mapped[datetime] = mapped_column(AwareDateTime)

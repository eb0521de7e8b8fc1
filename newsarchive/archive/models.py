"""The archive's tables (SQLAlchemy 2), the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Dialect, Index, Integer, String, Text
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
    """One archived article, keyed by its canonical URL."""

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
    search_text: Mapped[str] = mapped_column(Text)
    """`newsarchive.text.fold` of headline, lead, section, tags and body: the search key."""

    __table_args__ = (Index("ix_articles_site_published", "site", "published_at"),)

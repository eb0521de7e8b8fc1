"""The archive: upsert on the canonical URL, time zones kept, consistent after a failure."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from newsarchive.archive import Archive, UpsertResult
from newsarchive.archive.models import ArticleRow
from newsarchive.dates import ATHENS
from newsarchive.items import Article, Image
from newsarchive.text import content_hash


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


def test_search_key_is_folded(db_url: str) -> None:
    with Archive(db_url) as archive:
        archive.upsert(article())
        row = archive.session.scalars(select(ArticleRow)).one()
        assert "λαρισα" in row.search_text and "ημεριδα" in row.search_text


def test_a_failed_write_leaves_the_archive_as_it_was(db_url: str) -> None:
    with Archive(db_url) as archive:
        archive.upsert(article())
        broken = article(
            canonical_url="https://www.thessaliatv.gr/news/1/", published_at=datetime(2026, 1, 1)
        )
        with pytest.raises(Exception, match="naive datetime"):
            archive.upsert(broken)
        assert count(archive) == 1
        assert (
            archive.upsert(article(canonical_url="https://www.thessaliatv.gr/news/2/"))
            is UpsertResult.NEW
        )
        assert count(archive) == 2


def test_migrations_build_exactly_the_models_schema(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from newsarchive.archive.models import Base

    with Archive(db_url) as archive, archive.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() is not None

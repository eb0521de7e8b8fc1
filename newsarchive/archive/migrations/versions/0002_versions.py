"""Versions, URL aliases, stories, crawl runs, raw pages and sources.

Every article of an archive made by revision 0001 keeps its row and gets its content as
version 1 (fetched when it was last fetched, read by an extractor of unknown version); nothing
is dropped. Its story signature is left empty: stories are found among articles stored from now
on (and `newsarchive reextract` gives older ones theirs).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

RECORD_COLUMNS = (
    "url canonical_url site region headline lead body section tags authors images published_at "
    "published_raw modified_at modified_raw language fetched_at content_hash provenance "
    "is_teaser source_credit"
).split()
DATES = ("published_at", "modified_at", "fetched_at")
JSONS = ("tags", "authors", "images", "provenance")


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True)))
        batch.add_column(
            sa.Column("version_count", sa.Integer(), nullable=False, server_default="1")
        )
        batch.add_column(sa.Column("current_version_id", sa.Integer()))
        batch.add_column(sa.Column("story_id", sa.Integer()))
        batch.add_column(sa.Column("minhash", sa.LargeBinary()))
        batch.create_index("ix_articles_story_id", ["story_id"])
        batch.create_index("ix_articles_site_hash", ["site", "content_hash"])
    op.create_table(
        "article_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("extractor_version", sa.String(40), nullable=False),
        sa.Column("crawl_run_id", sa.Integer()),
        sa.Column("raw_page_id", sa.Integer()),
        sa.Column("changed", sa.JSON(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.UniqueConstraint("article_id", "number", name="uq_version_number"),
    )
    op.create_index("ix_article_versions_article_id", "article_versions", ["article_id"])
    op.create_table(
        "url_aliases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False, unique=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_url_aliases_article_id", "url_aliases", ["article_id"])
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(2048), nullable=False, unique=True),
        sa.Column("first_article_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "story_bands",
        sa.Column("key", sa.BigInteger(), primary_key=True),
        sa.Column("article_id", sa.Integer(), primary_key=True),
    )
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("sites", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("coverage", sa.JSON(), nullable=False),
        sa.Column("exit_status", sa.Integer()),
    )
    op.create_table(
        "raw_pages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(200)),
        sa.Column("warc_file", sa.String(500), nullable=False),
        sa.Column("warc_offset", sa.BigInteger(), nullable=False),
        sa.Column("warc_length", sa.BigInteger(), nullable=False),
        sa.Column("payload_sha256", sa.String(64), nullable=False),
        sa.Column("crawl_run_id", sa.Integer()),
    )
    op.create_index("ix_raw_pages_url_fetched", "raw_pages", ["url", "fetched_at"])
    op.create_table(
        "sources",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("outlet", sa.Text()),
        sa.Column("region", sa.String(20)),
        sa.Column("base_url", sa.String(2048)),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    _first_versions()


def _column(name: str) -> sa.ColumnClause[Any]:
    """A column typed as stored, so that the driver's values come back as Python's."""
    if name in DATES or name == "first_seen_at":
        return sa.column(name, sa.DateTime())
    if name in JSONS or name in ("changed", "record"):
        return sa.column(name, sa.JSON())
    if name == "is_teaser":
        return sa.column(name, sa.Boolean())
    return sa.column(name)


def _aware(value: datetime | None) -> str | None:
    """A stored datetime (UTC, naive on SQLite) as the ISO 8601 string a record holds."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def _first_versions() -> None:
    """Each existing article's content becomes its version 1; sources are the sites seen."""
    bind = op.get_bind()
    articles = sa.table("articles", *(_column(name) for name in ("id", *RECORD_COLUMNS)))
    versions = sa.table(
        "article_versions",
        *(
            _column(name)
            for name in "article_id number fetched_at content_hash extractor_version changed "
            "record".split()
        ),
    )
    batch: list[dict[str, Any]] = []
    for row in bind.execute(sa.select(articles)).mappings():
        record = {name: row[name] for name in RECORD_COLUMNS}
        for name in DATES:
            record[name] = _aware(record[name])
        batch.append(
            {
                "article_id": row["id"],
                "number": 1,
                "fetched_at": row["fetched_at"],
                "content_hash": row["content_hash"],
                "extractor_version": "unknown",
                "changed": [],
                "record": record,
            }
        )
    if batch:
        bind.execute(versions.insert(), batch)
    bind.execute(
        sa.text(
            "UPDATE articles SET last_seen_at = fetched_at, current_version_id = "
            "(SELECT v.id FROM article_versions v WHERE v.article_id = articles.id)"
        )
    )
    bind.execute(
        sa.text(
            "INSERT INTO sources (name, first_seen_at) "
            "SELECT site, MIN(first_seen_at) FROM articles GROUP BY site"
        )
    )


def downgrade() -> None:
    for table in ("sources", "raw_pages", "crawl_runs", "story_bands", "stories"):
        op.drop_table(table)
    op.drop_table("url_aliases")
    op.drop_table("article_versions")
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_site_hash")
        batch.drop_index("ix_articles_story_id")
        for name in ("minhash", "story_id", "current_version_id", "version_count", "last_seen_at"):
            batch.drop_column(name)

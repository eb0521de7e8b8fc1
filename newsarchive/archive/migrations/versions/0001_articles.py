"""The articles table.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("canonical_url", sa.String(2048), nullable=False, unique=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("site", sa.String(100), nullable=False, index=True),
        sa.Column("region", sa.String(20)),
        sa.Column("headline", sa.Text(), nullable=False),
        sa.Column("lead", sa.Text()),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("section", sa.String(200)),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("images", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), index=True),
        sa.Column("published_raw", sa.Text()),
        sa.Column("modified_at", sa.DateTime(timezone=True)),
        sa.Column("modified_raw", sa.Text()),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("provenance", sa.JSON(), nullable=False),
        sa.Column("is_teaser", sa.Boolean(), nullable=False),
        sa.Column("source_credit", sa.Text()),
        sa.Column("search_text", sa.Text(), nullable=False),
    )
    op.create_index("ix_articles_site_published", "articles", ["site", "published_at"])


def downgrade() -> None:
    op.drop_table("articles")

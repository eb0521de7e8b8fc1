"""The band index in two parts: `story_bands_new` takes new band rows, `story_bands` the rest.

New band rows go to `story_bands_new` and are moved into `story_bands` many at a time
(`newsarchive.archive.ingest.MERGE_ROWS`); a story lookup reads both. On SQLite both tables are
WITHOUT ROWID: one B-tree each, keyed (key, article_id), where `story_bands` was a rowid table
and its key's index. Every band row of an existing archive is copied into the new
`story_bands`, in key order; nothing is dropped. PostgreSQL keeps its `story_bands` as it is.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

REBUILT = "story_bands_0004"
"""The rebuilt `story_bands` while the old one still holds the rows (SQLite)."""


def _bands(name: str, *, with_rowid: bool) -> None:
    op.create_table(
        name,
        sa.Column("key", sa.BigInteger(), primary_key=True),
        sa.Column("article_id", sa.Integer(), primary_key=True),
        sqlite_with_rowid=with_rowid,
    )


def _rebuild(*, with_rowid: bool) -> None:
    """`story_bands` made again (SQLite), its rows copied in key order."""
    _bands(REBUILT, with_rowid=with_rowid)
    op.execute(
        f"INSERT INTO {REBUILT} (key, article_id) "
        "SELECT key, article_id FROM story_bands ORDER BY key, article_id"
    )
    op.drop_table("story_bands")
    op.rename_table(REBUILT, "story_bands")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _bands("story_bands_new", with_rowid=False)
    if sqlite:
        _rebuild(with_rowid=False)


def downgrade() -> None:
    op.execute(
        "INSERT INTO story_bands (key, article_id) SELECT key, article_id FROM story_bands_new"
    )
    op.drop_table("story_bands_new")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(with_rowid=True)

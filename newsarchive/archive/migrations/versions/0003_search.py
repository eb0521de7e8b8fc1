"""The full-text index: each article's index terms, and the index over them.

Every article gets `search_title` (its headline's terms) and a new `search_text` (its lead's and
body's terms, where it held folded text before), and the index is built over them: FTS5 on
SQLite, a generated tsvector with a GIN index on PostgreSQL (`newsarchive.search.index`). An
index on sections serves the section filter.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from newsarchive.search import index

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("search_title", sa.Text(), nullable=False, server_default=""))
        batch.create_index("ix_articles_section", ["section"])
    bind = op.get_bind()
    index.create(bind)
    index.rebuild(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(f"DROP TABLE {index.FTS_TABLE}")
    else:
        op.execute("DROP INDEX ix_articles_search_vector")
        op.execute("ALTER TABLE articles DROP COLUMN search_vector")
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_section")
        batch.drop_column("search_title")

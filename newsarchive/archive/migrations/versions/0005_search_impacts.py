"""The best matches of the common search terms kept in bm25 order (SQLite).

Four tables (`newsarchive.search.impacts`): the common terms with their document counts, their
buckets by weighted count with each bucket's cut, the kept articles of each bucket, and the
scan's bookkeeping. Every term already in COMMON_AT articles gets its buckets now, from the
index's own positions; a search by relevance of one of them then reads its best matches instead
of scoring every match. PostgreSQL ranks with ts_rank_cd over its GIN index and gets nothing.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from alembic import op

from newsarchive.search import impacts

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    driver = bind.connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    impacts.create(cursor)
    impacts.promote(cursor)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in impacts.TABLES:
        op.execute(f"DROP TABLE {table}")

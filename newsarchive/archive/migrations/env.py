"""Alembic environment: migrations run on the connection `Archive` hands over."""

from alembic import context

from newsarchive.archive.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()

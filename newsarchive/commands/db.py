"""`newsarchive db upgrade`: bring an archive to this newsarchive's schema, with nothing lost."""

from __future__ import annotations

import click

from newsarchive.archive.store import Archive, ArchiveError, known_revisions
from newsarchive.cli import CONTEXT, InputError, archive_url, db_option, escaped, main


@main.group(context_settings=CONTEXT)
def db() -> None:
    """Look after the archive's schema.

    \b
    Example:
      newsarchive db upgrade --db newsarchive.db
    """


@db.command(context_settings=CONTEXT)
@db_option
def upgrade(db: str | None) -> None:
    """Upgrade the archive's schema in place to this newsarchive's newest revision.

    Every article of an older archive is kept, with its content as its first version. An
    archive at the newest revision is left as it is.

    \b
    Example:
      newsarchive db upgrade --db newsarchive.db
      newsarchive db upgrade --db postgresql+psycopg://news@localhost/news
    """
    try:
        with Archive(archive_url(db), create=False) as archive:
            where, before = archive.where, archive.upgraded_from
    except ArchiveError as error:
        raise InputError(str(error)) from None
    _, head = known_revisions()
    if before is None:
        click.echo(f"{escaped(where)}: already at schema revision {head}")
    else:
        click.echo(f"{escaped(where)}: upgraded from schema revision {before} to {head}")

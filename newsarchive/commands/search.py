"""`newsarchive search` and `newsarchive export`: the archive's articles for a question."""

from __future__ import annotations

import click

from newsarchive.cli import (
    ARCHIVED_COLUMNS,
    CONTEXT,
    InputError,
    Output,
    db_option,
    filter_options,
    main,
    open_archive,
    output_options,
    refuse_overwriting,
    write_records,
)
from newsarchive.query import (
    ARCHIVED_FIELDS,
    EXPORT_FIELDS,
    BadQueryError,
    Filters,
    archived,
    archived_record,
    articles,
    export_record,
    search,
    search_terms,
)


def checked_query(query: str) -> str:
    try:
        search_terms(query)
    except BadQueryError as error:
        raise InputError(str(error)) from None
    return query


@main.command("search", context_settings=CONTEXT)
@click.argument("query")
@filter_options(default_limit=20)
@output_options(default="table")
@db_option
def search_command(query: str, filters: Filters, output: Output, db: str | None) -> None:
    """Find articles containing every word of QUERY (case, accents and final sigma ignored),
    newest first.

    \b
    Example:
      newsarchive search "κοινωνική καινοτομία"
      newsarchive search ΛΑΡΙΣΑ --site thessaliatv --since 2026-01-01 --format json
    """
    checked_query(query)
    with open_archive(db, read_only=True) as archive:
        refuse_overwriting(output, archive.path, "archive")
        rows = search(archive.session, query, filters)
        count = write_records(
            map(archived_record, archived(archive.session, rows)),
            output,
            fields=ARCHIVED_FIELDS,
            columns=ARCHIVED_COLUMNS,
        )
    click.echo(f"{count} article(s)", err=True)


@main.command(context_settings=CONTEXT)
@filter_options(default_limit=None)
@output_options(default="jsonl")
@db_option
def export(filters: Filters, output: Output, db: str | None) -> None:
    """Export archived articles (UTF-8, Greek unescaped), newest first.

    Each article's record, its story's key (or null), its version count and the extractor
    version of its current record. json and jsonl also give its earlier versions (`history`)
    and other URLs (`aliases`) when it has any: `newsarchive import` rebuilds the archive
    from jsonl.

    \b
    Example:
      newsarchive export --format csv -o articles.csv
      newsarchive export --site thessaliatv --since 2026-02-01 > thessaliatv.jsonl
      newsarchive export --db a.db | newsarchive import - --db postgresql+psycopg://news@/news
    """
    nested = output.format in ("json", "jsonl")
    with open_archive(db, read_only=True) as archive:
        refuse_overwriting(output, archive.path, "archive")
        rows = archived(archive.session, articles(archive.session, filters), full=True)
        count = write_records(
            (export_record(item, nested=nested) for item in rows),
            output,
            fields=EXPORT_FIELDS,
            columns=ARCHIVED_COLUMNS,
        )
    click.echo(f"{count} article(s) exported", err=True)

"""`newsarchive search` and `newsarchive export`: the archive's articles for a question."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from newsarchive.cli import (
    ARCHIVED_COLUMNS,
    CONTEXT,
    EXPORT_FORMATS,
    InputError,
    Output,
    archive_url,
    db_option,
    filter_options,
    main,
    open_archive,
    output_file,
    output_options,
    refuse_overwriting,
    table_lines,
    visible,
    write_records,
)
from newsarchive.filters import Filters
from newsarchive.search.parse import BadQueryError, Query, parse
from newsarchive.search.run import (
    COUNT_CAP,
    MAX_OFFSET,
    MAX_PAGE,
    SORTS,
    Hit,
    Page,
    SearchError,
    connect,
    snippet_text,
    sqlite_file,
)

SEARCH_FIELDS = (
    "canonical_url",
    "url",
    "site",
    "region",
    "headline",
    "lead",
    "section",
    "published_at",
    "story",
    "versions",
    "score",
    "snippet",
)
"""The keys of a search hit, in every format: what a result list shows (never the whole body:
`export --query` gives whole records); `snippet` has the matched words between [ and ]."""
SORT_HELP = (
    "newest first (the default), oldest first, or by relevance (bm25 on SQLite, ts_rank_cd on "
    "PostgreSQL; a word in the headline counts more)."
)


def checked_query(query: str) -> Query:
    """The parsed query, or a one-line error saying what is wrong with it."""
    try:
        return parse(query)
    except BadQueryError as error:
        raise InputError(str(error)) from None


def hit_record(hit: Hit) -> dict[str, Any]:
    return {
        "canonical_url": hit.canonical_url,
        "url": hit.url,
        "site": hit.site,
        "region": hit.region,
        "headline": hit.headline,
        "lead": hit.lead,
        "section": hit.section,
        "published_at": hit.published_at.isoformat() if hit.published_at else None,
        "story": hit.story,
        "versions": hit.versions,
        "score": round(hit.score, 6) if hit.score is not None else None,
        "snippet": snippet_text(hit.snippet),
    }


def write_hits(hits: list[Hit], output: Output) -> None:
    """The table: a row per hit (as export's), its snippet indented below it."""
    records = [hit_record(hit) for hit in hits]
    if output.format != "table":
        write_records(records, output, fields=SEARCH_FIELDS, columns=ARCHIVED_COLUMNS)
        return
    rows = [[column.cell(record) for column in ARCHIVED_COLUMNS] for record in records]
    lines = list(table_lines(rows, [column.heading for column in ARCHIVED_COLUMNS]))
    with output_file(output.path) as out:
        out.write("\n".join(lines[:2]) + "\n")
        for line, record in zip(lines[2:], records, strict=True):
            out.write(line + "\n")
            if record["snippet"]:
                out.write("    " + visible(record["snippet"]) + "\n")


def found_line(page: Page, offset: int) -> str:
    """`20 of 134 article(s)`, `1–20 of more than 10,000`, on stderr."""
    total = f"more than {COUNT_CAP:,}" if page.capped else f"{page.total:,}"
    if offset or len(page.hits) < page.total or page.capped:
        first = offset + 1 if page.hits else offset
        return f"{first}-{offset + len(page.hits)} of {total} article(s)"
    return f"{page.total} article(s)"


@main.command("search", context_settings=CONTEXT)
@click.argument("query")
@filter_options(default_limit=20)
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="newest",
    show_default=True,
    help=SORT_HELP,
)
@click.option(
    "--offset",
    type=click.IntRange(0, MAX_OFFSET),
    default=0,
    help="Skip this many hits first (the next page: --offset 20).",
)
@output_options(default="table", formats=EXPORT_FORMATS)
@db_option
def search_command(
    query: str, filters: Filters, sort: str, offset: int, output: Output, db: str | None
) -> None:
    """Full-text search of headlines, leads and bodies, with the matched words shown.

    Case, accents, final sigma and Latin look-alike letters are ignored and Greek words are
    stemmed: ΛΑΡΙΣΑ, λαρισα and Λάρισας all find Λάρισα. QUERY is words that must all match,
    "a phrase", OR, -word or NOT word, prefix*, and (parentheses).

    \b
    Example:
      newsarchive search "κοινωνική καινοτομία"
      newsarchive search 'πλημμύρα (Λάρισα OR Τρίκαλα) -άσκηση' --sort relevance
      newsarchive search '"μπλόκο των αγροτών"' --region larisa --since 2026-01-01 --format json
      newsarchive search ΤΕΜΠΗ --limit 20 --offset 20          # the second page
    """
    parsed = checked_query(query)
    limit = filters.limit or 20
    if limit > MAX_PAGE:
        raise InputError(f"--limit {limit}: a search shows at most {MAX_PAGE} hits at once")
    url = archive_url(db)
    path = sqlite_file(url)
    if path is not None:
        refuse_overwriting(output, Path(os.path.realpath(path)), "archive")
    try:
        with connect(url) as database:
            page = database.page(parsed, filters, sort, limit, offset)
    except (SearchError, BadQueryError) as error:
        raise InputError(str(error)) from None
    write_hits(page.hits, output)
    click.echo(found_line(page, offset), err=True)


@main.command(context_settings=CONTEXT)
@click.option(
    "--query",
    "-q",
    "query",
    metavar="QUERY",
    default=None,
    help="Only the articles matching this full-text query (as newsarchive search takes it).",
)
@filter_options(default_limit=None)
@output_options(default="jsonl", formats=EXPORT_FORMATS)
@db_option
def export(query: str | None, filters: Filters, output: Output, db: str | None) -> None:
    """Export archived articles (UTF-8, Greek unescaped), newest first: all of them, or those
    matching a query and the filters.

    Each article's record, its story's key (or null), its version count and the extractor
    version of its current record. json and jsonl also give its earlier versions (`history`)
    and other URLs (`aliases`) when it has any: `newsarchive import` rebuilds the archive
    from jsonl.

    \b
    Example:
      newsarchive export --format csv -o articles.csv
      newsarchive export --site thessaliatv --since 2026-02-01 > thessaliatv.jsonl
      newsarchive export --db a.db | newsarchive import - --db postgresql+psycopg://news@/news
      newsarchive export --query 'μπλόκο Τέμπη' --region larisa --format csv -o tempi.csv
      newsarchive export --query πλημμύρα --format parquet -o floods.parquet   # pyarrow
    """
    matching = checked_query(query) if query is not None else None
    from newsarchive.query import EXPORT_FIELDS, archived, articles, export_record

    nested = output.format in ("json", "jsonl")
    with open_archive(db, read_only=True) as archive:
        refuse_overwriting(output, archive.path, "archive")
        found = articles(archive.session, filters, matching=matching)
        rows = archived(archive.session, found, full=True)
        count = write_records(
            (export_record(item, nested=nested) for item in rows),
            output,
            fields=EXPORT_FIELDS,
            columns=ARCHIVED_COLUMNS,
        )
    click.echo(f"{count} article(s) exported", err=True)

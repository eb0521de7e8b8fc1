"""`newsarchive stories`: texts republished by several outlets, with their first publisher."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import click

from newsarchive.cli import (
    CONTEXT,
    Column,
    Output,
    db_option,
    filter_options,
    main,
    one_line,
    open_archive,
    output_options,
    refuse_overwriting,
    write_records,
)
from newsarchive.query import STORY_FIELDS, Filters, stories, story_record

FIRST = "*"
"""Marks the first publisher's copy in the table."""


def _when(value: Any) -> str:
    return str(value)[:16].replace("T", " ") if value else "-"


COPY_COLUMNS = (
    Column("story", lambda row: str(row["story"])),
    Column("published", lambda row: _when(row["published_at"])),
    Column("site", lambda row: str(row["site"]) + (FIRST if row["first"] else "")),
    Column("headline", lambda row: one_line(row["headline"], 60)),
    Column("url", lambda row: str(row["url"])),
)
"""The table: one row per copy; the story's number on its first row, the first publisher
marked with `*`."""


def copy_rows(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The table's rows: each story's copies, the first publisher's first."""
    for number, data in enumerate(records, start=1):
        for index, copy in enumerate(data["copies"]):
            yield {**copy, "story": str(number) if index == 0 else "", "first": index == 0}


@main.command("stories", context_settings=CONTEXT)
@filter_options(default_limit=None)
@output_options(default="table")
@db_option
def stories_command(filters: Filters, output: Output, db: str | None) -> None:
    """List stories: one text run by several outlets (a press release republished), each with
    its first publisher and every copy's site, URL, headline and publication time, newest
    first.

    A story is listed when one of its copies is within the filters (--site, --since …); all
    its copies are shown. --limit counts stories. The table marks the first publisher with *.

    \b
    Example:
      newsarchive stories
      newsarchive stories --site larissanet --since 2026-02-01 --format json
    """
    with open_archive(db, read_only=True) as archive:
        refuse_overwriting(output, archive.path, "archive")
        found = map(story_record, stories(archive.session, filters))
        if output.format == "table":
            listed = list(found)
            write_records(copy_rows(listed), output, fields=(), columns=COPY_COLUMNS)
            count = len(listed)
        else:
            count = write_records(found, output, fields=STORY_FIELDS, columns=COPY_COLUMNS)
    click.echo(f"{count} story(ies)", err=True)

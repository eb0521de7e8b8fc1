"""`newsarchive history URL`: an article's versions, with a word diff of each change."""

from __future__ import annotations

from datetime import datetime
from typing import IO, Any

import click

from newsarchive.cli import (
    CONTEXT,
    InputError,
    Output,
    db_option,
    escaped,
    main,
    open_archive,
    output_file,
    output_options,
    refuse_overwriting,
    visible,
    write_records,
)
from newsarchive.query import History, Version, history

HISTORY_FIELDS = (
    "canonical_url",
    "site",
    "number",
    "fetched_at",
    "extractor_version",
    "changed",
    "diffs",
    "record",
)
"""The keys of a version as json, jsonl and csv give it, in this order."""


def version_data(found: History, version: Version) -> dict[str, Any]:
    """One version, JSON-ready: `HISTORY_FIELDS` in order."""
    return {
        "canonical_url": found.canonical_url,
        "site": found.site,
        "number": version.number,
        "fetched_at": version.fetched_at.isoformat(),
        "extractor_version": version.extractor_version,
        "changed": list(version.changed),
        "diffs": version.diffs,
        "record": version.record,
    }


def _when(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="minutes")[:16]


def write_text(found: History, out: IO[str]) -> None:
    """The history for people: a line per version, then the diff of each changed text."""
    count = len(found.versions)
    out.write(f"{visible(found.canonical_url)} ({visible(found.site)}): {count} version(s)\n")
    for version in found.versions:
        changed = ", ".join(version.changed) if version.changed else "-"
        what = "first seen" if version.number == 1 else f"changed: {changed}"
        out.write(
            f"\nversion {version.number}  fetched {_when(version.fetched_at)}  "
            f"extractor {visible(version.extractor_version)}  {visible(what)}\n"
        )
        for name, diff in version.diffs.items():
            out.write(f"  {name}: {visible(diff)}\n")


@main.command("history", context_settings=CONTEXT)
@click.argument("url", metavar="URL")
@output_options(default="table")
@db_option
def history_command(url: str, output: Output, db: str | None) -> None:
    """Show the versions of the article at URL (its canonical URL, or another URL that gave the
    same article), oldest first: when each was fetched, by which extractor version, what
    changed, and a word diff of each changed text ([-removed-]{+added+}).

    \b
    Example:
      newsarchive history https://www.thessaliatv.gr/news/185511/
      newsarchive history https://www.larissanet.gr/2026/02/10/x/ --format json
    """
    if not url.strip():
        raise InputError("give the article's URL, as search or export shows it")
    with open_archive(db, read_only=True) as archive:
        refuse_overwriting(output, archive.path, "archive")
        found = history(archive.session, url)
        if found is None:
            raise InputError(
                f"no archived article is known by {escaped(url)}: give its URL as search or "
                "export shows it (canonical_url)"
            )
        if output.format == "table":
            with output_file(output.path) as out:
                write_text(found, out)
        else:
            rows = (version_data(found, version) for version in found.versions)
            write_records(rows, output, fields=HISTORY_FIELDS, columns=())
    click.echo(f"{len(found.versions)} version(s)", err=True)

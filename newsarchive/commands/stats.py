"""`newsarchive stats`: articles per day, week or month, per site, region or section, as tidy
rows and as a chart."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO, cast

import click

from newsarchive.cli import (
    CONTEXT,
    Column,
    InputError,
    Output,
    checked_output_path,
    db_option,
    filter_options,
    main,
    open_archive,
    output_file,
    output_options,
    refuse_overwriting,
    write_records,
)
from newsarchive.filters import Filters
from newsarchive.stats import (
    BY,
    EVERY,
    ROW_FIELDS,
    Counts,
    TooManyPeriodsError,
    counts,
    counts_rows,
)

CHART_KINDS = (".png", ".svg")
CHART_SIZE = re.compile(r"\s*(\d{1,6})\s*[x×]\s*(\d{1,6})\s*")


def _columns(by: str | None) -> tuple[Column, ...]:
    return (
        Column("period", lambda row: str(row["period"])),
        *((Column(by, lambda row: str(row["group"])),) if by else ()),
        Column("articles", lambda row: str(row["articles"])),
    )


def _chart_kind(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """--chart: refused before anything else unless it names a .png or .svg file."""
    if value is not None and Path(value).suffix.lower() not in CHART_KINDS:
        raise click.BadParameter(f"{value!r}: give a file ending in .png or .svg")
    return value


def _chart_size(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[int, int] | None:
    """--chart-size: WIDTHxHEIGHT (its range is checked with --chart, by the chart module)."""
    if value is None:
        return None
    found = CHART_SIZE.fullmatch(value)
    if found is None:
        raise click.BadParameter(f"{value!r}: give WIDTHxHEIGHT in pixels, e.g. 1200x600")
    return int(found[1]), int(found[2])


def checked_query(query: str | None) -> str | None:
    """The query, or a one-line error saying what to fix (before the archive is opened)."""
    if query is None:
        return None
    from newsarchive.search.parse import BadQueryError, parse

    try:
        parse(query)
    except BadQueryError as error:
        raise InputError(f"--query: {error}") from None
    return query


def checked_chart(
    chart: str | None, size: tuple[int, int] | None, output: Output
) -> tuple[Path, tuple[int, int]] | None:
    """The chart's file and size, or a one-line error (matplotlib is imported only with a
    chart)."""
    if chart is None:
        if size is not None:
            raise InputError("--chart-size goes with --chart FILE")
        return None
    from newsarchive import charts

    path = checked_output_path(chart)
    assert path is not None  # "-" (stdout) is no .png or .svg file
    if path == output.path:
        raise InputError(f"cannot write {path}: it is both the chart and the -o file")
    size = size or (charts.WIDTH, charts.HEIGHT)
    try:
        charts.check_size(*size)
    except charts.BadChartSizeError as error:
        raise InputError(f"--chart-size: {error}") from None
    return path, size


def render(found: Counts, chart: Path, size: tuple[int, int]) -> bytes:
    from newsarchive import charts

    width, height = size
    if chart.suffix.lower() == ".svg":
        return charts.chart_svg(found, width=width, height=height).encode("utf-8")
    return charts.chart_png(found, width=width, height=height)


def write_chart(path: Path, data: bytes) -> None:
    """The chart file, written whole or not at all (as -o is)."""
    with output_file(path) as out:
        cast(TextIO, out).buffer.write(data)


@main.command("stats", context_settings=CONTEXT)
@click.option(
    "--every",
    type=click.Choice(EVERY),
    default="week",
    show_default=True,
    help="Count per Athens day, per week (labelled by its Monday) or per month (YYYY-MM).",
)
@click.option(
    "--by",
    type=click.Choice(BY),
    default=None,
    help="A series per site, region or section (sections as search compares them: case and "
    "accents ignored). Without it: one series, the articles of all.",
)
@click.option(
    "--query",
    metavar="QUERY",
    default=None,
    help="Count only the articles matching this search (the language of newsarchive search): "
    "a term's mentions over time.",
)
@click.option(
    "--chart",
    metavar="FILE.png|FILE.svg",
    default=None,
    callback=_chart_kind,
    help="Also draw the counts in this file: a line per series (the 10 largest, the rest "
    "summed as «άλλα»), Greek labels.",
)
@click.option(
    "--chart-size",
    metavar="WxH",
    default=None,
    callback=_chart_size,
    help="The chart's size in pixels.  [default: 1000x500]",
)
@filter_options(default_limit=None)
@output_options(default="table")
@db_option
def stats_command(
    every: str,
    by: str | None,
    query: str | None,
    chart: str | None,
    chart_size: tuple[int, int] | None,
    filters: Filters,
    output: Output,
    db: str | None,
) -> None:
    """Count articles per period (Europe/Athens time), for the whole archive or a search,
    optionally per site, region or section: tidy rows (period, group, articles) for pandas or
    R; periods without articles between the first and the last (or --since and --until) are
    0. Undated articles are left out and their number told on stderr.

    \b
    Example:
      newsarchive stats --every month --by site
      newsarchive stats --query "πλημμύρα" --every day --since 2025-01-01 --format csv
      newsarchive stats --by region --chart trends.svg
    """
    query = checked_query(query)
    drawing = checked_chart(chart, chart_size, output)
    with open_archive(db, read_only=True) as archive:
        refuse_overwriting(output, archive.path, "archive")
        if drawing is not None:
            refuse_overwriting(Output("table", drawing[0]), archive.path, "archive")
        try:
            found = counts(archive.session, every=every, by=by, query=query, filters=filters)
        except TooManyPeriodsError as error:
            raise InputError(str(error)) from None
    drawn = render(found, *drawing) if drawing is not None else None
    write_records(counts_rows(found), output, fields=_fields(by), columns=_columns(by))
    if drawing is not None and drawn is not None:
        write_chart(drawing[0], drawn)
    click.echo(f"{found.total} article(s) in {len(found.periods)} {every}(s)", err=True)
    if found.undated:
        click.echo(f"{found.undated} undated article(s) left out", err=True)


def _fields(by: str | None) -> tuple[str, ...]:
    return ROW_FIELDS if by else tuple(name for name in ROW_FIELDS if name != "group")

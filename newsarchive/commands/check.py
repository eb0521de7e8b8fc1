"""`newsarchive check SITE… | --all`: which endpoints of each site answer, and which rule gives
each field of a sample of its articles (`newsarchive.crawl.check`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import IO, Any

import click

from newsarchive.cli import (
    CONTEXT,
    UNSAFE,
    Output,
    chosen_sites,
    escaped,
    main,
    mirror_setting,
    output_file,
    output_options,
    write_records,
)


def check_lines(result: Any) -> Iterator[str]:
    """The table's lines for one site: verdict, endpoints, sample, rule per field, problems."""
    from newsarchive import sites

    site = sites.get(result.site)
    verdict = "healthy" if result.healthy else "UNHEALTHY"
    yield f"{site.name} ({site.outlet}, {site.town}): {verdict}"
    for endpoint in result.endpoints:
        status = str(endpoint.status) if endpoint.status is not None else "-"
        mark = "ok" if endpoint.ok else "FAILED"
        yield f"  {endpoint.kind:<8} {status:>3} {mark:<6} {endpoint.url}  {endpoint.what}"
    read = sum(1 for sample in result.samples if sample.ok)
    yield f"  sample: {read} of {len(result.samples)} articles read"
    fields = result.fields()
    if fields:
        width = max(len(name) for name in fields)
        for name, rules in fields.items():
            counts = ", ".join(f"{rule} {count}" for rule, count in rules.items())
            yield f"    {name:<{width}}  {counts}"
    for problem in result.problems:
        yield f"  problem: {problem}"
    for warning in result.notes:
        yield f"  warning: {warning}"


def write_table(results: list[Any], out: IO[str]) -> None:
    for index, result in enumerate(results):
        if index:
            out.write("\n")
        for line in check_lines(result):
            out.write(UNSAFE.sub("", line) + "\n")


@main.command("check", context_settings=CONTEXT)
@click.argument("site_names", metavar="SITE...", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="Check every known site.")
@click.option(
    "--mirror",
    metavar="[HOST=]URL",
    multiple=True,
    help="Fetch from a local mirror (the fixture server: newsarchive demo --serve) instead of "
    "the web: URL for every site, HOST=URL for one host (repeatable).",
)
@click.option(
    "--sample",
    type=click.IntRange(0, 100),
    default=3,
    show_default=True,
    help="Articles fetched per site to see which rule gives each field.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log (INFO).")
@output_options(default="table")
def check(
    site_names: tuple[str, ...],
    all_sites: bool,
    mirror: tuple[str, ...],
    sample: int,
    verbose: bool,
    output: Output,
) -> None:
    """Fetch each declared endpoint of each site (feeds, sitemaps, WordPress REST, listings)
    and a sample of the articles they lead to; print which endpoints answer with what they
    should, and which rule gave each field: the site's selector, its CMS family's, or a
    generic one. Nothing is archived. Exit status 1 when a site is unhealthy.

    \b
    Example:
      newsarchive check thessaliatv larissanet
      newsarchive check --all --mirror http://127.0.0.1:8800 --format json
    """
    from newsarchive.crawl.check import CHECK_FIELDS, check_settings, run_checks

    names = chosen_sites(site_names, all_sites)
    settings = check_settings(mirror=mirror_setting(mirror), verbose=verbose)
    results = run_checks(names, settings, sample=sample)
    if output.format == "table":
        with output_file(output.path) as out:
            write_table(results, out)
    else:
        write_records(
            (result.record() for result in results), output, fields=CHECK_FIELDS, columns=()
        )
    unhealthy = [result.site for result in results if not result.healthy]
    if unhealthy:
        click.echo(escaped(f"newsarchive check: unhealthy: {', '.join(unhealthy)}"), err=True)
        sys.exit(1)

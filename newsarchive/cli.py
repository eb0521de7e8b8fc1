"""The `newsarchive` command: crawl, search, export, extract, sites, demo."""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from newsarchive.archive import Archive, ArchiveError, database_url
from newsarchive.query import RECORD_FIELDS, BadQueryError, all_articles, record, search
from newsarchive.urls import BadURLError

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DEMO_QUERY = "λαρισα"


class InputError(click.ClickException):
    """Bad input: reported on one line, exit status 2, nothing written."""

    exit_code = 2


class OneLineGroup(click.Group):
    """Every error on one line: `newsarchive: error: …` (click's own usage errors too)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.Abort:
            click.echo("newsarchive: aborted", err=True)
            sys.exit(130)
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else "newsarchive"
            click.echo(f"{command}: error: {error.format_message()} (see {command} -h)", err=True)
            sys.exit(2)
        except click.ClickException as error:
            click.echo(f"newsarchive: error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)


def db_option(function: F) -> F:
    return click.option(
        "--db",
        "db",
        metavar="URL|PATH",
        default=None,
        help="Archive: a SQLAlchemy URL or a SQLite file path "
        "(default: $NEWSARCHIVE_DATABASE_URL, else sqlite:///newsarchive.db).",
    )(function)


def format_option(function: F) -> F:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["table", "json"]),
        default="table",
        show_default=True,
        help="table for people; json: one JSON array on stdout.",
    )(function)


@contextmanager
def open_archive(db: str | None, *, create: bool) -> Iterator[Archive]:
    """The archive, or a one-line error saying what is wrong with it."""
    try:
        archive = Archive(db, create=create)
    except ArchiveError as error:
        raise InputError(str(error)) from None
    try:
        yield archive
    finally:
        archive.close()


@click.group(cls=OneLineGroup, context_settings=CONTEXT)
@click.version_option(package_name="newsarchive", message="%(prog)s %(version)s")
def main() -> None:
    """Crawler and searchable archive of the regional news of Thessaly, Greece.

    \b
    Example:
      newsarchive demo            # crawl the bundled fixture sites, offline
      newsarchive crawl --all     # crawl every source into sqlite:///newsarchive.db
      newsarchive search λάρισα
    """


# --- crawl ------------------------------------------------------------------------------------


def chosen_sites(names: tuple[str, ...], all_sites: bool) -> list[str]:
    from newsarchive import sites

    if all_sites == bool(names):
        raise InputError("name the sites to crawl, or give --all (see newsarchive sites)")
    if all_sites:
        return list(sites.spiders())
    try:
        return [sites.spider(name).name for name in dict.fromkeys(names)]
    except sites.UnknownSiteError as error:
        raise InputError(str(error)) from None


def mirror_setting(values: tuple[str, ...]) -> str | dict[str, str] | None:
    """`--mirror` values as NEWSARCHIVE_MIRROR: one base URL, or a base URL per host."""
    from newsarchive.urls import BadURLError, split_absolute

    if not values:
        return None
    hosts = dict(value.split("=", 1) for value in values if "=" in value)
    bases = [value for value in values if "=" not in value]
    if bases and (hosts or len(bases) > 1):
        raise InputError("give --mirror URL once, or --mirror HOST=URL for each host")
    for base in [*bases, *hosts.values()]:
        try:
            split_absolute(base)
        except BadURLError as error:
            raise InputError(f"--mirror: {error}") from None
    return bases[0] if bases else hosts


def print_summary(reports: Iterable[Any], archive_url: str) -> bool:
    """Prints the crawl summary; returns True when every site went well."""
    ok = True
    click.echo(f"Crawl summary (archive: {archive_url})")
    for report in reports:
        status = "FAILED" if report.failed else "ok"
        click.echo(f"[{status}] {report.line()}")
        for line in report.details():
            click.echo(line)
        ok = ok and not report.failed
    return ok


def run_and_report(
    names: list[str], db: str | None, *, mirror: Any, refresh: bool, verbose: bool
) -> bool:
    from newsarchive.crawl import crawl_settings, run_crawl

    url = database_url(db)
    with open_archive(url, create=True):
        pass  # refuse a bad archive before any request is made
    settings = crawl_settings(url, mirror=mirror, verbose=verbose)
    reports = run_crawl(names, settings, refresh=refresh)
    return print_summary(reports, url)


@main.command(context_settings=CONTEXT)
@click.argument("site_names", metavar="SITE...", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="Crawl every known site.")
@db_option
@click.option("--refresh", is_flag=True, help="Fetch archived articles again (default: skip them).")
@click.option(
    "--mirror",
    metavar="[HOST=]URL",
    multiple=True,
    help="Fetch from a local mirror (the fixture server) instead of the web: URL for "
    "every site, HOST=URL for one host (repeatable).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log (INFO).")
def crawl(
    site_names: tuple[str, ...],
    all_sites: bool,
    db: str | None,
    refresh: bool,
    mirror: tuple[str, ...],
    verbose: bool,
) -> None:
    """Crawl sites into the archive, then print what each did.

    Incremental: articles already archived are not downloaded again. Exit status 1 when a
    site failed (unreachable, errors), 2 for bad input.

    \b
    Example:
      newsarchive crawl thessaliatv
      newsarchive crawl --all --db postgresql+psycopg://news@localhost/news
    """
    names = chosen_sites(site_names, all_sites)
    if not run_and_report(
        names, db, mirror=mirror_setting(mirror), refresh=refresh, verbose=verbose
    ):
        sys.exit(1)


# --- search and export ------------------------------------------------------------------------


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def echo_table(rows: list[list[str]], headers: list[str]) -> None:
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, ["-" * width for width in widths], *rows]:
        click.echo(
            "  ".join(
                str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)
            ).rstrip()
        )


def shorten(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


@main.command("search", context_settings=CONTEXT)
@click.argument("query")
@click.option("--site", default=None, help="Only this site's articles.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@format_option
@db_option
def search_command(
    query: str, site: str | None, limit: int, output_format: str, db: str | None
) -> None:
    """Find articles containing every word of QUERY (case, accents and final sigma ignored).

    \b
    Example:
      newsarchive search "κοινωνική καινοτομία"
      newsarchive search ΛΑΡΙΣΑ --site thessaliatv --format json
    """
    with open_archive(db, create=False) as archive:
        try:
            rows = search(archive.session, query, site=site, limit=limit)
        except BadQueryError as error:
            raise InputError(str(error)) from None
        if output_format == "json":
            echo_json([record(row) for row in rows])
            return
        table = [
            [
                f"{row.published_at:%Y-%m-%d %H:%M}" if row.published_at else "-",
                row.site,
                shorten(row.headline, 70),
                row.canonical_url,
            ]
            for row in rows
        ]
        echo_table(table, ["published", "site", "headline", "url"])
        click.echo(f"{len(rows)} article(s)", err=True)


def csv_cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def write_export(rows: Iterable[dict[str, Any]], output_format: str, out: IO[str]) -> int:
    count = 0
    if output_format == "csv":
        writer = csv.DictWriter(out, fieldnames=RECORD_FIELDS)
        writer.writeheader()
    for data in rows:
        if output_format == "csv":
            writer.writerow({key: csv_cell(value) for key, value in data.items()})
        else:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        count += 1
    return count


@contextmanager
def output_file(path: str | None) -> Iterator[IO[str]]:
    """stdout, or a file written whole or not at all."""
    if path in (None, "-"):
        yield sys.stdout
        return
    target = Path(path)
    if not target.parent.is_dir():
        raise InputError(f"cannot write {target}: folder {target.parent} does not exist")
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", text=True)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


@main.command(context_settings=CONTEXT)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one JSON record per line; csv: lists as JSON cells.",
)
@click.option("--output", "-o", metavar="FILE", default=None, help="Write here instead of stdout.")
@click.option("--site", default=None, help="Only this site's articles.")
@db_option
def export(output_format: str, output: str | None, site: str | None, db: str | None) -> None:
    """Export archived articles (UTF-8, Greek unescaped), newest first.

    \b
    Example:
      newsarchive export --format csv -o articles.csv
      newsarchive export --site thessaliatv > thessaliatv.jsonl
    """
    with open_archive(db, create=False) as archive, output_file(output) as out:
        count = write_export(
            (record(row) for row in all_articles(archive.session, site=site)), output_format, out
        )
    click.echo(f"{count} article(s) exported", err=True)


# --- extract and sites ------------------------------------------------------------------------


def read_html_file(path: Path) -> str:
    from newsarchive.encoding import decode_html

    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    html = decode_html(data) if b"\x00" not in data[:4096] else None
    if (
        html is None
        or "<" not in html
        or not any(
            tag in html[:200_000].lower() for tag in ("<html", "<body", "<p", "<div", "<article")
        )
    ):
        raise InputError(f"{path} is not an HTML page: give a saved article page (.html)")
    return html


@main.command("extract", context_settings=CONTEXT)
@click.argument("file", metavar="FILE|file://PATH")
@click.option("--url", required=True, help="The URL the page was fetched from (picks the site).")
@click.option("--no-site-rules", is_flag=True, help="Use only the generic rules.")
def extract_command(file: str, url: str, no_site_rules: bool) -> None:
    """Print the record of a saved article page as JSON.

    \b
    Example:
      newsarchive extract page.html --url https://www.thessaliatv.gr/news/185511/
      newsarchive extract file:///tmp/saved.html --url https://www.larissanet.gr/2026/02/10/x/
    """
    from newsarchive.extract import extract
    from newsarchive.page_kind import NotAnArticleError

    html = read_html_file(Path(file.removeprefix("file://")))
    try:
        article = extract(html, url, use_site_rules=not no_site_rules)
    except BadURLError as error:
        raise InputError(str(error)) from None
    except NotAnArticleError as error:
        raise click.ClickException(f"{file} is not an article page: {error}") from None
    echo_json(article.to_dict())


@main.command("sites", context_settings=CONTEXT)
@format_option
def sites_command(output_format: str) -> None:
    """List the supported sources.

    \b
    Example:
      newsarchive sites --format json
    """
    from newsarchive import sites

    rows: list[dict[str, Any]] = [
        {
            "name": spider.name,
            "region": spider.region,
            "url": spider.base_url,
            "feeds": [spider.absolute(feed) for feed in spider.feeds],
            "sitemaps": [spider.absolute(sitemap) for sitemap in spider.sitemaps],
            "listings": [spider.absolute(listing) for listing in spider.listings],
        }
        for spider in sites.spiders().values()
    ]
    if output_format == "json":
        echo_json(rows)
        return
    echo_table(
        [[row["name"], row["region"], row["url"]] for row in rows], ["site", "region", "url"]
    )


# --- demo -------------------------------------------------------------------------------------


@main.command(context_settings=CONTEXT)
@click.option(
    "--db",
    "db",
    metavar="PATH",
    default="newsarchive-demo.db",
    show_default=True,
    help="SQLite file (or database URL) to crawl into.",
)
@click.option("--query", default=DEMO_QUERY, show_default=True, help="The search shown at the end.")
def demo(db: str, query: str) -> None:
    """Crawl the bundled fixture sites, served on 127.0.0.1, then search the result.

    The same spiders and pipelines as `crawl`, pointed at a local server: no network needed.

    \b
    Example:
      newsarchive demo --db /tmp/demo.db
    """
    from newsarchive.fixture_server import load_sites, serve

    names = sorted({site.name for site in load_sites().values()})
    with serve() as server:
        click.echo(f"Serving fixture sites {', '.join(names)} on {server.url}")
        ok = run_and_report(names, db, mirror=server.url, refresh=False, verbose=False)
    click.echo(f"\nnewsarchive search {query} --db {db}")
    with open_archive(db, create=False) as archive:
        rows = search(archive.session, query, limit=10)
        echo_table(
            [
                [
                    f"{row.published_at:%Y-%m-%d %H:%M}" if row.published_at else "-",
                    row.site,
                    shorten(row.headline, 70),
                ]
                for row in rows
            ],
            ["published", "site", "headline"],
        )
    if not ok:
        sys.exit(1)

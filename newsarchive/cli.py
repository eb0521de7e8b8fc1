"""The `newsarchive` command: crawl, search, export, extract, savefixture, sites, demo."""

from __future__ import annotations

import csv
import functools
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar, cast

import click

from newsarchive.archive import Archive, ArchiveError, database_url
from newsarchive.items import REGIONS
from newsarchive.query import (
    RECORD_FIELDS,
    SITE_FIELDS,
    BadFilterError,
    BadQueryError,
    Filters,
    articles,
    parse_when,
    record,
    search,
    search_terms,
    site_record,
)

if TYPE_CHECKING:
    from newsarchive.items import Article
    from newsarchive.sites import Site

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DEMO_QUERY = "λαρισα"
FORMATS = ("table", "json", "jsonl", "csv")


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
        except BrokenPipeError:  # `newsarchive export | head`: the reader has had enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
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


def with_options(function: Callable[..., Any], options: Sequence[Callable[[F], F]]) -> Any:
    """`function` with click options applied as if written as decorators, in this order."""
    for option in reversed(options):
        function = option(function)
    return function


# --- output: --format and -o, the same on every read command -------------------------------------


@dataclass(frozen=True)
class Output:
    """Where and how a command writes its records."""

    format: str
    """One of FORMATS."""
    path: Path | None = None
    """The file, written whole or not at all; None: stdout."""


@dataclass(frozen=True)
class Column:
    """One column of `--format table`: its heading and its cell of a record."""

    heading: str
    cell: Callable[[dict[str, Any]], str]


def checked_output_path(value: str | None) -> Path | None:
    """The -o file, refused before anything is opened when it cannot be written."""
    if value in (None, "-"):
        return None
    target = Path(value)
    if target.is_dir():
        raise InputError(f"cannot write {target}: it is a folder")
    if not target.parent.is_dir():
        raise InputError(f"cannot write {target}: folder {target.parent} does not exist")
    return target


def output_options(default: str) -> Callable[[F], F]:
    """`--format table|json|jsonl|csv` and `-o FILE`, handed to the command as `output`."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, output_format: str, output_path: str | None, **kwargs: Any) -> Any:
            kwargs["output"] = Output(output_format, checked_output_path(output_path))
            return function(*args, **kwargs)

        return cast(
            F,
            with_options(
                wrapper,
                [
                    click.option(
                        "--format",
                        "output_format",
                        type=click.Choice(FORMATS),
                        default=default,
                        show_default=True,
                        help="table for people; json: one JSON document; jsonl: one record per "
                        "line; csv: lists and objects as JSON cells. UTF-8, Greek unescaped.",
                    ),
                    click.option(
                        "--output",
                        "-o",
                        "output_path",
                        metavar="FILE",
                        default=None,
                        help="Write here instead of stdout (whole, or not at all).",
                    ),
                ],
            ),
        )

    return decorate


@contextmanager
def output_file(path: Path | None) -> Iterator[IO[str]]:
    """stdout, or a file written whole or not at all."""
    if path is None:
        yield sys.stdout
        return
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", text=True)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def dumps(data: Any, *, indent: int | None = None) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent)


def csv_cell(value: Any) -> Any:
    return dumps(value) if isinstance(value, list | dict) else value


def one_line(value: Any, width: int) -> str:
    text = "-" if value is None or value == [] or value == {} else str(csv_cell(value))
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def table_lines(rows: list[list[str]], headings: list[str]) -> Iterator[str]:
    widths = [max(len(row[i]) for row in [headings, *rows]) for i in range(len(headings))]
    for row in [headings, ["-" * width for width in widths], *rows]:
        yield "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()


def write_json_array(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """A JSON array written as it comes (an export need not fit in memory)."""
    count = 0
    for data in records:
        out.write(",\n" if count else "[\n")
        out.write("\n".join("  " + line for line in dumps(data, indent=2).splitlines()))
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


def write_csv(records: Iterable[dict[str, Any]], fields: Sequence[str], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(fields))
    writer.writeheader()
    count = 0
    for data in records:
        writer.writerow({key: csv_cell(value) for key, value in data.items()})
        count += 1
    return count


def write_table(
    records: Iterable[dict[str, Any]], columns: Sequence[Column], out: IO[str], *, single: bool
) -> int:
    rows = list(records)
    if single:  # one record: a field per line
        lines = table_lines(
            [[key, one_line(value, 90)] for key, value in rows[0].items()], ["field", "value"]
        )
    else:
        lines = table_lines(
            [[column.cell(data) for column in columns] for data in rows],
            [column.heading for column in columns],
        )
    for line in lines:
        out.write(line + "\n")
    return len(rows)


def write_records(
    records: Iterable[dict[str, Any]],
    output: Output,
    *,
    fields: Sequence[str],
    columns: Sequence[Column],
    single: bool = False,
) -> int:
    """Writes records in the chosen format; returns how many. `single`: one record, so json
    gives that object rather than an array of it."""
    with output_file(output.path) as out:
        if output.format == "json" and single:
            (data,) = records
            out.write(dumps(data, indent=2) + "\n")
            return 1
        if output.format == "json":
            return write_json_array(records, out)
        if output.format == "jsonl":
            count = 0
            for data in records:
                out.write(dumps(data) + "\n")
                count += 1
            return count
        if output.format == "csv":
            return write_csv(records, fields, out)
        return write_table(records, columns, out, single=single)


def published_cell(data: dict[str, Any]) -> str:
    published = data.get("published_at")
    return str(published)[:16].replace("T", " ") if published else "-"


ARTICLE_COLUMNS = (
    Column("published", published_cell),
    Column("site", lambda data: str(data["site"])),
    Column("headline", lambda data: one_line(data["headline"], 70)),
    Column("url", lambda data: str(data["canonical_url"])),
)
SITE_COLUMNS = (
    Column("site", lambda data: str(data["name"])),
    Column("outlet", lambda data: str(data["outlet"])),
    Column("region", lambda data: str(data["region"])),
    Column("url", lambda data: str(data["base_url"])),
)


# --- filters: --site, --region, --section, --since, --until, --limit -----------------------------


def filters_from_options(
    sites: tuple[str, ...],
    region: str | None,
    section: str | None,
    since: str | None,
    until: str | None,
    limit: int | None,
) -> Filters:
    """The options as `query.Filters`, or a one-line error naming the bad one."""
    try:
        return Filters.parse(
            sites=sites, region=region, section=section, since=since, until=until, limit=limit
        )
    except BadFilterError as error:
        raise InputError(option_error(error)) from None


def option_error(error: BadFilterError) -> str:
    """`--since '2026-13-01' is not …`; an unknown site's message as `crawl` gives it."""
    return str(error) if error.parameter == "site" else f"--{error.parameter} {error}"


def filter_options(*, default_limit: int | None) -> Callable[[F], F]:
    """The article filters, handed to the command as `filters` (a `query.Filters`)."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(
            *args: Any,
            sites: tuple[str, ...],
            region: str | None,
            section: str | None,
            since: str | None,
            until: str | None,
            limit: int | None,
            **kwargs: Any,
        ) -> Any:
            kwargs["filters"] = filters_from_options(sites, region, section, since, until, limit)
            return function(*args, **kwargs)

        limit_help = "At most this many articles, the newest." + (
            "" if default_limit else "  [default: all]"
        )
        return cast(
            F,
            with_options(
                wrapper,
                [
                    click.option(
                        "--site",
                        "sites",
                        metavar="SITE",
                        multiple=True,
                        help="Only this site's articles (repeatable; see newsarchive sites).",
                    ),
                    click.option(
                        "--region",
                        type=click.Choice(REGIONS),
                        default=None,
                        help="Only this region's articles.",
                    ),
                    click.option(
                        "--section",
                        metavar="NAME",
                        default=None,
                        help="Only this section (case and accents ignored).",
                    ),
                    click.option(
                        "--since",
                        metavar="DATE|DATETIME",
                        default=None,
                        help="Only articles published then or later (ISO 8601, Athens time "
                        "unless an offset is given).",
                    ),
                    click.option(
                        "--until",
                        metavar="DATE|DATETIME",
                        default=None,
                        help="Only articles published then or earlier (a date: that whole day).",
                    ),
                    click.option(
                        "--limit",
                        type=click.IntRange(1, None),
                        default=default_limit,
                        show_default=default_limit is not None,
                        help=limit_help,
                    ),
                ],
            ),
        )

    return decorate


# --- main -------------------------------------------------------------------------------------


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
        return [site.name for site in sites.all()]
    try:
        return [sites.get(name).name for name in dict.fromkeys(names)]
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
    with open_archive(db, create=False) as archive:
        try:
            rows = search(archive.session, query, filters)
        except BadQueryError as error:
            raise InputError(str(error)) from None
        count = write_records(
            (record(row) for row in rows), output, fields=RECORD_FIELDS, columns=ARTICLE_COLUMNS
        )
    click.echo(f"{count} article(s)", err=True)


@main.command(context_settings=CONTEXT)
@filter_options(default_limit=None)
@output_options(default="jsonl")
@db_option
def export(filters: Filters, output: Output, db: str | None) -> None:
    """Export archived articles (UTF-8, Greek unescaped), newest first.

    \b
    Example:
      newsarchive export --format csv -o articles.csv
      newsarchive export --site thessaliatv --since 2026-02-01 > thessaliatv.jsonl
    """
    with open_archive(db, create=False) as archive:
        count = write_records(
            (record(row) for row in articles(archive.session, filters)),
            output,
            fields=RECORD_FIELDS,
            columns=ARTICLE_COLUMNS,
        )
    click.echo(f"{count} article(s) exported", err=True)


# --- extract, savefixture and sites -----------------------------------------------------------


def looks_like_html(data: bytes) -> str | None:
    """The page's text when the bytes are an HTML page, else None."""
    from newsarchive.encoding import decode_html

    html = decode_html(data) if b"\x00" not in data[:4096] else None
    head = html[:200_000].lower() if html else ""
    if not any(tag in head for tag in ("<html", "<body", "<p", "<div", "<article")):
        return None
    return html


def read_page(file: str) -> tuple[Path, bytes, str]:
    """A saved page (a path or a file:// URL): its path, bytes and text; bad input exits 2."""
    path = Path(file.removeprefix("file://"))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    html = looks_like_html(data)
    if html is None:
        raise InputError(f"{path} is not an HTML page: give a saved article page (.html)")
    return path, data, html


def fetched_at_option(value: str) -> datetime:
    """`--fetched-at` as an aware datetime (naive: Athens time), or a one-line error."""
    try:
        return parse_when(value, parameter="fetched-at")
    except BadFilterError as error:
        raise InputError(option_error(error)) from None


def extract_page(
    file: str, url: str, *, fetched_at: datetime | None, use_site_rules: bool
) -> Article:
    """The Article of a saved page; bad input exits 2, a page without an article exits 1."""
    from newsarchive.extract import extract
    from newsarchive.items import NotAnArticleError
    from newsarchive.urls import BadURLError

    _, _, html = read_page(file)
    try:
        return extract(html, url, fetched_at=fetched_at, use_site_rules=use_site_rules)
    except BadURLError as error:
        raise InputError(str(error)) from None
    except NotAnArticleError as error:
        raise click.ClickException(f"{file} is not an article page: {error}") from None


FETCHED_AT_HELP = (
    "When the page was fetched (ISO 8601; default: now): relative dates such as "
    "`πριν 2 ώρες` count from it."
)


@main.command("extract", context_settings=CONTEXT)
@click.argument("file", metavar="FILE|file://PATH")
@click.option("--url", required=True, help="The URL the page was fetched from (picks the site).")
@click.option("--fetched-at", "fetched_at", metavar="DATETIME", default=None, help=FETCHED_AT_HELP)
@click.option("--no-site-rules", is_flag=True, help="Use only the generic rules.")
@output_options(default="json")
def extract_command(
    file: str, url: str, fetched_at: str | None, no_site_rules: bool, output: Output
) -> None:
    """Print the record of a saved article page (the same fields as search and export).

    \b
    Example:
      newsarchive extract page.html --url https://www.thessaliatv.gr/news/185511/
      newsarchive extract file:///tmp/saved.html --url https://www.larissanet.gr/2026/02/10/x/ \\
          --fetched-at 2026-02-10T20:00 --format table
    """
    article = extract_page(
        file,
        url,
        fetched_at=fetched_at_option(fetched_at) if fetched_at else None,
        use_site_rules=not no_site_rules,
    )
    write_records(
        [record(article)], output, fields=RECORD_FIELDS, columns=ARTICLE_COLUMNS, single=True
    )


def known_site(name: str) -> Site:
    from newsarchive import sites

    try:
        return sites.get(name)
    except sites.UnknownSiteError as error:
        raise InputError(str(error)) from None


def checked_fixture_path(value: str | None, data: bytes) -> Path | None:
    """`-o OUT.json`, refused when it cannot be written or OUT.html is another page."""
    target = checked_output_path(value)
    if target is None:
        return None
    if target.suffix != ".json":
        raise InputError(f"cannot write {target}: a golden fixture is a .json file")
    page = target.with_suffix(".html")
    if page.exists() and page.read_bytes() != data:
        raise InputError(f"{page} exists and is another page: save the fixture elsewhere")
    return target


def golden_page(
    data: bytes, url: str, *, fetched_at: datetime, content_type: str | None, modeled_on: str
) -> tuple[dict[str, Any], str]:
    """The golden fixture of a page (and what kind it is): the record extraction makes today."""
    from newsarchive import golden
    from newsarchive.extract import from_response
    from newsarchive.items import NotAnArticleError, NotHTMLError, UndecodableError
    from newsarchive.urls import BadURLError

    try:
        article = from_response(data, content_type, url, fetched_at=fetched_at)
    except BadURLError as error:
        raise InputError(str(error)) from None
    except (NotHTMLError, UndecodableError) as error:
        raise InputError(f"{url}: {error}") from None
    except NotAnArticleError as error:
        fixture = golden.not_article(
            url, fetched_at, modeled_on=modeled_on, reason=str(error), content_type=content_type
        )
        return fixture, f"not an article ({error})"
    fixture = golden.fixture_of(article, modeled_on=modeled_on, content_type=content_type)
    return fixture, str(fixture["kind"])


def write_whole(path: Path, data: bytes) -> None:
    """Write a file whole or not at all."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


@main.command("savefixture", context_settings=CONTEXT)
@click.argument("site_name", metavar="SITE")
@click.argument("file", metavar="FILE|file://PATH")
@click.option("--url", required=True, help="The URL the page was fetched from (one of SITE's).")
@click.option(
    "--fetched-at",
    "fetched_at",
    metavar="DATETIME",
    required=True,
    help="When the page was fetched (ISO 8601): the `now` of its relative and year-less dates.",
)
@click.option(
    "--content-type",
    metavar="TYPE",
    default=None,
    help="The Content-Type the server sent (its charset is tried first).",
)
@click.option(
    "--modeled-on",
    metavar="TEXT",
    default=None,
    help="Where the page comes from  [default: saved from URL]",
)
@click.option(
    "--output",
    "-o",
    "output_path",
    metavar="OUT.json",
    default=None,
    help="Write the fixture here (whole, or not at all), and the page beside it as OUT.html "
    "when it is not there yet; default: stdout.",
)
def savefixture(
    site_name: str,
    file: str,
    url: str,
    fetched_at: str,
    content_type: str | None,
    modeled_on: str | None,
    output_path: str | None,
) -> None:
    """Write what extraction makes of a saved page of SITE, as a golden fixture to review.

    The fixture (newsarchive.golden's format) holds the complete expected record: read it,
    correct what extraction got wrong, and commit it beside the page; the tests then hold
    extraction to it. A page without an article gives a `not_article` fixture with its reason.

    \b
    Example:
      newsarchive savefixture thessaliatv saved.html \\
          --url https://www.thessaliatv.gr/news/185511/ --fetched-at 2026-02-09T11:00+02:00 \\
          -o newsarchive/fixture_sites/thessaliatv/articles/imerida.json
    """
    from newsarchive import golden

    site = known_site(site_name)
    moment = fetched_at_option(fetched_at)
    if not site.serves(url):
        raise InputError(f"{url} is not a {site.name} URL ({', '.join(sorted(site.hosts))})")
    path, data, _ = read_page(file)
    target = checked_fixture_path(output_path, data)
    fixture, kind = golden_page(
        data,
        url,
        fetched_at=moment,
        content_type=content_type,
        modeled_on=modeled_on or f"saved from {url}",
    )
    try:
        text = golden.dump(fixture)
    except golden.FixtureError as error:
        raise click.ClickException(f"cannot make a fixture of {path}: {error}") from None
    if target is None:
        click.echo(text, nl=False)
    else:
        if not target.with_suffix(".html").exists():
            write_whole(target.with_suffix(".html"), data)
        write_whole(target, text.encode("utf-8"))
    click.echo(f"{target or 'stdout'}: {kind} fixture; review it, then commit it", err=True)


@main.command("sites", context_settings=CONTEXT)
@output_options(default="table")
def sites_command(output: Output) -> None:
    """List the supported sources, with their feeds, sitemaps and listing pages.

    \b
    Example:
      newsarchive sites
      newsarchive sites --format json
    """
    from newsarchive import sites

    write_records(
        (site_record(site) for site in sites.all()),
        output,
        fields=SITE_FIELDS,
        columns=SITE_COLUMNS,
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

    try:
        search_terms(query)  # an empty query is refused before anything is crawled
    except BadQueryError as error:
        raise InputError(str(error)) from None
    names = sorted({site.name for site in load_sites().values()})
    with serve() as server:
        click.echo(f"Serving fixture sites {', '.join(names)} on {server.url}")
        ok = run_and_report(names, db, mirror=server.url, refresh=False, verbose=False)
    click.echo(f"\nnewsarchive search {query} --db {db}")
    with open_archive(db, create=False) as archive:
        try:
            rows = search(archive.session, query, Filters(limit=10))
        except BadQueryError as error:
            raise InputError(str(error)) from None
        write_records(
            (record(row) for row in rows),
            Output("table"),
            fields=RECORD_FIELDS,
            columns=ARTICLE_COLUMNS[:3],
        )
    if not ok:
        sys.exit(1)

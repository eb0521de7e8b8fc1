"""The `newsarchive` command: crawl, search, export, extract, savefixture, sites, demo."""

from __future__ import annotations

import csv
import functools
import importlib
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import unquote_to_bytes, urlsplit

import click

from newsarchive.archive.files import ArchiveError, database_url
from newsarchive.filters import MAX_LIMIT, BadFilterError, Filters, parse_when
from newsarchive.items import REGIONS

if TYPE_CHECKING:
    from newsarchive.archive.store import Archive
    from newsarchive.items import Article
    from newsarchive.sites import Site

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DEMO_QUERY = "λαρισα"
FORMATS = ("table", "json", "jsonl", "csv")
EXPORT_FORMATS = (*FORMATS, "parquet")
"""What search and export also write: Parquet (pyarrow, the `parquet` extra), to a file."""
MAX_PAGE_BYTES = 20 * 1024 * 1024
"""`extract --max-bytes` by default: a saved page larger than this is refused (20 MiB)."""
PATH_PARAMETERS = frozenset({"file", "output_path", "db"})
"""Parameters naming files, which may hold any bytes the file system allows; every other text
argument must be valid UTF-8."""

UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
"""What must not reach a terminal as it is: C0 and C1 controls (escape sequences start with
them), bidirectional overrides (they reorder what is shown), line separators and lone
surrogates (bytes that were not UTF-8)."""


def escaped(text: str) -> str:
    """Text for a message: unsafe characters shown as escapes (`\\x1b`), so one line stays one."""
    return UNSAFE.sub(lambda found: ascii(found.group())[1:-1], text)


def visible(text: str) -> str:
    """Text for a table cell: white space as single spaces, other unsafe characters dropped;
    Greek and every printable character kept."""
    return UNSAFE.sub("", " ".join(text.split()))


def has_surrogates(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


class InputError(click.ClickException):
    """Bad input: reported on one line, exit status 2, nothing written."""

    exit_code = 2


def silence_stdout() -> None:
    """Points stdout at /dev/null, so that the interpreter's last flush cannot fail again."""
    with suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class OneLineCommand(click.Command):
    """A command whose text arguments must be valid UTF-8 (file names may be any bytes)."""

    def invoke(self, ctx: click.Context) -> Any:
        for param in self.params:
            if param.name in PATH_PARAMETERS:
                continue
            value = ctx.params.get(param.name or "")
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, str) and has_surrogates(item):
                    name = (
                        max(param.opts, key=len)
                        if isinstance(param, click.Option)
                        else param.human_readable_name
                    )
                    raise InputError(
                        f"{name} {escaped(repr(item))} is not valid text: it holds bytes that "
                        "are not UTF-8"
                    )
        return super().invoke(ctx)


class OneLineGroup(click.Group):
    """Every error on one line: `newsarchive: error: …` (click's own usage errors too).

    The commands of `newsarchive.commands` are loaded when asked for, so that a command imports
    only what it needs (a search neither SQLAlchemy nor Scrapy)."""

    command_class = OneLineCommand

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from newsarchive.commands import COMMANDS

        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"newsarchive.commands.{COMMANDS[cmd_name]}")
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        load_commands()
        return super().list_commands(ctx)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
            sys.stdout.flush()
            return result
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except BrokenPipeError:  # `newsarchive export | head`: the reader has had enough
            silence_stdout()
            sys.exit(1)
        except click.Abort:
            click.echo("newsarchive: aborted", err=True)
            sys.exit(130)
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else "newsarchive"
            message = escaped(error.format_message())
            click.echo(f"{command}: error: {message} (see {command} -h)", err=True)
            sys.exit(2)
        except click.ClickException as error:
            click.echo(f"newsarchive: error: {escaped(error.format_message())}", err=True)
            sys.exit(error.exit_code)
        except ArchiveError as error:  # met after opening (a crawl's own archive checks)
            click.echo(f"newsarchive: error: {escaped(str(error))}", err=True)
            sys.exit(2)
        except OSError as error:  # stdout gone (a full disk, a closed terminal), a file vanished
            silence_stdout()
            reason = error.strerror or str(error)
            where = f"{error.filename}: " if error.filename else "cannot write output: "
            click.echo(f"newsarchive: error: {escaped(where + reason)}", err=True)
            sys.exit(2)


def db_option(function: F) -> F:
    return click.option(
        "--db",
        "db",
        metavar="URL|PATH",
        default=None,
        help="Archive: a SQLAlchemy URL or a SQLite file path "
        "(default: $NEWSARCHIVE_DATABASE_URL, else sqlite:///newsarchive.db).",
    )(function)


def archive_url(db: str | None) -> str:
    """The archive's URL (`--db`, the environment or the default), or a one-line error."""
    try:
        return database_url(db)
    except ArchiveError as error:
        raise InputError(f"--db: {error}") from None


@contextmanager
def open_archive(db: str | None, *, read_only: bool) -> Iterator[Archive]:
    """The archive, or a one-line error saying what is wrong with it (also for database errors
    met while reading it). `read_only`: what search and export use; nothing is written."""
    from newsarchive.archive.store import Archive

    try:
        archive = Archive(archive_url(db), read_only=read_only)
    except ArchiveError as error:
        raise InputError(str(error)) from None
    try:
        with archive.reading():
            yield archive
    except ArchiveError as error:
        raise InputError(str(error)) from None
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
    """The file (a symlink's target), written whole or not at all; None: stdout."""
    protect_csv: bool = True
    """csv: cells that a spreadsheet would run as a formula get a leading `'`."""


@dataclass(frozen=True)
class Column:
    """One column of `--format table`: its heading and its cell of a record."""

    heading: str
    cell: Callable[[dict[str, Any]], str]


def checked_output_path(value: str | None) -> Path | None:
    """The -o file, refused before anything is opened when it cannot be written: a folder, a
    FIFO or device, a missing or read-only folder. A symlink is followed: its target is
    written (replaced whole), the link stays."""
    if value is None or value == "-":
        return None
    if not value.strip():
        raise InputError("-o needs a file name (or - for stdout)")
    if value.endswith(("/", os.sep)):
        raise InputError(f"cannot write {value}: it names a folder")
    given = Path(value)
    target = Path(os.path.realpath(given))
    if target.is_symlink():
        raise InputError(f"cannot write {given}: its symlinks lead in a loop")
    if target.is_dir():
        raise InputError(f"cannot write {given}: it is a folder")
    if target.exists() and not target.is_file():
        raise InputError(
            f"cannot write {given}: it is not a regular file (a FIFO, device or socket); "
            "give a file, or leave out -o to write to stdout"
        )
    if not target.parent.is_dir():
        raise InputError(f"cannot write {given}: folder {target.parent} does not exist")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise InputError(f"cannot write {given}: folder {target.parent} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise InputError(f"cannot write {given}: the file is read-only")
    return target


def refuse_overwriting(output: Output, source: Path | None, what: str) -> None:
    """Refuses an `-o` that is the file the command reads (the archive, the saved page), or
    one of SQLite's files beside an archive: writing it would destroy what is being read."""
    if output.path is None or source is None:
        return
    sources = [source]
    if what == "archive":
        sources += [Path(f"{source}{suffix}") for suffix in ("-wal", "-shm", "-journal")]
    for candidate in sources:
        same = Path(os.path.realpath(candidate)) == output.path or (
            candidate.exists() and output.path.exists() and os.path.samefile(candidate, output.path)
        )
        if same:
            raise InputError(f"cannot write {output.path}: it is the {what} being read")


def output_options(default: str, *, formats: Sequence[str] = FORMATS) -> Callable[[F], F]:
    """`--format table|json|jsonl|csv` (or `formats`), `-o FILE` and `--raw-csv`, handed to the
    command as `output`."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(
            *args: Any,
            output_format: str,
            output_path: str | None,
            raw_csv: bool,
            **kwargs: Any,
        ) -> Any:
            if raw_csv and output_format != "csv":
                raise InputError("--raw-csv goes with --format csv only")
            if output_format == "parquet":
                checked_parquet(output_path)
            kwargs["output"] = Output(
                output_format, checked_output_path(output_path), protect_csv=not raw_csv
            )
            return function(*args, **kwargs)

        return cast(
            F,
            with_options(
                wrapper,
                [
                    click.option(
                        "--format",
                        "output_format",
                        type=click.Choice(formats),
                        default=default,
                        show_default=True,
                        help="table for people; json: one JSON document; jsonl: one record per "
                        "line; csv: lists and objects as JSON cells. UTF-8, Greek unescaped."
                        + (
                            " parquet (with -o FILE): typed columns, for pandas and R."
                            if "parquet" in formats
                            else ""
                        ),
                    ),
                    click.option(
                        "--output",
                        "-o",
                        "output_path",
                        metavar="FILE",
                        default=None,
                        help="Write here instead of stdout (whole, or not at all; a symlink's "
                        "target is written).",
                    ),
                    click.option(
                        "--raw-csv",
                        "raw_csv",
                        is_flag=True,
                        help="csv: write cells as they are, without the ' put before a leading "
                        "= + - @, tab or CR against spreadsheet formulas (for programs).",
                    ),
                ],
            ),
        )

    return decorate


def checked_parquet(output_path: str | None) -> None:
    """Parquet is binary and written whole: to a file, with pyarrow installed."""
    if output_path is None or output_path == "-":
        raise InputError("--format parquet writes a file: give -o FILE.parquet")
    from newsarchive.parquet import ParquetUnavailableError, require_pyarrow

    try:
        require_pyarrow()
    except ParquetUnavailableError as error:
        raise InputError(str(error)) from None


def new_file_mode() -> int:
    """The permissions a new file gets here (0666 less the umask), as `open` would give."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def output_file(path: Path | None) -> Iterator[IO[str]]:
    """stdout, or a file written whole or not at all (a temporary file beside it, synced, then
    renamed over it, keeping the old file's permissions); a write that fails (a full disk, a
    folder made read-only meanwhile) is a one-line error and leaves the old file as it was."""
    if path is None:
        try:
            yield sys.stdout
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            silence_stdout()
            raise InputError(f"cannot write to stdout: {error.strerror or error}") from None
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else new_file_mode()
        os.fchmod(handle, mode)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)


def dumps(data: Any, *, indent: int | None = None) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a CSV cell as a formula (OWASP's list)."""


def csv_cell(value: Any, *, protect: bool = False) -> Any:
    """A CSV cell: lists and objects as JSON; with `protect`, text a spreadsheet would run as a
    formula (`=HYPERLINK(…)`, `+…`, `-…`, `@…`, a leading tab or CR) gets a leading `'`."""
    if isinstance(value, list | dict):
        return dumps(value)
    if protect and isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def one_line(value: Any, width: int) -> str:
    text = "-" if value is None or value == [] or value == {} else str(csv_cell(value))
    text = visible(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def table_lines(rows: list[list[str]], headings: list[str]) -> Iterator[str]:
    rows = [[visible(cell) for cell in row] for row in rows]
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


def write_csv(
    records: Iterable[dict[str, Any]], fields: Sequence[str], out: IO[str], *, protect: bool
) -> int:
    writer = csv.DictWriter(out, fieldnames=list(fields))
    writer.writeheader()
    count = 0
    for data in records:
        writer.writerow({key: csv_cell(value, protect=protect) for key, value in data.items()})
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
    if output.format == "parquet":
        from newsarchive.parquet import write_parquet

        assert output.path is not None  # checked_parquet
        try:
            return write_parquet(records, fields, output.path)
        except OSError as error:
            raise InputError(f"cannot write {output.path}: {error.strerror or error}") from None
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
            return write_csv(records, fields, out, protect=output.protect_csv)
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
ARCHIVED_COLUMNS = (
    *ARTICLE_COLUMNS,
    Column("versions", lambda data: str(data["versions"])),
    Column("story", lambda data: str(data["story"] or "-")),
)
"""An archived article's row: also its version count and its story's key."""
SITE_COLUMNS = (
    Column("site", lambda data: str(data["name"])),
    Column("outlet", lambda data: str(data["outlet"])),
    Column("town", lambda data: str(data["town"])),
    Column("region", lambda data: str(data["region"])),
    Column("url", lambda data: str(data["base_url"])),
    Column("discovery", lambda data: ", ".join(data["discovery"]) or "-"),
    Column("unverified", lambda data: ", ".join(data["unverified"]) or "-"),
)


# --- filters: --site, --region, --section, --since, --until, --limit -----------------------------


def filters_from_options(
    sites: tuple[str, ...],
    region: str | None,
    section: str | None,
    since: str | None,
    until: str | None,
    limit: int | None,
    story: str | None = None,
) -> Filters:
    """The options as `query.Filters`, or a one-line error naming the bad one."""
    try:
        return Filters.parse(
            sites=sites,
            region=region,
            section=section,
            since=since,
            until=until,
            story=story,
            limit=limit,
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
            story: str | None,
            limit: int | None,
            **kwargs: Any,
        ) -> Any:
            kwargs["filters"] = filters_from_options(
                sites, region, section, since, until, limit, story
            )
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
                        "--story",
                        metavar="KEY",
                        default=None,
                        help="Only the copies of this story (its key, as newsarchive stories "
                        "shows it).",
                    ),
                    click.option(
                        "--limit",
                        type=click.IntRange(1, MAX_LIMIT),
                        default=default_limit,
                        show_default=default_limit is not None,
                        help=limit_help,
                    ),
                ],
            ),
        )

    return decorate


# --- main -------------------------------------------------------------------------------------


def load_commands() -> MutableMapping[str, click.Command]:
    """Every command, loaded (what `--help` lists): `main.commands` then holds them all."""
    from newsarchive.commands import COMMANDS

    for module in sorted(set(COMMANDS.values())):
        importlib.import_module(f"newsarchive.commands.{module}")
    return main.commands


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


def checked_url(value: str, option: str) -> str:
    """An absolute http(s) URL with a host and a valid port, or a one-line error."""
    from newsarchive.urls import BadURLError, split_absolute

    if UNSAFE.search(value.strip()):
        raise InputError(
            f"{option} {escaped(repr(value))} is not a URL: it holds control characters"
        )
    try:
        split_absolute(value)
        port = urlsplit(value.strip()).port
    except BadURLError as error:
        raise InputError(f"{option}: {error}") from None
    except ValueError as error:  # `http://[x/`, `http://host:99999/`
        raise InputError(f"{option} {value!r} is not a valid URL: {error}") from None
    if port == 0:
        raise InputError(f"{option} {value!r} is not a valid URL: port 0")
    return value


def mirror_setting(values: tuple[str, ...]) -> str | dict[str, str] | None:
    """`--mirror` values as NEWSARCHIVE_MIRROR: one base URL, or a base URL per host (a host
    of a known site)."""
    from newsarchive import sites

    if not values:
        return None
    hosts = {
        host.strip().lower(): base for host, base in (v.split("=", 1) for v in values if "=" in v)
    }
    bases = [value for value in values if "=" not in value]
    if bases and (hosts or len(bases) > 1):
        raise InputError("give --mirror URL once, or --mirror HOST=URL for each host")
    known = {host.lower() for site in sites.all() for host in site.hosts}
    for host in hosts:
        if host not in known:
            raise InputError(
                f"--mirror {escaped(repr(host))}=…: not a host of any known site "
                "(see newsarchive sites --format json)"
            )
    for base in [*bases, *hosts.values()]:
        checked_url(base, "--mirror")
        if urlsplit(base).query or urlsplit(base).fragment:
            raise InputError(f"--mirror {base!r}: a mirror's base URL has no ?query or #fragment")
    return bases[0] if bases else hosts


def shown_url(url: str) -> str:
    """A database URL as printed: without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def checked_crawl_archive(db: str | None) -> str:
    """The archive a crawl writes to, opened (created, upgraded) before any request is made;
    refused on one line when it cannot be, or would keep nothing (in memory)."""
    from newsarchive.crawl import CrawlSetupError, check_archive

    url = archive_url(db)
    try:
        check_archive(url)
    except CrawlSetupError as error:
        raise InputError(str(error)) from None
    except ValueError:
        pass  # a malformed URL: opening it says what is wrong
    with open_archive(url, read_only=False):
        pass
    return url


# --- extract, savefixture and sites -----------------------------------------------------------


HTML_TAGS = ("<html", "<body", "<p", "<div", "<article")


HTML_SNIFF_BYTES = 400_000


def looks_like_html(data: bytes) -> bool:
    """Whether the bytes can be an HTML page: an HTML tag near the start once decoded as a page
    is (UTF-16 and a stray NUL byte are read; images and PDFs have no tag)."""
    from newsarchive.encoding import decode_html

    text = decode_html(data[:HTML_SNIFF_BYTES])
    return text is not None and any(tag in text[:HTML_SNIFF_BYTES].lower() for tag in HTML_TAGS)


def page_path(file: str) -> Path:
    """The path of FILE|file://PATH (a file URL of this machine, percent-decoded)."""
    if not file.strip():
        raise InputError("give the saved page: FILE or file:///PATH")
    if not file.lower().startswith("file:"):
        return Path(file)
    parts = urlsplit(file)
    if parts.netloc not in ("", "localhost") or not parts.path:
        raise InputError(
            f"{escaped(repr(file))} is not a file URL of this machine (give file:///PATH)"
        )
    return Path(os.fsdecode(unquote_to_bytes(parts.path)))


def read_page(file: str, *, max_bytes: int = MAX_PAGE_BYTES) -> tuple[Path, bytes]:
    """A saved page (a path or a file:// URL): its path and bytes. A folder, a FIFO, a device
    (`/dev/zero`) or a file larger than `max_bytes` is refused on one line; a FIFO is never
    waited on (it is opened without blocking and refused)."""
    path = page_path(file)
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    info = os.fstat(handle)
    if not stat.S_ISREG(info.st_mode):
        os.close(handle)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"cannot read {path}: it is a folder")
        raise InputError(
            f"cannot read {path}: it is not a regular file (a FIFO, device or socket); "
            "save the page to a file first"
        )
    with os.fdopen(handle, "rb") as stream:
        too_big = (
            f"{path} is larger than --max-bytes {max_bytes:,} bytes: raise --max-bytes if "
            "it really is one page"
        )
        if info.st_size > max_bytes:
            raise InputError(too_big)
        try:
            data = stream.read(max_bytes + 1)  # the file may grow while it is read
        except OSError as error:
            raise InputError(f"cannot read {path}: {error.strerror or error}") from None
        if len(data) > max_bytes:
            raise InputError(too_big)
    return path, data


def fetched_at_option(value: str) -> datetime:
    """`--fetched-at` as an aware datetime (naive: Athens time), or a one-line error."""
    try:
        return parse_when(value, parameter="fetched-at")
    except BadFilterError as error:
        raise InputError(option_error(error)) from None


def extract_page(
    file: str,
    url: str,
    *,
    fetched_at: datetime | None,
    use_site_rules: bool,
    max_bytes: int = MAX_PAGE_BYTES,
    output: Output | None = None,
) -> Article:
    """The Article of a saved page, through the one record path (`extract.from_response`, as
    a crawl reads a response); bad input exits 2, a page without an article exits 1."""
    from newsarchive.extract import from_response
    from newsarchive.items import NotAnArticleError, NotHTMLError, UndecodableError
    from newsarchive.urls import BadURLError

    path, data = read_page(file, max_bytes=max_bytes)
    if output is not None:
        refuse_overwriting(output, path, "page")
    not_html = f"{path} is not an HTML page: give a saved article page (.html)"
    if not looks_like_html(data):
        raise InputError(not_html)
    try:
        return from_response(
            data,
            None,
            url,
            fetched_at=fetched_at or datetime.now(UTC),
            use_site_rules=use_site_rules,
        )
    except BadURLError as error:
        raise InputError(str(error)) from None
    except (NotHTMLError, UndecodableError) as error:
        raise InputError(f"{not_html} ({error})") from None
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
@click.option(
    "--max-bytes",
    type=click.IntRange(1, None),
    default=MAX_PAGE_BYTES,
    show_default=True,
    help="Refuse a page larger than this many bytes.",
)
@output_options(default="json")
def extract_command(
    file: str,
    url: str,
    fetched_at: str | None,
    no_site_rules: bool,
    max_bytes: int,
    output: Output,
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
        checked_url(url, "--url"),
        fetched_at=fetched_at_option(fetched_at) if fetched_at else None,
        use_site_rules=not no_site_rules,
        max_bytes=max_bytes,
        output=output,
    )
    from newsarchive import query

    write_records(
        [query.record(article)],
        output,
        fields=query.RECORD_FIELDS,
        columns=ARTICLE_COLUMNS,
        single=True,
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
    if page.exists() and not page.is_file():
        raise InputError(f"cannot write {page}: it is not a regular file")
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


def write_whole(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write files whole or not at all, together: each to a temporary file beside it first,
    then renamed into place; a failure takes back what was new."""
    temporaries: list[tuple[str, Path]] = []
    placed: list[Path] = []
    try:
        for path, data in files:
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            temporaries.append((temporary, path))
            mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else new_file_mode()
            os.fchmod(handle, mode)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        new = [not path.exists() for _, path in temporaries]
        for (temporary, path), is_new in zip(temporaries, new, strict=True):
            os.replace(temporary, path)
            if is_new:
                placed.append(path)
    except OSError as error:
        for path in placed:
            os.unlink(path)
        failed = temporaries[-1][1] if temporaries else files[0][0]
        raise InputError(f"cannot write {failed}: {error.strerror or error}") from None
    finally:
        for temporary, _ in temporaries:
            if os.path.lexists(temporary):
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
    if not site.serves(checked_url(url, "--url")):
        raise InputError(f"{url} is not a {site.name} URL ({', '.join(sorted(site.hosts))})")
    path, data = read_page(file)
    target = checked_fixture_path(output_path, data)
    refuse_overwriting(Output("json", target), path, "page")
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
        page = target.with_suffix(".html")
        write_whole([*([] if page.exists() else [(page, data)]), (target, text.encode("utf-8"))])
    click.echo(f"{target or 'stdout'}: {kind} fixture; review it, then commit it", err=True)


@main.command("sites", context_settings=CONTEXT)
@output_options(default="table")
@click.option(
    "--markdown",
    is_flag=True,
    help="Print the README's table of sources (Markdown), made from the declarations.",
)
def sites_command(output: Output, markdown: bool) -> None:
    """List the supported sources: region, town, discovery methods (feeds, sitemaps, REST,
    listings, date archives) and which declarations are unverified (assumed, not seen).

    \b
    Example:
      newsarchive sites
      newsarchive sites --format json
      newsarchive sites --markdown      # the README's table of sources
    """
    from newsarchive import query, sites

    if markdown:
        with output_file(output.path) as out:
            out.write(sources_table(sites.all()))
        return
    write_records(
        (query.site_record(site) for site in sites.all()),
        output,
        fields=query.SITE_FIELDS,
        columns=SITE_COLUMNS,
    )


REGION_NAMES = {
    "larisa": "Larissa",
    "magnisia": "Magnesia",
    "trikala": "Trikala",
    "karditsa": "Karditsa",
    "thessalia": "region-wide",
}
"""How the README's table names each region."""
DISCOVERY_LABELS = {"feeds": "RSS", "sitemaps": "sitemap", "listings": "listing"}
SHOWN_PATHS = 3
"""The README's table names a site's first feeds, sitemaps or listings, and counts the rest."""


def sources_table(declared: Iterable[Site]) -> str:
    """The README's table of sources, one row per declared site (`newsarchive sites
    --markdown`): its outlet and URL, town, region, discovery methods (each marked `(assumed)`
    when `Site.unverified` names it) and its other unverified declarations."""
    from newsarchive.query import is_verified

    lines = [
        "| site | outlet | town | region | discovery | also unverified |",
        "|---|---|---|---|---|---|",
    ]
    for site in declared:
        methods = []
        for name, label in DISCOVERY_LABELS.items():
            paths = getattr(site, name)
            if paths:
                assumed = "" if is_verified(site, name) else " (assumed)"
                shown_paths = ", ".join(f"`{path}`" for path in paths[:SHOWN_PATHS])
                more = f" and {len(paths) - SHOWN_PATHS} more" if len(paths) > SHOWN_PATHS else ""
                methods.append(f"{label} {shown_paths}{more}{assumed}")
        if site.wp_rest:
            methods.append(
                "REST `/wp-json/wp/v2/posts`"
                + ("" if is_verified(site, "wp_rest") else " (assumed)")
            )
        if site.date_archives:
            methods.append(f"date archives `{site.date_archives}`")
        shown = {*DISCOVERY_LABELS, "wp_rest"}
        other = [entry for entry in site.unverified if entry.split(" (")[0] not in shown]
        cells = [
            f"`{site.name}`",
            f"{site.outlet}, {site.base_url}",
            site.town,
            REGION_NAMES.get(site.region, site.region),
            "; ".join(methods) or "-",
            ", ".join(other) or "-",
        ]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


# --- demo -------------------------------------------------------------------------------------


DEMO_STORY_SITES = 3
"""The demo ends with a story on at least this many sites: the Region's release republished."""


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
@click.option(
    "--serve",
    "serve_only",
    is_flag=True,
    help="Only serve the fixture sites on 127.0.0.1 until interrupted (Ctrl-C), to try "
    "crawl --mirror, check or several workers against them.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="With --serve: the port to listen on (default: a free one).",
)
def demo(db: str, query: str, serve_only: bool, port: int) -> None:
    """Crawl the bundled fixture sites twice, served on 127.0.0.1, then show what the archive
    keeps: the search, an article's revision and a story of several outlets.

    Pass 1 crawls every fixture site. Then the Region of Thessaly corrects an announcement
    (the server serves the corrected page, and the Region's sitemap gives it a newer lastmod),
    and pass 2 fetches that article again, which adds its version 2. The Region's release,
    republished by larissanet and thessaliatv, is one story. The same commands as `crawl`,
    `search`, `history` and `stories`, pointed at a local server: no network needed. Exit
    status 1 when a crawl fails or the archive lacks the revision or the story.

    With --serve it only serves the fixture sites, printing their URLs and commands to try,
    until interrupted (exit status 0).

    \b
    Example:
      newsarchive demo --db /tmp/demo.db
      newsarchive demo --serve --port 8800
    """
    from newsarchive import sites
    from newsarchive.dates import ATHENS
    from newsarchive.fixture_server import load_sites, serve

    if serve_only:
        serve_fixtures(port)
        return
    if port:
        raise InputError("--port goes with --serve")
    from newsarchive.commands.search import checked_query

    checked_query(query)  # a bad query is refused before anything is crawled
    url = checked_crawl_archive(db)
    shown = shown_url(url) if "://" in db else db  # no password in the commands shown

    declared = {site.name for site in sites.all()}  # not the one served for `crawl --url`
    names = sorted({site.name for site in load_sites().values()} & declared)
    with serve() as server:
        click.echo(f"Serving fixture sites {', '.join(names)} on {server.url}")
        click.echo("\nPass 1: every article of every fixture site.")
        crawl_args = ["crawl", *names, "--mirror", server.url]
        ok = demo_step(crawl_args, url, shown)
        revised = [sites.canonicalize(found) for found in server.revised_urls]
        before = demo_versions(url, revised)
        at = server.revise().astimezone(ATHENS)
        click.echo(
            f"\nPass 2: at {at:%H:%M:%S} the Region corrects its announcement (headline and "
            "deadline), its sitemap's lastmod says so, and only that article is fetched again."
        )
        ok = demo_step(crawl_args, url, shown) and ok
    ok = demo_step(["search", query], url, shown) and ok
    for article in revised:
        ok = demo_step(["history", article], url, shown) and ok
    ok = demo_step(["stories"], url, shown) and ok
    ok = demo_results(url, before) and ok
    if not ok:
        sys.exit(1)


def serve_fixtures(port: int) -> None:
    """Serves the fixture sites on 127.0.0.1:`port` (0: a free one) until Ctrl-C or SIGTERM,
    after printing where each site is and commands to try; a port that cannot be had is a
    one-line error."""
    import signal

    from newsarchive import fixture_server

    by_host = fixture_server.load_sites()
    handler = fixture_server._handler(by_host, [], fixture_server.Revision())
    try:
        server = fixture_server._Server(("127.0.0.1", port), handler)
    except OSError as error:
        raise InputError(f"--port {port}: {error.strerror or error}") from None
    base = f"http://127.0.0.1:{server.server_address[1]}"
    click.echo(f"Serving the fixture sites on {base} (Ctrl-C stops)")
    for name, host in sorted({site.name: home_host(site) for site in by_host.values()}.items()):
        click.echo(f"  {name:<16} {base}/{host}/")
    click.echo(
        "Try:\n"
        f"  newsarchive crawl --all --mirror {base} --db /tmp/newsarchive-try.db\n"
        f"  newsarchive check --all --mirror {base}"
    )

    def stop(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped serving the fixture sites.")
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()


def home_host(site: Any) -> str:
    """The host a fixture site is shown under: its declared base URL's, else its first."""
    from newsarchive import sites

    try:
        return urlsplit(sites.get(site.name).base_url).hostname or site.hosts[0]
    except sites.UnknownSiteError:
        return str(site.hosts[0])


def demo_step(args: list[str], url: str, shown: str) -> bool:
    """Runs `newsarchive ARGS` on the archive in a process of its own (a crawl's reactor
    starts once per process), shown as the command a user would type; True on exit status 0."""
    import subprocess

    from newsarchive.archive.store import ENV_DATABASE_URL

    click.echo("\n" + escaped("$ newsarchive " + " ".join(map(demo_word, [*args, "--db", shown]))))
    environment = {**os.environ, ENV_DATABASE_URL: url, "PYTHONIOENCODING": "utf-8"}
    sys.stdout.flush()
    sys.stderr.flush()
    done = subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        stdout=subprocess.PIPE,
        env=environment,
        check=False,
    )
    click.echo(done.stdout.decode("utf-8", errors="replace"), nl=False)
    return done.returncode == 0


def demo_word(word: str) -> str:
    """A word of a shown command line, quoted for a shell when it needs to be."""
    import shlex

    return word if re.fullmatch(r"[\w@%+=:,./-]+", word) else shlex.quote(word)


def demo_versions(url: str, canonical_urls: list[str]) -> dict[str, int]:
    """How many versions the archive holds of each of these articles (0: none)."""
    from sqlalchemy import select

    from newsarchive.archive.models import ArticleRow

    found = dict.fromkeys(canonical_urls, 0)
    with open_archive(url, read_only=True) as archive:
        rows = archive.session.execute(
            select(ArticleRow.canonical_url, ArticleRow.version_count).where(
                ArticleRow.canonical_url.in_(canonical_urls)
            )
        )
        found.update({row.canonical_url: row.version_count for row in rows})
    return found


def demo_results(url: str, before: dict[str, int]) -> bool:
    """Says whether the archive ends with what the demo shows: each corrected article at a
    version beyond its first (made by this run's second pass, or by an earlier demo), and a
    story on at least DEMO_STORY_SITES sites. True when it does."""
    click.echo("\nDemo results:")
    ok = True
    for article, versions in demo_versions(url, list(before)).items():
        if versions < 2:
            click.echo(f"- FAILED: {article} has {versions} version(s): the correction is missing")
            ok = False
        elif versions > before[article]:
            click.echo(f"- revision: {article} is at version {versions}, added by pass 2")
        else:
            click.echo(
                f"- revision: {article} is at version {versions} from an earlier run; "
                "pass 2 fetched it again and found no change"
            )
    sites = demo_story_sites(url)
    if len(sites) >= DEMO_STORY_SITES:
        click.echo(
            f"- story: one text on {len(sites)} sites: {', '.join(sites)} (first publisher first)"
        )
    else:
        click.echo(f"- FAILED: no story on {DEMO_STORY_SITES} sites (largest: {len(sites)})")
        ok = False
    return ok


def demo_story_sites(url: str) -> list[str]:
    """The sites of the story on the most sites: its first publisher's, then the others in the
    order they published it ([] when there is no story)."""
    from sqlalchemy import func, select

    from newsarchive.archive.models import ArticleRow, StoryRow

    with open_archive(url, read_only=True) as archive:
        session = archive.session
        spread = func.count(ArticleRow.site.distinct())
        largest = session.execute(
            select(ArticleRow.story_id)
            .where(ArticleRow.story_id.is_not(None))
            .group_by(ArticleRow.story_id)
            .order_by(spread.desc(), ArticleRow.story_id)
            .limit(1)
        ).scalar()
        if largest is None:
            return []
        first = session.scalar(
            select(ArticleRow.site)
            .join(StoryRow, StoryRow.first_article_id == ArticleRow.id)
            .where(StoryRow.id == largest)
        )
        copies = session.scalars(
            select(ArticleRow.site)
            .where(ArticleRow.story_id == largest)
            .order_by(ArticleRow.published_at.is_(None), ArticleRow.published_at, ArticleRow.id)
        )
        in_order = list(dict.fromkeys(copies))
        return sorted(in_order, key=lambda site: site != first)  # stable: the rest by time


def __getattr__(name: str) -> Any:
    """`cli.print_summary`, the crawl summary, loaded with its command when first used."""
    if name == "print_summary":
        from newsarchive.commands.crawl import print_summary

        return print_summary
    raise AttributeError(f"module 'newsarchive.cli' has no attribute {name!r}")

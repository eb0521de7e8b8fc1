"""`newsarchive import FILE.jsonl`: an export read back into an archive, versions and stories kept.

Each line is stored through the crawl's own store path (`Archive.transaction` → `Ingest.store`),
its versions oldest first, in a savepoint of its batch's transaction (BATCH_LINES lines): a line
is imported whole or not at all. A bad line is reported with its number and skipped; input that
is no export at all (a folder, a binary file, a JSON array) is refused before anything is
written.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import IO, Any

import click
from sqlalchemy import bindparam, select, union_all, update
from sqlalchemy.exc import (
    DataError,
    IntegrityError,
    OperationalError,
    SQLAlchemyError,
    StatementError,
)
from sqlalchemy.orm import Session

from newsarchive.archive.ingest import Ingest, Stored, UpsertResult
from newsarchive.archive.models import AliasRow, ArticleRow, CrawlRunRow, VersionRow
from newsarchive.archive.runs import finish_run, start_run
from newsarchive.archive.store import Archive
from newsarchive.cli import CONTEXT, InputError, db_option, escaped, main, open_archive
from newsarchive.items import REGIONS, Article, Image
from newsarchive.query import VERSION_FIELDS

MAX_SHOWN = 20
"""Bad lines reported one by one; past these, how many more."""
SNIFF_BYTES = 64 * 1024
"""The start of the input read to tell an export from a binary file before anything is written."""
CHUNK_BYTES = 1024 * 1024
MAX_LINE_BYTES = 64 * 1024 * 1024
"""A longer line is skipped unread (an article with every version runs to some hundred KB)."""
UNKNOWN_EXTRACTOR = "unknown"
"""The extractor version of a record exported without one (by a newsarchive before 0.x)."""
OPTIONAL_TEXT = ("lead", "section", "published_raw", "modified_raw", "source_credit", "region")
TEXT = ("url", "canonical_url", "site", "headline", "body", "language", "content_hash")


class LineError(ValueError):
    """Why a line cannot be imported (one line of text)."""


# --- reading: the input, its lines, and what each line holds --------------------------------------


def open_input(file: str) -> IO[bytes]:
    """The input as bytes (`-`: stdin); a folder or a file that cannot be read is refused."""
    if file == "-":
        return sys.stdin.buffer
    if not file.strip():
        raise InputError("give the file to import (an export in JSON Lines), or - for stdin")
    try:
        stream = open(file, "rb")  # noqa: SIM115 - closed by the caller
    except IsADirectoryError:
        raise InputError(f"cannot import {file}: it is a folder") from None
    except OSError as error:
        raise InputError(f"cannot read {file}: {error.strerror or error}") from None
    if stat.S_ISDIR(os.fstat(stream.fileno()).st_mode):
        stream.close()
        raise InputError(f"cannot import {file}: it is a folder")
    return stream


def _read(stream: IO[bytes], size: int, name: str) -> bytes:
    try:
        return stream.read(size)
    except OSError as error:
        raise InputError(f"cannot read {name}: {error.strerror or error}") from None


def checked_start(head: bytes, name: str) -> None:
    """Refuses input that is not an export in JSON Lines, seen from its first bytes."""
    export = "give what `newsarchive export --format jsonl` writes"
    if head.startswith(b"\x1f\x8b"):
        raise InputError(
            f"{name} is gzip-compressed: give it uncompressed (zcat {name} | newsarchive import -)"
        )
    if head.startswith(b"SQLite format 3\x00"):
        raise InputError(
            f"{name} is a SQLite archive, not an export: newsarchive export --db "
            f"{name} | newsarchive import - --db …"
        )
    if b"\x00" in head:
        raise InputError(f"{name} is a binary file, not an export: {export}")
    first = head.split(b"\n", 1)[0]
    try:
        first.decode("utf-8")
    except UnicodeDecodeError as error:
        if len(first) == len(head) and error.start >= len(head) - 3:
            pass  # a character cut where the sniffed bytes end
        else:
            raise InputError(f"{name} is not UTF-8 text: {export}") from None
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        raise InputError(f"{name} holds a JSON array (export --format json): {export}")
    if head.startswith(b"canonical_url,"):
        raise InputError(f"{name} is a CSV export: {export}")


def numbered_lines(head: bytes, stream: IO[bytes], name: str) -> Iterator[tuple[int, bytes | None]]:
    """Each line's number and bytes (without its end); None for a line over MAX_LINE_BYTES."""
    pending = b""
    number = 0
    too_long = False
    chunk = head
    while chunk:
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            number += 1
            yield number, None if too_long or len(line) > MAX_LINE_BYTES else line
            too_long = False
        if len(pending) > MAX_LINE_BYTES:
            pending, too_long = b"", True
        chunk = _read(stream, CHUNK_BYTES, name)
    if pending or too_long:
        yield number + 1, None if too_long or len(pending) > MAX_LINE_BYTES else pending


@dataclass(frozen=True)
class Entry:
    """What one line holds: the article's versions (oldest first, each with the extractor
    version that made it), its story, first sighting and other URLs."""

    versions: tuple[tuple[Article, str], ...]
    story: str | None
    first_seen_at: datetime | None
    aliases: tuple[str, ...]

    @property
    def site(self) -> str:
        return self.versions[-1][0].site


def _moment(data: dict[str, Any], name: str, where: str, *, optional: bool) -> datetime | None:
    value = data.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise LineError(f"{where}{name} is {_shown(value)}, not an ISO 8601 datetime")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise LineError(f"{where}{name} {value!r} is not an ISO 8601 datetime") from None
    if moment.tzinfo is None:
        raise LineError(f"{where}{name} {value!r} has no time zone (give its UTC offset)")
    return moment


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def _text_list(data: dict[str, Any], name: str, where: str) -> list[str]:
    value = data[name]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise LineError(f"{where}{name} is {_shown(value)}, not a list of texts")
    return value


def _images(value: Any, where: str) -> list[Image]:
    def good(item: Any) -> bool:
        return (
            isinstance(item, dict)
            and isinstance(item.get("url"), str)
            and isinstance(item.get("caption"), str | None)
            and set(item) <= {"url", "caption"}
        )

    if not isinstance(value, list) or not all(good(item) for item in value):
        raise LineError(f"{where}images is {_shown(value)}, not a list of {{url, caption}}")
    return [Image(url=item["url"], caption=item.get("caption")) for item in value]


def article_of(data: Any, where: str = "") -> Article:
    """The Article of an exported record, or LineError saying which field is wrong."""
    from newsarchive.urls import BadURLError, split_absolute

    if not isinstance(data, dict):
        raise LineError(f"{where}record is {_shown(data)}, not an object")
    missing = [name for name in VERSION_FIELDS if name not in data]
    if missing:
        raise LineError(f"{where}missing field(s) {', '.join(missing)}")
    for name in TEXT:
        if not isinstance(data[name], str) or not data[name]:
            raise LineError(f"{where}{name} is {_shown(data[name])}, not a text")
    for name in OPTIONAL_TEXT:
        if not isinstance(data[name], str | None):
            raise LineError(f"{where}{name} is {_shown(data[name])}, not a text or null")
    if data["region"] is not None and data["region"] not in REGIONS:
        raise LineError(f"{where}region {data['region']!r} is not one of {', '.join(REGIONS)}")
    for name in ("url", "canonical_url"):
        try:
            split_absolute(data[name])
        except BadURLError as error:
            raise LineError(f"{where}{name}: {error}") from None
    provenance = data["provenance"]
    if not isinstance(provenance, dict) or not all(
        isinstance(value, str) for value in provenance.values()
    ):
        raise LineError(f"{where}provenance is {_shown(provenance)}, not an object of texts")
    if not isinstance(data["is_teaser"], bool):
        raise LineError(f"{where}is_teaser is {_shown(data['is_teaser'])}, not true or false")
    values = {name: data[name] for name in (*TEXT, *OPTIONAL_TEXT)}
    return Article(
        **values,
        tags=_text_list(data, "tags", where),
        authors=_text_list(data, "authors", where),
        images=_images(data["images"], where),
        published_at=_moment(data, "published_at", where, optional=True),
        modified_at=_moment(data, "modified_at", where, optional=True),
        fetched_at=_moment(data, "fetched_at", where, optional=False),  # type: ignore[arg-type]
        provenance=dict(provenance),
        is_teaser=data["is_teaser"],
    )


def _extractor(data: dict[str, Any], where: str) -> str:
    value = data.get("extractor_version")
    if value is None:
        return UNKNOWN_EXTRACTOR
    if not isinstance(value, str) or not value or len(value) > 40:
        raise LineError(f"{where}extractor_version is {_shown(value)}, not a version")
    return value


def _earlier(history: Any) -> list[tuple[Article, str]]:
    if not isinstance(history, list) or not history:
        raise LineError(f"history is {_shown(history)}, not a list of versions")
    earlier = []
    for number, version in enumerate(history, start=1):
        where = f"history[{number - 1}]: "
        if not isinstance(version, dict):
            raise LineError(f"{where}{_shown(version)} is not an object")
        if version.get("number") != number:
            raise LineError(f"{where}number is {_shown(version.get('number'))}, not {number}")
        earlier.append((article_of(version.get("record"), where), _extractor(version, where)))
    return earlier


def entry_of(data: Any) -> Entry:
    """What a line's JSON holds, or LineError saying what is wrong with it."""
    if not isinstance(data, dict):
        raise LineError(f"{_shown(data)} is not an object (an exported article)")
    current = article_of(data)
    earlier = _earlier(data["history"]) if "history" in data else []
    versions = data.get("versions", len(earlier) + 1)
    if versions != len(earlier) + 1 or isinstance(versions, bool):
        raise LineError(
            f"versions is {_shown(versions)}, but the line holds {len(earlier) + 1} version(s)"
        )
    story = data.get("story")
    if story is not None and (not isinstance(story, str) or not story.strip()):
        raise LineError(f"story is {_shown(story)}, not a story's key or null")
    aliases = data.get("aliases", [])
    if not isinstance(aliases, list) or not all(
        isinstance(alias, str) and alias for alias in aliases
    ):
        raise LineError(f"aliases is {_shown(aliases)}, not a list of URLs")
    return Entry(
        (*earlier, (current, _extractor(data, ""))),
        story,
        _moment(data, "first_seen_at", "", optional=True),
        tuple(aliases),
    )


def parse_line(line: bytes | None, number: int) -> Entry:
    """A line's Entry, or LineError with the reason."""
    if line is None:
        raise LineError(f"longer than {MAX_LINE_BYTES:,} bytes")
    if number == 1:
        line = line.removeprefix(b"\xef\xbb\xbf")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise LineError("not UTF-8 text") from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deep"
        raise LineError(f"not JSON ({reason})") from None
    return entry_of(data)


# --- storing: one line, one transaction -----------------------------------------------------------


ARCHIVED = union_all(
    select(ArticleRow.id).where(ArticleRow.canonical_url == bindparam("url")),
    select(AliasRow.article_id).where(AliasRow.url == bindparam("url")),
)
VERSIONS = select(VersionRow.content_hash, VersionRow.fetched_at).where(
    VersionRow.article_id == bindparam("article")
)
FIRST_SEEN = (
    update(ArticleRow)
    .where(ArticleRow.id == bindparam("article"), ArticleRow.first_seen_at > bindparam("moment"))
    .values(first_seen_at=bindparam("moment"))
)
"""A line's first sighting, when it is earlier than the archive's (the statements are built once:
Core caches their compiled forms)."""


def archived_versions(session: Session, url: str) -> tuple[int | None, set[tuple[str, datetime]]]:
    """The article archived under this canonical URL (or alias), and the content hash and fetch
    time of each of its versions: what an earlier import of the same line already stored."""
    connection = session.connection()  # Core: a query per line, without the ORM's bookkeeping
    article_id = connection.execute(ARCHIVED, {"url": url}).scalar()
    if article_id is None:
        return None, set()
    found = connection.execute(VERSIONS, {"article": article_id})
    return article_id, {(digest, moment) for digest, moment in found}


def store_entry(ingest: Ingest, entry: Entry, run_id: int) -> str:
    """Stores the line's versions the archive lacks, oldest first, then its first sighting and
    aliases; what happened (`new`, `updated`, `unchanged` or `duplicates`). Raises LineError,
    rolling the line back, when it cannot be kept as it was."""
    current = entry.versions[-1][0]
    article_id, known = archived_versions(ingest.session, current.canonical_url)
    missing = [
        (article, extractor)
        for article, extractor in entry.versions
        if (article.content_hash, article.fetched_at) not in known
    ]
    results = [
        ingest.store(
            article,
            run_id=run_id,
            story_key=entry.story,
            any_change=True,
            extractor_version=extractor,
        )
        for article, extractor in missing
    ]
    if results and results[0].result is UpsertResult.DUPLICATE and len(results) > 1:
        raise LineError(
            "its first version has the text of another archived article of "
            f"{entry.site}: its versions would be added to that one"
        )
    article_id = results[0].article_id if results else article_id
    assert article_id is not None
    if entry.first_seen_at is not None:
        values = {"article": article_id, "moment": entry.first_seen_at}
        ingest.session.connection().execute(FIRST_SEEN, values)
    for alias in entry.aliases:
        kept = ingest.store(replace(current, canonical_url=alias), run_id=run_id)
        if kept.article_id != article_id:
            raise LineError(f"alias {alias} is another archived article")
    return _outcome(results)


def _outcome(results: list[Stored]) -> str:
    if not results:
        return "unchanged"
    if results[0].result is UpsertResult.NEW:
        return "new"
    if any(stored.result is UpsertResult.UPDATED for stored in results):
        return "updated"
    return "duplicates" if results[0].result is UpsertResult.DUPLICATE else "unchanged"


def store_line(archive: Archive, entry: Entry, run_id: int) -> str:
    """One line in its own transaction; another writer inserting the same URL meanwhile is met
    by trying once more."""
    return _stored_once(archive.transaction, entry, run_id)


def store_in_batch(ingest: Ingest, entry: Entry, run_id: int) -> str:
    """One line in a savepoint of the batch's transaction: a line that cannot be stored is
    taken back alone (LineError), as is one that met another writer's same URL before it is
    tried once more."""
    return _stored_once(ingest.savepoint, entry, run_id)


def _stored_once(
    within: Callable[[], AbstractContextManager[Ingest]], entry: Entry, run_id: int
) -> str:
    """The line stored within a transaction or savepoint: tried once more when another writer
    inserted the same URL meanwhile; what the archive refuses is a LineError; an archive that
    is unusable (gone, locked too long) stops the import (no line can be stored)."""
    for attempt in (1, 2):
        try:
            with within() as ingest:
                return store_entry(ingest, entry, run_id)
        except OperationalError:
            raise
        except IntegrityError as error:
            if attempt == 2:
                raise LineError(f"the archive refused it ({_first_line(error)})") from None
        except (DataError, StatementError) as error:
            raise LineError(f"the archive refused it ({_first_line(error)})") from None
    raise AssertionError("unreachable")


def store_batch(archive: Archive, entries: list[Entry], run_id: int) -> list[str | LineError]:
    """The lines' outcomes, stored in one transaction. If a line cannot be stored, the batch is
    taken back and stored again with each line in a savepoint of its own (a savepoint costs a
    copy of every page a line writes: only batches that need them have them); if that
    transaction fails as a whole, each line is stored in its own."""
    try:
        with archive.transaction() as ingest:
            return [store_entry(ingest, entry, run_id) for entry in entries]
    except OperationalError:
        raise
    except (LineError, SQLAlchemyError):
        pass
    try:
        with archive.transaction() as ingest:
            return [_outcome_or_error(store_in_batch, ingest, entry, run_id) for entry in entries]
    except OperationalError:
        raise
    except SQLAlchemyError:
        return [_outcome_or_error(store_line, archive, entry, run_id) for entry in entries]


def _outcome_or_error(store: Any, where: Any, entry: Entry, run_id: int) -> str | LineError:
    try:
        return str(store(where, entry, run_id))
    except LineError as error:
        return error


def _first_line(error: SQLAlchemyError) -> str:
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


# --- the command ----------------------------------------------------------------------------------


@dataclass
class Tally:
    """What an import did, line by line."""

    outcomes: Counter[str]
    sites: set[str]
    present: dict[str, Counter[str]]
    """Per site: how many current records have each counted field."""
    bad: int = 0

    def add(self, outcome: str, entry: Entry) -> None:
        from newsarchive.pipelines.validate import COUNTED_FIELDS

        self.outcomes[outcome] += 1
        self.sites.add(entry.site)
        present = self.present.setdefault(entry.site, Counter())
        present["records"] += 1
        current = entry.versions[-1][0]
        present.update(name for name in COUNTED_FIELDS if getattr(current, name))

    def counts(self) -> dict[str, Any]:
        """The run's counts, as `newsarchive runs` reads them (one count for the import)."""
        names = ("new", "updated", "unchanged", "duplicates")
        return {
            "lines": sum(self.outcomes.values()) + self.bad,
            **{name: self.outcomes[name] for name in names},
            "dropped": {"bad line": self.bad} if self.bad else {},
        }

    def coverage(self) -> dict[str, dict[str, float]]:
        """Per site, the share of imported records that have each counted field."""
        from newsarchive.pipelines.validate import COUNTED_FIELDS

        return {
            site: {name: round(present[name] / present["records"], 4) for name in COUNTED_FIELDS}
            for site, present in sorted(self.present.items())
        }

    def summary(self, where: str) -> str:
        new, updated = self.outcomes["new"], self.outcomes["updated"]
        parts = [
            f"{new + updated} imported"
            + (f" ({new} new, {updated} with new versions)" if updated else "")
        ]
        parts.append(f"{self.outcomes['unchanged']} unchanged")
        if self.outcomes["duplicates"]:
            aliases = self.outcomes["duplicates"]
            parts.append(f"{aliases} kept as another URL of an archived article")
        parts.append(f"{self.bad} skipped")
        return f"import into {where}: " + ", ".join(parts)


def report_bad(number: int, reason: str, shown: int) -> None:
    if shown < MAX_SHOWN:
        click.echo(f"newsarchive: line {number}: skipped: {escaped(reason)}", err=True)


BATCH_LINES = 200
"""Lines stored in one transaction (the crawl's batch of records)."""


def import_lines(archive: Archive, lines: Iterable[tuple[int, bytes | None]], run_id: int) -> Tally:
    """Stores every good line, BATCH_LINES to a transaction, reports the bad ones in order;
    what was done."""
    tally = Tally(Counter(), set(), {})
    batch: list[tuple[int, Entry | LineError]] = []
    for number, line in lines:
        if line is not None and not line.strip():
            continue
        try:
            batch.append((number, parse_line(line, number)))
        except LineError as error:
            batch.append((number, error))
        if len(batch) >= BATCH_LINES:
            _import_batch(archive, batch, run_id, tally)
            batch = []
    _import_batch(archive, batch, run_id, tally)
    if tally.bad > MAX_SHOWN:
        click.echo(f"newsarchive: … and {tally.bad - MAX_SHOWN} more bad line(s) skipped", err=True)
    return tally


def _import_batch(
    archive: Archive, batch: list[tuple[int, Entry | LineError]], run_id: int, tally: Tally
) -> None:
    entries = [entry for _, entry in batch if isinstance(entry, Entry)]
    outcomes = iter(store_batch(archive, entries, run_id) if entries else [])
    for number, entry in batch:
        outcome = next(outcomes) if isinstance(entry, Entry) else entry
        if isinstance(outcome, LineError):
            report_bad(number, str(outcome), tally.bad)
            tally.bad += 1
        else:
            assert isinstance(entry, Entry)
            tally.add(outcome, entry)


def finish(archive: Archive, run_id: int, tally: Tally) -> None:
    archive.session.execute(
        update(CrawlRunRow).where(CrawlRunRow.id == run_id).values(sites=sorted(tally.sites))
    )
    finish_run(
        archive.session,
        run_id,
        counts=tally.counts(),
        coverage=tally.coverage(),
        exit_status=1 if tally.bad else 0,
    )


@main.command("import", context_settings=CONTEXT)
@click.argument("file", metavar="FILE.jsonl|-")
@db_option
def import_command(file: str, db: str | None) -> None:
    """Import an export (`newsarchive export --format jsonl`) into the archive, its versions,
    stories, aliases and first sightings kept, through the same store path as a crawl.

    Each line is imported whole or not at all (a savepoint in a transaction of 200 lines). A bad
    line is reported with its number and skipped (exit status 1); a file that is no export is
    refused before anything is written (exit status 2). An article already archived gets the
    versions it lacks.

    \b
    Example:
      newsarchive import articles.jsonl --db newsarchive.db
      newsarchive export --db a.db | newsarchive import - --db postgresql+psycopg://news@/news
    """
    name = "stdin" if file == "-" else file
    stream = open_input(file)
    owned = file != "-"
    try:
        head = _read(stream, SNIFF_BYTES, name)
        checked_start(head, name)
        with open_archive(db, read_only=False) as archive:
            if archive.path is None and archive.url.get_backend_name() == "sqlite":
                raise InputError(
                    "--db: an archive in memory keeps nothing; give a file or a server"
                )
            run_id = start_run(archive.session, "import", [])
            tally = import_lines(archive, numbered_lines(head, stream, name), run_id)
            finish(archive, run_id, tally)
            click.echo(escaped(tally.summary(archive.where)))
    finally:
        if owned:
            stream.close()
    if tally.bad:
        sys.exit(1)

"""Raw pages kept as WARC: fetched article responses in gzipped WARC files beside the archive.

Each response is written (with warcio) as a `response` record followed by its `request` record,
each record its own gzip member, into `.warc.gz` files rotated by size under one folder; every
file starts with a `warcinfo` record. A file is created exclusively and named by time, process id
and sequence, so two writers never share one. The writer says where each response record went
(`RecordPlace`: the file relative to the folder, offset, length, payload SHA-256), which is what a
`raw_pages` row keeps; `read_response` gives the response back from those four values.

The body kept is the one the spider received: Scrapy hands it over already decompressed, so
the stored headers carry no `Content-Encoding` or `Transfer-Encoding` and their `Content-Length`
is the kept body's; a re-read gives exactly the bytes the extractor saw.

No Scrapy here: crawls write through this module, `newsarchive reextract` reads through it.
"""

from __future__ import annotations

import base64
import hashlib
import http
import io
import itertools
import os
import zlib
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from isal import isal_zlib
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsarchive import __version__
from newsarchive.archive.store import ArchiveError
from newsarchive.archive.store import database_url as resolved_url

ENV_WARC_DIR = "NEWSARCHIVE_WARC_DIR"
DEFAULT_MAX_BYTES = 100 * 1000 * 1000
"""A WARC file is closed and the next one started before it would grow past this (~100 MB)."""
COMPRESSION_LEVEL = 2
"""ISA-L level (0–3) of each record's gzip member (isal: the same gzip format, several times
faster than zlib). Measured on bench/ingest.py's pages (Greek text, 15 KB) and on the 89 saved
pages of the fixtures (8 KB), each compressed alone: zlib level 3 (this writer's before)
183/86 µs a page at 0.336/0.327 of the size; ISA-L level 2 37/25 µs at 0.357/0.338, level 3
52/38 µs at 0.349/0.329, level 1 36/25 µs at 0.360/0.340. Level 2 takes a fifth of zlib's
time for 3–6% more disk."""
SERVER_FOLDER = "newsarchive-warc"
"""The WARC folder (in the current folder) of an archive on a database server."""
DROPPED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
"""Response headers not stored as sent: the body is kept decoded (Content-Length is restated)."""
WARC_VERSION = "1.1"  # WARC-Date with microseconds: the raw page's fetch time, exactly

_sequence = itertools.count(1)
"""File sequence numbers, shared by every writer of this process."""


class WarcError(RuntimeError):
    """A stored page cannot be read back; the message says which file and why."""


# --- where ------------------------------------------------------------------------------------


def warc_folder(database_url: str | None, configured: str | os.PathLike[str] | None = None) -> Path:
    """The folder of an archive's WARC files, for crawls and `reextract` alike.

    `configured` (the NEWSARCHIVE_WARC_DIR setting, `--warc-dir`) if given, else the environment
    variable NEWSARCHIVE_WARC_DIR; else for a SQLite archive `PATH` the folder beside it named
    `PATH` without `.db` and with `-warc` (`news.db` → `news-warc/`); else (a server)
    `newsarchive-warc/` in the current folder.
    """
    chosen = configured or os.environ.get(ENV_WARC_DIR)
    if chosen:
        return Path(chosen).expanduser()
    try:
        url = make_url(resolved_url(database_url))
    except (ArchiveError, ArgumentError, ValueError):
        return Path(SERVER_FOLDER)
    database = url.database if url.get_backend_name() == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return Path(SERVER_FOLDER)
    path = Path(database)
    stem = path.name[: -len(".db")] if path.name.endswith(".db") else path.name
    return path.with_name(f"{stem}-warc")


# --- writing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exchange:
    """One fetched response and the request that asked for it, as the spider saw them."""

    url: str
    fetched_at: datetime
    """When the response was received (aware): the response record's WARC-Date."""
    status: int
    headers: Sequence[tuple[str, str]]
    body: bytes
    """The body as the spider received it (decompressed)."""
    method: str = "GET"
    request_headers: Sequence[tuple[str, str]] = ()
    request_body: bytes = b""
    protocol: str = "HTTP/1.1"


@dataclass(frozen=True)
class RecordPlace:
    """Where a response record was written: what a `raw_pages` row keeps."""

    file: str
    """The WARC file's name, relative to the folder."""
    offset: int
    length: int
    """The bytes of the record's gzip member (the request record follows it)."""
    payload_sha256: str
    """Hex SHA-256 of the body."""


def _digest_header(digest: bytes) -> str:
    return "sha256:" + base64.b32encode(digest).decode("ascii")


def _status_line(status: int) -> str:
    try:
        reason = http.HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    return f"{status} {reason}".rstrip()


def _stored_headers(exchange: Exchange) -> list[tuple[str, str]]:
    kept = [
        (name, value) for name, value in exchange.headers if name.lower() not in DROPPED_HEADERS
    ]
    return [*kept, ("Content-Length", str(len(exchange.body)))]


def _request_headers(exchange: Exchange) -> list[tuple[str, str]]:
    headers = list(exchange.request_headers)
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", urlsplit(exchange.url).netloc))
    return headers


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _warc_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class _OpenFile:
    name: str
    handle: IO[bytes]
    size: int = 0


@dataclass
class WarcWriter:
    """Appends request and response records to gzipped WARC files rotated by size in `folder`.

    Not thread-safe (one per crawler; Scrapy calls it from its one thread). The folder is made
    on the first write. A failed write (a full disk) raises OSError and leaves the file as it
    was before it; the next write starts a new file.
    """

    folder: Path
    max_bytes: int = DEFAULT_MAX_BYTES
    level: int = COMPRESSION_LEVEL
    prefix: str = "newsarchive"
    _current: _OpenFile | None = field(default=None, init=False, repr=False)
    _builder: WARCWriter = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._builder = WARCWriter(None, gzip=False, warc_version=WARC_VERSION)

    def write(self, exchange: Exchange) -> RecordPlace:
        """Writes the exchange (response record, then request record); where the response went."""
        digest = hashlib.sha256(exchange.body).digest()
        response, response_id = self._response_record(exchange, digest)
        request = self._request_record(exchange, response_id)
        target = self._file_for(len(response) + len(request))
        offset = target.size
        try:
            target.handle.write(response + request)
            target.handle.flush()
        except OSError:
            self._abandon(target)
            raise
        target.size += len(response) + len(request)
        return RecordPlace(target.name, offset, len(response), digest.hex())

    def close(self) -> None:
        """Closes the current file, synced to disk (the next write starts a new one)."""
        if self._current is not None:
            current, self._current = self._current, None
            with current.handle:
                os.fsync(current.handle.fileno())

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- records ----------------------------------------------------------------------------

    def _member(self, record: Any) -> bytes:
        """One record as its own gzip member (written by warcio uncompressed, gzipped here by
        ISA-L at `level`: warcio's own gzip is zlib's level 9, many times slower for ~10%
        less)."""
        buffer = io.BytesIO()
        WARCWriter(buffer, gzip=False, warc_version=WARC_VERSION).write_record(record)
        compressor = isal_zlib.compressobj(self.level, isal_zlib.DEFLATED, isal_zlib.MAX_WBITS + 16)
        return compressor.compress(buffer.getbuffer()) + compressor.flush()

    def _response_record(self, exchange: Exchange, digest: bytes) -> tuple[bytes, str]:
        http_headers = StatusAndHeaders(
            _status_line(exchange.status), _stored_headers(exchange), protocol=exchange.protocol
        )
        record = self._builder.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            length=len(exchange.body),
            http_headers=http_headers,
            warc_headers_dict={
                "WARC-Date": _warc_date(exchange.fetched_at),
                "WARC-Payload-Digest": _digest_header(digest),
            },
        )
        record_id = str(record.rec_headers.get_header("WARC-Record-ID"))
        return self._member(record), record_id

    def _request_record(self, exchange: Exchange, response_id: str) -> bytes:
        http_headers = StatusAndHeaders(
            f"{exchange.method} {_request_target(exchange.url)} {exchange.protocol}",
            _request_headers(exchange),
            is_http_request=True,
        )
        record = self._builder.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(exchange.request_body),
            length=len(exchange.request_body),
            http_headers=http_headers,
            warc_headers_dict={
                "WARC-Date": _warc_date(exchange.fetched_at),
                "WARC-Concurrent-To": response_id,
            },
        )
        return self._member(record)

    def _info_record(self, name: str) -> bytes:
        record = self._builder.create_warcinfo_record(
            name,
            {
                "software": f"newsarchive/{__version__} (warcio)",
                "format": "WARC File Format 1.1",
                "description": "article pages fetched by a newsarchive crawl, bodies decoded",
            },
        )
        return self._member(record)

    # --- files ------------------------------------------------------------------------------

    def _file_for(self, size: int) -> _OpenFile:
        """The file the next `size` bytes go to: the current one, unless they would take it
        past `max_bytes` (then a new one)."""
        current = self._current
        if current is not None and current.size > 0 and current.size + size > self.max_bytes:
            self.close()
            current = None
        if current is None:
            current = self._current = self._new_file()
        return current

    def _new_file(self) -> _OpenFile:
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
            name = f"{self.prefix}-{stamp}-{os.getpid()}-{next(_sequence):05d}.warc.gz"
            try:
                handle = (self.folder / name).open("xb")  # never a file another writer has
            except FileExistsError:
                continue
            opened = _OpenFile(name, handle)
            info = self._info_record(name)
            try:
                handle.write(info)
                handle.flush()
            except OSError:
                self._abandon(opened)
                raise
            opened.size = len(info)
            return opened

    def _abandon(self, broken: _OpenFile) -> None:
        """After a failed write: the file cut back to its last whole record, and left."""
        with suppress(OSError, ValueError):
            broken.handle.truncate(broken.size)
        with suppress(OSError):
            broken.handle.close()
        if self._current is broken:
            self._current = None


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredResponse:
    """A response read back from its WARC record."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    """Exactly the bytes kept (the body the spider received)."""
    content_type: str | None
    warc_date: datetime
    """The record's WARC-Date (aware, UTC): when the response was received."""


def _record_bytes(folder: Path, file: str, offset: int, length: int) -> bytes:
    if not file or Path(file).name != file:
        raise WarcError(f"{file!r} is not the name of a WARC file in {folder}")
    path = folder / file
    try:
        with path.open("rb") as handle:
            handle.seek(offset)
            data = handle.read(length)
    except FileNotFoundError:
        raise WarcError(f"WARC file {path} is missing") from None
    except OSError as error:
        raise WarcError(f"cannot read WARC file {path}: {error.strerror or error}") from None
    if len(data) < length:
        raise WarcError(f"WARC file {path} ends before the record at offset {offset}")
    return data


def _check_digest(record: Any, body: bytes, where: str) -> None:
    declared = record.rec_headers.get_header("WARC-Payload-Digest") or ""
    if declared.startswith("sha256:") and declared != _digest_header(hashlib.sha256(body).digest()):
        raise WarcError(f"{where}: the body does not match its WARC-Payload-Digest")


def read_response(folder: Path, file: str, offset: int, length: int) -> StoredResponse:
    """The response kept at `offset` (its gzip member of `length` bytes) in `folder/file`.

    Raises WarcError for a missing file, a record cut short or damaged, another kind of record,
    or a body that no longer matches its digest.
    """
    where = f"WARC file {folder / file} at offset {offset}"
    data = _record_bytes(folder, file, offset, length)
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(data))), None)
        if record is None or record.rec_type != "response" or record.http_headers is None:
            kind = "nothing" if record is None else f"a {record.rec_type} record"
            raise WarcError(f"{where}: {kind} where a response record was expected")
        body = record.raw_stream.read()
    except (ArchiveLoadFailed, OSError, zlib.error, EOFError, ValueError) as error:
        raise WarcError(f"{where}: damaged record ({error})") from None
    _check_digest(record, body, where)
    headers = record.http_headers
    date = str(record.rec_headers.get_header("WARC-Date"))
    return StoredResponse(
        url=str(record.rec_headers.get_header("WARC-Target-URI")),
        status=int(headers.get_statuscode()),
        headers=list(headers.headers),
        body=body,
        content_type=headers.get_header("Content-Type"),
        warc_date=datetime.fromisoformat(date).astimezone(UTC),
    )

"""One crawl of a site at a time: a lock per site, held for the whole crawl.

The archive decides the scope. A SQLite archive is crawled on one machine: an exclusive
`fcntl.flock` on a file per site in a folder beside it (`news.db` → `news-locks/<site>.lock`),
which also says who took it and when. A PostgreSQL archive may be crawled from several
machines: `pg_try_advisory_lock` on a connection of its own, held for the crawl. Either way the
operating system (or the server, when the connection drops) frees the lock when the crawl's
process ends, even by SIGKILL, so a killed crawl never leaves a site locked.

A site that another crawl holds is not waited for: `SiteLocks.take` says who holds it, and the
crawl skips it (`newsarchive crawl` counts it as skipped, not failed).
"""

from __future__ import annotations

import json
import os
import socket
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from newsarchive.dates import ATHENS

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no file locks
    fcntl = None  # type: ignore[assignment]

ADVISORY_CLASS = 0x6E777363
"""The first key of every site lock on PostgreSQL (the second is the site's): "nwsc", apart
from the archive's schema lock (`store.PG_LOCK_KEY`, a single bigint key)."""
LOCKS_SUFFIX = "-locks"


@dataclass(frozen=True)
class Holder:
    """The crawl holding a site: since when, and which process (as far as is known)."""

    since: datetime | None
    process: str = ""
    """`pid 4242 on host1` (a file lock), or the holder's connection on PostgreSQL."""

    def describe(self) -> str:
        """`another crawl holds it since 2026-02-10 08:00:05 (pid 4242 on host1)`."""
        since = f" since {self.since.astimezone(ATHENS):%Y-%m-%d %H:%M:%S}" if self.since else ""
        process = f" ({self.process})" if self.process else ""
        return f"another crawl holds it{since}{process}"


class SiteLocks(Protocol):
    def take(self, site: str) -> Holder | None:
        """Lock the site for this crawl: None when taken, else who holds it (not waited for)."""

    def release(self) -> None:
        """Free every site this crawl holds."""


def this_process() -> str:
    return f"pid {os.getpid()} on {socket.gethostname()}"


def lock_folder(sqlite_path: Path) -> Path:
    """Where a SQLite archive's site locks are: `news.db` → `news-locks/`."""
    stem = sqlite_path.name.removesuffix(".db")
    return sqlite_path.with_name(stem + LOCKS_SUFFIX)


class FileLocks:
    """Site locks of a SQLite archive: an exclusive `flock` per site file, held open."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.held: dict[str, int] = {}

    def take(self, site: str) -> Holder | None:
        if fcntl is None:  # pragma: no cover
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{site}.lock"
        handle = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            return holder_of(path)
        since = datetime.now(UTC).isoformat(timespec="seconds")
        note = json.dumps({"since": since, "process": this_process()}).encode()
        os.ftruncate(handle, 0)
        os.pwrite(handle, note, 0)
        self.held[site] = handle
        return None

    def release(self) -> None:
        for handle in self.held.values():
            os.close(handle)  # closing the file frees its flock
        self.held.clear()


def holder_of(path: Path) -> Holder:
    """What the lock file says of the crawl holding it (it writes this once it holds it)."""
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
        return Holder(datetime.fromisoformat(note["since"]), str(note.get("process", "")))
    except (OSError, ValueError, KeyError, TypeError):  # being written at this very moment
        return Holder(None)


def site_key(site: str) -> int:
    """The second key of a site's advisory lock: a stable 31-bit number of its name."""
    return zlib.crc32(site.encode("utf-8")) & 0x7FFFFFFF


TAKE = text("SELECT pg_try_advisory_lock(:space, :key)")
HOLDER = text(
    "SELECT a.backend_start, a.application_name, a.client_addr FROM pg_locks AS l "
    "JOIN pg_stat_activity AS a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
    "AND l.classid::bigint = :space AND l.objid::bigint = :key"
)


class AdvisoryLocks:
    """Site locks of a PostgreSQL archive: session advisory locks on one connection of their
    own, open for the crawl (the server frees them when it closes, or drops)."""

    def __init__(self, database_url: str) -> None:
        name = f"newsarchive crawl, {this_process()}"[:63]
        self.engine = create_engine(
            make_url(database_url),
            poolclass=NullPool,
            connect_args={"application_name": name},
        )
        self.connection: Connection | None = None

    def take(self, site: str) -> Holder | None:
        if self.connection is None:
            self.connection = self.engine.connect()
        key = {"space": ADVISORY_CLASS, "key": site_key(site)}
        taken = bool(self.connection.execute(TAKE, key).scalar())
        holder = None if taken else self.holder(key)
        self.connection.commit()  # no transaction left open for the crawl's length
        return holder

    def holder(self, key: dict[str, int]) -> Holder:
        assert self.connection is not None
        row = self.connection.execute(HOLDER, key).first()
        if row is None:  # freed meanwhile: the next crawl will have it
            return Holder(None)
        where = f" from {row.client_addr}" if row.client_addr else ""
        return Holder(row.backend_start, f"{row.application_name or 'a connection'}{where}")

    def release(self) -> None:
        if self.connection is not None:
            self.connection.close()  # a session's advisory locks end with it
            self.connection = None
        self.engine.dispose()


def site_locks(database_url: str) -> SiteLocks:
    """The site locks of the archive at this URL: file locks beside a SQLite file, advisory
    locks on PostgreSQL."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return FileLocks(lock_folder(Path(url.database or "newsarchive.db")))
    return AdvisoryLocks(database_url)


def take_all(locks: SiteLocks, sites: list[str]) -> dict[str, Holder]:
    """Lock each site; the sites another crawl holds, with who holds them."""
    skipped: dict[str, Holder] = {}
    for site in sites:
        holder = locks.take(site)
        if holder is not None:
            skipped[site] = holder
    return skipped

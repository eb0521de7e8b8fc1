"""Where an archive is: its URL, and the checks and `file:` URI of an SQLite archive file.

Light on purpose (no SQLAlchemy): the search opens an SQLite archive with `sqlite3` itself,
through the same checks as `Archive`.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

DEFAULT_DATABASE_URL = "sqlite:///newsarchive.db"
ENV_DATABASE_URL = "NEWSARCHIVE_DATABASE_URL"
SCHEMA_REVISIONS = ("0001", "0002", "0003", "0004", "0005")
"""The archive's schema revisions, oldest first: Alembic's (`archive/migrations`), known here
without importing Alembic (`tests/test_db.py` holds the two equal)."""
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]
BUSY_SECONDS = 10.0
"""How long a connection waits for another process's write lock (SQLite busy timeout)."""


class ArchiveError(RuntimeError):
    """The archive cannot be opened or used; the message says what to do."""


def database_url(value: str | None = None) -> str:
    """`--db` value, else NEWSARCHIVE_DATABASE_URL, else the default; a bare path means SQLite.

    An empty value given explicitly is refused (it does not mean the default); an empty
    environment variable counts as unset.
    """
    if value is not None and not value.strip():
        raise ArchiveError(
            "empty database URL: give sqlite:///PATH, a file path or postgresql://USER@HOST/DB"
        )
    chosen = value or os.environ.get(ENV_DATABASE_URL) or DEFAULT_DATABASE_URL
    if "://" in chosen:
        return chosen
    # A file path: `%` and `?` are the file name's, not URL syntax.
    return "sqlite:///" + chosen.replace("%", "%25").replace("?", "%3F")


def _has_surrogates(value: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in value)


def _check_sqlite_file(path: Path, *, create: bool, read_only: bool) -> None:
    """Refuses, before SQLite touches it, a path that cannot be the archive asked for."""
    if path.exists() or path.is_symlink():
        if path.is_dir():
            raise ArchiveError(f"cannot open archive {path}: it is a folder")
        if not path.is_file():
            raise ArchiveError(f"cannot open archive {path}: it is not a regular file")
        if not os.access(path, os.R_OK):
            raise ArchiveError(f"cannot open archive {path}: the file is not readable")
        if not read_only and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            raise ArchiveError(
                f"cannot write archive {path}: the file or its folder is read-only "
                "(search and export can still read it)"
            )
        return
    if read_only or not create:
        raise ArchiveError(f"no archive at {path}: run `newsarchive crawl` or `demo` first")
    if not path.parent.is_dir():
        raise ArchiveError(f"cannot create archive {path}: folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK):
        raise ArchiveError(f"cannot create archive {path}: folder {path.parent} is read-only")


def _is_wal(path: Path) -> bool:
    """Whether the SQLite file's header says WAL mode (format versions 2)."""
    try:
        with path.open("rb") as file:
            header = file.read(20)
    except OSError:
        return False
    return len(header) == 20 and header[18:20] == b"\x02\x02"


def _sqlite_uri(path: Path, *, create: bool, read_only: bool) -> str:
    """A `file:` URI for the path (any bytes in its name), in the mode that writes nothing more
    than asked: read-only openings of a file we may not write are `mode=ro`, and `immutable`
    when no writer is active (no -wal file), so that SQLite creates no -wal/-shm beside it."""
    location = quote(os.fsencode(os.path.abspath(path)))
    if not read_only:
        return f"file:{location}?mode={'rwc' if create else 'rw'}"
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        return f"file:{location}?mode=rw"  # with query_only: SQLite cleans up its -wal/-shm
    if _is_wal(path) and not Path(f"{path}-wal").exists():
        return f"file:{location}?mode=ro&immutable=1"
    return f"file:{location}?mode=ro"

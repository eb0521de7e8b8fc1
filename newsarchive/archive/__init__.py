"""The archive: where records are stored, deduplicated on their canonical URL, and read back.

Its names are loaded when first used: `newsarchive.archive.files` (where an archive is) must not
bring SQLAlchemy with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsarchive.archive.files import ArchiveError, database_url
    from newsarchive.archive.ingest import Stored, UpsertResult
    from newsarchive.archive.store import Archive

__all__ = ["Archive", "ArchiveError", "Stored", "UpsertResult", "database_url"]
_HOMES = {
    "Archive": "newsarchive.archive.store",
    "ArchiveError": "newsarchive.archive.files",
    "database_url": "newsarchive.archive.files",
    "Stored": "newsarchive.archive.ingest",
    "UpsertResult": "newsarchive.archive.ingest",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'newsarchive.archive' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)

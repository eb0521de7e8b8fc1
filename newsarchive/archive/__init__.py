"""The archive: where records are stored, deduplicated on their canonical URL, and read back."""

from newsarchive.archive.ingest import Stored, UpsertResult
from newsarchive.archive.store import Archive, ArchiveError, database_url

__all__ = ["Archive", "ArchiveError", "Stored", "UpsertResult", "database_url"]

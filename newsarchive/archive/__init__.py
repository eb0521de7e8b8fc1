"""The archive: where records are stored, deduplicated on their canonical URL, and read back."""

from newsarchive.archive.store import Archive, ArchiveError, UpsertResult, database_url

__all__ = ["Archive", "ArchiveError", "UpsertResult", "database_url"]

"""The archive's commands beyond crawling and searching, one module each, added to
`newsarchive.cli.main` when it is imported (they use its shared options)."""

from newsarchive.commands import db
from newsarchive.commands import reextract

__all__ = ["db", "reextract"]

"""The archive's commands beyond crawling and searching, one module each, added to
`newsarchive.cli.main` when it is imported (they use its shared options)."""

from newsarchive.commands import db
from newsarchive.commands import history
from newsarchive.commands import reextract
from newsarchive.commands import runs
from newsarchive.commands import stories
from newsarchive.commands import transfer

__all__ = ["db", "history", "reextract", "runs", "stories", "transfer"]

"""The archive's commands beyond crawling, one module each, added to
`newsarchive.cli.main` when it is imported (they use its shared options)."""

from newsarchive.commands import (
    check,
    db,
    history,
    reextract,
    runs,
    search,
    stories,
    transfer,
)

__all__ = ["check", "db", "history", "reextract", "runs", "search", "stories", "transfer"]

"""The commands (crawl, check, search, …), one module each, added to
`newsarchive.cli.main` when it is imported (they use its shared options)."""

from newsarchive.commands import (
    check,
    crawl,
    db,
    history,
    reextract,
    runs,
    search,
    serve,
    stats,
    stories,
    transfer,
)

__all__ = ["check", "crawl", "db", "history", "reextract", "runs", "search", "serve", "stats", "stories", "transfer"]

"""The commands beyond extract, savefixture, sites and demo, one module each (they use the
shared options of `newsarchive.cli`), loaded only when their command is asked for
(`cli.OneLineGroup`), so that each command imports only what it needs."""

COMMANDS = {
    "check": "check",
    "crawl": "crawl",
    "db": "db",
    "export": "search",
    "history": "history",
    "import": "transfer",
    "reextract": "reextract",
    "runs": "runs",
    "search": "search",
    "serve": "serve",
    "stats": "stats",
    "stories": "stories",
}
"""Each command's name and the module under `newsarchive.commands` that defines it."""

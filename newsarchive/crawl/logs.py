"""The log of a crawl without `-v`: one line per failure, no tracebacks, no libraries' chatter.

The spider reports every request it could not use on one line (`site: could not fetch URL
(reason)`), and the summary counts them; Scrapy's own records of the same failures would repeat
them with a traceback each (a dead site gave hundreds of lines). `OneLineFailures` keeps the
records of newsarchive, Scrapy and Twisted, each cut to its first line with the exception's
name and message, and drops what extraction libraries say about single pages (trafilatura,
bs4 …: the page's fate is counted in the summary). With `-v` nothing is filtered.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newsarchive.crawl.failures import reason_of

SHOWN = ("newsarchive", "scrapy", "twisted", "py.warnings", "sqlalchemy", "alembic")
"""The loggers whose records a crawl shows without -v."""

ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"


class OneLineFailures(logging.Filter):
    """Every record on one line; records of other libraries dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name != "root" and not record.name.startswith(SHOWN):
            return False
        message = robots_message(record) or one_line(record)
        record.msg, record.args = message, ()
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def one_line(record: logging.LogRecord) -> str:
    """The record's first line, with the exception it carries, if any, named at the end."""
    lines = [line for line in record.getMessage().splitlines() if line.strip()]
    message = lines[0] if lines else ""
    error = record.exc_info[1] if record.exc_info else None
    if error is not None:
        detail = str(error).strip()
        if not detail or detail not in message:
            message += f" ({error.__class__.__name__}{': ' + detail if detail else ''})"
    elif len(lines) > 1 and lines[0].rstrip().endswith(":"):
        message += f" {lines[-1].strip()}"  # Twisted's "Unhandled error …:\nTraceback … Error"
    return message


def robots_message(record: logging.LogRecord) -> str | None:
    """Scrapy's record of a robots.txt that could not be fetched, in the spider's words."""
    args: Any = record.args
    if record.name != ROBOTS_LOGGER or not isinstance(args, dict) or "request" not in args:
        return None
    spider = getattr(getattr(record, "spider", None), "name", "?")
    url = str(getattr(args["request"], "url", ""))
    robots = url.split("/", 3)
    where = "/".join(robots[:3]) + "/robots.txt" if len(robots) >= 3 else "robots.txt"
    error = args.get("f_exception")
    reason = reason_of(error) if isinstance(error, BaseException) else str(error)
    return f"{spider}: could not fetch {where} ({reason}); crawling as if it allowed everything"


def one_line_logs() -> None:
    """Install `OneLineFailures` on the root handlers (Scrapy's, once the process has one)."""
    for handler in logging.root.handlers:
        if not any(isinstance(existing, OneLineFailures) for existing in handler.filters):
            handler.addFilter(OneLineFailures())


class OneLineLog:
    """Installs `OneLineFailures` unless NEWSARCHIVE_TRACEBACKS (`-v`, or `scrapy crawl`).

    Each crawler replaces Scrapy's root handler with its own when it starts, so the filter is
    installed when each engine has started, on the handler in place then.
    """

    @classmethod
    def from_crawler(cls, crawler: Any) -> OneLineLog:
        if crawler.settings.getbool("NEWSARCHIVE_TRACEBACKS", True):
            raise NotConfigured  # tracebacks wanted: Scrapy's log as it is
        extension = cls()
        crawler.signals.connect(one_line_logs, signal=signals.engine_started)
        return extension

"""What a crawl tells while it runs and when it ends: a progress line and a per-site report."""

from __future__ import annotations

import logging
import shutil
import sys
import weakref
from dataclasses import dataclass, field
from typing import IO, Any

from scrapy import signals
from scrapy.logformatter import LogFormatter
from twisted.internet.task import LoopingCall

PREFIX = "newsarchive/"
GAVE_UP = "newsarchive/gave_up"
"""Why the crawl gave up on the site (a sentence, set by `newsarchive.crawl.failures`)."""
RUN_ID_STAT = "newsarchive/run_id"
"""The id of the crawl run (`crawl_runs`) the site's crawl belongs to, set by `ProgressLine`
when the crawl opens, so that the summary compares the site with its earlier runs only."""


@dataclass
class SiteReport:
    """What one site's crawl did, read from its Scrapy stats."""

    site: str
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    """Records with the same content as an article of the site under another URL (aliases)."""
    in_story: int = 0
    """New records that are copies of an archived article of another site (a story)."""
    skipped_known: int = 0
    """Article URLs the archive has fresh: not fetched (`newsarchive.crawl.freshness`)."""
    refetched: dict[str, int] = field(default_factory=dict)
    """Archived articles fetched again, by reason (`schedule`, `lastmod`)."""
    extracted: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    empty: dict[str, int] = field(default_factory=dict)
    rules: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    blocked: dict[str, int] = field(default_factory=dict)
    """Challenge pages (Cloudflare, captcha walls) met instead of pages, by kind."""
    gave_up: str = ""
    """Why the crawl left the site before the end (`server asked to wait 3600 s`), if it did."""
    endpoints_failed: dict[str, int] = field(default_factory=dict)
    """Declared endpoints that answered without what they should hold (a feed or sitemap that
    is HTML, a REST API that is not JSON), by kind: `newsarchive/endpoint_failed/<kind>`,
    counted by the spider when it falls back to the site's next discovery method."""
    endpoint_notes: list[str] = field(default_factory=list)
    """What each failed endpoint did, as the spider notes it (`newsarchive/endpoint_note/<kind>
    <path>: <why>`): `feed /feed/: answered HTML`, sorted."""
    endpoints_used: dict[str, int] = field(default_factory=dict)
    """Endpoint responses that gave what was expected, by kind (`endpoint_used/<kind>`)."""
    run_id: int | None = None
    """The crawl run of this report (`RUN_ID_STAT`), if the crawl has one."""
    finish_reason: str = ""
    share: int | None = None
    """In a distributed crawl, the requests of the site this worker took from the shared queue
    (`newsarchive/distributed/taken`); None in a crawl of its own."""

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def blocked_count(self) -> int:
        return sum(self.blocked.values())

    @property
    def failed(self) -> bool:
        """Something went wrong: fetch errors, challenge pages, giving up, or nothing fetched."""
        return (
            self.error_count > 0
            or self.blocked_count > 0
            or bool(self.gave_up)
            or (self.pages == 0 and self.share != 0)  # a worker may leave a site to others
            or self.finish_reason not in ("finished", "")
        )

    @classmethod
    def from_stats(cls, site: str, stats: dict[str, Any]) -> SiteReport:
        report = cls(
            site=site,
            pages=int(stats.get("downloader/response_count", 0)),
            finish_reason=str(stats.get("finish_reason", "")),
        )
        for key, value in stats.items():
            if key == GAVE_UP:
                report.gave_up = str(value)
            elif key == RUN_ID_STAT:
                report.run_id = int(value)
            elif key.startswith(PREFIX):
                report.add(key.removeprefix(PREFIX), int(value))
            elif key.startswith("spider_exceptions/") and key != "spider_exceptions/count":
                report.errors[key.split("/", 1)[1]] = int(value)
        return report

    def add(self, key: str, value: int) -> None:
        kind, _, name = key.partition("/")
        if kind == "articles" and name in ("new", "updated", "unchanged", "extracted", "duplicate"):
            setattr(self, name, value)
        elif key == "articles/in a story":
            self.in_story = value
        elif kind == "skipped_known":
            self.skipped_known = value
        elif kind in ("dropped", "empty", "errors", "blocked"):
            getattr(self, kind)[name] = value
        elif kind == "endpoint_failed":
            self.endpoints_failed[name] = value
        elif kind == "endpoint_used":
            self.endpoints_used[name] = value
        elif kind == "endpoint_note":
            self.endpoint_notes = sorted([*self.endpoint_notes, name])
        elif kind == "refetch":
            self.refetched[name] = value
        elif key == "distributed/taken":
            self.share = value
        elif kind == "rule":
            field_name, _, rule = name.partition("/")
            self.rules.setdefault(field_name, {})[rule] = value

    @property
    def found(self) -> int:
        """Articles discovery led to: records extracted, and archived ones not fetched again."""
        return self.extracted + self.skipped_known

    def line(self) -> str:
        dropped = sum(self.dropped.values())
        return (
            f"{self.site}: {self.pages} pages, {self.new} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, "
            + (f"{self.duplicate} aliases, " if self.duplicate else "")
            + (f"{self.in_story} in stories, " if self.in_story else "")
            + f"{self.skipped_known} known (not fetched), "
            + (f"{sum(self.refetched.values())} re-fetched, " if self.refetched else "")
            + f"{dropped} dropped, {self.error_count} errors"
            + (f", {self.blocked_count} blocked" if self.blocked else "")
            + (f"; gave up: {self.gave_up}" if self.gave_up else "")
        )

    def details(self) -> list[str]:
        """Lines under the summary line: drop reasons, empty fields, errors."""
        lines = []
        if self.refetched:
            lines.append("  re-fetched: " + _counts(self.refetched))
        if self.dropped:
            lines.append("  dropped: " + _counts(self.dropped))
        if self.extracted:
            empty = {name: count for name, count in self.empty.items() if count}
            lines.append(
                f"  empty fields (of {self.extracted} records): "
                + (_counts(empty) if empty else "none")
            )
        fallbacks = {name: rules.get("fallback", 0) for name, rules in self.rules.items()}
        if any(fallbacks.values()):
            # A field that the generic fallback had to produce: the site's selectors may be stale.
            lines.append(
                "  from generic fallback: " + _counts({k: v for k, v in fallbacks.items() if v})
            )
        if self.errors:
            lines.append("  errors: " + _counts(self.errors))
        if self.blocked:
            lines.append("  blocked: " + _counts(self.blocked))
        return lines

    def counts(self) -> dict[str, Any]:
        """What the site's crawl counted, as a crawl run keeps it (JSON-ready)."""
        return {
            "fetched": self.pages,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "known": self.skipped_known,
            "refetched": dict(sorted(self.refetched.items())),
            "duplicates": self.duplicate,
            "in_stories": self.in_story,
            "extracted": self.extracted,
            "dropped": dict(sorted(self.dropped.items())),
            "errors": dict(sorted(self.errors.items())),
            "blocked": dict(sorted(self.blocked.items())),
            "gave_up": self.gave_up,
            "endpoints_failed": dict(sorted(self.endpoints_failed.items())),
            "finish_reason": self.finish_reason,
            "failed": self.failed,
        }

    def coverage(self) -> dict[str, float]:
        """The share of the extracted records that have each counted field (none extracted:
        empty)."""
        # Imported here: the pipelines import the spider, whose failures import this module.
        from newsarchive.pipelines.validate import COUNTED_FIELDS

        if not self.extracted:
            return {}
        return {
            name: round(1 - self.empty.get(name, 0) / self.extracted, 4) for name in COUNTED_FIELDS
        }


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))


TERMINAL_INTERVAL = 1.0
"""Seconds between two redraws of the progress line on a terminal (it rewrites itself)."""
LOG_INTERVAL = 30.0
"""Seconds between two progress lines when stderr is no terminal (a cron log, a pipe): one
line per site whose counts changed since the last, no more often than this."""
CLEAR = "\r\x1b[K"
"""Back to the start of the line, and erase it (a terminal's line is rewritten in place)."""


def progress_text(reports: list[SiteReport], finished: int) -> str:
    """One line for everything being crawled: a site's own counts, or totals over the sites."""
    if len(reports) == 1 and not finished:
        return f"… {reports[0].line()}"
    pages = sum(report.pages for report in reports)
    new = sum(report.new for report in reports)
    updated = sum(report.updated for report in reports)
    errors = sum(report.error_count for report in reports)
    blocked = sum(report.blocked_count for report in reports)
    running = ", ".join(f"{report.site} {report.pages}" for report in reports)
    return (
        f"… {len(reports)} sites crawling, {finished} done: {pages} pages, {new} new, "
        f"{updated} updated, {errors} errors"
        + (f", {blocked} blocked" if blocked else "")
        + (f" ({running})" if running else "")
    )


def clipped(text: str, width: int) -> str:
    """`text` cut to `width` characters (a terminal line must not wrap, or it cannot be
    rewritten)."""
    return text if len(text) < width else text[: max(width - 2, 1)] + "…"


class Board:
    """The progress of every site crawled in this process, written to one stream.

    On a terminal it is one line, rewritten in place every TERMINAL_INTERVAL seconds and erased
    when the last site closes (the summary then starts on a clean line); elsewhere each site
    whose counts changed gets a line of its own, every LOG_INTERVAL seconds at most."""

    def __init__(self, stream: IO[str], *, terminal: bool) -> None:
        self.stream = stream
        self.terminal = terminal
        self.crawlers: dict[int, Any] = {}
        self.finished = 0
        self.printed: dict[str, str] = {}
        """Per site, the last line written (not on a terminal): unchanged ones are not
        repeated."""
        self.task: LoopingCall | None = None

    @property
    def interval(self) -> float:
        return TERMINAL_INTERVAL if self.terminal else LOG_INTERVAL

    def reports(self) -> list[SiteReport]:
        return [
            SiteReport.from_stats(crawler.spidercls.name, crawler.stats.get_stats())
            for crawler in self.crawlers.values()
        ]

    def show(self) -> None:
        """Write the progress as it stands."""
        reports = self.reports()
        if self.terminal:
            width = shutil.get_terminal_size().columns
            self.stream.write(CLEAR + clipped(progress_text(reports, self.finished), width))
        else:
            for report in reports:
                line = report.line()
                if self.printed.get(report.site) != line:
                    self.printed[report.site] = line
                    self.stream.write(f"… {line}\n")
        self.stream.flush()

    def open(self, crawler: Any) -> None:
        self.crawlers[id(crawler)] = crawler
        if self.task is None:
            self.task = LoopingCall(self.show)
            self.task.start(self.interval, now=False)

    def close(self, crawler: Any) -> None:
        """A site is done; with the last one the line is erased and the timer stopped."""
        if self.crawlers.pop(id(crawler), None) is not None:
            self.finished += 1
        if self.crawlers:
            return
        if self.task is not None and self.task.running:
            self.task.stop()
        self.task = None
        if self.terminal:
            self.stream.write(CLEAR)
            self.stream.flush()


_boards: weakref.WeakKeyDictionary[IO[str], Board] = weakref.WeakKeyDictionary()
"""The board of each stream (one per process in practice: stderr)."""


def board_of(stream: IO[str]) -> Board:
    """The one board writing to `stream`, shared by the sites crawled side by side."""
    if stream not in _boards:
        terminal = bool(getattr(stream, "isatty", lambda: False)())
        _boards[stream] = Board(stream, terminal=terminal)
    return _boards[stream]


class ProgressLine:
    """Shows the running counts of a crawl on stderr (NEWSARCHIVE_PROGRESS), and marks the
    site's stats with its crawl run's id (`RUN_ID_STAT`) either way."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.enabled = crawler.settings.getbool("NEWSARCHIVE_PROGRESS")
        self.board: Board | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressLine:
        extension = cls(crawler)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self) -> None:
        run_id = self.crawler.settings.getint("NEWSARCHIVE_RUN_ID")
        if run_id:
            self.crawler.stats.set_value(RUN_ID_STAT, run_id)
        if self.enabled:
            self.board = board_of(sys.stderr)
            self.board.open(self.crawler)

    def closed(self) -> None:
        if self.board is not None:
            self.board.close(self.crawler)
            self.board = None


class QuietDropsFormatter(LogFormatter):
    """Dropped items are counted in the summary, so Scrapy's warning for each is demoted; and
    the per-page messages below the log's level are not made at all.

    Scrapy makes a record for every page crawled and every item scraped or dropped (at DEBUG)
    and leaves it to the handler to throw away: with LOG_LEVEL above DEBUG (a crawl without
    `-v` logs WARNING) the entry, its arguments and the record cost about 0.1 ms a page, for
    nothing shown or counted (`LogCount` counts from LOG_LEVEL up)."""

    def __init__(self, threshold: int = logging.NOTSET) -> None:
        self.threshold = threshold
        """The lowest level the crawl's log shows: entries below it are not made."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> QuietDropsFormatter:
        return cls(log_threshold(crawler.settings))

    def crawled(self, *args: Any, **kwargs: Any) -> Any:
        # Scrapy's level for both is DEBUG: known before the message is made.
        return super().crawled(*args, **kwargs) if self.threshold <= logging.DEBUG else None

    def scraped(self, *args: Any, **kwargs: Any) -> Any:
        return super().scraped(*args, **kwargs) if self.threshold <= logging.DEBUG else None

    def dropped(self, *args: Any, **kwargs: Any) -> Any:
        if self.threshold > logging.DEBUG:
            return None  # demoted to DEBUG below: not shown
        entry = super().dropped(*args, **kwargs)
        entry["level"] = logging.DEBUG
        return entry


def log_threshold(settings: Any) -> int:
    """The lowest level a crawl with these settings logs (Scrapy's LOG_LEVEL)."""
    level = settings.get("LOG_LEVEL", "DEBUG")
    if isinstance(level, str):
        found = logging.getLevelName(level.upper())
        return found if isinstance(found, int) else logging.NOTSET
    return int(level)

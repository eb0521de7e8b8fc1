"""What a crawl tells while it runs and when it ends: a progress line and a per-site report."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from typing import Any

from scrapy import signals
from scrapy.logformatter import LogFormatter
from twisted.internet.task import LoopingCall

from newsarchive.pipelines.validate import COUNTED_FIELDS

PREFIX = "newsarchive/"
GAVE_UP = "newsarchive/gave_up"
"""Why the crawl gave up on the site (a sentence, set by `newsarchive.crawl.failures`)."""


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
    finish_reason: str = ""

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
            or self.pages == 0
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
        elif kind == "refetch":
            self.refetched[name] = value
        elif kind == "rule":
            field_name, _, rule = name.partition("/")
            self.rules.setdefault(field_name, {})[rule] = value

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
            "finish_reason": self.finish_reason,
            "failed": self.failed,
        }

    def coverage(self) -> dict[str, float]:
        """The share of the extracted records that have each counted field (none extracted:
        empty)."""
        if not self.extracted:
            return {}
        return {
            name: round(1 - self.empty.get(name, 0) / self.extracted, 4) for name in COUNTED_FIELDS
        }


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))


class ProgressLine:
    """Prints the running counts of a crawl to stderr every few seconds."""

    interval = 2.0

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.enabled = crawler.settings.getbool("NEWSARCHIVE_PROGRESS")
        self.task: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressLine:
        extension = cls(crawler)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def show(self) -> None:
        name = self.crawler.spider.name if self.crawler.spider else "?"
        report = SiteReport.from_stats(name, self.crawler.stats.get_stats())
        end = "\r" if sys.stderr.isatty() else "\n"
        sys.stderr.write(f"… {report.line()}{end}")
        sys.stderr.flush()

    def opened(self) -> None:
        if self.enabled:
            self.task = LoopingCall(self.show)
            self.task.start(self.interval, now=False)

    def closed(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()


class QuietDropsFormatter(LogFormatter):
    """Dropped items are counted in the summary, so Scrapy's warning for each is demoted."""

    def dropped(self, *args: Any, **kwargs: Any) -> Any:
        entry = super().dropped(*args, **kwargs)
        entry["level"] = logging.DEBUG
        return entry

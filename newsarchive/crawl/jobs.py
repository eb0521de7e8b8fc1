"""Resumable crawls: a Scrapy job folder (JOBDIR) per site, kept while its crawl is unfinished.

Scrapy keeps a crawl's frontier in its job folder: the scheduler's queue on disk, the
fingerprints of the requests it has seen, the spider's state. It writes the queue's index when
the crawl stops cleanly: at its end, at `--max-duration` (CLOSESPIDER_TIMEOUT), on SIGTERM or
the first Ctrl-C. So:

- a site whose crawl **finished** has its job folder removed: the next crawl starts afresh;
- a site whose crawl **stopped** early (max duration, a signal, giving up on the site) keeps
  it, and the next crawl of the site resumes it: what was queued is fetched, and discovery
  (feeds, sitemaps, REST, listings) is read again, so what appeared meanwhile is found too
  (`JobDupeFilter`: discovery requests are deduplicated within a run, articles across the job);
- a site whose crawl was **killed** (SIGKILL, a crash) left a job Scrapy never indexed, which
  cannot be trusted (its queue is unreadable, its fingerprints would hide what was never
  fetched): it is discarded, and the crawl starts afresh. Nothing is lost that the archive
  holds: every stored article is archived and fresh, so it is not fetched again
  (`newsarchive.crawl.freshness`), and the store never makes a duplicate.

`newsarchive-job.json` in the job folder says which: written `running` before the crawl and
`stopped` (with why) after it. Only the crawl holding the site's lock (`newsarchive.crawl.
locks`) looks at a site's job, so a `running` job it finds is one whose crawl is dead.

The folder: `--jobdir DIR`, else $NEWSARCHIVE_JOBDIR, else beside a SQLite archive (`news.db`
keeps them in `news-jobs/`), else `./newsarchive-jobs/`; a site's job is `<site>/`, and a
backfill's or a `--refresh` crawl's a folder of its own (`<site>@since-2025-01-01`), so that
the daily crawl never resumes a backfill's queue, nor the other way round.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from scrapy import Request, Spider
from scrapy.dupefilters import RFPDupeFilter
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from newsarchive.dates import ATHENS
from newsarchive.spiders.base import ENDPOINT

ENV_JOBDIR = "NEWSARCHIVE_JOBDIR"
SERVER_FOLDER = "newsarchive-jobs"
MARKER = "newsarchive-job.json"
QUEUES = "newsarchive.crawl.queues"
FINISHED = "finished"
STOPS = {
    "closespider_timeout": "--max-duration",
    "shutdown": "a signal (SIGTERM or Ctrl-C)",
    "gave up": "giving up on the site",
}
"""Scrapy's finish reasons of a crawl that stopped early, as a line names them."""

State = Literal["new", "resumed", "killed"]
S = TypeVar("S", bound=Spider)


def job_root(database_url: str, given: str | os.PathLike[str] | None = None) -> Path:
    """The folder of the sites' jobs: `given` (`--jobdir`), else $NEWSARCHIVE_JOBDIR, else
    beside a SQLite archive (`news.db` → `news-jobs/`), else `./newsarchive-jobs/`."""
    chosen = given or os.environ.get(ENV_JOBDIR)
    if chosen:
        return Path(chosen).expanduser()
    try:
        url = make_url(database_url)
    except (ArgumentError, ValueError):
        return Path(SERVER_FOLDER)
    database = url.database if url.get_backend_name() == "sqlite" else None
    if not database or database == ":memory:":
        return Path(SERVER_FOLDER)
    path = Path(database)
    return path.with_name(path.name.removesuffix(".db") + "-jobs")


def job_name(site: str, *, since: date | None, until: date | None, refresh: bool) -> str:
    """A job's folder name: the site's, with what makes its crawl another frontier."""
    parts = [
        *([f"since-{since}"] if since else []),
        *([f"until-{until}"] if until else []),
        *(["refresh"] if refresh else []),
    ]
    return site + ("@" + "-".join(parts) if parts else "")


def stopped_by(reason: str) -> str:
    return STOPS.get(reason, reason or "an unknown cause")


@dataclass
class Job:
    """One site's job folder, and what this crawl found in it."""

    site: str
    folder: Path
    state: State = "new"
    earlier: dict[str, Any] | None = None
    """The marker the earlier crawl left (`run_id`, `started_at`, `reason`, …)."""

    def open(self) -> None:
        """Look at what an earlier crawl left, discard a killed one's, and mark the job
        running for this crawl."""
        earlier = read_marker(self.folder)
        if earlier is not None and earlier.get("state") == "stopped":
            self.state, self.earlier = "resumed", earlier
        elif self.folder.exists():
            self.state, self.earlier = ("killed" if earlier else "new"), earlier
            shutil.rmtree(self.folder)
        started = datetime.now(UTC).isoformat(timespec="seconds")
        self.write({"state": "running", "pid": os.getpid(), "started_at": started})

    def line(self) -> str | None:
        """The one line a resumed or discarded job is worth (None for a new one)."""
        earlier = self.earlier or {}
        if self.state == "resumed":
            run = f"run {earlier['run_id']}" if earlier.get("run_id") else "an earlier crawl"
            return (
                f"{self.site}: resuming the crawl of {run}, stopped by "
                f"{stopped_by(str(earlier.get('reason', '')))}{moment(earlier.get('stopped_at'))}"
                f"; its frontier is in {self.folder}"
            )
        if self.state == "killed":
            pid = f" (pid {earlier['pid']})" if earlier.get("pid") else ""
            return (
                f"{self.site}: the crawl started{moment(earlier.get('started_at'))}{pid} was "
                "killed before it could keep its frontier; starting again (archived articles "
                "are not fetched again)"
            )
        return None

    def close(self, reason: str, run_id: int | None) -> bool:
        """After the crawl: a finished job is removed, another kept to be resumed. True when
        kept."""
        if reason == FINISHED:
            shutil.rmtree(self.folder, ignore_errors=True)
            return False
        self.write(
            {
                "state": "stopped",
                "reason": reason,
                "run_id": run_id,
                "stopped_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )
        return True

    def write(self, marker: dict[str, Any]) -> None:
        """The marker, written whole (a temporary file renamed over it)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{MARKER}.{os.getpid()}"
        temporary.write_text(json.dumps({"site": self.site, **marker}), encoding="utf-8")
        os.replace(temporary, self.folder / MARKER)


def moment(value: Any) -> str:
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        return ""
    return f" at {at.astimezone(ATHENS):%Y-%m-%d %H:%M}"


def read_marker(folder: Path) -> dict[str, Any] | None:
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def job_settings(job: Job) -> dict[str, Any]:
    """The settings of the site's crawl that make it a job (priority: the spider's)."""
    return {
        "JOBDIR": str(job.folder),
        "DUPEFILTER_CLASS": f"{__name__}.JobDupeFilter",
        # Scrapy's queues with the same files, cheaper per request (`newsarchive.crawl.queues`).
        "SCHEDULER_DISK_QUEUE": f"{QUEUES}.PickleLifoDiskQueue",
        "SCHEDULER_PRIORITY_QUEUE": f"{QUEUES}.DownloaderAwarePriorityQueue",
    }


class JobDupeFilter(RFPDupeFilter):
    """Scrapy's dupefilter, but for discovery requests (feeds, sitemaps, REST pages, listings:
    meta `ENDPOINT`), which are deduplicated within this run only, never kept in the job: a
    resumed job reads them again and finds what was published meanwhile, while an article
    queued or fetched earlier in the job is not asked for again."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.discovery: set[bytes] = set()

    def request_seen(self, request: Request) -> bool:
        if not request.meta.get(ENDPOINT):
            return super().request_seen(request)
        fingerprint = self._fingerprint(request)
        if fingerprint in self.discovery:
            return True
        self.discovery.add(fingerprint)
        return False


def job_spider(spider_class: type[S], job: Job) -> type[S]:
    """The site's spider crawling as its job: a subclass with the job's settings as its own
    (`custom_settings`, the spider's priority), so that each site of one process has its own
    folder."""
    custom = {**(spider_class.custom_settings or {}), **job_settings(job)}
    return type(
        spider_class.__name__,
        (spider_class,),
        {"custom_settings": custom, "__module__": spider_class.__module__},
    )

"""Distributed crawls: worker processes on one or many machines share one crawl in Redis.

`newsarchive crawl --all --redis redis://HOST:6379/0` on each worker merges `redis_settings`
into the crawl's settings. The frontier (each site's queue of requests) and the dupefilter are
scrapy-redis's (its scheduler, FIFO queue and RFPDupeFilter; not its spider mixin, which relies
on `start_requests`, gone from Scrapy 2.16: the spiders' own `start()` requests go through the
shared dupefilter, so every worker may yield them and each is fetched once). The archive, which
every worker writes to, is the one `--db` names (PostgreSQL, for workers on several machines).

Ours on top of scrapy-redis:
- `frontier`: requests taken by a worker stay in its processing list until handled, and go
  back to the queue when its heartbeat stops (a worker killed mid-crawl loses nothing); a
  site's crawl ends when no worker has anything of it left, and is then cleared;
- `politeness`: a site's concurrency and delay hold over all workers together (a semaphore of
  expiring leases), and robots.txt is fetched once and read by all;
- each record is committed as it comes (NEWSARCHIVE_STORE_BATCH 1), so a request leaves the
  processing list only once its record is in the archive.

Keys are named by `keys` (a crawl's name: NEWSARCHIVE_CRAWL_NAME, else the archive's URL).
"""

from __future__ import annotations

import os
from typing import Any

from newsarchive import settings as project

PACKAGE = "newsarchive.crawl.distributed"
ENVIRONMENT = ("NEWSARCHIVE_CRAWL_NAME", "NEWSARCHIVE_WORKER_TTL", "NEWSARCHIVE_SITE_CONCURRENCY")
"""Settings a worker also takes from its environment (see `redis_settings`)."""


class DistributedSetupError(ValueError):
    """A distributed crawl that must not start (one line: what to fix)."""


def redis_settings(url: str) -> dict[str, Any]:
    """The Scrapy settings that make a crawl one worker of the distributed crawl at `url`.

    From the environment: NEWSARCHIVE_CRAWL_NAME (the crawl's name, letters, digits, `._-`;
    default: derived from the archive's URL), NEWSARCHIVE_WORKER_TTL (seconds, default 30),
    NEWSARCHIVE_SITE_CONCURRENCY (requests in flight per site over all workers; default the
    per-domain limit). DistributedSetupError when one is malformed."""
    middlewares = dict(project.DOWNLOADER_MIDDLEWARES)
    middlewares[f"{PACKAGE}.politeness.SharedRobotsMiddleware"] = 555
    middlewares[f"{PACKAGE}.politeness.SiteSlotsMiddleware"] = 950
    return {
        "REDIS_URL": url,
        "SCHEDULER": f"{PACKAGE}.frontier.DistributedScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # The frontier outlives a worker: the last one of a finished crawl clears it.
        "SCHEDULER_PERSIST": True,
        "DOWNLOADER_MIDDLEWARES": middlewares,
        "NEWSARCHIVE_STORE_BATCH": 1,
        **from_environment(),
    }


def from_environment() -> dict[str, Any]:
    from newsarchive.crawl.distributed.keys import NAME

    values: dict[str, Any] = {}
    for name in ENVIRONMENT:
        value = os.environ.get(name, "").strip()
        if not value:
            continue
        if name == "NEWSARCHIVE_CRAWL_NAME":
            if not NAME.fullmatch(value):
                raise DistributedSetupError(
                    f"{name}={value!r}: a crawl name is 1 to 64 letters, digits, '.', '_' or '-'"
                )
            values[name] = value
            continue
        try:
            number = float(value) if name == "NEWSARCHIVE_WORKER_TTL" else int(value)
        except ValueError:
            number = 0
        if number <= 0:
            raise DistributedSetupError(f"{name}={value!r}: give a number above 0")
        values[name] = number
    return values

"""How much of a site one worker may hold, and for how long it counts as alive."""

from __future__ import annotations

from typing import Any

SITE_CONCURRENCY = "NEWSARCHIVE_SITE_CONCURRENCY"
"""Setting: requests in flight per site over all workers (default: the per-domain limit)."""
WORKER_TTL = "NEWSARCHIVE_WORKER_TTL"
"""Setting: seconds without a heartbeat after which a worker counts as gone."""
DEFAULT_WORKER_TTL = 30.0


def site_limit(settings: Any, hosts: list[str]) -> int:
    """Requests in flight at a site over all workers: NEWSARCHIVE_SITE_CONCURRENCY, else the
    `concurrency` its hosts have in DOWNLOAD_SLOTS, else CONCURRENT_REQUESTS_PER_DOMAIN."""
    given = int(settings.getint(SITE_CONCURRENCY))
    if given:
        return given
    slots = settings.getdict("DOWNLOAD_SLOTS")
    own = [int(slots[h]["concurrency"]) for h in hosts if "concurrency" in slots.get(h, ())]
    return max(min(own) if own else int(settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")), 1)


def spider_limit(settings: Any, spidercls: Any) -> int:
    """`site_limit` of the site a spider class crawls."""
    site = getattr(spidercls, "site", None)
    return site_limit(settings, sorted(getattr(site, "hosts", ())))


def worker_ttl(settings: Any) -> float:
    return float(settings.getfloat(WORKER_TTL, DEFAULT_WORKER_TTL))

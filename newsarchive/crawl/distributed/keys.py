"""Where a distributed crawl keeps its state in Redis: one name per crawl, keys per site.

Every key starts with `newsarchive:<crawl>:`, the crawl's name being NEWSARCHIVE_CRAWL_NAME or,
by default, one derived from the archive's URL: workers crawling into the same archive share
one frontier, and crawls into other archives never mix with it.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import socket
from dataclasses import dataclass
from typing import Any

ROOT = "newsarchive"
CRAWL_NAME = "NEWSARCHIVE_CRAWL_NAME"
"""Setting (and environment variable): the name of the crawl that workers share."""
NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")
"""What a crawl name may be (it is part of every key)."""

WORKER = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
"""This process, as the other workers know it (its processing lists, its heartbeat)."""


def crawl_name(settings: Any) -> str:
    """The crawl's name: NEWSARCHIVE_CRAWL_NAME, else `db-` and a hash of the archive's URL
    (NEWSARCHIVE_DATABASE_URL, as given)."""
    given = settings.get(CRAWL_NAME)
    if given:
        return str(given)
    url = str(settings.get("NEWSARCHIVE_DATABASE_URL") or "")
    return "db-" + hashlib.sha256(url.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class SiteKeys:
    """The keys of one site's crawl."""

    crawl: str
    site: str

    @classmethod
    def of(cls, settings: Any, site: str) -> SiteKeys:
        return cls(crawl_name(settings), site)

    @property
    def base(self) -> str:
        return f"{ROOT}:{self.crawl}:{self.site}"

    @property
    def requests(self) -> str:
        """The frontier: requests waiting (a list; scrapy-redis's FIFO queue)."""
        return f"{self.base}:requests"

    @property
    def dupefilter(self) -> str:
        """Fingerprints of every request scheduled in this crawl (scrapy-redis's set)."""
        return f"{self.base}:dupefilter"

    @property
    def workers(self) -> str:
        """The workers crawling the site (a set), each with a processing list."""
        return f"{self.base}:workers"

    @property
    def lastmods(self) -> str:
        """Article URL → the newest sitemap `lastmod` found for it (a hash)."""
        return f"{self.base}:lastmods"

    @property
    def fresh(self) -> str:
        """Article URLs skipped as archived and fresh in this crawl (a set)."""
        return f"{self.base}:fresh"

    @property
    def leases(self) -> str:
        """Requests in flight at the site, over all workers (a sorted set: lease → expiry)."""
        return f"{self.base}:leases"

    @property
    def next_start(self) -> str:
        """When the site's next request may start (DOWNLOAD_DELAY over all workers)."""
        return f"{self.base}:next-start"

    def processing(self, worker: str) -> str:
        """A worker's requests taken from the frontier and not handled yet (a list)."""
        return f"{self.base}:processing:{worker}"

    def alive(self, worker: str) -> str:
        """A worker's heartbeat (a key that expires unless renewed)."""
        return f"{self.base}:alive:{worker}"

    def of_the_crawl(self) -> list[str]:
        """What a finished crawl of the site leaves behind, cleared so the next one starts anew
        (its queue and processing lists are empty, and gone with their last request)."""
        return [self.dupefilter, self.lastmods, self.fresh]


def robots_key(crawl: str, netloc: str) -> str:
    """A host's robots.txt as one worker fetched it (a hash: status, content type, body)."""
    return f"{ROOT}:{crawl}:robots:{netloc}"

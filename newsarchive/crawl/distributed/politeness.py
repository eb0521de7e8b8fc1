"""Politeness over all workers: a site's concurrency and delay, and robots.txt fetched once.

Each worker's Scrapy keeps its own limits (CONCURRENT_REQUESTS_PER_DOMAIN, DOWNLOAD_DELAY), so
N workers would send N times as much. `SiteSlotsMiddleware`, the last downloader middleware
before the download, takes a lease from the site's semaphore in Redis before each request and
gives it back with the response or the failure: at most the site's concurrency in flight over
all workers together (NEWSARCHIVE_SITE_CONCURRENCY, else CONCURRENT_REQUESTS_PER_DOMAIN, or the
`concurrency` of the site's host in DOWNLOAD_SLOTS), and DOWNLOAD_DELAY between two requests of
the site, whoever sends them. A lease expires unless its worker renews it (every fifth of
NEWSARCHIVE_WORKER_TTL, by the heartbeat's thread), so a killed worker's slots free themselves.

`SharedRobotsMiddleware` answers Scrapy's robots.txt request from Redis when a worker has
fetched it in the last ROBOTS_TTL seconds; otherwise one worker fetches it (under a lock) and
keeps it there, while the others wait for it.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from scrapy import Request, signals
from scrapy.http import Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy_redis.connection import get_redis_from_settings
from twisted.internet.task import deferLater

from newsarchive.crawl.checks import is_robots
from newsarchive.crawl.distributed.heartbeat import BEATS, HEARTBEAT
from newsarchive.crawl.distributed.keys import WORKER, SiteKeys, crawl_name, robots_key
from newsarchive.crawl.distributed.limits import spider_limit, worker_ttl

logger = logging.getLogger(__name__)

LEASE = "newsarchive_lease"
"""Request meta: the lease this worker holds for the request."""
ROBOTS = "newsarchive_robots_key"
"""Request meta: this worker fetches the robots.txt kept at that key (it holds the lock)."""
ROBOTS_TTL = 3600
"""Seconds a fetched robots.txt is used by every worker before one fetches it again."""
LONGEST_WAIT = 0.25
"""Seconds at most between two tries for a slot (or for robots.txt another worker fetches)."""

ACQUIRE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local wait = 0
local next_start = tonumber(redis.call('GET', KEYS[2]) or '0')
if next_start > now then wait = next_start - now end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then wait = math.max(wait, 0.02) end
if wait > 0 then return math.ceil(wait * 1000) end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
local delay = tonumber(ARGV[4])
if delay > 0 then
  local expiry = math.ceil(delay * 1000) + 1000
  redis.call('SET', KEYS[2], string.format('%.6f', now + delay), 'PX', expiry)
end
return 0
"""
"""KEYS: the leases, the next start; ARGV: lease, limit, lease TTL, delay (s). 0: the lease is
taken; else milliseconds to wait before trying again (Redis's clock, the same for all)."""

RENEW = """
local clock = redis.call('TIME')
local expiry = tonumber(clock[1]) + tonumber(clock[2]) / 1000000 + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', expiry, ARGV[i]) end
return 0
"""
"""KEYS: the leases; ARGV: lease TTL, then the leases to renew."""


async def sleep(seconds: float) -> None:
    from twisted.internet import reactor  # the one the crawl installed

    await maybe_deferred_to_future(deferLater(reactor, seconds))


class SiteSlotsMiddleware:
    """A lease per request from the site's semaphore in Redis (see the module)."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.server = get_redis_from_settings(settings)
        self.keys = SiteKeys.of(settings, crawler.spidercls.name)
        self.limit = spider_limit(settings, crawler.spidercls)
        self.delay = settings.getfloat("DOWNLOAD_DELAY")
        self.ttl = worker_ttl(settings)
        self.held: set[str] = set()
        self.serial = itertools.count(1)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteSlotsMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.closed, signal=signals.spider_closed)
        return middleware

    def opened(self) -> None:
        HEARTBEAT.add(self.renew, self.ttl / BEATS)

    async def process_request(self, request: Request) -> None:
        lease = f"{WORKER}:{next(self.serial)}"
        keys = self.keys
        while True:
            wait = self.server.eval(
                ACQUIRE, 2, keys.leases, keys.next_start, lease, self.limit, self.ttl, self.delay
            )
            if not wait:
                break
            await sleep(min(int(wait) / 1000, LONGEST_WAIT))
        request.meta[LEASE] = lease
        self.held.add(lease)

    def process_response(self, request: Request, response: Response) -> Response:
        self.release(request)
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        self.release(request)

    def release(self, request: Request) -> None:
        """The request's lease given back (a retry or redirect made from it takes its own)."""
        lease = request.meta.pop(LEASE, None)
        if lease is not None:
            self.held.discard(lease)
            self.server.zrem(self.keys.leases, lease)

    def renew(self) -> None:
        """The leases held renewed (from the heartbeat's thread: `held` is copied first)."""
        held = self.held.copy()
        if held:
            self.server.eval(RENEW, 1, self.keys.leases, self.ttl, *sorted(held))

    def closed(self) -> None:
        HEARTBEAT.remove(self.renew)
        if self.held:
            self.server.zrem(self.keys.leases, *self.held)
            self.held.clear()


class SharedRobotsMiddleware:
    """robots.txt fetched by one worker, read by all from Redis (see the module)."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.server = get_redis_from_settings(settings)
        self.crawl = crawl_name(settings)
        self.lock_seconds = int(settings.getfloat("DOWNLOAD_TIMEOUT", 180)) + 10

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedRobotsMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> Response | None:
        if not is_robots(request) or request.meta.get(ROBOTS):
            return None
        key = robots_key(self.crawl, urlparse_cached(request).netloc)
        while True:
            kept = self.server.hgetall(key)
            if kept:
                return kept_response(request, kept)
            if self.server.set(f"{key}:lock", WORKER, nx=True, ex=self.lock_seconds):
                request.meta[ROBOTS] = key
                return None
            await sleep(LONGEST_WAIT)

    def process_response(self, request: Request, response: Response) -> Response:
        key = request.meta.pop(ROBOTS, None)
        if key is not None:
            content_type = response.headers.get(b"Content-Type") or b""
            pipe = self.server.pipeline()
            pipe.hset(
                key,
                mapping={"status": response.status, "type": content_type, "body": response.body},
            )
            pipe.expire(key, ROBOTS_TTL)
            pipe.delete(f"{key}:lock")
            pipe.execute()
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        key = request.meta.pop(ROBOTS, None)
        if key is not None:
            self.server.delete(f"{key}:lock")  # another worker (or a retry) tries in turn


def kept_response(request: Request, kept: dict[bytes, bytes]) -> Response:
    """The robots.txt response another worker fetched, as Scrapy's middleware reads it."""
    headers = {b"Content-Type": kept[b"type"]} if kept.get(b"type") else {}
    body = kept.get(b"body", b"")
    cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
    return cls(
        url=request.url,
        status=int(kept.get(b"status", b"200")),
        headers=headers,
        body=body,
        request=request,
        flags=["redis"],
    )

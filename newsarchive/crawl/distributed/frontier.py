"""The shared frontier: scrapy-redis's scheduler, FIFO queue and dupefilter, with what a killed
worker would otherwise lose.

scrapy-redis pops a request and it is gone from Redis: a worker killed with requests in flight
loses them. Ours on top of it (subclasses, not a new queue):

- `ProcessingQueue.pop` moves the request, atomically (LMOVE), from the site's queue to this
  worker's processing list, where it stays until the worker has handled it: downloaded, its
  callback's requests pushed to the queue and its record committed to the archive (the store
  pipeline commits each record at once in a distributed crawl). The scheduler acknowledges it
  (LREM) once the engine no longer holds it (neither in the downloader nor being scraped).
- Each worker has a heartbeat key per site, expiring after NEWSARCHIVE_WORKER_TTL seconds and
  renewed by `heartbeat`'s thread every fifth of that; a worker with nothing to do checks the
  others (`STATUS`), and puts the processing list of one whose heartbeat has expired back into
  the queue, so that its requests are fetched by the workers still running.
- A worker takes no more of a site's requests than may be in flight at the site, so that the
  rest wait in the queue for whichever worker is free first (a worker joining takes a share).
- A site's crawl is not over while another worker still handles its requests (they may lead to
  more), so an idle worker waits for them; the worker that sees the queue and every processing
  list empty clears the crawl's dupefilter, so that the next scheduled crawl fetches the site's
  feeds again. A clean stop (Ctrl-C, --max-duration) puts the worker's leftovers back.
- The sitemap `lastmod` of an article is kept per URL (a hash), so that a request taken by one
  worker gets the lastmod another worker found later; an article one worker skipped as fresh is
  asked for again when another worker finds a lastmod for it (the freshness check decides).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from scrapy import Request
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import FifoQueue
from scrapy_redis.scheduler import Scheduler

from newsarchive.archive.freshness import parse_lastmod
from newsarchive.crawl.distributed.heartbeat import BEATS, HEARTBEAT
from newsarchive.crawl.distributed.keys import WORKER, SiteKeys
from newsarchive.crawl.distributed.limits import spider_limit, worker_ttl
from newsarchive.spiders.base import ARTICLE, LASTMOD

logger = logging.getLogger(__name__)

TAKEN = "newsarchive/distributed/taken"
"""Stat: the site's requests this worker took from the queue (its share of the crawl)."""

STATUS = """
local busy, requeued = 0, 0
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if worker ~= ARGV[2] then
    local processing = ARGV[1] .. ':processing:' .. worker
    if redis.call('EXISTS', ARGV[1] .. ':alive:' .. worker) == 1 then
      busy = busy + redis.call('LLEN', processing)
    else
      while redis.call('LMOVE', processing, KEYS[1], 'RIGHT', 'RIGHT') do
        requeued = requeued + 1
      end
      redis.call('SREM', KEYS[2], worker)
    end
  end
end
return {redis.call('LLEN', KEYS[1]), busy, requeued}
"""
"""KEYS: the queue, the workers; ARGV: the site's key prefix, this worker. The processing lists
of workers without a heartbeat go back to the queue (taken first); returns how many requests
wait, how many other live workers are handling, and how many were put back."""

FINISH = """
if redis.call('LLEN', KEYS[1]) > 0 then return 0 end
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('LLEN', ARGV[1] .. ':processing:' .. worker) > 0 then return 0 end
end
for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
return 1
"""
"""KEYS: the queue, the workers, then what to clear; ARGV: the site's key prefix. Clears when
no request waits and no worker holds any (1), else leaves everything (0)."""

GIVE_BACK = """
local moved = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'RIGHT') do
  moved = moved + 1
end
return moved
"""
"""KEYS: a processing list, the queue: everything in the list back into the queue."""


class ProcessingQueue(FifoQueue):  # type: ignore[misc]
    """scrapy-redis's FIFO queue whose `pop` moves the request into this worker's processing
    list (`taken` maps each request given out to its bytes there) until `ack`."""

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.keys = SiteKeys.of(spider.settings, spider.name)
        self.processing = self.keys.processing(WORKER)
        self.taken: dict[Request, bytes] = {}

    def pop(self, timeout: float = 0) -> Request | None:
        data = self.server.lmove(self.key, self.processing, "RIGHT", "LEFT")
        if data is None:
            return None
        try:
            request: Request = self._decode_request(data)
        except Exception as error:  # e.g. a callback this version's spider no longer has
            logger.error("%s: request in the queue dropped (%s)", self.spider.name, error)
            self.server.lrem(self.processing, 1, data)
            return None
        self.taken[request] = data
        return request

    def ack(self, requests: list[Request]) -> None:
        """The requests are handled: out of the processing list."""
        pipe = self.server.pipeline(transaction=False)
        for request in requests:
            pipe.lrem(self.processing, 1, self.taken.pop(request))
        pipe.execute()

    def give_back(self) -> int:
        """Everything still in this worker's processing list back into the queue."""
        self.taken.clear()
        return int(self.server.eval(GIVE_BACK, 2, self.processing, self.key))


class DistributedScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler with the crawl's keys, processing lists, heartbeats, waiting for
    the other workers, and the shared lastmods (see the module)."""

    crawler: Any
    keys: SiteKeys
    queue: ProcessingQueue
    ttl: float
    intake: int

    @classmethod
    def from_crawler(cls, crawler: Any) -> DistributedScheduler:
        scheduler: DistributedScheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.ttl = worker_ttl(crawler.settings)
        scheduler.intake = spider_limit(crawler.settings, crawler.spidercls)
        return scheduler

    def open(self, spider: Any) -> None:
        """scrapy-redis's `open` with the crawl's keys (and its resume note on the log)."""
        self.spider = spider
        self.keys = SiteKeys.of(spider.settings, spider.name)
        self.queue = ProcessingQueue(self.server, spider, self.keys.requests, self.serializer)
        debug = spider.settings.getbool("DUPEFILTER_DEBUG")
        self.df = RFPDupeFilter(self.server, key=self.keys.dupefilter, debug=debug)
        if len(self.queue):
            logger.info("%s: %d requests in the shared queue", spider.name, len(self.queue))
        if self.stats:
            self.stats.set_value(TAKEN, 0)  # a worker may take none of the site's requests
        HEARTBEAT.add(self.beat, self.ttl / BEATS)

    def beat(self) -> None:
        """This worker is alive and crawling the site (its heartbeat renewed); the set of the
        site's workers lasts while any of them beats."""
        ttl = int(self.ttl * 1000)
        pipe = self.server.pipeline(transaction=False)
        pipe.set(self.keys.alive(WORKER), b"1", px=ttl)
        pipe.sadd(self.keys.workers, WORKER)
        pipe.pexpire(self.keys.workers, 3 * ttl)
        pipe.execute()

    # --- requests in and out -----------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        lastmod = request.meta.get(LASTMOD) if request.meta.get(ARTICLE) else None
        if lastmod:
            self.keep_lastmod(request.url, str(lastmod))
        if (
            not request.dont_filter
            and self.df.request_seen(request)
            and not (lastmod and self.server.srem(self.keys.fresh, request.url))
        ):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        """The next request of the queue, unless this worker holds as many of the site's as
        may be in flight (the rest wait in the queue for whichever worker is free first)."""
        self.settle()
        if len(self.queue.taken) >= self.intake:
            return None
        request = self.queue.pop()
        if request is None:
            return None
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
            self.stats.inc_value(TAKEN)
        if request.meta.get(ARTICLE):
            lastmod = self.server.hget(self.keys.lastmods, request.url)
            if lastmod is not None:
                request.meta[LASTMOD] = newer(request.meta.get(LASTMOD), lastmod.decode())
        return request

    def keep_lastmod(self, url: str, lastmod: str) -> None:
        stored = self.server.hget(self.keys.lastmods, url)
        known = stored.decode() if stored is not None else None
        chosen = newer(known, lastmod)
        if chosen != known:
            self.server.hset(self.keys.lastmods, url, chosen)

    # --- handled, and what the others do -----------------------------------------------------

    def settle(self) -> None:
        """Acknowledge the requests taken that the engine is done with; remember the articles
        the freshness check skipped (the spider's `skipped_fresh`)."""
        done = [request for request in self.queue.taken if not self.in_progress(request)]
        if not done:
            return
        skipped: set[str] = getattr(self.spider, "skipped_fresh", set())
        fresh = [r.url for r in done if r.meta.get(ARTICLE) and r.url in skipped]
        if fresh:
            self.server.sadd(self.keys.fresh, *fresh)
        self.queue.ack(done)

    def in_progress(self, request: Request) -> bool:
        """The engine still holds the request: downloading it, or scraping its response (the
        callback, the requests it yields, its record through the pipelines)."""
        try:
            engine = self.crawler.engine
        except RuntimeError:  # no crawl running (the engine is made when it starts)
            return False
        if request in engine.downloader.active:
            return True
        slot = engine.scraper.slot
        if slot is None:
            return False
        return request in slot.active or any(queued is request for _, queued, _ in slot.queue)

    def has_pending_requests(self) -> bool:
        """Requests wait in the queue, or other live workers are handling some (which may lead
        to more): the site's crawl is not over. Puts gone workers' requests back first."""
        self.settle()
        waiting, busy, _ = self.status()
        return waiting + busy > 0

    def status(self) -> tuple[int, int, int]:
        keys = self.keys
        waiting, busy, requeued = self.server.eval(
            STATUS, 2, keys.requests, keys.workers, keys.base, WORKER
        )
        if requeued:
            logger.warning(
                "%s: %d requests of workers without a heartbeat for %.0f s put back in the queue",
                self.spider.name,
                requeued,
                self.ttl,
            )
            if self.stats:
                self.stats.inc_value("newsarchive/distributed/requeued", requeued)
        return int(waiting), int(busy), int(requeued)

    def close(self, reason: str) -> None:
        """Leaves the site's crawl: what this worker still holds goes back to the queue; the
        last worker of a finished crawl clears it, so that the next crawl starts anew."""
        HEARTBEAT.remove(self.beat)
        self.settle()
        self.queue.give_back()
        pipe = self.server.pipeline(transaction=False)
        pipe.delete(self.keys.alive(WORKER))
        pipe.srem(self.keys.workers, WORKER)
        pipe.execute()
        if reason == "finished":
            self.status()  # gone workers' requests back in the queue first
            keys = self.keys
            self.server.eval(
                FINISH,
                2 + len(keys.of_the_crawl()),
                keys.requests,
                keys.workers,
                *keys.of_the_crawl(),
                keys.base,
            )
        super().close(reason)


def newer(known: str | None, found: str) -> str:
    """The later of two sitemap lastmods (as written); the one found when `known` is none or
    cannot be read."""
    if not known:
        return found
    now = datetime.now(UTC)
    before, after = parse_lastmod(known, now=now), parse_lastmod(found, now=now)
    if before is None or (after is not None and after > before):
        return found
    return known

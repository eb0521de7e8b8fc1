"""A resumable job's scheduler queues: Scrapy's, with the same files, cheaper per request.

A job (`newsarchive.crawl.jobs`) keeps its frontier in Scrapy's disk queues, which every
request passes through. Two of their costs grow with the crawl and buy nothing:

- to write a request, Scrapy finds the names of its callback and errback by walking every
  member of the spider (`inspect.getmembers`, twice per request): `PickleLifoDiskQueue` asks
  the spider for each method's own name first, and walks only when that name is another's;
- a download slot whose queue empties has its queue closed and its folder removed, and both
  made again for the next request of the slot; a crawl's queue empties and fills again about
  once every two articles, and removing a folder blocks the crawl for milliseconds on some file
  systems (4 ms on the ext4 with `discard` of the development machine):
  `DownloaderAwarePriorityQueue` keeps an emptied slot's queue until the crawl closes
  (and leaves it out of what the job keeps);
- within a slot, the queue of a priority that empties is closed and its file removed, then
  both made again for the next request (1,500 times in a crawl of 3,000 articles, 0.1 ms
  each): `PriorityQueue` keeps it open, and its file, until the crawl closes (when an empty
  one's file goes, as Scrapy's would, and it is left out of what the job keeps).

Both write what Scrapy's write (the same request records and `active.json`), so a job left by
either resumes with the other.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, Spider
from scrapy.pqueues import DownloaderAwarePriorityQueue as ScrapyDownloaderAwareQueue
from scrapy.pqueues import ScrapyPriorityQueue
from scrapy.squeues import PickleLifoDiskQueue as ScrapyPickleLifoDiskQueue


def method_name(spider: Spider | None, method: Any) -> str | None:
    """The name of the spider's method `method` (bound), found by the method's own name; None
    when that name is not it (then Scrapy's walk through the spider's members decides)."""
    function = getattr(method, "__func__", None)
    name = getattr(method, "__name__", None)
    if spider is None or function is None or not isinstance(name, str):
        return None
    found = getattr(spider, name, None)
    return name if getattr(found, "__func__", None) is function else None


def request_dict(request: Request, spider: Spider | None) -> dict[str, Any]:
    """What Scrapy's `Request.to_dict(spider=spider)` gives, without its walk through the
    spider's members when the callback and errback are found by their names."""
    names = {}
    for role in ("callback", "errback"):
        method = getattr(request, role)
        if callable(method):
            name = method_name(spider, method)
            if name is None:
                return request.to_dict(spider=spider)
            names[role] = name
    if not names or type(request) is not Request:
        return request.to_dict(spider=spider)
    # Scrapy's `to_dict` of a plain Request (its documented `attributes`), without the copy of
    # the request (`replace`) that would hide the methods from it.
    found = {
        "url": request.url,
        "callback": names.get("callback", request.callback),
        "errback": names.get("errback", request.errback),
        "headers": dict(request.headers),
    }
    for attribute in request.attributes:
        found.setdefault(attribute, getattr(request, attribute))
    return found


class PickleLifoDiskQueue(ScrapyPickleLifoDiskQueue):  # type: ignore[misc,valid-type]
    """Scrapy's pickled LIFO disk queue, writing the same records (see the module)."""

    spider: Spider | None

    def push(self, request: Request) -> None:
        # Past Scrapy's own push (which would find the names again): its pickling queue's.
        super(ScrapyPickleLifoDiskQueue, self).push(request_dict(request, self.spider))  # type: ignore[misc]


class PriorityQueue(ScrapyPriorityQueue):
    """Scrapy's queue of a slot's requests by priority, but the queue of a priority that
    empties stays open (with its file) for the priority's next requests (see the module)."""

    def pop(self) -> Request | None:
        # Scrapy's order: the priority's queue, then its start requests' queue.
        while self.curprio is not None:
            for kept in (self.queues, self._start_queues):
                queue = kept.get(self.curprio)
                if queue:
                    request = queue.pop()
                    if not queue:
                        self._update_curprio()
                    return request
            self._update_curprio()
        return None

    def peek(self) -> Request | None:
        if self.curprio is None:
            return None
        for kept in (self._start_queues, self.queues):  # Scrapy's order
            queue = kept.get(self.curprio)
            if queue:
                return queue.peek()  # type: ignore[attr-defined,no-any-return]
        return None

    def close(self) -> list[int]:
        """Every queue closed; the priorities that have requests (what Scrapy's returns)."""
        active = {
            priority
            for kept in (self.queues, self._start_queues)
            for priority, queue in kept.items()
            if queue
        }
        super().close()
        return sorted(active)


class DownloaderAwarePriorityQueue(ScrapyDownloaderAwareQueue):
    """Scrapy's queue taking the slot with the fewest downloads first, but a slot whose queue
    empties keeps it (and, in a job, its folder) for the slot's next requests."""

    def pqfactory(self, slot: str, startprios: Any = ()) -> PriorityQueue:
        """The slot's queue, in the folder Scrapy's would use (found by making Scrapy's with no
        start priorities, which opens no file)."""
        folder = super().pqfactory(slot).key
        return PriorityQueue(
            self.crawler,
            self.downstream_queue_cls,
            folder,
            startprios,
            start_queue_cls=self._start_queue_cls,
        )

    def pending_slots(self) -> list[str]:
        return [slot for slot, queue in self.pqueues.items() if queue]

    def _next_queue(self, *, update_state: bool) -> Any:
        """The queue of the pending slot with the fewest downloads, or None."""
        slots = self.pending_slots()
        if not slots:
            return None
        stats = self._downloader_interface.stats(slots)
        return self.pqueues[self._next_slot(stats, update_state=update_state)]

    def pop(self) -> Request | None:
        queue = self._next_queue(update_state=True)
        return queue.pop() if queue is not None else None

    def peek(self) -> Request | None:
        queue = self._next_queue(update_state=False)
        return queue.peek() if queue is not None else None

    def close(self) -> dict[str, list[int]]:
        """What Scrapy's keeps in `active.json`, but only the slots with requests: Scrapy's
        queue, resuming, would pop an empty slot's nothing before the others'."""
        return {slot: active for slot, active in super().close().items() if active}

    def __contains__(self, slot: str) -> bool:
        queue = self.pqueues.get(slot)
        return queue is not None and len(queue) > 0

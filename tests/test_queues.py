"""A job's scheduler queues: the same records and files as Scrapy's, so that a job left by
either resumes with the other, and a slot's queue emptied and filled again loses nothing."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import FormRequest, Request
from scrapy.pqueues import DownloaderAwarePriorityQueue as ScrapyPriorityQueue
from scrapy.squeues import PickleLifoDiskQueue as ScrapyDiskQueue
from scrapy.utils.test import get_crawler

from newsarchive.crawl import queues
from newsarchive.spiders.base import ARTICLE, LASTMOD, NewsSpider
from newsarchive.spiders.derived import spider as spider_of

TV = "https://www.thessaliatv.gr"


class Downloader:
    """What the downloader-aware queue asks of Scrapy's downloader: slots and their keys."""

    def __init__(self) -> None:
        self.slots: dict[str, Any] = {}

    def get_slot_key(self, request: Request) -> str:
        return request.url.split("/")[2]


def crawler_with(spider: NewsSpider) -> Any:
    crawler = get_crawler(type(spider))
    crawler.spider = spider
    crawler.engine = SimpleNamespace(downloader=Downloader())
    return crawler


def article(spider: NewsSpider, path: str, **meta: Any) -> Request:
    return spider.request(f"{TV}{path}", spider.parse_article, **{ARTICLE: True, **meta})


def test_a_request_is_written_as_scrapy_writes_it() -> None:
    spider = spider_of("thessaliatv")()
    requests = [
        article(spider, "/news/1/a/", **{LASTMOD: "2026-02-01"}),
        spider.endpoint("/rss.xml", "feed", spider.parse_feed).replace(priority=3),
        Request(f"{TV}/x", callback=spider.parse_feed),  # no errback
        Request(f"{TV}/y"),  # no callback: the spider's parse
        article(spider, "/news/4/d/").replace(
            method="POST", body=b"x", cookies={"c": "1"}, flags=["f"], cb_kwargs={"k": 1}
        ),
        FormRequest(f"{TV}/search", formdata={"q": "x"}, callback=spider.parse_listing),
    ]
    for request in requests:
        written = queues.request_dict(request, spider)
        assert list(written.items()) == list(request.to_dict(spider=spider).items())


def test_a_method_known_under_another_name_is_found_as_scrapy_finds_it() -> None:
    base = spider_of("thessaliatv")

    def parse_listing(self: NewsSpider, response: Any) -> None:
        """Overrides the listing's parser, the base's kept under another name."""

    names = {"parse_listing": parse_listing, "base_listing": base.parse_listing}
    spider = type("Overriding", (base,), names)()
    kept = Request(f"{TV}/news/", callback=spider.base_listing)  # type: ignore[attr-defined]
    assert queues.method_name(spider, spider.base_listing) is None  # type: ignore[attr-defined]
    assert queues.request_dict(kept, spider)["callback"] == "base_listing"
    assert queues.request_dict(kept, spider) == kept.to_dict(spider=spider)
    assert queues.method_name(spider, lambda response: None) is None
    with pytest.raises(ValueError):  # not a method of the spider: kept in memory by Scrapy
        queues.request_dict(Request(f"{TV}/z", callback=lambda response: None), spider)


def test_a_disk_queue_is_read_by_scrapys_and_the_other_way_round(tmp_path: Path) -> None:
    spider = spider_of("thessaliatv")()
    crawler = crawler_with(spider)
    ours = queues.PickleLifoDiskQueue.from_crawler(crawler, str(tmp_path / "q"))
    ours.push(article(spider, "/news/1/a/", **{LASTMOD: "2026-02-01"}))
    ours.close()
    theirs = ScrapyDiskQueue.from_crawler(crawler, str(tmp_path / "q"))
    theirs.push(article(spider, "/news/2/b/"))
    theirs.close()
    again = queues.PickleLifoDiskQueue.from_crawler(crawler, str(tmp_path / "q"))
    second, first = again.pop(), again.pop()
    assert (second.url, first.url) == (f"{TV}/news/2/b/", f"{TV}/news/1/a/")
    assert first.callback == spider.parse_article and first.errback == spider.on_error
    assert first.meta == {ARTICLE: True, LASTMOD: "2026-02-01"}
    assert again.pop() is None


def test_an_emptied_slot_keeps_its_queue_and_folder_and_loses_nothing(tmp_path: Path) -> None:
    spider = spider_of("thessaliatv")()
    crawler = crawler_with(spider)
    key = str(tmp_path / "requests.queue")
    queue = queues.DownloaderAwarePriorityQueue.from_crawler(
        crawler, queues.PickleLifoDiskQueue, key
    )
    queue.push(article(spider, "/news/1/a/"))
    assert queue.pop().url == f"{TV}/news/1/a/"  # type: ignore[union-attr]
    folders = list(Path(key).iterdir())
    assert len(folders) == 1 and not len(queue) and "www.thessaliatv.gr" not in queue
    assert queue.pop() is None and queue.peek() is None
    other = "https://thessaliatv.gr/news/9/other-slot/"
    queue.push(Request(other, callback=spider.parse_article))
    queue.push(article(spider, "/news/2/b/"))
    assert set(folders) < set(Path(key).iterdir()) and "www.thessaliatv.gr" in queue
    popped = {queue.pop().url, queue.pop().url}  # type: ignore[union-attr]
    assert popped == {f"{TV}/news/2/b/", other}
    queue.push(article(spider, "/news/3/c/"))
    state = queue.close()
    assert list(state) == ["www.thessaliatv.gr"]  # the emptied slot is not kept
    resumed = ScrapyPriorityQueue.from_crawler(crawler, ScrapyDiskQueue, key, state)
    assert resumed.pop().url == f"{TV}/news/3/c/"  # type: ignore[union-attr]
    assert resumed.pop() is None


def test_an_emptied_priority_keeps_its_queue_and_file_until_the_crawl_closes(
    tmp_path: Path,
) -> None:
    from scrapy.pqueues import ScrapyPriorityQueue as ScrapysSlotQueue

    spider = spider_of("thessaliatv")()
    crawler = crawler_with(spider)
    key = tmp_path / "slot"
    queue = queues.PriorityQueue.from_crawler(crawler, queues.PickleLifoDiskQueue, str(key))
    queue.push(article(spider, "/news/1/a/"))
    assert queue.pop().url == f"{TV}/news/1/a/"  # type: ignore[union-attr]
    assert list(key.iterdir()) == [key / "0"] and not len(queue)
    assert queue.pop() is None and queue.peek() is None
    queue.push(article(spider, "/news/2/b/").replace(priority=1))
    queue.push(article(spider, "/news/3/c/"))
    assert queue.peek().url == f"{TV}/news/2/b/"  # type: ignore[union-attr]
    assert queue.pop().url == f"{TV}/news/2/b/"  # type: ignore[union-attr]
    queue.push(article(spider, "/news/4/d/"))
    assert queue.close() == [0]  # the emptied priority is not kept, nor its file
    assert list(key.iterdir()) == [key / "0"]
    resumed = ScrapysSlotQueue.from_crawler(crawler, ScrapyDiskQueue, str(key), [0])
    assert [resumed.pop().url, resumed.pop().url] == [  # type: ignore[union-attr]
        f"{TV}/news/4/d/",
        f"{TV}/news/3/c/",
    ]
    assert resumed.pop() is None


def test_a_slot_of_the_downloader_aware_queue_keeps_its_emptied_priorities(
    tmp_path: Path,
) -> None:
    spider = spider_of("thessaliatv")()
    queue = queues.DownloaderAwarePriorityQueue.from_crawler(
        crawler_with(spider), queues.PickleLifoDiskQueue, str(tmp_path / "requests.queue")
    )
    queue.push(article(spider, "/news/1/a/"))
    assert isinstance(queue.pqueues["www.thessaliatv.gr"], queues.PriorityQueue)

"""The stages of `bench/crawl.py --profile`: newsarchive's crawl with the CPU time of each
stage's functions added up, and the table of what costs what."""

from __future__ import annotations

TIMER = """
import importlib, json, runpy, sys, time

out, stages, sys.argv = sys.argv[1], json.loads(sys.argv[2]), ["newsarchive", *sys.argv[3:]]
spent = dict.fromkeys(stages, 0.0)


def timed(stage, function):
    def plain(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[stage] += time.process_time() - started

    def iterated(*args, **kwargs):
        iterator = function(*args, **kwargs)
        while True:
            started = time.process_time()
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                spent[stage] += time.process_time() - started
            yield item

    kind = function.__code__.co_flags & 0x20  # a generator function
    return iterated if kind else plain


for stage, places in stages.items():
    for module, owner, name in places:
        target = importlib.import_module(module)
        target = getattr(target, owner) if owner else target
        setattr(target, name, timed(stage, getattr(target, name)))
try:
    runpy.run_module("newsarchive", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
spent["total"] = time.process_time()
with open(out, "w") as file:
    json.dump(spent, file)
"""
"""`newsarchive ARGS…` with the CPU time of each stage's functions added up (a profiler would
slow the many small calls of Scrapy and Twisted more than the rest, and skew the shares)."""
CRAWL = "crawl"
STAGES = {
    # With extraction processes, what this process spends handing each page over; with none
    # (NEWSARCHIVE_EXTRACT_PROCESSES=0), the extraction itself.
    "extraction (`ExtractionWorkers.submit`)": [
        ("newsarchive.extraction_workers", "ExtractionWorkers", "submit")
    ],
    "store (`StorePipeline.flush`: `Archive.store_many`)": [
        ("newsarchive.pipelines.store", "StorePipeline", "flush")
    ],
    "validate and dedup pipelines": [
        ("newsarchive.pipelines.validate", "ValidatePipeline", "process_item"),
        ("newsarchive.pipelines.dedup", "DedupPipeline", "process_item"),
    ],
    "freshness check (`FreshnessMiddleware`)": [
        ("newsarchive.crawl.freshness", "FreshnessMiddleware", "process_request")
    ],
    "raw pages to WARC (`RawPagesMiddleware`)": [
        ("newsarchive.crawl.raw_pages", "RawPagesMiddleware", "process_response")
    ],
    "response checks, Retry-After": [
        ("newsarchive.crawl.checks", "ResponseCheckMiddleware", "process_response"),
        ("newsarchive.crawl.retry_after", "RetryAfterMiddleware", "process_response"),
    ],
    "job queues and dupefilter (`crawl.queues`, `crawl.jobs`)": [
        ("newsarchive.crawl.queues", "DownloaderAwarePriorityQueue", "push"),
        ("newsarchive.crawl.queues", "DownloaderAwarePriorityQueue", "pop"),
        ("newsarchive.crawl.jobs", "JobDupeFilter", "request_seen"),
    ],
    "discovery (feed, listings)": [
        ("newsarchive.spiders.base", "NewsSpider", "parse_feed"),
        ("newsarchive.spiders.base", "NewsSpider", "parse_listing"),
    ],
    CRAWL: [("scrapy.crawler", "CrawlerProcess", "start")],
}
"""What costs what in a crawl: the functions of each stage (module, class, name); `crawl` is
the reactor's run, from the first request to the last spider closed."""


def stage_table(spent: dict[str, float], pages: int) -> str:
    """What the timed run spent (TIMER's output) as a table: each stage, the rest of the crawl
    (Scrapy, Twisted, what no stage names) and the start and end, per page and as shares."""
    spent = dict(spent)
    total, crawl = spent.pop("total"), spent.pop(CRAWL)
    spent["Scrapy, Twisted and the rest of the crawl"] = crawl - sum(spent.values())
    spent["start and end (imports, opening the archive, the run's record, summary)"] = total - crawl
    lines = ["| stage | CPU s | ms per page | share |", "|---|---|---|---|"]
    for name, seconds in [*spent.items(), ("total", total)]:
        lines.append(
            f"| {name} | {seconds:.2f} | {seconds * 1000 / pages:.2f} | {seconds / total:.0%} |"
        )
    return "\n".join(lines)

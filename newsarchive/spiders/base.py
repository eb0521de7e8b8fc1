"""`NewsSpider`: a site declares where its articles are listed; this finds and parses them."""

from __future__ import annotations

import gzip
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, date, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.sitemap import Sitemap
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from newsarchive import extraction_workers, urls
from newsarchive.archive import terms
from newsarchive.crawl.failures import Blocked, GaveUp, Rescheduled, describe
from newsarchive.items import Article
from newsarchive.sites import Site
from newsarchive.spiders import endpoints, rest
from newsarchive.spiders.window import Window

logger = logging.getLogger(__name__)
ATHENS = ZoneInfo("Europe/Athens")

STAT = "newsarchive"
ARTICLE = "newsarchive_article"
"""Request meta: the request is for an article page (not a feed, sitemap or listing)."""
LASTMOD = "newsarchive_lastmod"
"""Request meta: the sitemap's `lastmod` of the article, as written there."""
FETCHED_AT = "newsarchive_fetched_at"
"""Response meta: when the response was received (aware), set where its raw page is kept so
that the record and its raw page carry the same time."""


ENDPOINT = "newsarchive_endpoint"
"""Request meta: the kind of discovery endpoint the request is for (`endpoints.KINDS`)."""
PROBE = "newsarchive_probe"
"""Request meta: autodiscovery trying a standard path, which a site need not have."""
STANDARD_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml")
"""Where sitemaps usually are (any CMS, Yoast, WordPress's own), tried by autodiscovery."""


class NewsSpider(scrapy.Spider):
    """Discovery by declaration: a site's feeds, sitemaps, REST API and listings lead to its
    articles; a site given only by its URL (`Site.autodiscover`) has them found instead."""

    name: str
    site: ClassVar[Site]
    """The declaration this spider crawls (spiders are derived from sites: `spider_class`)."""

    def __init__(
        self,
        *args: Any,
        refresh: bool = False,
        since: date | str | None = None,
        until: date | str | None = None,
        discover_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.refresh = refresh
        """Fetch archived articles again, fresh or not (`newsarchive.crawl.freshness` asks)."""
        self.window = Window.of(since, until)
        """A backfill's days (`--since`, `--until`); inactive for a daily crawl."""
        self.discover_only = discover_only
        """Find the article URLs (in `requested`) without fetching them."""
        self.requested: dict[str, bool] = {}
        """Canonical URLs requested in this crawl, and whether with a sitemap `lastmod`."""
        self.found_by: dict[str, int] = {}
        """How many article URLs each kind of endpoint found first."""
        self.home_links: list[str] = []
        """Autodiscovery: the home page's article links, used when nothing else gives any."""
        self.home_links_used = False
        self.pending: dict[str, scrapy.Request] = {}
        """Article requests not answered yet, by canonical URL."""
        self.skipped_fresh: set[str] = set()
        """Articles the freshness check did not fetch (archived and fresh) in this crawl."""
        self.allowed_domains = sorted(self.site.hosts)
        self.extraction = extraction_workers.ExtractionWorkers(0)
        """Where article pages are extracted (`from_crawler` gives the crawl's workers)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.site.autodiscover:
            crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        wanted = crawler.settings.get(extraction_workers.SETTING)
        spider.extraction = extraction_workers.shared(extraction_workers.configured(wanted))
        return spider

    # --- discovery ---------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if not self.discover_only:
            self.extraction.start()
        for request in self.discovery_requests():
            yield request

    def discovery_requests(self) -> Iterator[scrapy.Request]:
        """Every declared endpoint, each used (what they find is deduplicated)."""
        site = self.site
        if site.autodiscover:
            yield from self.probe_requests()
            return
        for feed in site.feeds:
            yield self.endpoint(feed, "feed", self.parse_feed)
        for sitemap in site.sitemaps:
            yield self.endpoint(sitemap, "sitemap", self.parse_sitemap)
        if site.wp_rest:
            yield self.rest_request(1)
        for listing in site.listings:
            yield self.endpoint(listing, "listing", self.parse_listing)
        yield from self.archive_requests()

    def probe_requests(self) -> Iterator[scrapy.Request]:
        """Autodiscovery: the home page (its feed links, its article links), robots.txt's
        `Sitemap:` lines, the standard sitemap paths and the WordPress REST API's index."""
        yield self.endpoint("/", "home", self.parse_home)
        yield self.endpoint("/robots.txt", "robots", self.parse_robots, **{PROBE: True})
        for path in STANDARD_SITEMAPS:
            yield self.endpoint(path, "sitemap", self.parse_sitemap, **{PROBE: True})
        yield self.endpoint(rest.ROOT, "rest", self.parse_rest_root, **{PROBE: True})

    def archive_requests(self) -> Iterator[scrapy.Request]:
        """A backfill's day archives (`Site.date_archives`), newest day first."""
        if not self.site.date_archives:
            return
        for day in self.window.days(datetime.now(ATHENS).date()):
            path = self.site.date_archives.format(
                year=f"{day.year:04d}", month=f"{day.month:02d}", day=f"{day.day:02d}"
            )
            yield self.endpoint(path, "archive", self.parse_listing)

    def rest_request(self, page: int) -> scrapy.Request:
        window = self.window
        url = rest.posts_url(self.site.base_url, page, since=window.since, until=window.until)
        return self.endpoint(url, "rest", self.parse_rest, rest_page=page)

    def request(self, url: str, callback: Any, **meta: Any) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta)

    def endpoint(self, path: str, kind: str, callback: Any, **meta: Any) -> scrapy.Request:
        """A request for a discovery endpoint of the site (a path, or an absolute URL)."""
        return self.request(self.site.absolute(path), callback, **{ENDPOINT: kind, **meta})

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        why = endpoints.why_not_feed(response.body)
        if why is not None:
            self.endpoint_failed(response, why)
            return
        self.endpoint_used(response)
        response = as_text(response, XmlResponse)
        response.selector.remove_namespaces()
        links = response.xpath(
            "//item/link/text() | //entry/link[not(@rel) or @rel='alternate']/@href"
            " | //item/guid[@isPermaLink='true']/text()"
        ).getall()
        found = (response.urljoin(link.strip()) for link in links)
        yield from self.article_requests(found, kind="feed")

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gzip.decompress(body)
            except (OSError, EOFError):
                self.endpoint_failed(response, "answered a broken gzip file")
                return
        why = endpoints.why_not_sitemap(body)
        if why is not None:
            self.endpoint_failed(response, why)
            return
        self.endpoint_used(response)
        sitemap = Sitemap(body)
        entries = [entry for entry in sitemap if entry.get("loc")]
        if sitemap.type == "sitemapindex":
            yield from self.child_sitemaps(entries)
            return
        lastmods = {entry["loc"]: entry.get("lastmod") for entry in entries}
        yield from self.article_requests(lastmods, lastmods=lastmods, kind="sitemap")

    def child_sitemaps(self, entries: list[dict[str, Any]]) -> Iterator[scrapy.Request]:
        """An index's sitemaps; in a backfill, not those last modified before `--since`."""
        for entry in entries:
            if self.window.before_since(entry.get("lastmod")):
                self.count("backfill/sitemaps skipped (older than --since)")
                continue
            yield self.request(entry["loc"], self.parse_sitemap, **{ENDPOINT: "sitemap"})

    def parse_rest(self, response: Response) -> Iterator[scrapy.Request]:
        """A page of WordPress posts: their links (with `modified_gmt` as lastmod), then the
        next page while there is one (a daily crawl reads `max_listing_pages` of them)."""
        try:
            posts = rest.parse_posts(response.body)
        except rest.NotPostsError as error:
            self.endpoint_failed(response, str(error))
            return
        self.endpoint_used(response)
        yield from self.article_requests(posts, lastmods=posts, kind="rest")
        page = int(meta_of(response).get("rest_page", 1))
        last = rest.total_pages(response.headers.get(b"X-WP-TotalPages"))
        depth = self.site.max_backfill_pages if self.window.active else self.site.max_listing_pages
        if posts and (last is None or page < last) and page < depth:
            yield self.rest_request(page + 1)

    def parse_rest_root(self, response: Response) -> Iterator[scrapy.Request]:
        """Autodiscovery: `/wp-json/` is WordPress's REST index, so its posts can be read."""
        if not rest.is_wordpress_root(response.body):
            self.endpoint_failed(response, "is not the WordPress REST API")
            return
        yield self.rest_request(1)

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """Autodiscovery: the sitemaps robots.txt names (`Sitemap: URL` lines)."""
        text = response.body.decode("utf-8", "replace")
        for line in text.splitlines():
            name, _, value = line.partition(":")
            if name.strip().lower() == "sitemap" and value.strip():
                url = response.urljoin(value.strip())
                yield self.request(url, self.parse_sitemap, **{ENDPOINT: "sitemap"})

    def parse_home(self, response: Response) -> Iterator[scrapy.Request]:
        """Autodiscovery: the feeds the home page links (`<link rel=alternate>`), and its
        article links, kept for when no feed, sitemap or REST API gives any."""
        if not endpoints.looks_like_html(response.body):
            self.endpoint_failed(response, "answered no HTML page")
            return
        response = as_text(response, HtmlResponse)
        feeds = response.xpath(
            "//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]"
            "[contains(@type, 'rss') or contains(@type, 'atom')]/@href"
        ).getall()
        for href in dict.fromkeys(feeds):
            url = response.urljoin(href.strip())
            if self.site.serves(url) and "/comments/" not in url:
                yield self.request(url, self.parse_feed, **{ENDPOINT: "feed"})
        extractor = LinkExtractor(allow_domains=self.allowed_domains, deny=self.site.deny_urls)
        self.home_links = [link.url for link in extractor.extract_links(response)]

    def on_idle(self, spider: scrapy.Spider) -> None:
        """Autodiscovery's last resort: when feeds, sitemaps and REST gave no article, the
        home page's article links are crawled."""
        if spider is not self or self.home_links_used:
            return
        self.home_links_used = True
        if any(count for kind, count in self.found_by.items() if kind != "home"):
            return
        requests = list(self.article_requests(self.home_links, kind="home"))
        if self.home_links:
            self.count(f"{endpoints.USED}/home")
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        response = as_text(response, HtmlResponse)
        self.endpoint_used(response)
        extractor = LinkExtractor(allow_domains=self.allowed_domains, deny=self.site.deny_urls)
        found = [link.url for link in extractor.extract_links(response)]
        kind = str(meta_of(response).get(ENDPOINT) or "listing")
        new = list(self.article_requests(found, kind=kind))
        yield from new
        page = int(meta_of(response).get("listing_page", 1))
        if not self.next_page_due(page, found, new=len(new)):
            return
        for href in response.css(self.site.next_page_css).xpath("@href").getall()[:1]:
            yield self.request(
                response.urljoin(href),
                self.parse_listing,
                listing_page=page + 1,
                **{ENDPOINT: kind},
            )

    def next_page_due(self, page: int, found: list[str], *, new: int) -> bool:
        """Whether to read a listing's next page: a daily crawl reads `max_listing_pages`; a
        backfill goes on (to `max_backfill_pages`) while the page shows articles from
        `--since` on (by their URL dates), or, where URLs carry no date, new articles."""
        if not self.window.active:
            return page < self.site.max_listing_pages
        if page >= self.site.max_backfill_pages or self.window.since is None:
            return page < self.site.max_backfill_pages and new > 0
        days = [day for day in map(urls.date_in_url, found) if day is not None]
        if days:
            return max(days) >= self.window.since
        return new > 0

    def article_requests(
        self,
        found: Iterable[str],
        *,
        lastmods: dict[str, str | None] | None = None,
        kind: str = "",
    ) -> Iterator[scrapy.Request]:
        """Requests for the article URLs among `found` not requested already in this crawl.

        Each is marked as an article (`ARTICLE`: its response is kept as a raw page, and
        `newsarchive.crawl.freshness` drops it if the archive has it fresh) and carries the
        sitemap's `lastmod` for it, if any (`LASTMOD`: a newer one asks for a re-fetch).
        A URL first found without a `lastmod` (in a listing) and then in a sitemap with one is
        asked for once more, so that a correction the sitemap announces is not missed; the
        freshness check drops it if the first request fetched it already. In a backfill, an
        article dated outside the window is left out. With `discover_only`, the URLs are only
        kept in `requested`."""
        for url in found:
            canonical = self.canonical_article_url(url)
            if canonical is None:
                continue
            lastmod = (lastmods or {}).get(url)
            if canonical in self.requested and (self.requested[canonical] or not lastmod):
                continue
            if self.window.excludes(canonical, lastmod):
                self.count("backfill/articles outside the window")
                continue
            again = canonical in self.requested
            if not again:
                self.found_by[kind] = self.found_by.get(kind, 0) + 1
            self.requested[canonical] = bool(lastmod)
            if self.discover_only or (again and self.lastmod_given(canonical, lastmod)):
                continue
            meta = {ARTICLE: True, **({LASTMOD: lastmod} if lastmod else {})}
            request = self.request(canonical, self.parse_article, **meta)
            request = request.replace(dont_filter=True) if again else request
            self.pending[canonical] = request
            yield request

    def lastmod_given(self, canonical: str, lastmod: str | None) -> bool:
        """Whether an article requested already needs no new request now that a `lastmod` is
        found for it: its request, still in the scheduler, takes the `lastmod` along; or it is
        being fetched or was fetched in this crawl (what it gets is as new as the lastmod).
        Only an article the freshness check skipped as known is asked for again (the lastmod
        may announce a correction). Outside a crawl (no downloader), it is asked for again."""
        downloader = self.downloader()
        if downloader is None:
            return False
        first = self.pending.get(canonical)
        if first is not None and first not in downloader.active:
            first.meta[LASTMOD] = lastmod
            return True
        return canonical not in self.skipped_fresh

    def downloader(self) -> Any:
        """The crawl's downloader, or None outside a running crawl (unit tests)."""
        try:
            return self.crawler.engine.downloader
        except (AttributeError, RuntimeError):  # no crawler / its engine is not started
            return None

    def canonical_article_url(self, url: str) -> str | None:
        """The canonical URL if `url` is an article of this site, else None."""
        return self.site.article_canonical(url)

    # --- endpoints ---------------------------------------------------------------------------

    def endpoint_used(self, response: Response) -> None:
        kind = meta_of(response).get(ENDPOINT)
        if kind:
            self.count(f"{endpoints.USED}/{kind}")

    def endpoint_failed(self, response: Response | scrapy.Request, why: str) -> None:
        """An endpoint missing or answering something else: counted and noted; discovery goes
        on with the site's other endpoints. A probe that misses only says so at INFO."""
        kind = str(meta_of(response).get(ENDPOINT) or "endpoint")
        shown = shown_path(response.url, kind)
        if meta_of(response).get(PROBE):
            self.count(f"{endpoints.ABSENT}/{kind}")
            logger.info("%s: no %s at %s (%s)", self.name, kind, shown, why)
            return
        self.count(f"{endpoints.FAILED}/{kind}")
        self.count(endpoints.note_key(kind, shown, why))
        logger.warning("%s: %s %s %s; the other endpoints are used", self.name, kind, shown, why)

    # --- articles ----------------------------------------------------------------------------

    async def parse_article(self, response: Response) -> AsyncIterator[Article]:
        self.answered(meta_of(response).get("redirect_urls") or [response.url])
        fetched_at = meta_of(response).get(FETCHED_AT) or datetime.now(UTC)
        extracted = await self.extracted(response, fetched_at)
        if extracted.article is not None:
            if extracted.terms is not None:
                terms.remember(extracted.article, extracted.terms)
            yield self.claimed(extracted.article)
        elif extracted.outcome == "undecodable":
            self.report_failure(response.url, "undecodable body", extracted.message)
        elif extracted.outcome == "refused":
            logger.info("%s: %s gives no record: %s", self.name, response.url, extracted.message)
            self.count(f"dropped/{extracted.reason}")
        else:
            failure = extraction_workers.ExtractionFailed(extracted.message)
            logger.error("%s: extraction failed for %s", self.name, response.url, exc_info=failure)
            self.count("dropped/extraction failed")

    async def extracted(
        self, response: Response, fetched_at: datetime
    ) -> extraction_workers.Extracted:
        """The page's outcome, from an extraction process when the crawl has them; a page
        whose worker died is extracted here."""
        page = (response.body, response.headers.get(b"Content-Type"), response.url, fetched_at)
        future = self.extraction.submit(*page)
        if future.done() and not future.cancelled() and future.exception() is None:
            return future.result()
        try:
            return await maybe_deferred_to_future(deferred_of(future))
        except BrokenProcessPool:
            logger.warning("%s: an extraction process died; %s extracted here", self.name, page[2])
            return extraction_workers.extract_page(*page)

    def answered(self, urls_asked: list[str]) -> None:
        """An article request got its answer (or failed): it waits no more."""
        self.pending.pop(urls_asked[0], None)

    def claimed(self, article: Article) -> Article:
        """The record as this site's: a site known only by its URL is in no registry, so its
        records are named and placed here (the name `--url` gave it, its `--region`)."""
        if article.site != self.site.name:
            article.site = self.site.name
            article.region = self.site.region or None
        return article

    def on_error(self, failure: Failure) -> None:
        """Count and report a request that could not be fetched, or was blocked. An endpoint
        that answers 4xx (not 429) is missing: noted as such, not counted as an error."""
        from newsarchive.crawl.freshness import Fresh  # not above: it reads this module's keys

        request = getattr(failure, "request", None)
        url = getattr(request, "url", "?")
        if request is not None and not isinstance(failure.value, Rescheduled):
            self.answered(request.meta.get("redirect_urls") or [url])
        if isinstance(failure.value, Fresh):
            self.skipped_fresh.add(url)
        if isinstance(failure.value, Rescheduled | GaveUp | Fresh):
            return  # it comes again later / the summary says once why the site was left / known
        status = missing(failure)
        if request is not None and request.meta.get(ENDPOINT) and status:
            self.endpoint_failed(request, f"answered HTTP {status}")
            return
        kind, reason = describe(failure)
        if isinstance(failure.value, Blocked):
            self.count(f"blocked/{kind}")
            logger.warning("%s: blocked at %s (%s)", self.name, url, reason)
            return
        self.report_failure(url, kind, reason)

    def report_failure(self, url: str, kind: str, reason: str) -> None:
        """One failed request: counted as `errors/<kind>`, reported on one line."""
        self.count(f"errors/{kind}")
        logger.warning("%s: could not fetch %s (%s)", self.name, url, reason)

    def count(self, key: str) -> None:
        crawler = getattr(self, "crawler", None)  # unset outside a crawl (unit tests)
        if crawler is not None and crawler.stats is not None:
            crawler.stats.inc_value(f"{STAT}/{key}")


def meta_of(message: Response | scrapy.Request) -> dict[str, Any]:
    """A request's meta, or a response's (none for a response made without a request)."""
    if isinstance(message, scrapy.Request):
        return message.meta
    return message.request.meta if message.request is not None else {}


def missing(failure: Failure) -> int | None:
    """The HTTP status when the server answered that the page is not there or not for us
    (4xx but 429), else None."""
    error = failure.value
    if not isinstance(error, HttpError):
        return None
    status = int(error.response.status)
    return status if 400 <= status < 500 and status != 429 else None


def shown_path(url: str, kind: str) -> str:
    """An endpoint as the summary names it: its path (and query, but a REST page's)."""
    return urlsplit(url).path if kind == "rest" else urls.path_and_query(url)


def as_text(response: Response, kind: type[TextResponse]) -> TextResponse:
    """A feed or listing served with a wrong Content-Type, read as XML or HTML all the same."""
    if isinstance(response, TextResponse):
        return response
    return kind(url=response.url, body=response.body, request=response.request)


def spider_class(site: Site) -> type[NewsSpider]:
    """The spider of a site: `NewsSpider` bound to its declaration."""
    class_name = "".join(part.capitalize() for part in site.name.split("_")) + "Spider"
    return type(class_name, (NewsSpider,), {"name": site.name, "site": site})


def deferred_of(future: Future[Any]) -> Deferred[Any]:
    """A Deferred fired in the reactor's thread when a future of another thread is done."""
    from twisted.internet import reactor

    deferred: Deferred[Any] = Deferred()

    def settle(done: Future[Any]) -> None:
        if done.cancelled():
            deferred.errback(BrokenProcessPool("the page's worker was stopped"))
            return
        error = done.exception()
        if error is None:
            deferred.callback(done.result())
        else:
            deferred.errback(error)

    future.add_done_callback(lambda done: reactor.callFromThread(settle, done))
    return deferred

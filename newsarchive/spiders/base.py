"""`NewsSpider`: a site declares where its articles are listed; this finds and parses them."""

from __future__ import annotations

import gzip
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import scrapy
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from newsarchive.crawl.failures import Blocked, GaveUp, Rescheduled, describe
from newsarchive.extract import from_response
from newsarchive.items import Article, NotAnArticleError, UndecodableError
from newsarchive.sites import Site

logger = logging.getLogger(__name__)

STAT = "newsarchive"
ARTICLE = "newsarchive_article"
"""Request meta: the request is for an article page (not a feed, sitemap or listing)."""
LASTMOD = "newsarchive_lastmod"
"""Request meta: the sitemap's `lastmod` of the article, as written there."""
FETCHED_AT = "newsarchive_fetched_at"
"""Response meta: when the response was received (aware), set where its raw page is kept so
that the record and its raw page carry the same time."""


class NewsSpider(scrapy.Spider):
    """Discovery by declaration: a site's feeds, sitemaps and listings lead to its articles."""

    name: str
    site: ClassVar[Site]
    """The declaration this spider crawls (spiders are derived from sites: `spider_class`)."""

    def __init__(self, *args: Any, refresh: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refresh = refresh
        """Fetch archived articles again, fresh or not (`newsarchive.crawl.freshness` asks)."""
        self.requested: dict[str, bool] = {}
        """Canonical URLs requested in this crawl, and whether with a sitemap `lastmod`."""
        self.allowed_domains = sorted(self.site.hosts)

    # --- discovery ---------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for feed in self.site.feeds:
            yield self.request(self.site.absolute(feed), self.parse_feed)
        for sitemap in self.site.sitemaps:
            yield self.request(self.site.absolute(sitemap), self.parse_sitemap)
        for listing in self.site.listings:
            yield self.request(self.site.absolute(listing), self.parse_listing)

    def request(self, url: str, callback: Any, **meta: Any) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        response = as_text(response, XmlResponse)
        response.selector.remove_namespaces()
        links = response.xpath(
            "//item/link/text() | //entry/link[not(@rel) or @rel='alternate']/@href"
            " | //item/guid[@isPermaLink='true']/text()"
        ).getall()
        yield from self.article_requests(response.urljoin(link.strip()) for link in links)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        sitemap = Sitemap(body)
        entries = [entry for entry in sitemap if entry.get("loc")]
        if sitemap.type == "sitemapindex":
            for entry in entries:
                yield self.request(entry["loc"], self.parse_sitemap)
        else:
            lastmods = {entry["loc"]: entry.get("lastmod") for entry in entries}
            yield from self.article_requests(lastmods, lastmods=lastmods)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        response = as_text(response, HtmlResponse)
        extractor = LinkExtractor(allow_domains=self.allowed_domains, deny=self.site.deny_urls)
        yield from self.article_requests(link.url for link in extractor.extract_links(response))
        page = int(response.meta.get("listing_page", 1))
        if page >= self.site.max_listing_pages:
            return
        for href in response.css(self.site.next_page_css).xpath("@href").getall()[:1]:
            yield self.request(response.urljoin(href), self.parse_listing, listing_page=page + 1)

    def article_requests(
        self, found: Iterable[str], *, lastmods: dict[str, str | None] | None = None
    ) -> Iterator[scrapy.Request]:
        """Requests for the article URLs among `found` not requested already in this crawl.

        Each is marked as an article (`ARTICLE`: its response is kept as a raw page, and
        `newsarchive.crawl.freshness` drops it if the archive has it fresh) and carries the
        sitemap's `lastmod` for it, if any (`LASTMOD`: a newer one asks for a re-fetch).
        A URL first found without a `lastmod` (in a listing) and then in a sitemap with one is
        asked for once more, so that a correction the sitemap announces is not missed; the
        freshness check drops it if the first request fetched it already."""
        for url in found:
            canonical = self.canonical_article_url(url)
            if canonical is None:
                continue
            lastmod = (lastmods or {}).get(url)
            if canonical in self.requested and (self.requested[canonical] or not lastmod):
                continue
            again = canonical in self.requested
            self.requested[canonical] = bool(lastmod)
            meta = {ARTICLE: True, **({LASTMOD: lastmod} if lastmod else {})}
            request = self.request(canonical, self.parse_article, **meta)
            yield request.replace(dont_filter=True) if again else request

    def canonical_article_url(self, url: str) -> str | None:
        """The canonical URL if `url` is an article of this site, else None."""
        return self.site.article_canonical(url)

    # --- articles ----------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Article]:
        content_type = response.headers.get(b"Content-Type")
        try:
            fetched_at = response.meta.get(FETCHED_AT) or datetime.now(UTC)
            yield from_response(response.body, content_type, response.url, fetched_at=fetched_at)
        except UndecodableError as error:  # bytes that are no page: a broken response
            self.report_failure(response.url, "undecodable body", str(error))
        except NotAnArticleError as error:
            logger.info("%s: %s gives no record: %s", self.name, response.url, error)
            self.count(f"dropped/{error.kind}")
        except Exception:
            logger.exception("%s: extraction failed for %s", self.name, response.url)
            self.count("dropped/extraction failed")

    def on_error(self, failure: Failure) -> None:
        """Count and report a request that could not be fetched, or was blocked."""
        from newsarchive.crawl.freshness import Fresh  # not above: it reads this module's keys

        if isinstance(failure.value, Rescheduled | GaveUp | Fresh):
            return  # it comes again later / the summary says once why the site was left / known
        request = getattr(failure, "request", None)
        url = getattr(request, "url", "?")
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


def as_text(response: Response, kind: type[TextResponse]) -> TextResponse:
    """A feed or listing served with a wrong Content-Type, read as XML or HTML all the same."""
    if isinstance(response, TextResponse):
        return response
    return kind(url=response.url, body=response.body, request=response.request)


def spider_class(site: Site) -> type[NewsSpider]:
    """The spider of a site: `NewsSpider` bound to its declaration."""
    class_name = "".join(part.capitalize() for part in site.name.split("_")) + "Spider"
    return type(class_name, (NewsSpider,), {"name": site.name, "site": site})

"""`NewsSpider`: a site declares where its articles are listed; this finds and parses them."""

from __future__ import annotations

import gzip
import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from newsarchive import urls
from newsarchive.archive import Archive
from newsarchive.encoding import decode_html
from newsarchive.items import Article
from newsarchive.page_kind import NotAnArticleError
from newsarchive.pages import ArticlePage

logger = logging.getLogger(__name__)

STAT = "newsarchive"
HTML_TYPES = (b"text/html", b"application/xhtml")


class NewsSpider(scrapy.Spider):
    """Discovery by declaration: feeds, sitemaps and paginated listings lead to article pages."""

    name: str
    region: ClassVar[str]
    base_url: ClassVar[str]
    """Scheme and host of the site: `https://www.thessaliatv.gr`."""
    feeds: ClassVar[tuple[str, ...]] = ()
    """RSS/Atom feeds, absolute or relative to `base_url`."""
    sitemaps: ClassVar[tuple[str, ...]] = ()
    """Sitemaps or sitemap indexes (news or regular)."""
    listings: ClassVar[tuple[str, ...]] = ()
    """Listing pages whose links lead to articles."""
    next_page_css: ClassVar[str] = "a[rel~=next], link[rel~=next], .pagination a.next, a.next"
    """Where a listing page links to the next one."""
    max_listing_pages: ClassVar[int] = 3
    """How many pages of each listing to read per crawl (newest news is on the first)."""
    article_url: ClassVar[str]
    """Regex that the path of an article's canonical URL matches."""
    deny_url: ClassVar[tuple[str, ...]] = (r"/include/", r"/wp-content/", r"/feed/?$", r"/tag/")
    """Regexes of URLs never followed (crawl traps, files, feeds)."""
    url_rewrites: ClassVar[tuple[tuple[str, str], ...]] = ()
    """(regex, replacement) on the path that give the canonical form of the site's URLs."""
    page_class: ClassVar[type[ArticlePage]] = ArticlePage
    extra_hosts: ClassVar[tuple[str, ...]] = ()
    """Other hosts serving the same site (besides `base_url`'s host with and without www)."""

    def __init__(self, *args: Any, refresh: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refresh = refresh
        self.known: set[str] = set()
        self.requested: set[str] = set()
        self.allowed_domains = sorted(self.site_hosts())

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider: NewsSpider = super().from_crawler(crawler, *args, **kwargs)
        if not spider.refresh:
            with Archive(crawler.settings.get("NEWSARCHIVE_DATABASE_URL")) as archive:
                spider.known = archive.known_urls(spider.name)
        return spider

    # --- declarations, read without a crawler -----------------------------------------------

    @classmethod
    def site_hosts(cls) -> frozenset[str]:
        hosts = urls.host_variants(urls.host_of(cls.base_url))
        return hosts.union(*(urls.host_variants(host) for host in cls.extra_hosts))

    @classmethod
    def url_rules(cls) -> urls.SiteURLRules:
        rewrites = tuple((re.compile(pattern), repl) for pattern, repl in cls.url_rewrites)
        return urls.SiteURLRules(origin=cls.base_url, hosts=cls.site_hosts(), rewrites=rewrites)

    @classmethod
    def absolute(cls, path: str) -> str:
        return path if "://" in path else cls.base_url.rstrip("/") + "/" + path.lstrip("/")

    # --- discovery ---------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for feed in self.feeds:
            yield self.request(self.absolute(feed), self.parse_feed)
        for sitemap in self.sitemaps:
            yield self.request(self.absolute(sitemap), self.parse_sitemap)
        for listing in self.listings:
            yield self.request(self.absolute(listing), self.parse_listing)

    def request(self, url: str, callback: Any, **meta: Any) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta)

    def parse_feed(self, response: TextResponse) -> Iterator[scrapy.Request]:
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
        locations = [entry["loc"] for entry in sitemap if entry.get("loc")]
        if sitemap.type == "sitemapindex":
            for location in locations:
                yield self.request(location, self.parse_sitemap)
        else:
            yield from self.article_requests(locations)

    def parse_listing(self, response: TextResponse) -> Iterator[scrapy.Request]:
        extractor = LinkExtractor(allow_domains=self.allowed_domains, deny=self.deny_url)
        yield from self.article_requests(link.url for link in extractor.extract_links(response))
        page = int(response.meta.get("listing_page", 1))
        if page >= self.max_listing_pages:
            return
        for href in response.css(self.next_page_css).xpath("@href").getall()[:1]:
            yield self.request(response.urljoin(href), self.parse_listing, listing_page=page + 1)

    def article_requests(self, found: Iterable[str]) -> Iterator[scrapy.Request]:
        """Requests for the article URLs among `found` not archived or requested already."""
        for url in found:
            canonical = self.canonical_article_url(url)
            if canonical is None or canonical in self.requested:
                continue
            self.requested.add(canonical)
            if canonical in self.known:
                self.count("skipped_known")
                continue
            yield self.request(canonical, self.parse_article)

    def canonical_article_url(self, url: str) -> str | None:
        """The canonical URL if `url` is an article of this site, else None."""
        if any(re.search(pattern, url) for pattern in self.deny_url):
            return None
        try:
            canonical = urls.canonicalize(url)
        except urls.BadURLError:
            return None
        if urls.host_of(canonical) not in self.site_hosts():
            return None
        path = canonical.split(urls.host_of(canonical), 1)[1]
        return canonical if re.search(self.article_url, path) else None

    # --- articles ----------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Article]:
        content_type = response.headers.get(b"Content-Type") or b""
        if content_type and not content_type.lower().startswith(HTML_TYPES):
            self.count("dropped/not html")
            return
        html = decode_html(response.body, response.headers.get(b"Content-Type"))
        if html is None:
            self.count("dropped/undecodable")
            return
        page = self.page_class(response.url, html, fetched_at=datetime.now(UTC))
        try:
            yield page.to_item()
        except NotAnArticleError as error:
            logger.info("%s: %s is not an article: %s", self.name, response.url, error)
            self.count("dropped/not an article")
        except Exception:
            logger.exception("%s: extraction failed for %s", self.name, response.url)
            self.count("dropped/extraction failed")

    def on_error(self, failure: Failure) -> None:
        """Count and report a request that could not be fetched."""
        request = getattr(failure, "request", None)
        reason = failure.value.__class__.__name__
        response = getattr(failure.value, "response", None)
        if response is not None:
            reason = f"HTTP {response.status}"
        self.count(f"errors/{reason}")
        logger.warning(
            "%s: could not fetch %s (%s)",
            self.name,
            getattr(request, "url", "?"),
            failure.getErrorMessage() or reason,
        )

    def count(self, key: str) -> None:
        crawler = getattr(self, "crawler", None)  # unset outside a crawl (unit tests)
        if crawler is not None and crawler.stats is not None:
            crawler.stats.inc_value(f"{STAT}/{key}")

"""`newsarchive check`: is each site's declaration still true of the site?

For each site, a Scrapy spider (kept out of `newsarchive.spiders`, so that `scrapy list` shows
only sites) fetches every declared discovery endpoint (feeds, sitemaps, the WordPress REST API
when `wp_rest`, listings) and says whether it answers and holds what it should: a feed that is
RSS/Atom with items linking to the site's articles, a sitemap with URLs (an index: its first
child is read too), REST posts with links, a listing with article links. Then it fetches a
sample of the articles they lead to (round robin over the endpoints) and tells, per record
field, which rule produced it: a selector of the site's own page class, a selector of its CMS
family (`newsarchive.pages.families`), or a generic rule (JSON-LD, meta, microdata, `<time>`,
URL, density fallback). A site selector that matched none of the sampled articles is a warning:
that is the site file to fix. Nothing is written to any archive; the response checks of a crawl
(challenge pages, bodies cut short) apply.
"""

from __future__ import annotations

import gzip
import itertools
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import DontCloseSpider
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.settings import Settings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from newsarchive import sites
from newsarchive.crawl import run_settings
from newsarchive.crawl.failures import describe
from newsarchive.extract import from_response
from newsarchive.items import NotAnArticleError
from newsarchive.pages import ArticlePage
from newsarchive.spiders import endpoints, rest

SAMPLE = 3
"""Articles fetched per site by default (`--sample`)."""
SELECTORS = {
    "headline": "headline_css",
    "lead": "lead_css",
    "body": "body_css",
    "published_at": "date_css",
    "section": "section_css",
    "authors": "authors_css",
    "tags": "tags_css",
    "images": "body_css",
}
"""The page-class selector behind each field's `selector` rule."""
FAMILY_MODULE = "newsarchive.pages.families"
GENERIC_MODULE = "newsarchive.pages.article"
AFTER_SELECTORS = ("empty", "generic: fallback", "generic: url")
"""What a field comes from when its selector, asked, matched nothing."""


@dataclass
class EndpointCheck:
    """One declared endpoint: what it answered."""

    kind: str
    url: str
    status: int | None = None
    ok: bool = False
    """It answered what its kind should be (a feed, a sitemap, posts, an HTML listing)."""
    what: str = ""
    """What it held (`RSS/Atom, 12 items, 12 article links`) or why it failed."""
    articles: list[str] = field(default_factory=list)


@dataclass
class SampleCheck:
    """One sampled article: whether it gave a record, and each field's rule."""

    url: str
    ok: bool = False
    what: str = ""
    rules: dict[str, str] = field(default_factory=dict)
    """Field → `site selector`, `family selector (JNewsPage)`, `generic: jsonld`, `empty`."""


@dataclass
class SiteCheck:
    """What `check` found of one site."""

    site: str
    endpoints: list[EndpointCheck] = field(default_factory=list)
    samples: list[SampleCheck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        """What makes the site unhealthy: an endpoint missing or answering something else
        (HTML for a feed, a challenge page), no endpoint leading to an article, a sampled
        article that gives no record."""
        found = [f"{e.kind} {e.url}: {e.what}" for e in self.endpoints if not e.ok]
        if not any(e.articles for e in self.endpoints):
            found.append("no endpoint led to an article")
        found += [f"article {s.url}: {s.what}" for s in self.samples if not s.ok]
        return found

    @property
    def notes(self) -> list[str]:
        """Warnings: endpoints that answered but led to no article (an empty category feed),
        then the site selectors that gave their field on no sampled article."""
        empty = [f"{e.kind} {e.url}: {e.what}" for e in self.endpoints if e.ok and not e.articles]
        return empty + self.warnings

    @property
    def healthy(self) -> bool:
        return not self.problems

    def fields(self) -> dict[str, dict[str, int]]:
        """Per field, how many sampled articles each rule source gave it."""
        counts: dict[str, dict[str, int]] = {}
        for sample in self.samples:
            for name, rule in sample.rules.items():
                counts.setdefault(name, {})
                counts[name][rule] = counts[name].get(rule, 0) + 1
        return {name: dict(sorted(rules.items())) for name, rules in sorted(counts.items())}

    def record(self) -> dict[str, Any]:
        """JSON-ready, in `CHECK_FIELDS` order."""
        return {
            "site": self.site,
            "healthy": self.healthy,
            "endpoints": [asdict(e) | {"articles": len(e.articles)} for e in self.endpoints],
            "sample": [asdict(sample) for sample in self.samples],
            "fields": self.fields(),
            "problems": self.problems,
            "warnings": self.notes,
        }


CHECK_FIELDS = ("site", "healthy", "endpoints", "sample", "fields", "problems", "warnings")


# --- which rule gave a field ------------------------------------------------------------------


def level_of(owner: type) -> str:
    """`generic`, `family` or `site`: where a page class (a rule's owner) is written."""
    if owner is ArticlePage or owner.__module__ == GENERIC_MODULE:
        return "generic"
    return "family" if owner.__module__ == FAMILY_MODULE else "site"


def owner_of(page_class: type[ArticlePage], attribute: str) -> type:
    """The class of the page's MRO that defines `attribute`."""
    return next(klass for klass in page_class.__mro__ if attribute in vars(klass))


def rule_source(page_class: type[ArticlePage], name: str, rule: str) -> str:
    """Which rule produced a field: `site selector`, `site rule: <rule>` (a method the site
    class overrides), `family selector (<Family>)` or `generic: <rule>`; `empty`."""
    if rule.startswith("none"):
        return "empty"
    method = page_class.fields.get(name)
    if method is not None and level_of(owner_of(page_class, method)) == "site":
        return f"site rule: {rule}"
    css = SELECTORS.get(name)
    if rule == "selector" and css is not None:
        owner = owner_of(page_class, css)
        level = level_of(owner)
        if level == "family":
            return f"family selector ({owner.__name__})"
        if level == "site":
            return "site selector"
    return f"generic: {rule}"


def sample_rules(page_class: type[ArticlePage], provenance: dict[str, str]) -> dict[str, str]:
    rules = {name: rule_source(page_class, name, rule) for name, rule in provenance.items()}
    for name in SELECTORS:
        rules.setdefault(name, "empty")
    return dict(sorted(rules.items()))


def stale_selectors(site: sites.Site, samples: list[SampleCheck]) -> list[str]:
    """Warnings for the site's own selectors that gave their field on none of the articles."""
    page_class = site.page_class()
    read = [sample for sample in samples if sample.ok]
    if not read:
        return []
    warnings = []
    for name, css in SELECTORS.items():
        if name == "images" or getattr(page_class, css) is None:
            continue
        if level_of(owner_of(page_class, css)) != "site":
            continue
        used = sorted({sample.rules.get(name, "empty") for sample in read})
        # A rule before the selectors (JSON-LD, meta…) answering is no sign of a stale one.
        if not any(rule in AFTER_SELECTORS for rule in used) or "site selector" in used:
            continue
        warnings.append(
            f"{site.name}'s {css} {getattr(page_class, css)!r} gave {name} on none of the "
            f"{len(read)} sampled articles ({', '.join(used)}): check "
            f"newsarchive/sites/{site.name}.py"
        )
    return warnings


# --- what an endpoint holds -------------------------------------------------------------------


def article_links(site: sites.Site, links: list[str]) -> list[str]:
    """The site's article URLs among `links`, canonical, in order, once each."""
    found = (site.article_canonical(link.strip()) for link in links)
    return list(dict.fromkeys(url for url in found if url))


def read_feed(site: sites.Site, response: Response) -> tuple[bool, str, list[str]]:
    why = endpoints.why_not_feed(response.body)
    if why:
        return False, why, []
    xml = XmlResponse(url=response.url, body=response.body)
    xml.selector.remove_namespaces()
    items = len(xml.xpath("//item | //entry"))
    links = xml.xpath(
        "//item/link/text() | //entry/link[not(@rel) or @rel='alternate']/@href"
        " | //item/guid[@isPermaLink='true']/text()"
    ).getall()
    found = article_links(site, [xml.urljoin(link.strip()) for link in links])
    what = f"RSS/Atom, {items} items, {len(found)} article links"
    return True, what if found else f"{what}: no item links to an article", found


def read_sitemap(site: sites.Site, body: bytes) -> tuple[bool, str, list[str], list[str]]:
    """(ok, what, article URLs, child sitemaps)."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError):
            return False, "answered a broken gzip file", [], []
    why = endpoints.why_not_sitemap(body)
    if why:
        return False, why, [], []
    sitemap = Sitemap(body)
    locs = [entry["loc"] for entry in sitemap if entry.get("loc")]
    if sitemap.type == "sitemapindex":
        return bool(locs), f"sitemap index, {len(locs)} sitemaps", [], locs
    found = article_links(site, locs)
    what = f"sitemap, {len(locs)} URLs, {len(found)} article links"
    return True, what if found else f"{what}: no URL is an article", found, []


def read_rest(site: sites.Site, body: bytes) -> tuple[bool, str, list[str]]:
    try:
        posts = rest.parse_posts(body)
    except rest.NotPostsError as error:
        return False, str(error), []
    found = article_links(site, list(posts))
    what = f"REST, {len(posts)} posts, {len(found)} article links"
    return True, what if found else f"{what}: no post links to an article", found


def read_listing(site: sites.Site, response: Response) -> tuple[bool, str, list[str]]:
    if not isinstance(response, TextResponse) or not endpoints.looks_like_html(response.body):
        return False, "answered no HTML page", []
    html = HtmlResponse(url=response.url, body=response.body, encoding=response.encoding)
    extractor = LinkExtractor(allow_domains=sorted(site.hosts), deny=site.deny_urls)
    found = article_links(site, [link.url for link in extractor.extract_links(html)])
    what = f"HTML, {len(found)} article links"
    return True, what if found else f"{what}: it links to no article", found


# --- the spider -------------------------------------------------------------------------------


def declared_endpoints(site: sites.Site) -> list[tuple[str, str]]:
    """(kind, URL) of every endpoint the site declares, in the crawl's order."""
    found = [("feed", site.absolute(path)) for path in site.feeds]
    found += [("sitemap", site.absolute(path)) for path in site.sitemaps]
    if site.wp_rest:
        found.append(("rest", rest.posts_url(site.base_url, 1)))
    found += [("listing", site.absolute(path)) for path in site.listings]
    return found


def round_robin(lists: list[list[str]], count: int) -> list[str]:
    """Up to `count` distinct URLs, taking from each list in turn."""
    chosen: dict[str, None] = {}
    for url in itertools.chain.from_iterable(itertools.zip_longest(*lists)):
        if url is not None:
            chosen.setdefault(url)
        if len(chosen) >= count:
            break
    return list(chosen)


class CheckSpider(scrapy.Spider):
    """Checks one site: its endpoints, then a sample of its articles (on `spider_idle`)."""

    name = "check"

    def __init__(self, site_name: str, sample: int = SAMPLE, **kwargs: Any) -> None:
        super().__init__(name=site_name, **kwargs)
        self.site = sites.get(site_name)
        self.sample = sample
        self.result = SiteCheck(site=self.site.name)
        self.sampled = False

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> CheckSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for kind, url in declared_endpoints(self.site):
            yield self.endpoint_request(kind, url)

    def endpoint_request(self, kind: str, url: str) -> scrapy.Request:
        check = EndpointCheck(kind=kind, url=url)
        self.result.endpoints.append(check)
        return scrapy.Request(
            url,
            callback=self.read_endpoint,
            errback=self.endpoint_failed,
            meta={"check": check},
            dont_filter=True,
        )

    def read_endpoint(self, response: Response) -> Iterator[scrapy.Request]:
        check: EndpointCheck = response.meta["check"]
        check.status = response.status
        children: list[str] = []
        if check.kind == "feed":
            check.ok, check.what, check.articles = read_feed(self.site, response)
        elif check.kind == "sitemap":
            check.ok, check.what, check.articles, children = read_sitemap(self.site, response.body)
        elif check.kind == "rest":
            check.ok, check.what, check.articles = read_rest(self.site, response.body)
        else:
            check.ok, check.what, check.articles = read_listing(self.site, response)
        for child in children[:1]:  # an index: its first sitemap says whether entries are right
            yield self.endpoint_request("sitemap", child)

    def endpoint_failed(self, failure: Failure) -> None:
        check: EndpointCheck = failure.request.meta["check"]  # type: ignore[attr-defined]
        if isinstance(failure.value, HttpError):
            check.status = failure.value.response.status
        check.what = describe(failure)[1]

    def idle(self) -> None:
        """The endpoints are read: fetch the sample, once."""
        if self.sampled:
            return
        self.sampled = True
        lists = [check.articles for check in self.result.endpoints]
        for url in round_robin(lists, self.sample):
            sample = SampleCheck(url=url)
            self.result.samples.append(sample)
            request = scrapy.Request(
                url,
                callback=self.read_article,
                errback=self.article_failed,
                meta={"sample": sample},
                dont_filter=True,
            )
            assert self.crawler.engine is not None
            self.crawler.engine.crawl(request)
        if self.result.samples:
            raise DontCloseSpider

    def read_article(self, response: Response) -> None:
        sample: SampleCheck = response.meta["sample"]
        content_type = response.headers.get(b"Content-Type")
        try:
            article = from_response(
                response.body, content_type, response.url, fetched_at=datetime.now(UTC)
            )
        except NotAnArticleError as error:
            sample.what = f"no record: {error}"
            return
        sample.ok = True
        sample.what = (
            f"teaser (credits {article.source_credit})" if article.is_teaser else "article"
        )
        sample.rules = sample_rules(self.site.page_class(), article.provenance)

    def article_failed(self, failure: Failure) -> None:
        sample: SampleCheck = failure.request.meta["sample"]  # type: ignore[attr-defined]
        sample.what = describe(failure)[1]

    def closed(self, reason: str) -> None:
        self.result.warnings = stale_selectors(self.site, self.result.samples)


def check_settings(*, mirror: Any = None, verbose: bool = False) -> Settings:
    """The project's settings without what writes (pipelines, raw pages, the archive's
    freshness check, the progress line), with the mirror's download handler if given."""
    settings = run_settings(mirror=mirror, verbose=verbose)
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    for name in list(middlewares):
        if name.endswith(("FreshnessMiddleware", "RawPagesMiddleware")):
            middlewares[name] = None
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    settings.set("NEWSARCHIVE_RAW_PAGES", False, priority="cmdline")
    settings.set("NEWSARCHIVE_PROGRESS", False, priority="cmdline")
    return settings


def run_checks(names: list[str], settings: Settings, *, sample: int = SAMPLE) -> list[SiteCheck]:
    """Check the named sites side by side; one result per site, in order."""
    process = CrawlerProcess(settings)
    crawlers = []
    for name in names:
        crawler = process.create_crawler(CheckSpider)
        crawlers.append(crawler)
        process.crawl(crawler, site_name=name, sample=sample)
    process.start()
    return [crawler.spider.result for crawler in crawlers]  # type: ignore[union-attr]

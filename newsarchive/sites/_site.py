"""`Site`: everything newsarchive knows about one outlet, as data (no Scrapy, no parsing)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from newsarchive import urls

if TYPE_CHECKING:
    from newsarchive.pages import ArticlePage

DEFAULT_DENY = (r"/wp-content/", r"/feed/?$", r"/tag/")
"""URLs no site's discovery follows: uploaded files, feeds and tag pages."""


@dataclass(frozen=True)
class Site:
    """One outlet: its identity, where its articles are listed, and how its URLs look."""

    name: str
    """ASCII slug: the module, spider and fixture-folder name (`thessaliatv`)."""
    outlet: str
    """The outlet's own name, as it appends it to titles (`Thessalia TV`)."""
    town: str
    region: str
    """One of `newsarchive.items.REGIONS`."""
    base_url: str
    """Scheme and host every URL of the site maps to: `https://www.thessaliatv.gr`."""
    article_url: str
    """Regex that the path of an article's canonical URL matches; "" for the generic test
    (`urls.looks_like_article`), as for a site given only by its URL (`sites.from_url`)."""
    page: type[ArticlePage] | None = None
    """The site's page object; None: its CMS family's or the generic one."""
    extra_hosts: tuple[str, ...] = ()
    """Other hosts serving the same site (besides `base_url`'s, with and without `www.`)."""
    feeds: tuple[str, ...] = ()
    """RSS/Atom feeds, absolute or relative to `base_url`."""
    sitemaps: tuple[str, ...] = ()
    """Sitemaps or sitemap indexes (news or regular)."""
    listings: tuple[str, ...] = ()
    """Listing pages whose links lead to articles (followed to their next pages)."""
    wp_rest: bool = False
    """The site is WordPress with its REST API (`/wp-json/wp/v2/posts`) open: its posts' links
    (and `modified_gmt` as their lastmod) are discovered from it, paged, `after=` a backfill's
    start; the records still come from the article pages."""
    deny_urls: tuple[str, ...] = DEFAULT_DENY
    """Regexes of URLs never followed (crawl traps, files, feeds)."""
    rewrites: tuple[tuple[str, str], ...] = ()
    """(regex, replacement) on the path giving the canonical form of the site's URLs."""
    names: tuple[str, ...] = ()
    """Other names the site signs or suffixes titles with, besides `outlet`."""
    next_page_css: str = "a[rel~=next], link[rel~=next], .pagination a.next, a.next"
    """Where a listing page links to the next one."""
    max_listing_pages: int = 3
    """How many pages of each listing a daily crawl reads (the newest news is on the first)."""
    unverified: tuple[str, ...] = field(default=())
    """Declarations assumed rather than seen on the live site (`feeds`, `article_url` …)."""
    date_archives: str = ""
    """A day's archive page, read when backfilling (`crawl --since`): a path with `{year}`,
    `{month}` and `{day}` (zero-padded), e.g. WordPress's `/{year}/{month}/{day}/`."""
    max_backfill_pages: int = 200
    """How deep a backfill follows one listing's pages at most, while they show articles
    newer than `--since` (a bound against listings that page forever)."""
    autodiscover: bool = False
    """Find the feeds, sitemaps and REST API from the home page, robots.txt and the standard
    paths instead of declaring them (a site given only by its URL: `sites.from_url`)."""

    @cached_property
    def hosts(self) -> frozenset[str]:
        """Every host name that serves the site."""
        hosts = urls.host_variants(urls.host_of(self.base_url))
        return hosts.union(*(urls.host_variants(host) for host in self.extra_hosts))

    @cached_property
    def url_rules(self) -> urls.SiteURLRules:
        """How the site's URLs are normalized, for `urls.canonicalize`."""
        rewrites = tuple((re.compile(pattern), repl) for pattern, repl in self.rewrites)
        return urls.SiteURLRules(origin=self.base_url, hosts=self.hosts, rewrites=rewrites)

    @cached_property
    def _article_path(self) -> re.Pattern[str]:
        return re.compile(self.article_url)

    @cached_property
    def _deny(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(pattern) for pattern in self.deny_urls)

    def absolute(self, path: str) -> str:
        """A declared path as an absolute URL of the site."""
        return path if "://" in path else self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def serves(self, url: str) -> bool:
        return urls.bare_host(urls.host_of(url)) in self.hosts

    def canonicalize(self, url: str) -> str:
        """The canonical form of one of the site's URLs; BadURLError for a non-http(s) one."""
        return urls.canonicalize(url, self.url_rules)

    def denies(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self._deny)

    def article_canonical(self, url: str) -> str | None:
        """The canonical URL when `url` is one of this site's articles, else None."""
        if self.denies(url):
            return None
        try:
            canonical = self.canonicalize(url)
        except urls.BadURLError:
            return None
        if not self.serves(canonical) or urls.is_file_url(url) or urls.is_file_url(canonical):
            return None  # another site's, or a file (a sitemap, an image, a PDF): no article
        if not self.article_url:
            return canonical if urls.looks_like_article(canonical) else None
        return canonical if self._article_path.search(urls.path_and_query(canonical)) else None

    def is_article_url(self, url: str) -> bool:
        """Whether `url` is one of the site's articles (not a listing, tag, feed or file)."""
        return self.article_canonical(url) is not None

    def page_class(self) -> type[ArticlePage]:
        """The page object reading the site's articles."""
        from newsarchive.pages import ArticlePage

        return self.page or ArticlePage

"""The registry of sources: one module per outlet in this package, each declaring a `SITE`.

Scrapy-free: the read side, `extract()` and URL canonicalization use it without a crawler.
Modules whose name starts with `_` are not sites.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache
from urllib.parse import urlsplit

from newsarchive import urls
from newsarchive.sites._site import Site

__all__ = [
    "BadSiteURLError",
    "Site",
    "UnknownSiteError",
    "all",
    "canonicalize",
    "for_url",
    "from_url",
    "get",
    "host_slug",
    "is_article_url",
]


class UnknownSiteError(ValueError):
    """A site name that no site module declares."""


class BadSiteURLError(ValueError):
    """A URL that cannot stand for a site to crawl (`crawl --url`): the reason, in one line."""


@cache
def _by_name() -> dict[str, Site]:
    found: dict[str, Site] = {}
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        site = getattr(module, "SITE", None)
        if not isinstance(site, Site) or site.name != module_info.name:
            raise TypeError(
                f"{module.__name__} must declare SITE = Site(name={module_info.name!r})"
            )
        found[site.name] = site
    return dict(sorted(found.items()))


@cache
def _by_host() -> dict[str, Site]:
    return {host: site for site in _by_name().values() for host in site.hosts}


def all() -> list[Site]:
    """Every declared site, sorted by name."""
    return list(_by_name().values())


def get(name: str) -> Site:
    """The site of that name, or UnknownSiteError listing the known ones."""
    known = _by_name()
    if name not in known:
        raise UnknownSiteError(f"unknown site {name!r}; known sites: {', '.join(known)}")
    return known[name]


def for_url(url: str) -> Site | None:
    """The site serving this URL, or None for a host no site declares."""
    return _by_host().get(urls.bare_host(urls.host_of(url)))


def canonicalize(url: str) -> str:
    """`urls.canonicalize` with the rules of the site the URL belongs to, if it is a known one."""
    site = for_url(url)
    return urls.canonicalize(url, site.url_rules if site else None)


def is_article_url(url: str) -> bool:
    """Whether `url` is an article of a known site (not a listing, tag, author, feed or file);
    for a host no site declares, the generic answer (`urls.looks_like_article`)."""
    site = for_url(url)
    if site is not None:
        return site.is_article_url(url)
    try:
        return urls.looks_like_article(urls.canonicalize(url))
    except urls.BadURLError:
        return False


def host_slug(host: str) -> str:
    """The name of a site given by its URL: its host as an ASCII slug (`www.some-outlet.gr` →
    `some_outlet_gr`)."""
    bare = urls.bare_host(host.lower()).removeprefix("www.")
    return re.sub(r"[^a-z0-9]+", "_", bare.encode("idna").decode("ascii")).strip("_")


def from_url(url: str, *, region: str = "") -> Site:
    """A site known only by its URL (`newsarchive crawl --url`): named after its host, read by
    the generic rules, its feeds, sitemaps and REST API found by autodiscovery.

    BadSiteURLError for a URL that is not http(s) with a host, or the host of a declared site
    (whose declaration knows better: crawl it by its name)."""
    try:
        scheme, _netloc, _path, _query, _fragment = urls.split_absolute(url)
    except urls.BadURLError as error:
        raise BadSiteURLError(str(error)) from None
    known = for_url(url)
    if known is not None:
        raise BadSiteURLError(f"{url} is the site {known.name!r}: crawl it by its name")
    parts = urlsplit(url.strip())
    host = urls.bare_host((parts.hostname or "").rstrip(".").lower())
    port = f":{parts.port}" if parts.port not in (None, urls.DEFAULT_PORTS[scheme]) else ""
    try:
        name = host_slug(host)
    except UnicodeError:
        raise BadSiteURLError(f"{url!r}: {host!r} is not a valid host name") from None
    return Site(
        name=name,
        outlet=host.removeprefix("www."),
        town="",
        region=region,
        base_url=f"{scheme}://{host}{port}",
        article_url="",
        autodiscover=True,
    )

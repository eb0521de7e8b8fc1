"""The registry of sources: one module per outlet in this package, each declaring a `SITE`.

Scrapy-free: the read side, `extract()` and URL canonicalization use it without a crawler.
Modules whose name starts with `_` are not sites.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from newsarchive import urls
from newsarchive.sites._site import Site

__all__ = ["Site", "UnknownSiteError", "all", "canonicalize", "for_url", "get", "is_article_url"]


class UnknownSiteError(ValueError):
    """A site name that no site module declares."""


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
    return _by_host().get(urls.host_of(url))


def canonicalize(url: str) -> str:
    """`urls.canonicalize` with the rules of the site the URL belongs to, if it is a known one."""
    site = for_url(url)
    return urls.canonicalize(url, site.url_rules if site else None)


def is_article_url(url: str) -> bool:
    """Whether `url` is an article of a known site (not a listing, tag, author, feed or file)."""
    site = for_url(url)
    return site is not None and site.is_article_url(url)

"""The registry of sources: every site module in `newsarchive.spiders`, by name and by host."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import TYPE_CHECKING

from newsarchive.urls import SiteURLRules, host_of

if TYPE_CHECKING:
    from newsarchive.pages import ArticlePage
    from newsarchive.spiders.base import NewsSpider

NOT_SITES = frozenset({"base"})


class UnknownSiteError(ValueError):
    """A site name that no spider has."""


@cache
def spiders() -> dict[str, type[NewsSpider]]:
    """Every site's spider class, by name, sorted."""
    from newsarchive import spiders as package
    from newsarchive.spiders.base import NewsSpider

    found: dict[str, type[NewsSpider]] = {}
    for module_info in pkgutil.iter_modules(package.__path__):
        if module_info.name in NOT_SITES:
            continue
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, NewsSpider)
                and value.__module__ == module.__name__
            ):
                found[value.name] = value
    return dict(sorted(found.items()))


def spider(name: str) -> type[NewsSpider]:
    """The spider of a site, or UnknownSiteError listing the known ones."""
    known = spiders()
    if name not in known:
        raise UnknownSiteError(f"unknown site {name!r}; known sites: {', '.join(known)}")
    return known[name]


@cache
def _by_host() -> dict[str, type[NewsSpider]]:
    return {host: cls for cls in spiders().values() for host in cls.site_hosts()}


def spider_for_url(url: str) -> type[NewsSpider] | None:
    """The spider whose site serves this URL, if any."""
    return _by_host().get(host_of(url))


def page_class_for_url(url: str) -> type[ArticlePage]:
    """The page object for a URL: the site's own, or the generic one."""
    from newsarchive.pages import ArticlePage

    found = spider_for_url(url)
    return found.page_class if found is not None else ArticlePage


def url_rules_for_host(host: str) -> SiteURLRules | None:
    """How a known site's URLs are normalized; None for other hosts."""
    found = _by_host().get(host)
    return found.url_rules() if found is not None else None

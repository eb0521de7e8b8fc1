"""One spider class per declared site, so that `scrapy list` and `scrapy crawl NAME` find them."""

from __future__ import annotations

from newsarchive import sites
from newsarchive.spiders.base import NewsSpider, spider_class

SPIDERS: dict[str, type[NewsSpider]] = {}
for _site in sites.all():
    _spider = spider_class(_site)
    _spider.__module__ = __name__  # Scrapy lists the spiders defined in this module
    SPIDERS[_site.name] = _spider
    globals()[_spider.__name__] = _spider
del _site, _spider  # only the named classes stay, so Scrapy lists each spider once


def spider(name: str) -> type[NewsSpider]:
    """The spider of a site; `sites.UnknownSiteError` for an unknown name."""
    return SPIDERS[sites.get(name).name]

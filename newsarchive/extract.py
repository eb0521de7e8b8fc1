"""One call from HTML to record: the site's page object by the URL's domain, or the generic one."""

from __future__ import annotations

from datetime import datetime

from newsarchive.items import Article
from newsarchive.sites import page_class_for_url
from newsarchive.urls import split_absolute


def extract(
    html: str, url: str, *, fetched_at: datetime | None = None, use_site_rules: bool = True
) -> Article:
    """The record of an article page; raises BadURLError for a URL that is not http(s)."""
    split_absolute(url)
    page_class = page_class_for_url(url)
    page = page_class(url, html, fetched_at=fetched_at, use_site_rules=use_site_rules)
    return page.to_item()

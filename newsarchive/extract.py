"""The one record path: a page (text or bytes as fetched) to its record.

The spider, `newsarchive extract` and re-extraction from stored pages all call these. The site's
page object is picked by the URL's host; any other site gets the generic one. No Scrapy, no
SQLAlchemy.
"""

from __future__ import annotations

from datetime import datetime

from newsarchive import sites
from newsarchive.encoding import decode_html
from newsarchive.items import Article, NotHTMLError, UndecodableError
from newsarchive.pages import ArticlePage
from newsarchive.urls import split_absolute

HTML_TYPES = ("text/html", "application/xhtml")


def extract(
    html: str, url: str, *, fetched_at: datetime | None = None, use_site_rules: bool = True
) -> Article:
    """The record of an article page; raises BadURLError for a URL that is not http(s)."""
    split_absolute(url)
    site = sites.for_url(url)
    page_class = site.page_class() if site else ArticlePage
    page = page_class(url, html, fetched_at=fetched_at, use_site_rules=use_site_rules, site=site)
    return page.to_item()


def from_response(
    body: bytes,
    content_type: str | bytes | None,
    url: str,
    *,
    fetched_at: datetime,
    use_site_rules: bool = True,
) -> Article:
    """The record of a page as fetched: bytes decoded whatever their charset, then `extract`.

    Raises NotHTMLError for a response declared as something else than HTML, UndecodableError
    when no encoding gives readable text, NotAnArticleError for pages without an article.
    """
    declared = content_type.decode("latin-1") if isinstance(content_type, bytes) else content_type
    if declared and not declared.strip().lower().startswith(HTML_TYPES):
        raise NotHTMLError(f"not an HTML page (Content-Type: {declared.strip()})")
    html = decode_html(body, declared)
    if html is None:
        raise UndecodableError("the page's bytes are text in no encoding a Greek page uses")
    return extract(html, url, fetched_at=fetched_at, use_site_rules=use_site_rules)

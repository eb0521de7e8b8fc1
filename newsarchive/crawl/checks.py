"""Responses that must never be taken for pages: cut short, challenge walls, empty bodies.

`ResponseCheckMiddleware` sits between decompression and everything that reads a body (meta
refresh, retries, the spider): a truncated or empty body is retried like a failed download
and then counted as an error; a challenge page (Cloudflare's "Just a moment…", captcha walls)
is counted as `blocked`, and after NEWSARCHIVE_BLOCKED_LIMIT of them the crawl gives up on the
site for this run rather than keep knocking. robots.txt is left to Scrapy.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response

from newsarchive.crawl.failures import Blocked, FetchError, GaveUp, give_up, given_up
from newsarchive.crawl.redirects import is_loop, loop_error

SCANNED = 65536
"""Bytes of a body searched for challenge markers: challenge pages are small."""

COMPLETE_ENDINGS = (
    b"</html>",
    b"</rss>",
    b"</feed>",
    b"</urlset>",
    b"</sitemapindex>",
    b"</rdf:rdf>",
)
"""How a document ends when nothing is missing (for bodies ended by a closed connection)."""

CHALLENGE_MARKERS: tuple[tuple[str, tuple[bytes, ...]], ...] = (
    ("Cloudflare challenge", (b"_cf_chl_opt", b"cf-chl-", b"cf_chl_", b"cf-browser-verification")),
    ("DDoS-Guard check", (b"ddos-guard.net/", b"check.ddos-guard")),
    ("Sucuri firewall", (b"sucuri_cloudproxy_js", b"sucuri website firewall")),
    ("Imperva block", (b"_incapsula_resource", b"incapsula incident id")),
    ("DataDome captcha", (b"captcha-delivery.com",)),
    ("PerimeterX captcha", (b"px-captcha",)),
)
"""Tokens that only a vendor's challenge or block page carries (not its scripts on real pages)."""

CHALLENGE_TITLES = (
    "just a moment",
    "attention required",
    "checking your browser",
    "please wait",
    "one more step",
    "access denied",
    "security check",
    "captcha",
    "are you a robot",
    "are you human",
    "verify you are human",
    "ddos-guard",
)
"""How the titles of challenge pages begin (a short title, in the first part of the page)."""

TITLE = re.compile(rb"<title[^>]*>([^<]{0,200})</title>", re.IGNORECASE)

logger = logging.getLogger(__name__)


def is_robots(request: Request) -> bool:
    """robots.txt, fetched by Scrapy's own middleware, which handles its failures."""
    return bool(request.meta.get("dont_obey_robotstxt")) and request.url.endswith("/robots.txt")


def truncated(response: Response) -> bool:
    """The body was cut short: data lost, or ended by a closed connection mid-document."""
    if "dataloss" in response.flags:
        return True
    return "partial" in response.flags and not looks_complete(response.body)


def looks_complete(body: bytes) -> bool:
    tail = body[-1024:].rstrip().lower()
    return tail.endswith(COMPLETE_ENDINGS) or tail.endswith((b"}", b"]"))


def challenge_of(body: bytes) -> str | None:
    """The kind of challenge or block page `body` is, or None for any other page."""
    head = body[:SCANNED].lower()
    for label, markers in CHALLENGE_MARKERS:
        if any(marker in head for marker in markers):
            return label
    title = TITLE.search(head)
    if title is not None:
        text = b" ".join(title.group(1).split()).decode("utf-8", "replace")
        if len(text) <= 60 and text.startswith(CHALLENGE_TITLES):
            return "challenge page"
    return None


class ResponseCheckMiddleware:
    """Turns truncated, challenge and empty responses into counted failures."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.blocked_limit = crawler.settings.getint("NEWSARCHIVE_BLOCKED_LIMIT")
        self.blocked = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> ResponseCheckMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if given_up(self.crawler) and not is_robots(request):
            raise GaveUp("the crawl gave up on this site")
        if is_loop(request):
            raise loop_error(request)

    def process_response(self, request: Request, response: Response) -> Response | Request:
        if is_robots(request):
            return response
        if given_up(self.crawler):
            raise GaveUp("the crawl gave up on this site")
        if truncated(response):
            return self.retry(request, "truncated", "the body was cut short")
        label = challenge_of(response.body)
        if label is not None:
            self.block(label)
            raise Blocked(label, f"{label}, HTTP {response.status}")
        if response.status == 200 and not response.body.strip():
            return self.retry(request, "empty body", "the server sent an empty body")
        return response

    def retry(self, request: Request, kind: str, message: str) -> Request:
        """The request again (as for a failed download), else the failure counted as `kind`."""
        again = get_retry_request(
            request, spider=self.crawler.spider, reason=kind, give_up_log_level=logging.DEBUG
        )
        if again is None:
            raise FetchError(kind, message)
        return again

    def block(self, label: str) -> None:
        self.blocked += 1
        if self.blocked_limit and self.blocked >= self.blocked_limit:
            give_up(self.crawler, f"blocked by {self.blocked} {label} pages")

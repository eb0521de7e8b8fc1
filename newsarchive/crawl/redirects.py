"""Redirect loops: a page that redirects to itself, or A → B → A, is a failure, not a duplicate.

Scrapy's scheduler drops a redirect to a URL it has already seen as a duplicate request, with
nothing counted, so an article behind a loop vanished from the crawl. `RedirectLoops` watches
the requests the scheduler drops: one whose URL is already in its own redirect chain is a loop.
One that leads to a URL requested some other way is a duplicate, unless that URL's own redirects
come back round: when the site's crawl ends, those are loops too (two listed articles
redirecting to each other). Each is counted as `errors/redirect loop` and
reported on one line. Loops of requests the scheduler does not filter (retries) are stopped by
`ResponseCheckMiddleware` (`is_loop`) with the same count.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, signals
from scrapy.http import Response
from w3lib.url import canonicalize_url

from newsarchive.crawl.failures import FetchError

REDIRECTS = (301, 302, 303, 307, 308)


def is_loop(request: Request) -> bool:
    """`request` came from redirects and leads back to a URL of its own chain."""
    chain = request.meta.get("redirect_urls")
    if not chain:
        return False
    target = canonicalize_url(request.url)
    return any(canonicalize_url(url) == target for url in chain)


def loop_error(request: Request) -> FetchError:
    chain = " → ".join([*request.meta["redirect_urls"], request.url])
    return FetchError("redirect loop", f"redirect loop: {chain}")


class RedirectLoops:
    """Counts and reports redirect loops that the scheduler would drop silently."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.redirects: dict[str, str] = {}
        """Where each URL answered with a redirect led (canonical URLs)."""
        self.deferred: list[Request] = []
        """Redirects dropped as duplicates of a URL requested some other way."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedirectLoops:
        extension = cls(crawler)
        crawler.signals.connect(extension.downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(extension.dropped, signal=signals.request_dropped)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def downloaded(self, response: Response, request: Request) -> None:
        if response.status not in REDIRECTS:
            return
        location = response.headers.get(b"Location")
        if location:
            target = canonicalize_url(response.urljoin(location.decode("latin-1")))
            self.redirects[canonicalize_url(request.url)] = target

    def dropped(self, request: Request) -> None:
        if is_loop(request):
            self.report(request, loop_error(request))
        elif request.meta.get("redirect_urls"):
            self.deferred.append(request)

    def closed(self, reason: str) -> None:
        if reason != "finished":
            return  # the site's crawl was cut short: its redirects may not have been followed
        for request in self.deferred:
            chain = self.circle([*request.meta["redirect_urls"], request.url])
            if chain:
                self.report(
                    request, FetchError("redirect loop", "redirect loop: " + " → ".join(chain))
                )

    def circle(self, chain: list[str]) -> list[str]:
        """`chain` continued by the redirects seen, when they lead back into it; else []."""
        path = [canonicalize_url(url) for url in chain]
        url = path[-1]
        while url in self.redirects:
            url = self.redirects[url]
            if url in path:
                return [*path, url]
            path.append(url)
        return []

    def report(self, request: Request, error: FetchError) -> None:
        reporter = getattr(self.crawler.spider, "report_failure", None)
        if reporter is not None:
            reporter(request.meta["redirect_urls"][0], error.kind, str(error))
        else:
            self.crawler.stats.inc_value(f"newsarchive/errors/{error.kind}")

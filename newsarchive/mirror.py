"""Serve a site's requests from a local mirror (the fixture server) without changing the crawl.

Requests keep their real URLs everywhere Scrapy looks (robots.txt, redirects, dedup, records);
only the bytes come from `NEWSARCHIVE_MIRROR`. A host that is not mirrored is refused while a
mirror is set, so a test or demo can never reach the network.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response


def mirror_base(mirror: Any, host: str) -> str | None:
    """The local base URL serving `host`, or None when the mirror does not serve it."""
    if isinstance(mirror, str):
        return mirror.rstrip("/")
    if isinstance(mirror, dict):
        base = mirror.get(host)
        return str(base).rstrip("/") if base else None
    return None


def mirrored_url(url: str, base: str) -> str:
    """`https://host/path?q` → `BASE/host/path?q`."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{base}/{parts.hostname}{parts.path or '/'}{query}"


class MirrorDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP handler, fetching from the mirror when one is configured."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.mirror = crawler.settings.get("NEWSARCHIVE_MIRROR")

    async def download_request(self, request: Request) -> Response:
        if not self.mirror:
            return await super().download_request(request)
        host = urlsplit(request.url).hostname or ""
        base = mirror_base(self.mirror, host)
        if base is None:
            raise IgnoreRequest(f"{host} is not served by the local mirror")
        response = await super().download_request(
            request.replace(url=mirrored_url(request.url, base))
        )
        return response.replace(url=request.url)

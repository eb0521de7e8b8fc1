"""Discovery endpoints as the crawl counts them: which answered, which did not and why.

A site's feeds, sitemaps, REST API, listings and date archives are its endpoints. The spider
uses every one it declares (deduplicated by canonical URL); one that is missing (an HTTP 4xx)
or answers something else (HTML where a feed, a sitemap or JSON was expected, bytes that do
not parse) is counted and noted, and discovery goes on with the others. The stats keys, under
`newsarchive/`:

- `endpoint_used/<kind>`: endpoint responses of that kind that gave what was expected;
- `endpoint_failed/<kind>`: those that did not (the count);
- `endpoint_note/<kind> <path>: <why>` = 1: one per failed endpoint, readable as it is
  (`endpoint_note/feed /feed/: answered HTML`);
- `endpoint_absent/<kind>`: autodiscovery's probes of standard paths that are not there (a
  site given by its URL need not have a `/sitemap_index.xml`): not failures.

`summary_line(stats)` turns them into the crawl summary's one line per site
(`endpoints: /feed/ answered HTML; used sitemap, listing`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

PREFIX = "newsarchive/"
USED = "endpoint_used"
FAILED = "endpoint_failed"
NOTE = "endpoint_note"
ABSENT = "endpoint_absent"
KINDS = ("feed", "sitemap", "rest", "listing", "archive", "home", "robots")
"""Endpoint kinds, in the order the summary names them."""

_HEAD = 65536
"""How far into a body its kind is looked for (a feed may open with a long comment)."""
_HTML = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_FEED = re.compile(rb"<(?:[\w-]+:)?(?:rss|feed|rdf)[\s>]", re.IGNORECASE)
_SITEMAP = re.compile(rb"<(?:[\w-]+:)?(?:urlset|sitemapindex)[\s>]", re.IGNORECASE)


def looks_like_html(body: bytes) -> bool:
    """The body is an HTML page (a home page, an error or login page served with 200)."""
    return bool(_HTML.search(body[:_HEAD]))


def why_not_feed(body: bytes) -> str | None:
    """Why a feed's body is no RSS/Atom feed, or None when it is one."""
    return _why_not(body, _FEED, "RSS or Atom")


def why_not_sitemap(body: bytes) -> str | None:
    """Why a (decompressed) sitemap's body is no sitemap, or None when it is one."""
    return _why_not(body, _SITEMAP, "a sitemap")


def _why_not(body: bytes, expected: re.Pattern[bytes], what: str) -> str | None:
    if expected.search(body[:_HEAD]):
        return None
    if not body.strip():
        return "answered an empty body"
    if looks_like_html(body):
        return "answered HTML"
    return f"answered something that is not {what}"


def note_key(kind: str, shown: str, why: str) -> str:
    """The stats key noting one failed endpoint (without the `newsarchive/` prefix)."""
    return f"{NOTE}/{kind} {shown}: {why}"


def failures(stats: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(kind, `<path>: <why>`) of each failed endpoint noted in a crawl's stats, sorted."""
    found = []
    for key in stats:
        if key.startswith(f"{PREFIX}{NOTE}/"):
            kind, _, what = key.removeprefix(f"{PREFIX}{NOTE}/").partition(" ")
            found.append((kind, what))
    return sorted(found)


def used(stats: Mapping[str, Any]) -> list[str]:
    """The endpoint kinds that answered in a crawl, in `KINDS` order."""
    counts = {kind: int(stats.get(f"{PREFIX}{USED}/{kind}", 0)) for kind in KINDS}
    return [kind for kind in KINDS if counts[kind] > 0]


def summary_line(stats: Mapping[str, Any]) -> str | None:
    """`endpoints: /feed/ answered HTML; used sitemap, listing` when an endpoint failed, else
    None (nothing to say)."""
    failed = failures(stats)
    if not failed:
        return None
    what = ", ".join(text.replace(": ", " ", 1) for _kind, text in failed)
    methods = used(stats)
    rest = f"used {', '.join(methods)}" if methods else "no other endpoint answered"
    return f"endpoints: {what}; {rest}"

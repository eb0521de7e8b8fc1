"""URL normalization: the one URL an article is known by, and dates written in URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref|ref_src|amp|"
    r"filter_by|share|shared|from)$",
    re.IGNORECASE,
)
"""Query parameters that never select a different article (`filter_by`: listing filters)."""

DEFAULT_PORTS = {"http": 80, "https": 443}
URL_DATE = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)")


class BadURLError(ValueError):
    """A URL newsarchive cannot work with."""


@dataclass(frozen=True)
class SiteURLRules:
    """How one outlet's URLs are normalized: its canonical origin and path rewrites."""

    origin: str
    """Scheme and host every variant maps to, e.g. `https://www.thessaliatv.gr`."""
    hosts: frozenset[str]
    """Every host name that serves the site (with and without `www.`)."""
    rewrites: tuple[tuple[re.Pattern[str], str], ...] = field(default=())
    """(pattern, replacement) applied to the path, in order."""

    def apply(self, path: str) -> str:
        """The canonical form of a path of this site."""
        for pattern, replacement in self.rewrites:
            path = pattern.sub(replacement, path)
        return path


def host_variants(host: str) -> frozenset[str]:
    """A host with and without its `www.` prefix."""
    bare = host.removeprefix("www.")
    return frozenset({bare, f"www.{bare}"})


def split_absolute(url: str) -> tuple[str, str, str, str, str]:
    """Split an absolute http(s) URL, or raise BadURLError saying what is wrong."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
        hostname = parts.hostname
    except ValueError as error:
        raise BadURLError(f"malformed URL {url!r}: {error}") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not hostname:
        raise BadURLError(f"not an absolute http(s) URL: {url!r} (expected https://host/path)")
    return scheme, parts.netloc, parts.path, parts.query, parts.fragment


def _normalize_origin(scheme: str, netloc: str) -> tuple[str, str]:
    parts = urlsplit(f"{scheme}://{netloc}")
    host = (parts.hostname or "").rstrip(".").lower()
    port = parts.port
    if scheme == "http" and port == 443:  # `http://host:443/...` seen on kosmoslarissa
        scheme, port = "https", None
    if port is not None and port != DEFAULT_PORTS[scheme]:
        return scheme, f"{host}:{port}"
    return scheme, host


def _drop_tracking(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(key, value) for key, value in pairs if not TRACKING_PARAMS.match(key)])


def canonicalize(url: str, rules: SiteURLRules | None = None) -> str:
    """The one URL an article is known by; raises BadURLError for a non-http(s) URL.

    Pure: a site's own forms apply only when its `rules` are given (`newsarchive.sites.canonicalize`
    looks them up by host).
    """
    scheme, netloc, path, query, _fragment = split_absolute(url)
    scheme, host = _normalize_origin(scheme, netloc)
    path = re.sub(r"/{2,}", "/", path) or "/"
    normalized = canonicalize_url(urlunsplit((scheme, host, path, _drop_tracking(query), "")))
    if rules is None or host not in rules.hosts:
        return normalized
    parts = urlsplit(normalized)
    origin = urlsplit(rules.origin)
    return urlunsplit((origin.scheme, origin.netloc, rules.apply(parts.path), parts.query, ""))


def host_of(url: str) -> str:
    """The lower-case host name of a URL, without a trailing dot."""
    return (urlsplit(url.strip()).hostname or "").rstrip(".").lower()


def path_and_query(url: str) -> str:
    """`/path?query` of an absolute URL."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def date_in_url(url: str) -> date | None:
    """The `/YYYY/MM/DD/` date of a URL path, if it has a valid one."""
    match = URL_DATE.search(urlsplit(url).path)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None

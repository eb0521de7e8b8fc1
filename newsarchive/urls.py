"""URL normalization: the one URL an article is known by, and dates written in URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref|ref_src|amp|"
    r"filter_by|share|shared|from)$",
    re.IGNORECASE,
)
"""Query parameters that never select a different article (`filter_by`: listing filters)."""

DEFAULT_PORTS = {"http": 80, "https": 443}
VARIANT_SEGMENTS = re.compile(r"(?:/(?:amp|email))+/?$")
"""Trailing path segments that serve another form of the same article: AMP (`/slug/amp/`) and
tagDiv's `/email/` share link."""
AMP_PREFIX = re.compile(r"^/amp(?=/.)")
"""AMP pages served under a leading `/amp/` (`/amp/2026/02/10/slug/`)."""
VARIANT_PARAMS = re.compile(r"^(output|format)$", re.IGNORECASE)
"""`?output=amp`, `?format=amp`: the AMP form of a page (only with these values)."""
URL_DATE = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)")
_DAY = r"((?:19|20)\d\d)(-?)(0[1-9]|1[0-2])\{}(0[1-9]|[12]\d|3[01])"
SEGMENT_DATE = re.compile(
    "^" + _DAY.format(2) + r"(?:$|[-_+.])|[-_+]" + _DAY.format(6) + r"(?:\.\w+)?$"
)
"""`2019-11-19` or `20251218` as a whole segment or at either end of one (`/2025-12-17-minisgl`,
`…-testimony-2019-11-19/`, `…-mathematics-20251218`); inside a slug a date is as likely the day
of the event it announces."""


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
    elif scheme == "https" and port == 80:  # the same oddity the other way: TLS is not on 80
        port = None
    host = bare_host(host)
    if port is not None and port != DEFAULT_PORTS[scheme]:
        return scheme, f"{host}:{port}"
    return scheme, host


def _drop_tracking(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(key, value) for key, value in pairs if not _is_variant_param(key, value)])


def _is_variant_param(key: str, value: str) -> bool:
    """A parameter that tracks or picks another form of the same page (AMP), not a page."""
    return bool(TRACKING_PARAMS.match(key)) or (
        bool(VARIANT_PARAMS.match(key)) and value.lower() == "amp"
    )


def _drop_variant_path(path: str) -> str:
    """The article's path without AMP, e-mail or print segments (`/slug/amp/` → `/slug/`)."""
    stripped = VARIANT_SEGMENTS.sub("", AMP_PREFIX.sub("", path))
    if path.endswith("/") and not stripped.endswith("/"):
        stripped += "/"
    return stripped or "/"


def canonicalize(url: str, rules: SiteURLRules | None = None) -> str:
    """The one URL an article is known by; raises BadURLError for a non-http(s) URL.

    Pure: a site's own forms apply only when its `rules` are given (`newsarchive.sites.canonicalize`
    looks them up by host).
    """
    scheme, netloc, path, query, _fragment = split_absolute(url)
    scheme, host = _normalize_origin(scheme, netloc)
    path = _drop_variant_path(re.sub(r"/{2,}", "/", path) or "/")
    normalized = canonicalize_url(urlunsplit((scheme, host, path, _drop_tracking(query), "")))
    if rules is None or host not in rules.hosts:
        return normalized
    parts = urlsplit(normalized)
    origin = urlsplit(rules.origin)
    return urlunsplit((origin.scheme, origin.netloc, rules.apply(parts.path), parts.query, ""))


def bare_host(host: str) -> str:
    """A host without the `amp.` of an AMP mirror (`amp.example.gr` → `example.gr`)."""
    return host.removeprefix("amp.") if host.count(".") >= 2 else host


def host_of(url: str) -> str:
    """The lower-case host name of a URL, without a trailing dot."""
    return (urlsplit(url.strip()).hostname or "").rstrip(".").lower()


def path_and_query(url: str) -> str:
    """`/path?query` of an absolute URL."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def date_in_url(url: str) -> date | None:
    """The date of a URL path, if it has a valid one: `/YYYY/MM/DD/`, or a segment that is,
    starts or ends with `YYYY-MM-DD` or `YYYYMMDD`."""
    path = urlsplit(url).path
    match = URL_DATE.search(path)
    if match is not None:
        return _valid_date(match[1], match[2], match[3])
    for segment in path.split("/"):
        found = SEGMENT_DATE.search(segment)
        if found is not None:
            year, _, month, day = found.groups()[:4] if found[1] else found.groups()[4:]
            return _valid_date(year, month, day)
    return None


def _valid_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


LISTING_SEGMENTS = frozenset(
    {
        "tag", "tags", "category", "categories", "categoria", "author", "authors", "feed",
        "feeds", "rss", "atom", "search", "page", "archive", "archives", "topics", "topic",
        "section", "sections", "wp-content", "wp-json", "wp-admin", "wp-includes",
        "wp-login.php", "xmlrpc.php", "cdn-cgi", "comments", "login", "register", "contact",
        "epikoinonia", "ετικέτα", "ετικετα", "κατηγορία", "κατηγορια", "συντάκτης",
    }
)  # fmt: skip
"""Path segments of listings, tags, authors, feeds, uploads and site pages, never articles
(WordPress, tagDiv, JNews and K2 use these words; the Greek ones are WordPress in Greek)."""
PAGE_EXTENSIONS = frozenset({"", ".html", ".htm", ".php", ".asp", ".aspx", ".shtml"})
"""A last segment with any other extension is a file (`.jpg`, `.pdf`, `.xml`, `.mp4` …)."""
NUMERIC_ID = re.compile(r"(?:^|[-_])\d{4,}(?:[-_.]|$)|^\d{4,}")
"""An id of four or more digits in a segment: `/news/185511/`, `/12345-slug`, `item/98765.html`."""
LISTING_QUERY = re.compile(r"(?:^|&)(?:s|page|paged|replytocom|cat|tag|author)=", re.IGNORECASE)
ITEM_ID = re.compile(r"\d+(?::[^&]*)?")
"""Joomla's item id, with or without its alias: `123`, `123:nea-gefyra`."""


def is_article_query(query: str) -> bool:
    """WordPress's `?p=123` shortlink, or Joomla/K2's `?view=item&id=123:alias` (`view=article`
    for Joomla's own articles), its parameters in any order."""
    params = dict(parse_qsl(query, keep_blank_values=True))
    if params.get("p", "").isdigit():
        return True
    return params.get("view") in ("item", "article") and bool(
        ITEM_ID.fullmatch(params.get("id", ""))
    )


SITE_PAGE = re.compile(
    r"privacy|cookie|terms|gdpr|aporrit|oroi-xrisis|epikoinon|contact|about-us|sxetika-me|"
    r"diafimis|advertis|newsletter|apor{1,2}ito"
)
"""Slugs of a site's own pages (privacy policy, terms, contact, advertising), not articles."""


def looks_like_article(url: str) -> bool:
    """The generic test for an article URL of a site newsarchive has no declaration of.

    Not the home page, a listing (tag, category, author, search, page N, a date archive), a feed
    or a file; and looks like an article: a dated path with a slug (`/2026/02/10/slug/`), a
    numeric id (`/news/185511/`, `?p=123`), or a long slug (three words or more)."""
    parts = urlsplit(url)
    segments = [unquote(segment).lower() for segment in parts.path.split("/") if segment]
    if LISTING_QUERY.search(parts.query):
        return False
    if parts.query and is_article_query(parts.query):
        return len(segments) <= 1 and _split_extension(segments[-1] if segments else "")[1] in (
            PAGE_EXTENSIONS
        )
    if not segments or any(segment in LISTING_SEGMENTS for segment in segments):
        return False
    stem, extension = _split_extension(segments[-1])
    if extension not in PAGE_EXTENSIONS or stem in ("index", "default", "home"):
        return False
    if SITE_PAGE.search(stem):
        return False
    if all(re.fullmatch(r"\d{1,4}", segment) for segment in segments):
        return False  # `/2026/`, `/2026/02/10/`: a date archive (or `/page-ish/2/`)
    return bool(NUMERIC_ID.search(stem)) or _is_long_slug(stem) or _has_dated_slug(segments)


def is_file_url(url: str) -> bool:
    """The URL names a file, not a page: its last path segment has an extension other than a
    page's (`.xml`, `.jpg`, `.pdf`, `.mp4` …; `.html`, `.php`, `.aspx` are pages)."""
    path = urlsplit(url).path
    segments = [segment for segment in path.split("/") if segment]
    if not segments or path.endswith("/"):
        return False
    return _split_extension(unquote(segments[-1]).lower())[1] not in PAGE_EXTENSIONS


def _split_extension(segment: str) -> tuple[str, str]:
    stem, dot, extension = segment.rpartition(".")
    if not dot or not re.fullmatch(r"[a-z][a-z0-9]{0,4}", extension):  # not `.5` of `2.5`
        return segment, ""
    return stem, f".{extension}"


def _is_long_slug(stem: str) -> bool:
    words = [word for word in re.split(r"[-_+\s]+", stem) if word]
    return len(words) >= 3 or len(stem) >= 30


def _has_dated_slug(segments: list[str]) -> bool:
    """`/YYYY/MM/slug` or `/YYYY/MM/DD/slug`: a date path followed by a slug."""
    path = "/" + "/".join(segments)
    return bool(re.search(r"/(?:19|20)\d\d/\d{1,2}/(?:\d{1,2}/)?[^/\d][^/]*$", path))

"""`ArticlePage`: one method per field, generic rules first, a site's selectors where it has them.

Rules, in order: JSON-LD → `<meta>`/microdata/`<time>` → the site's selectors → generic
fallbacks (trafilatura for the body, the date line under the headline, the URL's date).
No Scrapy import: a page is just a URL and its HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cached_property
from typing import Any, ClassVar, Generic, TypeVar
from urllib.parse import urljoin

from lxml.etree import _Element

from newsarchive import dom, metadata, text, urls
from newsarchive.dates import ATHENS, parse_date
from newsarchive.items import Article, Image

T = TypeVar("T")

TITLE_SEPARATOR = re.compile(r"\s+[-|–—:]\s+|\s*\|\s*")
UTC_SUFFIX = re.compile(r"(?:[+-]00:?00|Z)$")
DATE_LINE_MAX = 80
"""A date line is short: `27.02.2026 | 09:46`, `Δημοσίευση: 5 Φεβρουαρίου 2026, 14:30`."""


@dataclass(frozen=True)
class Found(Generic[T]):
    """A field value and the rule that produced it (`Article.provenance`)."""

    value: T
    rule: str
    raw: str | None = None


def first(*candidates: Callable[[], Found[T] | None]) -> Found[T] | None:
    """The first rule that finds something, tried lazily in order."""
    for candidate in candidates:
        found = candidate()
        if found is not None:
            return found
    return None


class ArticlePage:
    """A news article page; subclasses declare a site's selectors, nothing else."""

    site: ClassVar[str | None] = None
    """Spider name of the outlet; None for the generic page."""
    region: ClassVar[str | None] = None
    site_names: ClassVar[tuple[str, ...]] = ()
    """Names the site appends to titles (` - Thessalia TV`), besides og:site_name and the host."""
    headline_css: ClassVar[str | None] = None
    lead_css: ClassVar[str | None] = None
    body_css: ClassVar[str | None] = None
    """The article text container."""
    date_css: ClassVar[str | None] = None
    """The element holding the article's own date line (never a ticker or page header)."""
    section_css: ClassVar[str | None] = None
    section_pattern: ClassVar[str | None] = None
    """Regex with one group taking the section out of the `section_css` text."""
    authors_css: ClassVar[str | None] = None
    tags_css: ClassVar[str | None] = None
    remove_css: ClassVar[tuple[str, ...]] = ()
    """Elements inside the body container that are chrome (ticker, share bar)."""
    local_time_labeled_utc: ClassVar[bool] = False
    """The site writes Athens wall-clock time with a `+00:00` offset (e-thessalia)."""

    def __init__(
        self, url: str, html: str, *, fetched_at: datetime | None = None, use_site_rules: bool = True
    ) -> None:
        self.url = url
        self.html = html
        self.fetched_at = fetched_at or datetime.now(UTC)
        self.use_site_rules = use_site_rules

    # --- parsed views of the page ----------------------------------------------------------

    @cached_property
    def root(self) -> _Element:
        return dom.parse_html(self.html)

    @cached_property
    def jsonld(self) -> list[dict[str, Any]]:
        return metadata.jsonld_articles(self.root)

    @cached_property
    def meta(self) -> dict[str, list[str]]:
        return metadata.meta_tags(self.root)

    def site_css(self, css: str | None) -> list[_Element]:
        """Elements of a site selector; none when site rules are switched off."""
        if not self.use_site_rules or not css:
            return []
        return list(dom.iter_css(self.root, css))

    # --- rule helpers ------------------------------------------------------------------------

    def from_jsonld(self, key: str) -> Found[str] | None:
        for node in self.jsonld:
            value = metadata.jsonld_text(node.get(key))
            if value:
                return Found(value, "jsonld")
        return None

    def from_meta(self, *keys: str) -> Found[str] | None:
        for key in keys:
            if key in self.meta:
                return Found(self.meta[key][0], "meta")
        return None

    def from_microdata(self, prop: str) -> Found[str] | None:
        for element in metadata.microdata(self.root, prop):
            value = metadata.microdata_value(element)
            if value:
                return Found(value, "microdata")
        return None

    def from_selector(self, css: str | None) -> Found[str] | None:
        for element in self.site_css(css):
            value = dom.text_of(element)
            if value:
                return Found(value, "selector")
        return None

    # --- fields ------------------------------------------------------------------------------

    def headline(self) -> Found[str] | None:
        found = first(
            lambda: self.from_jsonld("headline"),
            lambda: self.from_meta("og:title", "twitter:title"),
            lambda: self.from_microdata("headline"),
            lambda: self.from_selector(self.headline_css),
            self._h1,
            self._title_tag,
        )
        if found is None:
            return None
        return Found(self.strip_site_name(text.normalize_line(found.value)), found.rule)

    def _h1(self) -> Found[str] | None:
        for element in self.root.iter("h1"):
            value = dom.text_of(element)
            if value:
                return Found(value, "fallback")
        return None

    def _title_tag(self) -> Found[str] | None:
        title = self.root.find(".//title")
        value = dom.text_of(title) if title is not None else ""
        return Found(value, "fallback") if value else None

    def known_site_names(self) -> list[str]:
        """Names this page's site goes by, for stripping title suffixes."""
        names = [*self.site_names, *self.meta.get("og:site_name", [])]
        host = urls.host_of(self.url).removeprefix("www.")
        names += [host, host.split(".")[0]]
        return [name for name in names if name]

    def strip_site_name(self, title: str) -> str:
        """A title without a trailing ` - Site`, ` | Site` or `– Site`."""
        names = {_squash(name) for name in self.known_site_names()}
        while True:
            separators = list(TITLE_SEPARATOR.finditer(title))
            if not separators or _squash(title[separators[-1].end() :]) not in names:
                return title.strip()
            title = title[: separators[-1].start()]

    def lead(self) -> Found[str] | None:
        found = first(
            lambda: self.from_selector(self.lead_css),
            lambda: self.from_jsonld("alternativeHeadline"),
            lambda: self.from_microdata("alternativeHeadline"),
        )
        return Found(text.normalize_line(found.value), found.rule) if found else None

    def body(self) -> Found[str] | None:
        found = first(self._body_from_selector, self._body_from_trafilatura)
        if found is None:
            return None
        cleaned = text.strip_boilerplate(found.value)
        return Found(cleaned, found.rule) if cleaned else None

    def _body_from_selector(self) -> Found[str] | None:
        for container in self.site_css(self.body_css):
            dom.clean_container(container, self.remove_css)
            body = text.join_paragraphs(dom.block_texts(container))
            if body:
                return Found(body, "selector")
        return None

    def _body_from_trafilatura(self) -> Found[str] | None:
        import trafilatura  # heavy: imported only when a page needs the fallback

        extracted = trafilatura.extract(
            self.html, url=self.url, include_comments=False, include_tables=False,
            include_images=False, deduplicate=False,
        )
        if not extracted:
            return None
        return Found(text.join_paragraphs(extracted.split("\n")), "fallback")

    def section(self) -> Found[str] | None:
        found = first(
            lambda: self.from_jsonld("articleSection"),
            lambda: self.from_meta("article:section"),
            self._section_from_selector,
        )
        return Found(text.normalize_line(found.value), found.rule) if found else None

    def _section_from_selector(self) -> Found[str] | None:
        found = self.from_selector(self.section_css)
        if found is None or not self.section_pattern:
            return found
        match = re.search(self.section_pattern, found.value)
        return Found(match[1].strip(), "selector") if match else None

    def tags(self) -> Found[list[str]] | None:
        for node in self.jsonld:
            keywords = metadata.jsonld_list(node.get("keywords"))
            if keywords:
                return Found(_split_keywords(keywords), "jsonld")
        if "article:tag" in self.meta:
            return Found(_split_keywords(self.meta["article:tag"]), "meta")
        values = [dom.text_of(element) for element in self.site_css(self.tags_css)]
        return Found(_unique(values), "selector") if any(values) else None

    def authors(self) -> Found[list[str]] | None:
        for node in self.jsonld:
            names = metadata.jsonld_list(node.get("author"))
            if names:
                return Found(self.clean_authors(names), "jsonld")
        found = self.from_meta("author", "article:author")
        if found:
            return Found(self.clean_authors([found.value]), "meta")
        values = [dom.text_of(element) for element in self.site_css(self.authors_css)]
        return Found(self.clean_authors(values), "selector") if any(values) else None

    def clean_authors(self, names: Iterable[str]) -> list[str]:
        """Bylines without labels, URLs or the site's own name."""
        site = {_squash(name) for name in self.known_site_names()}
        cleaned = []
        for name in names:
            name = re.sub(r"^(?:συντάκτης|συντάκτρια|από|by|του|της)\s*:?\s+", "", name.strip(),
                          flags=re.IGNORECASE)
            if name and "://" not in name and _squash(name) not in site:
                cleaned.append(text.normalize_line(name))
        return _unique(cleaned)

    def images(self) -> Found[list[Image]] | None:
        for node in self.jsonld:
            found = metadata.jsonld_list(node.get("image"))
            if found:
                return Found([Image(url=urljoin(self.url, src)) for src in found], "jsonld")
        found_meta = self.from_meta("og:image", "twitter:image")
        if found_meta:
            return Found([Image(url=urljoin(self.url, found_meta.value))], "meta")
        return None

    # --- dates -------------------------------------------------------------------------------

    def published(self) -> Found[datetime] | None:
        return first(
            lambda: self._structured_date(self.from_jsonld("datePublished")),
            lambda: self._structured_date(
                self.from_meta("article:published_time", "og:published_time", "dc.date",
                               "dc.date.issued", "dcterms.created", "date", "pubdate")
            ),
            lambda: self._structured_date(self.from_microdata("datePublished")),
            lambda: self._structured_date(self._time_element()),
            lambda: self._date_text(self.from_selector(self.date_css)),
            self._url_date,
            self._date_line,
        )

    def modified(self) -> Found[datetime] | None:
        return first(
            lambda: self._structured_date(self.from_jsonld("dateModified")),
            lambda: self._structured_date(
                self.from_meta("article:modified_time", "og:updated_time", "dc.date.modified")
            ),
            lambda: self._structured_date(self.from_microdata("dateModified")),
        )

    def _structured_date(self, found: Found[str] | None) -> Found[datetime] | None:
        """A machine-readable date; a site's mislabeled `+00:00` is read as Athens time."""
        if found is None:
            return None
        parsed = parse_date(found.value, now=self.fetched_at)
        if parsed is None:
            return None
        if self.local_time_labeled_utc:
            parsed = _reread_as_local(found.value, parsed, self.fetched_at)
        return Found(parsed, found.rule, raw=found.value)

    def _date_text(self, found: Found[str] | None) -> Found[datetime] | None:
        if found is None:
            return None
        parsed = parse_date(found.value, now=self.fetched_at)
        return Found(parsed, found.rule, raw=found.value) if parsed else None

    def _time_element(self) -> Found[str] | None:
        for element in self.root.iter("time"):
            value = element.get("datetime")
            if value and value.strip():
                return Found(value.strip(), "time")
        return None

    def _url_date(self) -> Found[datetime] | None:
        day = urls.date_in_url(self.url)
        if day is None:
            return None
        raw = f"/{day:%Y/%m/%d}/"
        return Found(datetime.combine(day, time(0, 0), tzinfo=ATHENS), "url", raw=raw)

    def _date_line(self) -> Found[datetime] | None:
        """The first short date-only element after the headline, never a ticker line."""
        h1 = next(self.root.iter("h1"), None)
        start = h1 if h1 is not None else self.root
        for element in start.itersiblings() if h1 is not None else start.iter():
            found = _date_only_text(element, self.fetched_at)
            if found is not None:
                return found
            for child in element.iter():
                found = _date_only_text(child, self.fetched_at)
                if found is not None:
                    return found
        return None

    # --- the record --------------------------------------------------------------------------

    def canonical_url(self) -> str:
        """The canonical form of the page URL, or of its `<link rel=canonical>` on the same site."""
        for link in self.root.iter("link"):
            if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
                declared = urljoin(self.url, str(link.get("href")))
                if urls.host_of(declared).removeprefix("www.") == urls.host_of(
                    self.url
                ).removeprefix("www."):
                    return urls.canonicalize(declared)
        return urls.canonicalize(self.url)

    def language(self) -> str:
        lang = (self.root.get("lang") or "").strip().lower()
        return lang.split("-")[0] if re.fullmatch(r"[a-z]{2}(?:[-_]\w+)?", lang) else "el"

    def to_item(self) -> Article:
        """The normalized record of this page."""
        fields: dict[str, Found[Any] | None] = {
            "headline": self.headline(), "lead": self.lead(), "body": self.body(),
            "section": self.section(), "tags": self.tags(), "authors": self.authors(),
            "images": self.images(), "published_at": self.published(),
            "modified_at": self.modified(),
        }
        values = {name: found.value for name, found in fields.items() if found is not None}
        provenance = {name: found.rule for name, found in fields.items() if found is not None}
        published, modified = fields["published_at"], fields["modified_at"]
        headline, lead, body = values.get("headline", ""), values.get("lead"), values.get("body", "")
        if lead and lead == headline:
            lead = None
        site = self.site or urls.host_of(self.url).removeprefix("www.")
        return Article(
            url=self.url, canonical_url=self.canonical_url(), site=site, region=self.region,
            headline=headline, lead=lead, body=body, section=values.get("section"),
            tags=values.get("tags", []), authors=values.get("authors", []),
            images=values.get("images", []), published_at=values.get("published_at"),
            published_raw=published.raw if published else None,
            modified_at=values.get("modified_at"),
            modified_raw=modified.raw if modified else None,
            language=self.language(), fetched_at=self.fetched_at,
            content_hash=text.content_hash(headline, lead, body), provenance=provenance,
        )


def _date_only_text(element: _Element, now: datetime) -> Found[datetime] | None:
    if not isinstance(element.tag, str) or element.tag in dom.DROP_TAGS or dom.is_chrome(element):
        return None
    own = " ".join((element.text or "").split())
    if not own or len(own) > DATE_LINE_MAX or text.TICKER_ITEM.search(f" {own}"):
        return None
    parsed = parse_date(own, now=now)
    return Found(parsed, "fallback", raw=own) if parsed else None


def _reread_as_local(raw: str, parsed: datetime, now: datetime) -> datetime:
    """Read a `+00:00`-labeled value as Athens wall-clock time (e-thessalia's markup)."""
    naive = UTC_SUFFIX.sub("", raw.strip())
    if naive == raw.strip():
        return parsed
    return parse_date(naive, now=now) or parsed


def _squash(name: str) -> str:
    """A site name folded for comparison: `Thessalia TV` = `thessaliatv`."""
    return re.sub(r"[\W_]+", "", text.fold(name))


def _split_keywords(values: Iterable[str]) -> list[str]:
    parts = (part.strip() for value in values for part in value.split(","))
    return _unique(text.normalize_line(part) for part in parts if part)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))

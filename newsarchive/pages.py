"""`ArticlePage`: one method per field, generic rules first, a site's selectors where it has them.

Rules, in order: JSON-LD → `<meta>` (OpenGraph, `article:*`, Dublin Core) → microdata →
`<time datetime>` → the site's selectors → generic fallbacks (paragraph density or trafilatura
for the body, the date line under the headline, the URL's date). Each field says which rule
produced it (`Article.provenance`). No Scrapy import: a page is just a URL and its HTML.
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

from newsarchive import body, dom, metadata, page_kind, sites, text, urls
from newsarchive.dates import ATHENS, parse_date
from newsarchive.items import Article, Image, NotAnArticleError

T = TypeVar("T")

TITLE_SEPARATOR = re.compile(r"\s+[-|–—:»]\s+|\s*\|\s*")
UTC_SUFFIX = re.compile(r"(?:[+-]00:?00|Z)$")
SIGNATURE_MAX = 80
"""A line naming the site is its signature or slogan when it is this short."""
DATE_LINE_MAX = 80
"""A date line is short: `27.02.2026 | 09:46`, `Δημοσίευση: 5 Φεβρουαρίου 2026, 14:30`."""
BYLINE_LABEL = re.compile(
    r"^(?:συντάκτης|συντάκτρια|συντάκτες|επιμέλεια|γράφει ο|γράφει η|γράφουν οι|γράφει|"
    r"γράφτηκε από|"
    r"του|της|των|από|by|posted by|author)\s*:?\s+",
    re.IGNORECASE,
)
NOT_A_PERSON = frozenset({"admin", "administrator", "newsroom", "συνταξη", "editor", "webmaster"})
"""Bylines that name a CMS account or the desk, not a person."""
CREDIT_TAIL = re.compile(r"\s*[(\[]?\s*(?:φωτο|φωτογραφία|φωτ\.|photo|πηγή)\s*:.*$", re.IGNORECASE)
LEAD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:sub-?title|subheading|sub-?head|lead|standfirst|deck|summary|"
    r"perilipsi|td-post-sub-title|jeg_post_subtitle)(?:$|[\s_-])",
    re.IGNORECASE,
)
BYLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:author|byline|writer|itemAuthor)(?:$|[\s_-]|-?name)", re.I
)
PUBLISHED_CLASS = re.compile(r"publish|entry-date|post-date|created|date", re.IGNORECASE)


@dataclass(frozen=True)
class Found(Generic[T]):
    """A field value and the rule that produced it (`Article.provenance`)."""

    value: T
    rule: str
    raw: str | None = None


def first(*candidates: Callable[[], Found[Any] | None]) -> Found[Any] | None:
    """The first rule that finds something, tried lazily in order."""
    for candidate in candidates:
        found = candidate()
        if found is not None:
            return found
    return None


class ArticlePage:
    """A news article page; subclasses declare a site's selectors, nothing else."""

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
        self,
        url: str,
        html: str,
        *,
        fetched_at: datetime | None = None,
        use_site_rules: bool = True,
        site: sites.Site | None = None,
    ) -> None:
        self.url = url
        self.site = site if site is not None else sites.for_url(url)
        """The outlet (its identity and names); None for a page of an unknown site."""
        self.html = html
        self.fetched_at = fetched_at or datetime.now(UTC)
        self.use_site_rules = use_site_rules

    # --- parsed views of the page ----------------------------------------------------------

    @cached_property
    def root(self) -> _Element:
        return dom.parse_html(self.html)

    @cached_property
    def jsonld(self) -> metadata.JsonLd:
        return metadata.jsonld(self.root)

    @cached_property
    def meta(self) -> dict[str, list[str]]:
        return metadata.meta_tags(self.root)

    @cached_property
    def scope(self) -> _Element | None:
        """The schema.org Article microdata scope, if the page has one."""
        return metadata.main_microdata_scope(self.root)

    @cached_property
    def main_h1(self) -> _Element | None:
        """The article's `<h1>`: not a logo, not in navigation, the longest of the rest."""
        names = self.squashed_site_names
        found = [
            element
            for element in self.root.iter("h1")
            if dom.text_of(element)
            and _squash(dom.text_of(element)) not in names
            and not dom.in_chrome(element)
        ]
        return max(found, key=lambda element: len(dom.text_of(element)), default=None)

    @cached_property
    def headline_element(self) -> _Element | None:
        """The element showing the headline: the main `<h1>`, or the h2/h3 with its text (K2)."""
        if self.main_h1 is not None:
            return self.main_h1
        wanted = text.fold(self.headline_text)
        return next(
            (
                e
                for e in self.root.iter("h2", "h3")
                if wanted and text.fold(dom.text_of(e)) == wanted
            ),
            None,
        )

    def site_css(self, css: str | None) -> list[_Element]:
        """Elements of a site selector; none when site rules are switched off."""
        if not self.use_site_rules or not css:
            return []
        if css not in self._selected:
            self._selected[css] = dom.select(self.root, css)
        return self._selected[css]

    @cached_property
    def _selected(self) -> dict[str, list[_Element]]:
        return {}

    # --- rule helpers ------------------------------------------------------------------------

    def from_jsonld(self, key: str) -> Found[str] | None:
        value = self.jsonld.text(key)
        return Found(value, "jsonld") if value else None

    def from_meta(self, *keys: str) -> Found[str] | None:
        for key in keys:
            if key in self.meta:
                return Found(self.meta[key][0], "meta")
        return None

    def from_microdata(self, prop: str) -> Found[str] | None:
        if self.scope is None:
            return None
        for element in metadata.microdata(self.scope, prop):
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

    # --- headline and lead ------------------------------------------------------------------

    def headline(self) -> Found[str] | None:
        return self._headline

    @cached_property
    def _headline(self) -> Found[str] | None:
        found = first(
            lambda: self.from_jsonld("headline"),
            lambda: self.from_meta("og:title", "twitter:title", "dc.title", "dcterms.title"),
            lambda: self.from_microdata("headline"),
            lambda: self.from_selector(self.headline_css),
            self._h1,
            self._title_tag,
        )
        if found is None:
            return None
        title = self.strip_site_name(text.normalize_line(found.value))
        h1 = self._h1()
        if h1 is not None and found.rule != "selector":
            title = _prefer_full_title(title, text.normalize_line(h1.value))
        return Found(title, found.rule)

    def _h1(self) -> Found[str] | None:
        if self.main_h1 is None:
            return None
        return Found(dom.text_of(self.main_h1), "fallback")

    def _title_tag(self) -> Found[str] | None:
        title = self.root.find(".//title")
        value = dom.text_of(title) if title is not None else ""
        return Found(value, "fallback") if value else None

    def known_site_names(self) -> list[str]:
        """Names this page's site goes by, for stripping title suffixes and bylines."""
        own = (self.site.outlet, *self.site.names) if self.site else ()
        names = [*own, *self.meta.get("og:site_name", [])]
        names += self.meta.get("application-name", [])
        names += self._title_suffix()
        host = urls.host_of(self.url).removeprefix("www.")
        names += [host, host.split(".")[0]]
        return [name for name in names if name]

    def _title_suffix(self) -> list[str]:
        """`Site` of a `<title>` reading `Headline | Site`, when the headline is an `<h1>`."""
        title = self.root.find(".//title")
        full = dom.text_of(title) if title is not None else ""
        for h1 in self.root.iter("h1"):
            heading = dom.text_of(h1)
            rest = full[len(heading) :] if heading and full.startswith(heading) else ""
            match = TITLE_SEPARATOR.match(rest)
            if match and rest[match.end() :]:
                return [rest[match.end() :]]
        return []

    @cached_property
    def squashed_site_names(self) -> frozenset[str]:
        return frozenset(_squash(name) for name in self.known_site_names())

    def strip_site_name(self, title: str) -> str:
        """A title without a trailing ` - Site`, ` | Site` or `– Site`."""
        names = self.squashed_site_names
        while True:
            separators = list(TITLE_SEPARATOR.finditer(title))
            if not separators or _squash(title[separators[-1].end() :]) not in names:
                return title.strip()
            title = title[: separators[-1].start()]

    def lead(self) -> Found[str] | None:
        return self._lead

    @cached_property
    def _lead(self) -> Found[str] | None:
        found = first(
            lambda: self.from_selector(self.lead_css),
            lambda: self.from_jsonld("alternativeHeadline"),
            lambda: self.from_microdata("alternativeHeadline"),
            self._lead_near_h1,
        )
        return Found(text.normalize_line(found.value), found.rule) if found else None

    def _lead_near_h1(self) -> Found[str] | None:
        """A subtitle element beside the headline (`td-post-sub-title`, `.subtitle`, `.lead`)."""
        if self.main_h1 is None:
            return None
        for scope in (self.main_h1.getparent(), *list(dom.ancestors(self.main_h1))[1:2]):
            if scope is None:
                continue
            for element in scope.iter():
                if element is self.main_h1 or not isinstance(element.tag, str):
                    continue
                marks = f"{element.get('class') or ''} {element.get('id') or ''}"
                if LEAD_CLASS.search(marks) and 20 <= len(value := dom.text_of(element)) <= 400:
                    return Found(value, "fallback")
        return None

    # --- body ---------------------------------------------------------------------------------

    @cached_property
    def _body(self) -> Found[list[dom.Paragraph]] | None:
        return first(
            lambda: self._paragraphs_of(self.site_css(self.body_css), "selector"),
            lambda: self._paragraphs_of(self._microdata_body(), "microdata"),
            lambda: self._paragraphs_of(body.best_containers(self.root), "fallback"),
            self._body_from_trafilatura,
        )

    def _microdata_body(self) -> list[_Element]:
        if self.scope is None:
            return []
        return metadata.microdata(self.scope, "articleBody")[:1]

    def _paragraphs_of(
        self, containers: list[_Element], rule: str
    ) -> Found[list[dom.Paragraph]] | None:
        found: list[dom.Paragraph] = []
        for container in containers:
            found.extend(dom.paragraphs(dom.cleaned_copy(container, self.remove_css)))
        kept = [paragraph for paragraph in found if paragraph.link_density < 0.6]
        return Found(kept, rule) if sum(len(p.text) for p in kept) >= 80 else None

    def _body_from_trafilatura(self) -> Found[list[dom.Paragraph]] | None:
        import trafilatura  # heavy: imported only when no other rule finds the text

        extracted = trafilatura.extract(
            self.html, url=self.url, include_comments=False, include_tables=False
        )
        if not extracted:
            return None
        return Found([dom.Paragraph(line, 0) for line in extracted.split("\n")], "fallback")

    @cached_property
    def body_text(self) -> Found[str] | None:
        """The body, cleaned: no headline or lead repeated, no date-only lines, no chrome."""
        if self._body is None:
            return None
        lines = [
            paragraph.text
            for paragraph in self._body.value
            if not self._repeats_title(paragraph.text) and not self._is_date_only(paragraph.text)
        ]
        lines = self._without_signatures(lines)
        cleaned = text.strip_boilerplate(text.join_paragraphs(lines))
        cleaned = page_kind.without_credit_line(cleaned)
        return Found(cleaned, self._body.rule) if cleaned else None

    def body(self) -> Found[str] | None:
        return self.body_text

    def raw_paragraphs(self) -> list[str]:
        """The body's paragraphs before any cleanup."""
        return [paragraph.text for paragraph in self._body.value] if self._body else []

    def _without_signatures(self, lines: list[str]) -> list[str]:
        """Lines without the site's signature (`Αρχείo Λάρισα News`, `Γ.Δ. kosmoslarissa.gr`)."""
        names = [name for name in self.squashed_site_names if len(name) >= 4]
        kept: list[str] = []
        for line in lines:
            if len(line) <= SIGNATURE_MAX and any(name in _squash(line) for name in names):
                if kept and len(kept[-1]) < 25 and not text.SENTENCE_END.search(kept[-1]):
                    kept.pop()  # a dangling `από το` that led into the signature
                continue
            kept.append(line)
        return kept

    def _repeats_title(self, line: str) -> bool:
        """Whether a body line is the headline or the lead again."""
        for title in (self.headline_text, self.lead_text or ""):
            if title and abs(len(line) - len(title)) <= 3 and text.fold(line) == text.fold(title):
                return True
        return False

    def _is_date_only(self, line: str) -> bool:
        return (
            len(line) <= 60
            and any(char.isdigit() for char in line)
            and parse_date(line, now=self.fetched_at) is not None
            and not (re.search(r"[.!;»]$", line) and len(line.split()) > 6)
        )

    @cached_property
    def headline_text(self) -> str:
        found = self.headline()
        return found.value if found else ""

    @cached_property
    def lead_text(self) -> str | None:
        found = self.lead()
        return found.value if found else None

    # --- section, tags, authors, images ------------------------------------------------------

    def section(self) -> Found[str] | None:
        found = first(
            lambda: self.from_jsonld("articleSection"),
            lambda: self.from_meta("article:section"),
            lambda: self.from_microdata("articleSection"),
            self._section_from_selector,
            self._section_from_breadcrumb,
        )
        return Found(text.normalize_line(found.value), found.rule) if found else None

    def _section_from_selector(self) -> Found[str] | None:
        found = self.from_selector(self.section_css)
        if found is None or not self.section_pattern:
            return found
        match = re.search(self.section_pattern, found.value)
        return Found(match[1].strip(), "selector") if match else None

    def _section_from_breadcrumb(self) -> Found[str] | None:
        """The crumb before the article's own in a JSON-LD BreadcrumbList."""
        crumbs = metadata.breadcrumbs(self.root)
        headline = text.fold(self.headline_text)
        names = [name for name in crumbs if text.fold(name) != headline]
        return Found(names[-1], "jsonld") if len(names) >= 2 else None

    def tags(self) -> Found[list[str]] | None:
        for value in self.jsonld.values("keywords"):
            keywords = self.jsonld.texts(value)
            if keywords:
                return Found(_split_keywords(keywords), "jsonld")
        for key in ("article:tag", "news_keywords", "keywords"):
            if key in self.meta and key != "keywords":
                return Found(_split_keywords(self.meta[key]), "meta")
        values = [dom.text_of(element) for element in self.site_css(self.tags_css)]
        values = values or [dom.text_of(a) for a in self.root.iter("a") if _is_rel(a, "tag")]
        return (
            Found(_unique(values), "selector" if self.tags_css else "fallback")
            if any(values)
            else None
        )

    def authors(self) -> Found[list[str]] | None:
        for value in self.jsonld.values("author"):
            names = self.clean_authors(self.jsonld.texts(value))
            if names:
                return Found(names, "jsonld")
        candidates: list[tuple[str, Callable[[], list[str]]]] = [
            ("selector", lambda: [dom.text_of(e) for e in self.site_css(self.authors_css)]),
            ("meta", lambda: self.meta.get("author", []) + self.meta.get("dc.creator", [])),
            ("microdata", self._microdata_authors),
            ("fallback", self._byline_near_headline),
            (
                "fallback",
                lambda: [dom.text_of(a) for a in self.root.iter("a") if _is_rel(a, "author")],
            ),
        ]
        for rule, values in candidates:
            names = self.clean_authors(values())
            if names:
                return Found(names, rule)
        return None

    def _byline_near_headline(self) -> list[str]:
        """The text of an `author`/`byline`-classed element in the headline's block."""
        anchor = self.headline_element
        scope = anchor.getparent() if anchor is not None else None
        for block in (scope, scope.getparent() if scope is not None else None):
            if block is None:
                continue
            for element in block.iter():
                marks = f"{element.get('class') or ''} {element.get('id') or ''}"
                if isinstance(element.tag, str) and BYLINE_CLASS.search(marks):
                    names = [dom.text_of(a) for a in element.iter("a")] or [dom.text_of(element)]
                    names = [name for name in names if 0 < len(name) <= 60]
                    if names:
                        return names
        return []

    def _microdata_authors(self) -> list[str]:
        if self.scope is None:
            return []
        return [metadata.microdata_value(e) for e in metadata.microdata(self.scope, "author")]

    def clean_authors(self, names: Iterable[str]) -> list[str]:
        """Bylines without labels, URLs, desk accounts or the site's own name."""
        site = self.squashed_site_names
        cleaned = []
        for name in names:
            name = BYLINE_LABEL.sub("", text.normalize_line(name)).strip(" ,.-–|")
            squashed = _squash(name)
            if (
                name
                and "://" not in name
                and len(name) <= 60
                and squashed not in site
                and not any(squashed.startswith(s) or squashed.endswith(s) for s in site if s)
                and text.fold(name) not in NOT_A_PERSON
            ):
                cleaned.append(name)
        return _unique(cleaned)

    def images(self) -> Found[list[Image]] | None:
        found: dict[str, Image] = {}
        rule = None
        for value in self.jsonld.values("image"):
            for item in value if isinstance(value, list) else [value]:
                image = self._jsonld_image(self.jsonld.resolve(item))
                if image and image.url not in found:
                    found[image.url] = image
                    rule = rule or "jsonld"
        for src in self.meta.get("og:image", []) + self.meta.get("twitter:image", []):
            if urljoin(self.url, src) not in found:
                found[urljoin(self.url, src)] = Image(url=urljoin(self.url, src))
                rule = rule or "meta"
        for image in self._figures():
            if image.url in found and image.caption and not found[image.url].caption:
                found[image.url].caption = image.caption
            elif image.url not in found:
                found[image.url] = image
                rule = rule or "fallback"
        return Found(list(found.values()), rule) if rule else None

    def _jsonld_image(self, node: Any) -> Image | None:
        url = metadata.jsonld_image_url(node)
        if not url:
            return None
        caption = node.get("caption") if isinstance(node, dict) else None
        return Image(url=urljoin(self.url, url), caption=_caption(caption))

    def _figures(self) -> Iterable[Image]:
        """Pictures inside the body container, with their captions."""
        containers = self.site_css(self.body_css) or self._microdata_body()
        if not containers and self._body is not None and self._body.rule == "fallback":
            containers = body.best_containers(self.root)
        for container in containers:
            for figure in container.iter("figure", "div"):
                if figure.tag == "div" and "caption" not in (figure.get("class") or ""):
                    continue
                image = figure.find(".//img")
                src = image.get("data-src") or image.get("src") if image is not None else None
                if src and not src.startswith("data:"):
                    caption = figure.find(".//figcaption")
                    if caption is None:
                        caption = next(
                            (e for e in figure.iter() if "caption-text" in (e.get("class") or "")),
                            None,
                        )
                    text_ = dom.text_of(caption) if caption is not None else None
                    yield Image(url=urljoin(self.url, src), caption=_caption(text_))

    # --- dates -------------------------------------------------------------------------------

    def published(self) -> Found[datetime] | None:
        found = first(
            lambda: self._structured_date(self.from_jsonld("datePublished")),
            lambda: self._structured_date(
                self.from_meta(
                    "article:published_time",
                    "og:published_time",
                    "article:published",
                    "dc.date",
                    "dc.date.issued",
                    "dcterms.created",
                    "dcterms.issued",
                    "date",
                    "pubdate",
                    "publishdate",
                )
            ),
            lambda: self._structured_date(self.from_microdata("datePublished")),
            lambda: self._structured_date(self._time_element()),
            lambda: self._date_text(self.from_selector(self.date_css)),
        )
        return found or self._date_line_or_url()

    def modified(self) -> Found[datetime] | None:
        return first(
            lambda: self._structured_date(self.from_jsonld("dateModified")),
            lambda: self._structured_date(
                self.from_meta(
                    "article:modified_time",
                    "og:updated_time",
                    "dc.date.modified",
                    "dcterms.modified",
                )
            ),
            lambda: self._structured_date(self.from_microdata("dateModified")),
        )

    def _structured_date(self, found: Found[str] | None) -> Found[datetime] | None:
        """A machine-readable date; a `+00:00` label on Athens wall-clock time is read as local."""
        if found is None:
            return None
        parsed = parse_date(found.value, now=self.fetched_at)
        if parsed is None:
            return None
        if UTC_SUFFIX.search(found.value.strip()) and (
            self.local_time_labeled_utc or self._shown_as_local(found.value)
        ):
            parsed = _reread_as_local(found.value, parsed, self.fetched_at)
        return Found(parsed, found.rule, raw=found.value)

    def _shown_as_local(self, raw: str) -> bool:
        """Whether the page shows the `+00:00` value's clock time as is (e-thessalia's markup)."""
        wall = parse_date(UTC_SUFFIX.sub("", raw.strip()), now=self.fetched_at)
        if wall is None:
            return False
        for element in self.root.iter("time"):
            shown = parse_date(dom.text_of(element), now=self.fetched_at)
            if shown is not None and shown.replace(second=0) == wall.replace(second=0):
                return True
        return False

    def _date_text(self, found: Found[str] | None) -> Found[datetime] | None:
        if found is None:
            return None
        parsed = parse_date(found.value, now=self.fetched_at)
        return Found(parsed, found.rule, raw=found.value) if parsed else None

    def _time_element(self) -> Found[str] | None:
        """The `<time datetime>` of the article: marked as published, or the first after the h1."""
        times = [
            element
            for element in self.root.iter("time")
            if (element.get("datetime") or "").strip() and not dom.in_chrome(element)
        ]
        marked = [
            t for t in times if PUBLISHED_CLASS.search(f"{t.get('class')} {t.get('itemprop')}")
        ]
        after_h1 = [t for t in times if self._follows_h1(t)]
        chosen = next(iter(after_h1 or marked or (times if len(times) == 1 else [])), None)
        return Found(str(chosen.get("datetime")).strip(), "time") if chosen is not None else None

    def _follows_h1(self, element: _Element) -> bool:
        if self.main_h1 is None:
            return False
        order = self._document_order
        return order.get(element, -1) > order.get(self.main_h1, 0)

    @cached_property
    def _document_order(self) -> dict[_Element, int]:
        return {element: index for index, element in enumerate(self.root.iter())}

    def _date_line_or_url(self) -> Found[datetime] | None:
        """The date line under the headline when it agrees with the URL's date; else the URL's."""
        line, day = self._date_line(), self._url_date()
        if line is not None and (day is None or line.value.date() == day.value.date()):
            return line
        return day

    def _url_date(self) -> Found[datetime] | None:
        day = urls.date_in_url(self.url)
        if day is None:
            return None
        raw = f"/{day:%Y/%m/%d}/"
        return Found(datetime.combine(day, time(0, 0), tzinfo=ATHENS), "url", raw=raw)

    def _date_line(self) -> Found[datetime] | None:
        """The first short date-only element after the headline (or beside it), never a ticker."""
        anchor = self.headline_element
        if anchor is None:
            return None
        start = self._document_order.get(anchor, 0)
        following = (e for e, index in self._document_order.items() if index > start)
        beside = anchor.itersiblings(preceding=True)
        for element in (*following, *beside):
            found = _date_only_text(element, self.fetched_at)
            if found is not None:
                return found
        return None

    # --- the record --------------------------------------------------------------------------

    def canonical_url(self) -> str:
        """The canonical form of the page URL, or of its `<link rel=canonical>` on the same site."""
        for link in self.root.iter("link"):
            if _is_rel(link, "canonical") and link.get("href"):
                declared = urljoin(self.url, str(link.get("href")))
                if _same_site(declared, self.url):
                    return sites.canonicalize(declared)
        return sites.canonicalize(self.url)

    def language(self) -> str:
        lang = (self.root.get("lang") or "").strip().lower()
        return lang.split("-")[0] if re.fullmatch(r"[a-z]{2}(?:[-_]\w+)?", lang) else "el"

    def kind(self) -> page_kind.Verdict:
        """Article, teaser or not an article, from the page's own signals."""
        return page_kind.judge(self)

    def to_item(self) -> Article:
        """The normalized record of this page; NotAnArticleError for listings and empty pages."""
        verdict = self.kind()
        if verdict.not_article:
            raise NotAnArticleError(verdict.not_article)
        fields: dict[str, Found[Any] | None] = {
            "headline": self.headline(),
            "lead": self.lead(),
            "body": self.body(),
            "section": self.section(),
            "tags": self.tags(),
            "authors": self.authors(),
            "images": self.images(),
            "published_at": self.published(),
            "modified_at": self.modified(),
        }
        values = {name: found.value for name, found in fields.items() if found is not None}
        provenance = {name: found.rule for name, found in fields.items() if found is not None}
        published, modified = fields["published_at"], fields["modified_at"]
        headline, lead, body_ = (
            values.get("headline", ""),
            values.get("lead"),
            values.get("body", ""),
        )
        if lead and lead == headline:
            lead = None
        return Article(
            url=self.url,
            canonical_url=self.canonical_url(),
            site=self.site.name if self.site else urls.host_of(self.url).removeprefix("www."),
            region=self.site.region if self.site else None,
            headline=headline,
            lead=lead,
            body=body_,
            section=values.get("section"),
            tags=values.get("tags", []),
            authors=values.get("authors", []),
            images=values.get("images", []),
            published_at=values.get("published_at"),
            published_raw=published.raw if published else None,
            modified_at=values.get("modified_at"),
            modified_raw=modified.raw if modified else None,
            language=self.language(),
            fetched_at=self.fetched_at,
            content_hash=text.content_hash(headline, lead, body_),
            provenance=provenance,
            is_teaser=verdict.teaser,
            source_credit=verdict.source_credit,
        )


def _date_only_text(element: _Element, now: datetime) -> Found[datetime] | None:
    if not isinstance(element.tag, str) or element.tag in dom.DROP_TAGS:
        return None
    own = " ".join((element.text or "").split())
    if not own or len(own) > DATE_LINE_MAX or text.TICKER_ITEM.search(f" {own}"):
        return None
    if dom.in_navigation(element):
        return None
    parsed = parse_date(own, now=now)
    return Found(parsed, "fallback", raw=own) if parsed else None


def _reread_as_local(raw: str, parsed: datetime, now: datetime) -> datetime:
    """Read a `+00:00`-labeled value as Athens wall-clock time (e-thessalia's markup)."""
    naive = UTC_SUFFIX.sub("", raw.strip())
    if naive == raw.strip():
        return parsed
    return parse_date(naive, now=now) or parsed


def _prefer_full_title(title: str, h1: str) -> str:
    """The h1 when the structured title is a cut or suffixed form of it (`Τίτλος…`)."""
    stem = title.rstrip(".… ")
    if (
        h1
        and h1 != title
        and len(h1) > len(stem)
        and h1.startswith(stem)
        and (title.endswith(("…", "...")) or len(stem) >= 0.6 * len(h1))
    ):
        return h1
    if h1 and title.startswith(h1) and TITLE_SEPARATOR.match(title[len(h1) :]):
        return h1
    return title


def _caption(value: Any) -> str | None:
    """A caption without its photo credit."""
    if not isinstance(value, str):
        return None
    caption = CREDIT_TAIL.sub("", text.normalize_line(value)).strip(" -–|")
    return caption or None


def _is_rel(element: _Element, rel: str) -> bool:
    return rel in (element.get("rel") or "").lower().split()


def _same_site(one: str, other: str) -> bool:
    return urls.host_of(one).removeprefix("www.") == urls.host_of(other).removeprefix("www.")


def _squash(name: str) -> str:
    """A site name folded for comparison: `Thessalia TV` = `thessaliatv`."""
    return re.sub(r"[\W_]+", "", text.fold(name))


def _split_keywords(values: Iterable[str]) -> list[str]:
    parts = (part.strip() for value in values for part in value.split(","))
    return _unique(text.normalize_line(part) for part in parts if part)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))

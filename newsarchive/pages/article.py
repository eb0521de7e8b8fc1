"""`ArticlePage`: one short method per record field, generic rules first, selectors where given.

Rules, in order: JSON-LD → `<meta>` (OpenGraph, `article:*`, Dublin Core) → microdata →
`<time datetime>` → the site's selectors → generic fallbacks (paragraph density or trafilatura
for the body, the date line under the headline, the URL's date). Each field method is registered
with `@record_field`, so `to_item()` and `Article.provenance` come from the registry. No Scrapy,
no I/O: a page is its URL and its HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, ClassVar, TypeVar
from urllib.parse import urljoin, urlsplit

from lxml.etree import _Element

from newsarchive import sites, text, urls
from newsarchive.items import Article, Image, NotAnArticleError
from newsarchive.pages import body as bodies
from newsarchive.pages import bylines, dating, dom, metadata
from newsarchive.pages import headline as titles
from newsarchive.pages import images as pictures
from newsarchive.pages import kind as verdicts
from newsarchive.pages import taxonomy as tax
from newsarchive.pages.document import Document
from newsarchive.pages.found import Found, first

F = TypeVar("F", bound=Callable[..., Any])
HEADLINE_META = ("og:title", "twitter:title", "dc.title", "dcterms.title")
AUTHOR_META = ("author", "dc.creator")


def record_field(name: str) -> Callable[[F], F]:
    """Registers a method as the rule chain of one `Article` field."""

    def mark(method: F) -> F:
        method.record_field = name  # type: ignore[attr-defined]
        return method

    return mark


class ArticlePage:
    """A news article page; subclasses declare a site's or a CMS family's selectors."""

    fields: ClassVar[dict[str, str]] = {}
    """Record field → name of the method producing it (collected from `@record_field`)."""
    headline_css: ClassVar[str | None] = None
    lead_css: ClassVar[str | None] = None
    body_css: ClassVar[str | None] = None
    """The article text container."""
    date_css: ClassVar[str | None] = None
    """The element holding the article's own date line (never a ticker or page header)."""
    modified_css: ClassVar[str | None] = None
    """The element holding the article's `last updated` line."""
    section_css: ClassVar[str | None] = None
    section_pattern: ClassVar[str | None] = None
    """Regex with one group taking the section out of the `section_css` text."""
    authors_css: ClassVar[str | None] = None
    tags_css: ClassVar[str | None] = None
    picture_css: ClassVar[str | None] = None
    """The lead picture's box, outside the body (K2's image block, tagDiv's featured image)."""
    picture_caption_css: ClassVar[str | None] = None
    """Its caption, inside the box, when it is no `<figcaption>`."""
    remove_css: ClassVar[tuple[str, ...]] = ()
    """Elements inside the body container that are chrome (ticker, share bar)."""
    local_time_labeled_utc: ClassVar[bool] = False
    """The site writes Athens wall-clock time with a `+00:00` offset (e-thessalia)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.fields = _registered(cls)

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
        self.fetched_at = fetched_at or datetime.now(UTC)
        self.use_site_rules = use_site_rules
        self.site = site if site is not None else sites.for_url(url)
        """The outlet (its identity and names); None for a page of an unknown site."""
        own = (self.site.outlet, *self.site.names) if self.site else ()
        self.doc = Document(url, html, own)
        self.refusals: dict[str, str] = {}
        """Why a field was left empty although a rule saw a candidate (in the provenance)."""

    # --- rule helpers ------------------------------------------------------------------------

    def site_css(self, css: str | None) -> list[_Element]:
        """Elements of a site selector; none when site rules are switched off."""
        if not self.use_site_rules or not css:
            return []
        if css not in self._selected:
            self._selected[css] = dom.select(self.doc.root, css)
        return self._selected[css]

    @cached_property
    def _selected(self) -> dict[str, list[_Element]]:
        return {}

    def from_jsonld(self, key: str) -> Found[str] | None:
        value = self.doc.jsonld.text(key)
        return Found(value, "jsonld") if value else None

    def from_meta(self, *keys: str) -> Found[str] | None:
        for key in keys:
            if key in self.doc.meta:
                return Found(self.doc.meta[key][0], "meta")
        return None

    def from_microdata(self, prop: str) -> Found[str] | None:
        if self.doc.scope is None:
            return None
        for element in metadata.microdata(self.doc.scope, prop):
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

    @record_field("headline")
    def headline(self) -> Found[str] | None:
        return self._headline

    @cached_property
    def _headline(self) -> Found[str] | None:
        found = first(
            lambda: self.from_jsonld("headline"),
            lambda: self.from_meta(*HEADLINE_META),
            lambda: self.from_microdata("headline"),
            lambda: self.from_selector(self.headline_css),
            lambda: titles.from_h1(self.doc),
            lambda: titles.from_title_tag(self.doc),
        )
        return titles.clean_headline(self.doc, found) if found else None

    @cached_property
    def headline_text(self) -> str:
        found = self.headline()
        return found.value if found else ""

    @cached_property
    def headline_element(self) -> _Element | None:
        return titles.headline_element(self.doc, self.headline_text)

    @record_field("lead")
    def lead(self) -> Found[str] | None:
        return self._lead

    @cached_property
    def _lead(self) -> Found[str] | None:
        found = first(
            lambda: self.from_selector(self.lead_css),
            lambda: self.from_jsonld("alternativeHeadline"),
            lambda: self.from_microdata("alternativeHeadline"),
            lambda: titles.lead_near_h1(self.doc),
        )
        if found is None or text.normalize_line(found.value) == self.headline_text:
            return None
        return Found(text.normalize_line(found.value), found.rule)

    @cached_property
    def lead_text(self) -> str | None:
        found = self.lead()
        return found.value if found else None

    # --- body ---------------------------------------------------------------------------------

    @cached_property
    def found_body(self) -> bodies.Body | None:
        """The first body rule whose text, cleaned, reads as an article; else the best try.

        A rule whose paragraphs the cleanup empties, or leaves with less prose than an article
        (a cookie or newsletter box), found nothing: the next one is asked, trafilatura last.
        """
        cleanup = bodies.Cleanup(
            self.headline_text, self.lead_text, self.doc.squashed_site_names, self.fetched_at
        )
        rules: list[tuple[str, Callable[[], list[_Element]]]] = [
            ("selector", lambda: self.site_css(self.body_css)),
            ("microdata", self._microdata_body),
            ("fallback", lambda: self.doc.body_candidates),
            ("fallback", self._main_area),
        ]
        tries: list[bodies.Body] = []
        for rule, containers_of in rules:
            containers = containers_of()
            paragraphs = [p.text for p in bodies.paragraphs_of(containers, self.remove_css)]
            found = self._cleaned(cleanup, rule, paragraphs, containers)
            # The site's own selector is trusted: its pages are articles, however short.
            if found is not None and (rule == "selector" or bodies.reads_as_article(found.text)):
                density = rule == "fallback" and containers is self.doc.body_candidates
                return self._second_opinion(found, cleanup) if density else found
            tries += [found] if found is not None else []
        paragraphs = [p.text for p in bodies.from_trafilatura(self.doc.html, self.url)]
        found = self._cleaned(cleanup, "fallback", paragraphs, [])
        if found is not None and bodies.reads_as_article(found.text):
            return found
        tries += [found] if found is not None else []
        return max(tries, key=lambda body: bodies.prose_chars(body.text), default=None)

    def _second_opinion(self, found: bodies.Body, cleanup: bodies.Cleanup) -> bodies.Body:
        """When the density rule's text holds little of the page's prose: the page's main text
        area instead, or else trafilatura's text, if it finds far more (an article in blocks
        the rule could not join)."""
        if self.doc.body_region.share >= bodies.SECOND_OPINION_SHARE:
            return found
        containers = self._main_area()
        if containers:
            paragraphs = [p.text for p in bodies.paragraphs_of(containers, self.remove_css)]
            wider = self._cleaned(cleanup, "fallback", paragraphs, containers)
            if wider is not None and bodies.far_more(wider.text, found.text):
                return wider
        paragraphs = [p.text for p in bodies.from_trafilatura(self.doc.html, self.url)]
        other = self._cleaned(cleanup, "fallback", paragraphs, found.containers)
        return other if other is not None and bodies.far_more(other.text, found.text) else found

    def _main_area(self) -> list[_Element]:
        """The page's main text area, when the density rule's containers hold little of it."""
        main = self.doc.body_region.main
        return [main] if main is not None else []

    @staticmethod
    def _cleaned(
        cleanup: bodies.Cleanup, rule: str, paragraphs: list[str], containers: list[_Element]
    ) -> bodies.Body | None:
        cleaned = cleanup.clean(paragraphs) if paragraphs else ""
        return bodies.Body(rule, paragraphs, cleaned, containers) if cleaned else None

    def _microdata_body(self) -> list[_Element]:
        if self.doc.scope is None:
            return []
        return metadata.microdata(self.doc.scope, "articleBody")[:1]

    @record_field("body")
    def body(self) -> Found[str] | None:
        found = self.found_body
        return Found(found.text, found.rule) if found else None

    # --- section, tags, authors, images ------------------------------------------------------

    @record_field("section")
    def section(self) -> Found[str] | None:
        found = first(
            lambda: self.from_jsonld("articleSection"),
            lambda: self.from_meta("article:section"),
            lambda: self.from_microdata("articleSection"),
            lambda: tax.section_from_pattern(
                self.from_selector(self.section_css), self.section_pattern
            ),
            lambda: tax.section_from_breadcrumb(self.doc, self.headline_text),
            lambda: tax.section_from_html_breadcrumb(self.doc, self.headline_text),
            lambda: tax.section_from_category_label(self.doc),
        )
        return Found(text.normalize_line(found.value), found.rule) if found else None

    @record_field("tags")
    def tags(self) -> Found[list[str]] | None:
        found = tax.structured_tags(self.doc)
        if found is not None:
            return found
        values = [dom.text_of(element) for element in self.site_css(self.tags_css)]
        values = values or tax.tag_list_links(self.doc) or tax.rel_tag_links(self.doc)
        rule = "selector" if self.tags_css else "fallback"
        return Found(bylines.unique(values), rule) if any(values) else None

    @record_field("authors")
    def authors(self) -> Found[list[str]] | None:
        for value in self.doc.jsonld.values("author"):
            names = self.clean_authors(self.doc.jsonld.texts(value))
            if names:
                return Found(names, "jsonld")
        candidates: list[tuple[str, Callable[[], list[str]]]] = [
            ("selector", lambda: [dom.text_of(e) for e in self.site_css(self.authors_css)]),
            ("meta", lambda: bylines.named_meta(self.doc.root, AUTHOR_META)),
            ("microdata", lambda: bylines.microdata_authors(self.doc.scope)),
            ("fallback", lambda: bylines.near_headline(self.headline_element)),
            ("fallback", lambda: bylines.rel_author_links(self.doc.root)),
            ("fallback", self._signature),
        ]
        for rule, values in candidates:
            names = self.clean_authors(values())
            if names:
                return Found(names, rule)
        return None

    def _signature(self) -> list[str]:
        found = self.found_body
        return bylines.signed(found.paragraphs, self.doc.squashed_site_names) if found else []

    def clean_authors(self, names: list[str]) -> list[str]:
        """Bylines without labels, URLs, desk accounts or the site's own name."""
        return bylines.clean(names, self.doc.squashed_site_names)

    @record_field("images")
    def images(self) -> Found[list[Image]] | None:
        boxes = self.site_css(self.picture_css)
        marked = pictures.marked(boxes, self.url, self.picture_caption_css)
        structured = [*pictures.structured(self.doc), *((image, "selector") for image in marked)]
        # `og:image` is the lead picture by convention; the marked one stands in when it is absent.
        lead = [] if structured else list(pictures.featured(self.doc))
        in_body = [*lead, *pictures.figures(*self._figure_scope())]
        return pictures.merged(structured, in_body)

    def _figure_scope(self) -> tuple[list[_Element], str]:
        """Where the article's own pictures are: the body's containers."""
        containers = self.site_css(self.body_css) or self._microdata_body()
        found = self.found_body
        if not containers and found is not None and found.rule == "fallback":
            containers = self.doc.body_candidates
        return containers, self.url

    # --- dates -------------------------------------------------------------------------------

    def _structured(self, found: Found[str] | None) -> Found[datetime] | None:
        return dating.structured(
            self.doc, found, self.fetched_at, local_labeled_utc=self.local_time_labeled_utc
        )

    @record_field("published_at")
    def published(self) -> Found[datetime] | None:
        found = self._marked_published or dating.visible(
            self.from_selector(self.date_css), self.fetched_at
        )
        if found is not None and found.rule in dating.STRUCTURED_RULES:
            shown = dating.line_before_last_save(
                self.doc, self.headline_element, found, self.modified(), self.fetched_at
            )
            return shown or found
        if found is not None:
            return found
        verdict = dating.line_or_url(self.doc, self.headline_element, self.fetched_at)
        if verdict.refused:
            self.refusals["published_at"] = verdict.refused
        if verdict.found is None and not verdict.refused:
            return dating.from_htmldate(self.doc, self.fetched_at, self.language())
        return verdict.found

    @cached_property
    def _marked_published(self) -> Found[datetime] | None:
        """The published date as structured data or a `<time>` element give it."""
        return first(
            lambda: self._structured(self.from_jsonld("datePublished")),
            lambda: self._structured(self.from_meta(*dating.PUBLISHED_META)),
            lambda: self._structured(self.from_microdata("datePublished")),
            lambda: self._structured(dating.time_element(self.doc)),
        )

    @record_field("modified_at")
    def modified(self) -> Found[datetime] | None:
        return first(
            lambda: self._structured(self.from_jsonld("dateModified")),
            lambda: self._structured(self.from_meta(*dating.MODIFIED_META)),
            lambda: self._structured(self.from_microdata("dateModified")),
            lambda: dating.visible(self.from_selector(self.modified_css), self.fetched_at),
            self._update_line,
        )

    def _update_line(self) -> Found[datetime] | None:
        """The `Last updated` line, when the page dates its publication otherwise (alone, the
        line stands for the publication: `dating.line_or_url`)."""
        line = dating.update_line(self.doc, self.headline_element, self.fetched_at)
        if line is None or not (
            self._marked_published
            or self.from_selector(self.date_css)
            or dating.date_line(self.doc, self.headline_element, self.fetched_at)
        ):
            return None
        return dating.judge_line(line, None, self.fetched_at).found

    # --- the record --------------------------------------------------------------------------

    def canonical_url(self) -> str:
        """The canonical form of the page URL, or of its `<link rel=canonical>` on the same site."""
        for link in self.doc.root.iter("link"):
            if dom.has_rel(link, "canonical") and link.get("href"):
                declared = urljoin(self.url, str(link.get("href")))
                # A canonical naming the home page from deeper down is a template's mistake.
                if _same_site(declared, self.url) and not _is_root_for(declared, self.url):
                    try:
                        return sites.canonicalize(declared)
                    except urls.BadURLError:
                        continue  # a typo'd scheme (`htps://`) names no page: the next or ours
        return sites.canonicalize(self.url)

    def language(self) -> str:
        lang = (self.doc.root.get("lang") or "").strip().lower()
        return lang.split("-")[0] if re.fullmatch(r"[a-z]{2}(?:[-_]\w+)?", lang) else "el"

    def kind(self) -> verdicts.Verdict:
        """Article, teaser or not an article, from the page's own signals."""
        return verdicts.judge(self.doc, self.found_body, self.site_css(self.body_css))

    def extracted(self) -> dict[str, Found[Any]]:
        """Every registered field that a rule found, by record field name."""
        found = {name: getattr(self, method)() for name, method in self.fields.items()}
        return {name: value for name, value in found.items() if value is not None}

    def to_item(self) -> Article:
        """The normalized record of this page; NotAnArticleError for listings and empty pages."""
        verdict = self.kind()
        if verdict.not_article:
            raise NotAnArticleError(verdict.not_article)
        found = self.extracted()
        values: dict[str, Any] = {name: item.value for name, item in found.items()}
        values.setdefault("headline", "")
        values.setdefault("body", "")
        for name in ("published", "modified"):
            item = found.get(f"{name}_at")
            values[f"{name}_raw"] = item.raw if item else None
        return Article(
            **values,
            url=self.url,
            canonical_url=self.canonical_url(),
            site=self.site.name if self.site else urls.host_of(self.url).removeprefix("www."),
            region=self.site.region if self.site else None,
            language=self.language(),
            fetched_at=self.fetched_at,
            content_hash=text.content_hash(values["headline"], values.get("lead"), values["body"]),
            provenance={
                **{name: f"none: {why}" for name, why in self.refusals.items()},
                **{name: item.rule for name, item in found.items()},
            },
            is_teaser=verdict.teaser,
            source_credit=verdict.source_credit,
        )


def _registered(cls: type[ArticlePage]) -> dict[str, str]:
    """Record field → method name, over the class and its bases (subclasses may override)."""
    fields: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if callable(value) and hasattr(value, "record_field"):
                fields[value.record_field] = name
    return fields


ArticlePage.fields = _registered(ArticlePage)


def _is_root_for(declared: str, url: str) -> bool:
    return urlsplit(declared).path in ("", "/") and urlsplit(url).path not in ("", "/")


def _same_site(one: str, other: str) -> bool:
    return urls.host_of(one).removeprefix("www.") == urls.host_of(other).removeprefix("www.")

"""The record: one clean article, as the spiders produce it and the archive stores it."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

REGIONS = ("larisa", "magnisia", "trikala", "karditsa", "thessalia")
"""The values `Article.region` may take; `thessalia` means region-wide."""

FIELD_RULES = ("jsonld", "meta", "microdata", "time", "selector", "url", "fallback")
"""The rules that can produce a field, as named in `Article.provenance`."""


class NotAnArticleError(ValueError):
    """The page gives no record: a listing, a tag page, a gallery, no article text at all."""

    kind = "not an article"
    """The reason's class, as counted in a crawl's summary (`dropped/not an article`)."""


class NotHTMLError(NotAnArticleError):
    """The response is not an HTML page (an image, a PDF, JSON)."""

    kind = "not html"


class UndecodableError(NotAnArticleError):
    """The page's bytes decode to text in no encoding a Greek page uses."""

    kind = "undecodable"


@dataclass(kw_only=True)
class Image:
    """A picture of the article."""

    url: str
    """Absolute URL of the image file."""
    caption: str | None = None
    """Caption as shown under the picture (NFC, one line), without photo credits."""


@dataclass(kw_only=True)
class Article:
    """One news article, normalized."""

    url: str
    """The URL the page was fetched from (absolute)."""
    canonical_url: str
    """The one URL the article is known by (`newsarchive.urls.canonicalize`); the archive key."""
    site: str
    """Slug of the outlet: the spider name (`thessaliatv`), or the host for unknown sites."""
    region: str | None = None
    """One of `REGIONS`, or None when the outlet is not a Thessaly source."""
    headline: str
    """The title, without the site-name suffix; its own markers such as `(ΦΩΤΟ)` kept. NFC."""
    lead: str | None = None
    """The subtitle or lede line shown under the headline, NFC; None when the page has none."""
    body: str
    """Plain text, paragraphs separated by one blank line, NFC, no tickers or site chrome."""
    section: str | None = None
    """The section the site files the article under, as the site writes it (`ΛΑΡΙΣΑ`)."""
    tags: list[str] = field(default_factory=list)
    """Tags or keywords, in page order, without duplicates."""
    authors: list[str] = field(default_factory=list)
    """Author names, bylines cleaned (no `Συντάκτης:`, no site name)."""
    images: list[Image] = field(default_factory=list)
    """Pictures of the article, the main one first."""
    published_at: datetime | None = None
    """When the article was published: aware, Europe/Athens."""
    published_raw: str | None = None
    """The string `published_at` was parsed from, kept for audits and re-parsing."""
    modified_at: datetime | None = None
    """When the article was last modified, if the page says: aware, Europe/Athens."""
    modified_raw: str | None = None
    """The string `modified_at` was parsed from."""
    language: str = "el"
    """ISO 639-1 code of the text's language."""
    fetched_at: datetime
    """When the page was fetched: aware (UTC or Athens)."""
    content_hash: str = ""
    """SHA-256 (hex) of headline, lead and body: equal hashes mean an unchanged article."""
    provenance: dict[str, str] = field(default_factory=dict)
    """For each extracted field, the rule that produced it (one of `FIELD_RULES`)."""
    is_teaser: bool = False
    """True for an aggregator's excerpt that links to the full article elsewhere."""
    source_credit: str | None = None
    """The source a teaser or a republished text credits (`kosmoslarissa.gr`)."""

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data: datetimes in ISO 8601, images as objects (what
        `dataclasses.asdict` gives, its lists and dicts copies, read field by field)."""
        data = {name: getattr(self, name) for name in _ARTICLE_FIELDS}
        data["tags"] = list(self.tags)
        data["authors"] = list(self.authors)
        data["images"] = [{"url": image.url, "caption": image.caption} for image in self.images]
        data["provenance"] = dict(self.provenance)
        for key in ("published_at", "modified_at", "fetched_at"):
            value = data[key]
            data[key] = value.isoformat() if value is not None else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """The inverse of `to_dict`."""
        values = dict(data)
        for key in ("published_at", "modified_at", "fetched_at"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        values["images"] = [Image(**image) for image in values.get("images") or []]
        return cls(**values)


_ARTICLE_FIELDS = tuple(item.name for item in fields(Article))

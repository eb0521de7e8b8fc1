"""Section and tags: where the site files the article, and what it tags it with."""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsarchive import text
from newsarchive.pages import dom, metadata
from newsarchive.pages.bylines import unique
from newsarchive.pages.document import Document
from newsarchive.pages.found import Found

TAG_META = ("article:tag", "news_keywords")
"""`<meta name=keywords>` is left out: sites fill it with the same words on every page."""


def section_from_pattern(found: Found[str] | None, pattern: str | None) -> Found[str] | None:
    """The section inside a selector's text (`ΕΙΔΗΣΕΙΣ, ΝΕΑ ΓΙΑ ΛΑΡΙΣΑ` → `ΛΑΡΙΣΑ`)."""
    if found is None or not pattern:
        return found
    match = re.search(pattern, found.value)
    return Found(match[1].strip(), "selector") if match else None


def section_from_breadcrumb(doc: Document, headline: str) -> Found[str] | None:
    """The crumb before the article's own in a JSON-LD BreadcrumbList."""
    crumbs = metadata.breadcrumbs(doc.root)
    folded = text.fold(headline)
    names = [name for name in crumbs if text.fold(name) != folded]
    return Found(names[-1], "jsonld") if len(names) >= 2 else None


def split_keywords(values: Iterable[str]) -> list[str]:
    parts = (part.strip() for value in values for part in value.split(","))
    return unique(text.normalize_line(part) for part in parts if part)


def structured_tags(doc: Document) -> Found[list[str]] | None:
    """Keywords of the JSON-LD article, else of `article:tag`/`news_keywords` meta."""
    for value in doc.jsonld.values("keywords"):
        keywords = doc.jsonld.texts(value)
        if keywords:
            return Found(split_keywords(keywords), "jsonld")
    for key in TAG_META:
        if key in doc.meta:
            return Found(split_keywords(doc.meta[key]), "meta")
    return None


def rel_tag_links(doc: Document) -> list[str]:
    return [dom.text_of(a) for a in doc.root.iter("a") if dom.has_rel(a, "tag")]

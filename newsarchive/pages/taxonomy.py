"""Section and tags: where the site files the article, and what it tags it with."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

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
    """`rel=tag` links, without WordPress's `rel="category tag"` category links."""
    return [
        dom.text_of(a)
        for a in doc.root.iter("a")
        if dom.has_rel(a, "tag") and not dom.has_rel(a, "category")
    ]


CATEGORY_CLASS = re.compile(r"(?:^|[_-]|item|post)(?:categor(?:y|ies)|cat-links|cats?)$", re.I)
"""Class words of an article's category label: `td-category`, `cat-links`, `itemCategory`."""
TAG_CLASS = re.compile(r"(?:^|[_-]|item|post)tags?(?:$|[_-]|block|links|list)", re.I)
"""Class words of an article's tag list: `tags-links`, `td-tags`, `itemTags`, `jeg_post_tags`."""
BREADCRUMB_CLASS = re.compile(r"breadcrumb", re.I)
CRUMB_SEPARATOR = re.compile(r"\s+[/»>›|]\s+")
HOME_CRUMBS = frozenset({"αρχικη", "αρχικη σελιδα", "home", "homepage", "home page"})
LABEL_MAX = 40
"""A section or tag label is a few words; longer link text is a headline."""


def _hinted(doc: Document, hint: str) -> list[Any]:
    """Elements whose class or id holds `hint` in any case, in page order."""
    return [element for element, marks in doc.marked_elements if hint in marks]


def _marked(element: Any, pattern: re.Pattern[str], hint: str) -> bool:
    if not isinstance(element.tag, str) or element.tag in ("html", "body"):
        return False
    marks = dom.marks_of(element)
    if hint not in marks.lower():  # most elements: one substring test, no split
        return False
    return any(pattern.search(word) for word in marks.split())


def _labels(element: Any) -> list[str]:
    return [v for a in element.iter("a") if 0 < len(v := dom.text_of(a)) <= LABEL_MAX]


def section_from_category_label(doc: Document) -> Found[str] | None:
    """The first category label of the article (`rel=category`, a `*-category` link)."""
    for element, marks in doc.marked_elements:
        if element.tag == "a" and dom.has_rel(element, "category"):
            labels = [dom.text_of(element)]
        elif "cat" in marks and _marked(element, CATEGORY_CLASS, "cat"):
            labels = _labels(element)
        else:
            continue
        if labels and 0 < len(labels[0]) <= LABEL_MAX and not dom.in_navigation(element):
            return Found(labels[0], "fallback")
    return None


def section_from_html_breadcrumb(doc: Document, headline: str) -> Found[str] | None:
    """The crumb before the article's own in a visible breadcrumb trail."""
    candidates = _hinted(doc, "breadcrumb")
    trail = next((e for e in candidates if _marked(e, BREADCRUMB_CLASS, "breadcrumb")), None)
    if trail is None:
        return None
    crumbs = _labels(trail) or CRUMB_SEPARATOR.split(dom.text_of(trail))
    folded = text.fold(headline)
    skip = HOME_CRUMBS | {text.fold(name) for name in doc.site_names}
    names = [c for c in crumbs if text.fold(c) not in skip and text.fold(c) != folded]
    names = [name for name in names if len(name) <= LABEL_MAX]
    return Found(names[-1], "fallback") if names else None


def tag_list_links(doc: Document) -> list[str]:
    """Link labels of the article's tag list (not a sidebar's tag cloud)."""
    for element in _hinted(doc, "tag"):
        if _marked(element, TAG_CLASS, "tag") and not dom.in_navigation(element):
            labels = _labels(element)
            if labels:
                return labels
    return []

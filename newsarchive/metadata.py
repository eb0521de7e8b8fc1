"""Structured metadata of a page: JSON-LD, `<meta>` tags, microdata and `<time>` elements."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lxml.etree import _Element

ARTICLE_TYPES = frozenset(
    {"NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
     "OpinionNewsArticle", "BackgroundNewsArticle", "Report", "LiveBlogPosting", "WebPage"}
)
"""schema.org types that describe the article itself (WebPage last: it is only a fallback)."""

TRAILING_COMMAS = re.compile(r",\s*([}\]])")


def _load_json(text: str) -> Any:
    """JSON of a `<script type=application/ld+json>`, forgiving trailing commas and controls."""
    cleaned = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    for candidate in (cleaned, TRAILING_COMMAS.sub(r"\1", cleaned)):
        try:
            return json.loads(candidate, strict=False)
        except ValueError:
            continue
    return None


def _walk_jsonld(node: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD document: arrays, `@graph` and nested objects flattened."""
    if isinstance(node, list):
        for item in node:
            yield from _walk_jsonld(item)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart"):
            if key in node and isinstance(node[key], list | dict):
                yield from _walk_jsonld(node[key])


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(item).rsplit("/", 1)[-1] for item in values}


def jsonld_articles(root: _Element) -> list[dict[str, Any]]:
    """The page's JSON-LD objects that describe an article, most specific type first."""
    found: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        found.extend(node for node in _walk_jsonld(_load_json(script.text or "")) if
                     _types(node) & ARTICLE_TYPES)
    return sorted(found, key=lambda node: "WebPage" in _types(node))


def meta_tags(root: _Element) -> dict[str, list[str]]:
    """`<meta>` contents by lower-case `property`/`name`/`itemprop`, in page order."""
    tags: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content and content.strip():
            tags.setdefault(key.strip().lower(), []).append(content.strip())
    return tags


def microdata(root: _Element, prop: str) -> list[_Element]:
    """Elements carrying `itemprop=prop` (space-separated lists allowed)."""
    return root.xpath(
        "//*[contains(concat(' ', normalize-space(@itemprop), ' '), $p)]", p=f" {prop} "
    )


def microdata_value(element: _Element) -> str:
    """The value of a microdata property element, as schema.org defines it."""
    for attribute in ("content", "datetime"):
        if element.get(attribute):
            return str(element.get(attribute)).strip()
    if element.tag in {"a", "link"}:
        return str(element.get("href") or "").strip()
    if element.tag in {"img", "source"}:
        return str(element.get("src") or "").strip()
    return " ".join("".join(element.itertext()).split())


def jsonld_text(node: Any) -> str | None:
    """A JSON-LD value as text: strings as they are, objects by `name`/`url`/`@id`."""
    if isinstance(node, str):
        return node.strip() or None
    if isinstance(node, int | float):
        return str(node)
    if isinstance(node, dict):
        for key in ("name", "url", "contentUrl", "@id"):
            if isinstance(node.get(key), str):
                return str(node[key]).strip() or None
    return None


def jsonld_list(node: Any) -> list[str]:
    """A JSON-LD value that may be one item, a list or a comma-separated string, as texts."""
    items = node if isinstance(node, list) else [node]
    texts: list[str] = []
    for item in items:
        text = jsonld_text(item)
        if text:
            texts.append(text)
    return texts

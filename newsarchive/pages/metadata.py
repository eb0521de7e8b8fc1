"""Structured metadata of a page: JSON-LD, `<meta>` tags (OpenGraph, Dublin Core) and microdata."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from lxml.etree import _Element

from newsarchive import text
from newsarchive.pages import dom

ARTICLE_TYPES = frozenset(
    {
        "NewsArticle",
        "Article",
        "BlogPosting",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "Report",
        "LiveBlogPosting",
        "SocialMediaPosting",
    }
)
"""schema.org types that describe an article."""

TRAILING_COMMAS = re.compile(r",\s*([}\]])")
NESTED_KEYS = ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement")
"""Keys under which JSON-LD documents nest further objects worth looking at."""
MAX_NESTING = 64
"""Levels of arrays and nested entities `_walk` descends (real documents use three or four)."""
MAX_VALUE_CHARS = 10_000
"""A `<meta>` value is read this far: titles, dates and URLs are short, and every pattern that
reads one (a date, above all) then runs on a bounded text."""


def _load_json(source: str) -> Any:
    """JSON of a `<script type=application/ld+json>`, forgiving comments and trailing commas."""
    cleaned = source.strip().removeprefix("<!--").removesuffix("-->").strip()
    cleaned = cleaned.removeprefix("/*<![CDATA[*/").removesuffix("/*]]>*/").strip()
    for candidate in (cleaned, TRAILING_COMMAS.sub(r"\1", cleaned)):
        try:
            return _xml_safe_strings(json.loads(candidate, strict=False))
        except (ValueError, RecursionError):  # broken, or nested deeper than Python recurses
            continue
    return None


def _xml_safe_strings(document: Any) -> Any:
    """The document with every string value XML-safe: JSON escapes can spell a NUL or a lone
    surrogate (`"\\ud800"`), which no record, database or tree can hold."""
    if isinstance(document, str):
        return dom.xml_safe(document)
    if not isinstance(document, list | dict):
        return document  # a number, `true`, `null`
    stack = [document]
    while stack:
        node = stack.pop()
        pairs = enumerate(node) if isinstance(node, list) else node.items()
        for key, value in pairs:
            if isinstance(value, str):
                node[key] = dom.xml_safe(value)
            elif isinstance(value, list | dict):
                stack.append(value)
    return document


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD document: arrays, `@graph` and nested entities flattened.

    In document order, by hand rather than recursively, and at most `MAX_NESTING` levels deep.
    """
    stack: list[tuple[Any, int]] = [(node, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            continue
        if isinstance(node, list):
            stack.extend((item, depth + 1) for item in reversed(node))
        elif isinstance(node, dict):
            yield node
            nested = [node.get(key) for key in NESTED_KEYS]
            stack.extend(
                (item, depth + 1) for item in reversed(nested) if isinstance(item, list | dict)
            )


def types_of(node: dict[str, Any]) -> set[str]:
    """The `@type`s of a JSON-LD object, without their schema.org prefix."""
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {item.rsplit("/", 1)[-1] for item in values if isinstance(item, str)}


@dataclass
class JsonLd:
    """The page's JSON-LD: article objects first, every object indexed by `@id`."""

    articles: list[dict[str, Any]] = field(default_factory=list)
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    webpages: list[dict[str, Any]] = field(default_factory=list)

    def resolve(self, node: Any) -> Any:
        """A `{"@id": ...}` reference replaced by the object it names (Yoast's `@graph`)."""
        if isinstance(node, dict) and set(node) <= {"@id", "@type"} and "@id" in node:
            return self.by_id.get(str(node["@id"]), node)
        return node

    def values(self, key: str) -> Iterator[Any]:
        """The values of `key` in the article objects, then in the WebPage objects."""
        for node in [*self.articles, *self.webpages]:
            if key in node and node[key] not in (None, "", []):
                yield self.resolve(node[key])

    def text(self, key: str) -> str | None:
        """The first value of `key` as text."""
        for value in self.values(key):
            found = self.texts(value)
            if found:
                return found[0]
        return None

    def texts(self, node: Any) -> list[str]:
        """A value that may be one item or a list, as texts (objects by name or URL)."""
        items = node if isinstance(node, list) else [node]
        found = (_as_text(self.resolve(item)) for item in items)
        return [value for value in found if value]


def _as_text(node: Any) -> str | None:
    if isinstance(node, str):
        return text.unescape_entities(node.strip()) or None
    if isinstance(node, bool):
        return None
    if isinstance(node, int | float):
        return str(node)
    if isinstance(node, dict):
        for key in ("name", "url", "contentUrl"):
            if isinstance(node.get(key), str) and node[key].strip():
                return text.unescape_entities(str(node[key]).strip())
    return None


def jsonld(root: _Element) -> JsonLd:
    """Every JSON-LD object of the page, sorted into articles and web pages."""
    found = JsonLd()
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        for node in _walk(_load_json(script.text or "")):
            if isinstance(node.get("@id"), str):
                found.by_id.setdefault(node["@id"], node)
            kinds = types_of(node)
            if kinds & ARTICLE_TYPES:
                found.articles.append(node)
            elif "WebPage" in kinds or "ItemPage" in kinds:
                found.webpages.append(node)
    return found


def meta_tags(root: _Element) -> dict[str, list[str]]:
    """`<meta>` contents by lower-case `property`/`name`/`itemprop`, in page order."""
    tags: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = text.unescape_entities((meta.get("content") or "")[:MAX_VALUE_CHARS].strip())
        if key and content:
            tags.setdefault(key.strip().lower(), []).append(content)
    return tags


# --- microdata -------------------------------------------------------------------------------

MICRODATA_ARTICLE = re.compile(
    r"schema\.org/(?:" + "|".join(sorted(ARTICLE_TYPES)) + r")\b", re.IGNORECASE
)


def _xpath(element: _Element, query: str) -> list[_Element]:
    return cast(list[_Element], element.xpath(query))


def microdata_scopes(root: _Element) -> list[_Element]:
    """Elements whose `itemtype` is a schema.org article type, in page order."""
    return [
        element
        for element in _xpath(root, "//*[@itemscope and @itemtype]")
        if MICRODATA_ARTICLE.search(element.get("itemtype") or "")
    ]


def main_microdata_scope(root: _Element) -> _Element | None:
    """The article scope holding the most text (listings carry one small scope per teaser)."""
    return largest_scope(microdata_scopes(root))


def largest_scope(scopes: list[_Element]) -> _Element | None:
    """The scope holding the most text."""
    if not scopes:
        return None
    return max(scopes, key=lambda scope: len(text_content(scope)))


def microdata(scope: _Element, prop: str) -> list[_Element]:
    """Elements in a scope carrying `itemprop=prop` (space-separated lists allowed)."""
    return _xpath(
        scope, f".//*[contains(concat(' ', normalize-space(@itemprop), ' '), ' {prop} ')]"
    )


def microdata_value(element: _Element) -> str:
    """The value of a microdata property element, as schema.org defines it.

    An attribute value is read `MAX_VALUE_CHARS` far (it may be taken for a date); an item's
    value is its `name`'s, looked up in a loop, however deep items nest in items.
    """
    while True:
        for attribute in ("content", "datetime"):
            if element.get(attribute):
                return str(element.get(attribute))[:MAX_VALUE_CHARS].strip()
        if element.tag in {"a", "link"}:
            return str(element.get("href") or "").strip()
        if element.tag in {"img", "source"}:
            return str(element.get("src") or "").strip()
        names = microdata(element, "name") if element.get("itemscope") is not None else []
        if not names:
            return " ".join(text_content(element).split())
        element = names[0]


def text_content(element: _Element) -> str:
    """All text inside an element."""
    return "".join(str(part) for part in element.itertext())


def jsonld_image_url(node: Any) -> str | None:
    """The file URL of a JSON-LD image (a string or an ImageObject)."""
    if isinstance(node, str):
        return node.strip() or None
    if isinstance(node, dict):
        for key in ("url", "contentUrl"):
            if isinstance(node.get(key), str) and node[key].strip():
                return str(node[key]).strip()
    return None


def breadcrumbs(root: _Element) -> list[str]:
    """The names of the page's JSON-LD BreadcrumbList, in position order."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        for node in _walk(_load_json(script.text or "")):
            if "BreadcrumbList" in types_of(node):
                return _crumb_names(node.get("itemListElement"))
    return []


def _crumb_names(items: Any) -> list[str]:
    items = items if isinstance(items, list) else []
    ordered = sorted((item for item in items if isinstance(item, dict)), key=_crumb_order)
    names = []
    for item in ordered:
        inner = item.get("item")
        name = item.get("name") or (inner.get("name") if isinstance(inner, dict) else None)
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return names


def _crumb_order(item: dict[str, Any]) -> tuple[int, float]:
    """A crumb's `position` to sort by: numbered ones in their order (none given counts as 0),
    those with a position that is no number after them, in page order."""
    position = _position(item.get("position"))
    return (0, position) if position is not None else (1, 0.0)


def _position(value: Any) -> float | None:
    """A `position` as a number (`2`, `"2"`, `2.0`); None for `"x"`, `NaN`, `1e400`, objects."""
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        return None
    try:
        number = float(value.strip()[:40]) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None

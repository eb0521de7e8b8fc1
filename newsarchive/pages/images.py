"""Pictures of the article: structured images, `og:image`, and figures in the body with captions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice
from typing import Any
from urllib.parse import urljoin

from lxml.etree import _Element

from newsarchive import text
from newsarchive.items import Image
from newsarchive.pages import dom, metadata
from newsarchive.pages.document import Document
from newsarchive.pages.found import Found

CREDIT_TAIL = re.compile(r"\s*[(\[]?\s*(?:φωτο|φωτογραφία|φωτ\.|photo|πηγή)\s*:.*$", re.IGNORECASE)


def caption(value: Any) -> str | None:
    """A caption without its photo credit."""
    if not isinstance(value, str):
        return None
    cleaned = CREDIT_TAIL.sub("", text.normalize_line(value)).strip(" -–|")
    return cleaned or None


def absolute(base_url: str, src: str) -> str | None:
    """A picture's URL made absolute; None for one no URL parser takes (`http://[x/`)."""
    try:
        url = urljoin(base_url, src.strip())
    except ValueError:
        return None
    return url if dom.is_url(url) else None


def _jsonld_image(doc: Document, node: Any) -> Image | None:
    url = metadata.jsonld_image_url(node)
    found = absolute(doc.url, url) if url else None
    if not found:
        return None
    label = node.get("caption") if isinstance(node, dict) else None
    return Image(url=found, caption=caption(label))


def structured(doc: Document) -> Iterable[tuple[Image, str]]:
    """JSON-LD images, then `og:image`/`twitter:image`, each with its rule."""
    for value in doc.jsonld.values("image"):
        for item in value if isinstance(value, list) else [value]:
            image = _jsonld_image(doc, doc.jsonld.resolve(item))
            if image:
                yield image, "jsonld"
    for src in doc.meta.get("og:image", []) + doc.meta.get("twitter:image", []):
        url = absolute(doc.url, src)
        if url:
            yield Image(url=url), "meta"


def figures(containers: list[_Element], base_url: str) -> Iterable[Image]:
    """Pictures inside the body containers, with their captions."""
    for container in containers:
        for figure in container.iter("figure", "div"):
            if figure.tag == "div" and "caption" not in (figure.get("class") or ""):
                continue
            image = _picture(figure, base_url)
            if image is not None:
                yield image


def _picture(block: _Element, base_url: str, caption_css: str | None = None) -> Image | None:
    """The first picture of a block (a `<figure>`, a CMS's image box) and its caption."""
    image = block if block.tag == "img" else block.find(".//img")
    src = image.get("data-src") or image.get("src") if image is not None else None
    url = absolute(base_url, src) if src and not src.startswith("data:") else None
    if url is None:
        return None
    label = next(iter(dom.select(block, caption_css)), None) if caption_css else None
    if label is None:
        label = block.find(".//figcaption")
    if label is None:
        label = next((e for e in block.iter() if "caption-text" in (e.get("class") or "")), None)
    return Image(url=url, caption=caption(dom.text_of(label) if label is not None else None))


def marked(blocks: list[_Element], base_url: str, caption_css: str | None) -> Iterable[Image]:
    """The lead picture's box as a site or CMS family marks it (K2's `.itemImageBlock`)."""
    for block in blocks:
        image = _picture(block, base_url, caption_css)
        if image is not None:
            yield image


def merged(
    found: Iterable[tuple[Image, str]], in_body: Iterable[Image]
) -> Found[list[Image]] | None:
    """Every picture once, the main one first; a later one's caption fills a missing one."""
    images: dict[str, Image] = {}
    rule = None
    for image, source in (*found, *((image, "fallback") for image in in_body)):
        known = images.get(image.url)
        if known is None:
            images[image.url] = image
            rule = rule or source
        elif image.caption and not known.caption:
            known.caption = image.caption
    return Found(list(images.values()), rule) if rule else None


FEATURED_CLASS = re.compile(
    r"featured|post-thumb|entry-thumb|thumbnail-container|itemImage$|article-image|wp-post-image",
    re.I,
)
"""Class words of the article's lead picture: WordPress's `wp-post-image`, JNews's
`jeg_featured`, K2's `itemImage`, tagDiv's `td-post-featured-image`."""


def featured(doc: Document) -> Iterable[Image]:
    """The article's lead picture, marked by its CMS; never a teaser's thumbnail or a sidebar's."""
    for image in doc.root.iter("img"):
        src = image.get("data-src") or image.get("src")
        if not src or src.startswith("data:") or dom.in_navigation(image):
            continue
        marked = [image, *islice(dom.ancestors(image), 3)]
        linked = dom.in_link(image)
        classes = ((e.get("class") or "")[: dom.MAX_MARK_CHARS] for e in marked)
        if not linked and any(FEATURED_CLASS.search(names) for names in classes):
            url = absolute(doc.url, src)
            if url:
                yield Image(url=url)
                return

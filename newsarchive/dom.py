"""DOM helpers for extraction: parsing, cleaning a container, and reading its paragraphs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import html as lxml_html
from lxml.etree import _Element

BLOCK_TAGS = frozenset(
    "p div section article header footer main blockquote pre ul ol li dl dt dd table tr td th "
    "h1 h2 h3 h4 h5 h6 figure figcaption hr address center".split()
)
DROP_TAGS = frozenset(
    "script style noscript template iframe object embed form button input select textarea "
    "svg canvas nav aside figure video audio".split()
)
"""Never article text: code, forms, media and navigation."""

CHROME_CLASS = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|related|newsletter|subscribe|comments?|respond|"
    r"advert\w*|ads?|banner|sponsor\w*|cookies?|breadcrumbs?|tags?|ticker|author-box|"
    r"post-after|jeg_share\w*|td-post-sharing\w*|sharedaddy|jp-relatedposts|"
    r"google-auto-placed|print|popup|modal)(?:$|[\s_-])",
    re.IGNORECASE,
)
"""Class or id words that mark site chrome inside an article container."""


def parse_html(html: str) -> _Element:
    """An lxml tree of a page, tolerant of broken markup."""
    return lxml_html.document_fromstring(html or "<html></html>")


def text_of(element: _Element) -> str:
    """All text inside an element, whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())


def is_chrome(element: _Element) -> bool:
    """Whether an element's class or id marks it as share/related/ad chrome."""
    marks = f"{element.get('class') or ''} {element.get('id') or ''}"
    return bool(marks.strip()) and bool(CHROME_CLASS.search(marks))


def drop(element: _Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def clean_container(element: _Element, remove_css: tuple[str, ...] = ()) -> None:
    """Drop code, forms, media, navigation and chrome-classed elements from a container."""
    doomed: list[_Element] = []
    for css in remove_css:
        doomed.extend(element.cssselect(css))
    for child in element.iter():
        if not isinstance(child.tag, str) or child is element:
            continue
        if child.tag in DROP_TAGS or is_chrome(child):
            doomed.append(child)
    for child in doomed:
        drop(child)


def block_texts(element: _Element) -> list[str]:
    """The paragraphs of a container: one string per block element or `<br>`-separated run."""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            paragraphs.append(text)
        current.clear()

    def walk(node: _Element) -> None:
        if node.text:
            current.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                if child.tag in DROP_TAGS:
                    pass
                elif child.tag == "br":
                    flush()
                elif child.tag in BLOCK_TAGS:
                    flush()
                    walk(child)
                    flush()
                else:
                    walk(child)
            if child.tail:
                current.append(child.tail)

    walk(element)
    flush()
    return paragraphs


def iter_css(root: _Element, css: str | None) -> Iterator[_Element]:
    """Elements matching a CSS selector; nothing when the selector is None."""
    if css:
        yield from root.cssselect(css)

"""DOM helpers for extraction: parsing, cleaning a container, and reading its paragraphs."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.etree import _Element

BLOCK_TAGS = frozenset(
    "p div section article header footer main blockquote pre ul ol li dl dt dd table tr td th "
    "h1 h2 h3 h4 h5 h6 figure figcaption hr address center".split()
)
DROP_TAGS = frozenset(
    "script style noscript template iframe object embed form button input select textarea "
    "svg canvas nav aside figure figcaption video audio h1 label".split()
)
"""Never article text: code, forms, media, navigation and the headline itself."""

CHROME_CLASS = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|shares|social|related|newsletter|subscribe|comments?|"
    r"respond|reply|advert\w*|ads?|adsbygoogle|banner|sponsor\w*|promo|cookies?|consent|"
    r"breadcrumbs?|tags?|tagcloud|ticker|author-?box|byline|post-after|meta|entry-meta|"
    r"jeg_share\w*|td-post-sharing\w*|sharedaddy|jp-relatedposts|yarpp\w*|addtoany|a2a\w*|"
    r"google-auto-placed|print|popup|modal|widget|sidebar|navigation|nav|menu|pagination|"
    r"wp-caption-text|caption|credits?|read-?more|more-link|newsticker|latest-news|"
    r"most-?(?:read|popular)|popular|trending|rating|hidden|screen-reader-text|sr-only|"
    r"itemNavigation|itemRelated|itemComments\w*|itemSocialSharing|itemTagsBlock|"
    r"itemImageCaption|itemImageCredits|itemAuthorBlock|itemRatingBlock)(?:$|[\s_-])",
    re.IGNORECASE,
)
"""Class or id words that mark site chrome inside an article container."""

LAYOUT_CLASS = re.compile(r"article|body|content|main|column|story|entry", re.IGNORECASE)
"""Words of layout containers that may also carry a chrome-looking class (`has-sidebar`)."""

HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def parse_html(html: str) -> _Element:
    """An lxml tree of a page, tolerant of broken markup."""
    # Plain etree elements: lxml.html's element classes cost a lookup on every node visited.
    html = XML_DECLARATION.sub("", html or "", count=1)  # lxml refuses one in a str
    root = etree.fromstring(html, HTML_PARSER) if html.strip() else None
    return root if root is not None else etree.fromstring("<html></html>", HTML_PARSER)


XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
HTML_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)
STRING_VALUE = etree.XPath("string()")


def text_of(element: _Element) -> str:
    """All text inside an element, whitespace collapsed."""
    return " ".join(str(STRING_VALUE(element)).split())


def is_chrome(element: _Element) -> bool:
    """Whether an element's class or id marks it as share/related/ad chrome, or it is hidden."""
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if HIDDEN_STYLE.search(element.get("style") or ""):
        return True
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


def cleaned_copy(element: _Element, remove_css: tuple[str, ...] = ()) -> _Element:
    """A copy of a container without code, forms, media, navigation and chrome-classed elements."""
    element = copy.deepcopy(element)
    doomed: list[_Element] = []
    for css in remove_css:
        doomed.extend(select(element, css))
    for child in element.iter():
        if not isinstance(child.tag, str):
            if child is not element:
                doomed.append(child)  # comments and processing instructions
            continue
        if child is not element and (child.tag in DROP_TAGS or is_chrome(child)):
            doomed.append(child)
    for child in doomed:
        drop(child)
    return element


@dataclass(frozen=True)
class Paragraph:
    """One block of text and how much of it is link text."""

    text: str
    link_chars: int

    @property
    def link_density(self) -> float:
        return self.link_chars / max(len(self.text), 1)


def paragraphs(element: _Element) -> list[Paragraph]:
    """The paragraphs of a container: one per block element or `<br>`-separated run."""
    found: list[Paragraph] = []
    current: list[str] = []
    link_chars = [0]

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            found.append(Paragraph(text, min(link_chars[0], len(text))))
        current.clear()
        link_chars[0] = 0

    def walk(node: _Element, in_link: bool) -> None:
        if node.text:
            current.append(node.text)
            if in_link:
                link_chars[0] += len(node.text.strip())
        for child in node:
            if isinstance(child.tag, str):
                if child.tag in DROP_TAGS:
                    pass
                elif child.tag == "br":
                    flush()
                elif child.tag in BLOCK_TAGS:
                    flush()
                    walk(child, in_link)
                    flush()
                else:
                    walk(child, in_link or child.tag == "a")
            if child.tail:
                current.append(child.tail)
                if in_link:
                    link_chars[0] += len(child.tail.strip())

    walk(element, element.tag == "a")
    flush()
    return found


def block_texts(element: _Element) -> list[str]:
    """The paragraph texts of a container."""
    return [paragraph.text for paragraph in paragraphs(element)]


@lru_cache(maxsize=256)
def selector(css: str) -> CSSSelector:
    """A compiled CSS selector (translating CSS to XPath costs more than running it)."""
    return CSSSelector(css)


def select(root: _Element, css: str) -> list[_Element]:
    """Elements under `root` matching a CSS selector."""
    return cast(list[_Element], selector(css)(root))


def iter_css(root: _Element, css: str | None) -> Iterator[_Element]:
    """Elements matching a CSS selector; nothing when the selector is None."""
    if css:
        yield from select(root, css)


def ancestors(element: _Element) -> Iterator[_Element]:
    """The element's parents, nearest first."""
    parent = element.getparent()
    while parent is not None:
        yield parent
        parent = parent.getparent()


def is_unlikely(element: _Element) -> bool:
    """Navigation, sidebars, footers and other chrome; a layout container is never unlikely."""
    if element.tag in DROP_TAGS or element.tag == "footer":
        return True
    if not is_chrome(element):
        return False
    return not LAYOUT_CLASS.search(f"{element.get('class') or ''} {element.get('id') or ''}")


NAVIGATION_CLASS = re.compile(
    r"sidebar|widget|related|ticker|breaking|latest|popular|menu|footer|comment|nav",
    re.IGNORECASE,
)


def in_navigation(element: _Element) -> bool:
    """Whether the element sits in navigation, a sidebar, a ticker or a footer (not a meta line)."""
    for node in (element, *ancestors(element)):
        if not isinstance(node.tag, str) or node.tag in ("html", "body"):
            continue
        if node.tag in ("nav", "aside", "footer"):
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        if NAVIGATION_CLASS.search(marks) and not LAYOUT_CLASS.search(marks):
            return True
    return False


def in_chrome(element: _Element) -> bool:
    """Whether the element or one of its ancestors is navigation, a sidebar or other chrome."""
    return any(
        is_unlikely(node)
        for node in (element, *ancestors(element))
        if isinstance(node.tag, str) and node.tag not in ("html", "body", "h1")
    )


def has_rel(element: _Element, rel: str) -> bool:
    """Whether a link's `rel` names `rel` (`<a rel="tag">`, `<link rel="canonical">`)."""
    return rel in (element.get("rel") or "").lower().split()

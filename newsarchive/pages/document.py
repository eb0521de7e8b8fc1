"""`Document`: every parsed view of one page, each computed once and shared by all rules."""

from __future__ import annotations

import re
from functools import cached_property
from typing import cast

from lxml import etree
from lxml.etree import _Element

from newsarchive import text, urls
from newsarchive.pages import density, dom, metadata

NO_MARKS = frozenset({"html", "body"})
"""Their class words describe the page, never one of its parts."""
TITLE_SEPARATOR = re.compile(r"\s+[-|–—:»]\s+|\s*\|\s*")
MARKED = etree.XPath("descendant-or-self::*[@class or @id or @rel]")
"""The elements with a class, id or rel, found in C (most elements have none)."""


def squash(name: str) -> str:
    """A site name folded for comparison: `Thessalia TV` = `thessaliatv`."""
    return re.sub(r"[\W_]+", "", text.fold(name))


class Document:
    """A page's tree, structured metadata and landmarks; no rule of its own."""

    def __init__(self, url: str, html: str, own_names: tuple[str, ...] = ()) -> None:
        self.url = url
        self.html = html
        self.own_names = own_names
        """Names the outlet goes by, from its site declaration."""
        self.memo: dict[object, object] = {}
        """What the rule modules work out once per page (`dating.shown_dates`)."""

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
    def microdata_scopes(self) -> list[_Element]:
        """The page's schema.org article microdata scopes, in page order."""
        return metadata.microdata_scopes(self.root)

    @cached_property
    def scope(self) -> _Element | None:
        """The schema.org Article microdata scope, if the page has one."""
        return metadata.largest_scope(self.microdata_scopes)

    @cached_property
    def title(self) -> str:
        """The `<title>` text."""
        element = self.root.find(".//title")
        return dom.text_of(element) if element is not None else ""

    @cached_property
    def site_names(self) -> list[str]:
        """Names this page's site goes by, for stripping title suffixes and bylines."""
        names = [*self.own_names, *self.meta.get("og:site_name", [])]
        names += self.meta.get("application-name", [])
        names += self._title_suffix()
        host = urls.host_of(self.url).removeprefix("www.")
        names += [host, host.split(".")[0]]
        return [name for name in names if name]

    def _title_suffix(self) -> list[str]:
        """`Site` of a `<title>` reading `Headline | Site`, when the headline is an `<h1>`."""
        for h1 in self.root.iter("h1"):
            heading = dom.text_of(h1)
            rest = self.title[len(heading) :] if heading and self.title.startswith(heading) else ""
            match = TITLE_SEPARATOR.match(rest)
            if match and rest[match.end() :]:
                return [rest[match.end() :]]
        return []

    @cached_property
    def squashed_site_names(self) -> frozenset[str]:
        return frozenset(squash(name) for name in self.site_names)

    @cached_property
    def main_h1(self) -> _Element | None:
        """The article's `<h1>`: not a logo, not in navigation, the longest of the rest."""
        names = self.squashed_site_names
        found = [
            element
            for element in self.root.iter("h1")
            if dom.text_of(element)
            and squash(dom.text_of(element)) not in names
            and not dom.in_chrome(element)
        ]
        return max(found, key=lambda element: len(dom.text_of(element)), default=None)

    @cached_property
    def marked_elements(self) -> list[tuple[_Element, str]]:
        """Elements with a class, id or rel, and their class and id in lower case, in page
        order (rules looking for class words start from these, not from every element)."""
        cut = dom.MAX_MARK_CHARS
        # `dom.marks_of` inlined: a call per element was a third of this list's cost.
        return [
            (
                element,
                f"{(element.get('class') or '')[:cut]} {(element.get('id') or '')[:cut]}".lower(),
            )
            for element in cast(list[_Element], MARKED(self.root))
            if element.tag not in NO_MARKS
        ]

    @cached_property
    def elements(self) -> list[_Element]:
        """Every node of the tree in document order."""
        return list(self.root.iter())

    @cached_property
    def order(self) -> dict[_Element, int]:
        """Each element's position in document order (in `elements`)."""
        return {element: index for index, element in enumerate(self.elements)}

    @cached_property
    def body_region(self) -> density.Region:
        """Where the generic density rule finds the article text, and its share of the page's."""
        return density.body_region(self.root)

    @property
    def body_candidates(self) -> list[_Element]:
        """The containers the generic density rule takes for the article text."""
        return self.body_region.containers

    def follows(self, element: _Element, anchor: _Element | None) -> bool:
        """Whether `element` comes after `anchor` in the page."""
        if anchor is None:
            return False
        return self.order.get(element, -1) > self.order.get(anchor, 0)

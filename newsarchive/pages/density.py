"""The generic body rule: find the article text of a page no selector knows.

Paragraph-density scoring in the manner of the readability family: every paragraph gives points
to its parent and grandparent, for its length and punctuation; link text earns nothing; class
names that say `content`/`article` or `sidebar`/`comments` push a candidate up or down. The best
container and its text-rich siblings are the body.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from lxml.etree import _Element

from newsarchive import text as text_
from newsarchive.pages import dom

PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote", "td", "div", "section", "article", "span"})
MIN_PARAGRAPH_CHARS = 25
"""Shorter runs of text are captions, labels and menu items, not paragraphs."""

POSITIVE = re.compile(
    r"article|body|content|entry|main|post|story|text|itemfulltext|itemintrotext|single|news",
    re.IGNORECASE,
)
NEGATIVE = re.compile(
    r"comment|footer|sidebar|widget|related|share|social|nav|menu|banner|advert|promo|sponsor|"
    r"popup|cookie|masthead|breadcrumb|meta|tags|author|pagination|ticker|latest|popular|"
    r"most-?read|newsletter|teaser|excerpt|header|disclosure|disclaimer|footnote|legal|"
    r"about-author|author-bio|signup|subscribe",
    re.IGNORECASE,
)
CLASS_WEIGHT = 25.0
SIBLING_SHARE = 0.2
"""A sibling joins the body when it scores at least this share of the best container."""
BLOCK_SHARE = 0.1
"""A sibling block of text joins with a tenth of the best block's paragraphs (page builders
cut an article into blocks of a paragraph or two)."""
MAX_CLIMB = 3
CLIMB_GAIN = 0.5
"""Going up a level pays when the blocks beside add at least half as much text again."""
WIDEN_SHARE = 1.02
"""An ancestor is the same container when it adds (almost) no paragraph of its own: even a
byline or a caption beside the text would come into the body with it."""
WIDEN_SLACK = 20
"""Characters an ancestor may add when widening (a stray label or a space between blocks)."""
MAIN_SHARE = 0.5
"""A region with less of the page's paragraph score may be a part of the text only."""
MAIN_LINK_DENSITY = 0.5
BLOCK_LINK_DENSITY = 0.3
"""Above this share of link text a block is a list of links (related posts), not text."""


def _own_text(element: _Element) -> tuple[str, int]:
    """Text directly in an element (not in block children), and how much of it is links."""
    parts: list[str] = [element.text or ""]
    link_chars = 0
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if child.tag not in dom.BLOCK_TAGS and child.tag not in dom.DROP_TAGS:
            inner = dom.text_of(child)
            parts.append(f" {inner} ")
            if child.tag == "a" or child.find(".//a") is not None:
                link_chars += len(inner)
        parts.append(child.tail or "")
    text = " ".join("".join(parts).split())
    return text, link_chars


def _class_weight(element: _Element) -> float:
    classes = (element.get("class") or "")[: dom.MAX_MARK_CHARS]
    return _marks_weight(classes, (element.get("id") or "")[: dom.MAX_MARK_CHARS])


@lru_cache(maxsize=4096)
def _marks_weight(classes: str, ident: str) -> float:
    marks = f"{classes} {ident}"
    weight = 0.0
    if NEGATIVE.search(marks):
        weight -= CLASS_WEIGHT
    if POSITIVE.search(marks):
        weight += CLASS_WEIGHT
    return weight


def _paragraph_score(text: str) -> float:
    return 1 + text.count(",") + text.count("·") + min(len(text) / 100, 3)


def content_elements(element: _Element) -> Iterator[_Element]:
    """The element and its descendants in page order, chrome subtrees left out."""
    stack = [element]  # by hand, not recursive: a page may nest `dom.MAX_DEPTH` deep
    while stack:
        node = stack.pop()
        yield node
        children = []
        for child in node:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            # Without attributes, only its tag can make an element unlikely: most need no test.
            if (tag in dom.UNLIKELY_TAGS or child.keys()) and dom.is_unlikely(child):
                continue
            children.append(child)
        children.reverse()
        stack.extend(children)


def _scored_paragraphs(root: _Element) -> Iterator[tuple[_Element, float]]:
    for element in content_elements(root):
        if element.tag not in PARAGRAPH_TAGS:
            continue
        text, link_chars = _own_text(element)
        prose = len(text) - link_chars
        if prose >= MIN_PARAGRAPH_CHARS:
            yield element, _paragraph_score(text) * prose / max(len(text), 1)


def candidates(root: _Element) -> dict[_Element, float]:
    """Containers and their raw scores (before class weights and link density)."""
    return _candidates(list(_scored_paragraphs(root)))


def _candidates(scored: list[tuple[_Element, float]]) -> dict[_Element, float]:
    scores: dict[_Element, float] = defaultdict(float)
    for element, score in scored:
        # Text in a <div> or <td> of its own (<br>-separated) makes that element a container too.
        owner = element if element.tag in ("div", "td", "section", "article") else None
        parent = element.getparent() if owner is None else owner
        if parent is None:
            continue
        scores[parent] += score
        grandparent = parent.getparent()
        if grandparent is not None and grandparent.tag != "html":
            scores[grandparent] += score / 2
    return scores


def _subtree_scores(scored: list[tuple[_Element, float]]) -> dict[_Element, float]:
    """For every element, the scores of all the paragraphs inside it."""
    totals: dict[_Element, float] = defaultdict(float)
    for element, score in scored:
        totals[element] += score
        for ancestor in dom.ancestors(element):
            totals[ancestor] += score
    return totals


def _link_density(element: _Element) -> float:
    """The share of an element's text in links (at most all of it, whatever links nest)."""
    text = len(dom.text_of(element))
    links = sum(len(dom.text_of(link)) for link in element.iter("a"))
    return min(links / max(text, 1), 1.0)


class Finals:
    """Candidates' final scores, (raw score + class weight) × (1 − link density), each computed
    when first asked: the link density of a large container is a pass over all its text."""

    def __init__(self, raw: dict[_Element, float]) -> None:
        self.weighted = {element: score + _class_weight(element) for element, score in raw.items()}
        self.values: dict[_Element, float] = {}
        self.densities: dict[_Element, float] = {}

    def link_density(self, element: _Element) -> float:
        """`_link_density`, each element's kept: the siblings' tests ask again for the same ones."""
        value = self.densities.get(element)
        if value is None:
            value = self.densities[element] = _link_density(element)
        return value

    def get(self, element: _Element, default: float = 0.0) -> float:
        weighted = self.weighted.get(element)
        if weighted is None:
            return default
        value = self.values.get(element)
        if value is None:
            value = self.values[element] = weighted * (1 - self.link_density(element))
        return value

    def best(self) -> _Element | None:
        """The candidate of the highest positive final score (the first of equals in page
        order); a final score is never above the weighted one, so few are computed."""
        ranked = sorted(enumerate(self.weighted.items()), key=lambda item: -item[1][1])
        best: tuple[float, int, _Element] | None = None
        for index, (element, weighted) in ranked:
            if weighted <= 0 or (best is not None and weighted < best[0]):
                break
            value = self.get(element)
            if value > 0 and (best is None or (value, -index) > (best[0], -best[1])):
                best = (value, index, element)
        return best[2] if best is not None else None


@dataclass(frozen=True)
class Region:
    """The containers the density rule takes for the article, and their share of the page's
    paragraph score (low: the text may go on in places the rule did not join)."""

    containers: list[_Element]
    share: float
    main: _Element | None = None
    """When the share is low: the page's main text area, the lowest ancestor of the best
    container holding `MAIN_SHARE` of the page's paragraph score (a listicle's items, an
    article a page builder cut into boxes several levels apart)."""


def best_containers(root: _Element) -> list[_Element]:
    """The article's containers in page order (see `body_region`)."""
    return body_region(root).containers


def body_region(root: _Element) -> Region:
    """The article's containers in page order: the best-scoring one and its rich siblings.

    The best container is widened to the highest ancestor holding nothing else of note, so that
    an article cut into blocks by a page builder (one wrapper per paragraph group) is joined
    back from the blocks beside it.
    """
    scored = list(_scored_paragraphs(root))
    final = Finals(_candidates(scored))
    best = final.best()
    if best is None:
        return Region([], 0.0)
    totals = _subtree_scores(scored)
    best = _widened(best, totals)
    chosen = _with_siblings(best, final, totals)
    for _ in range(MAX_CLIMB):
        # Sections of one article (a listicle's items, a guide's chapters) each in a wrapper of
        # their own: the text goes on beside the best one's parent, one level up.
        parent = best.getparent()
        if parent is None or parent.getparent() is None or parent.tag in ("body", "main"):
            break
        wider = _with_siblings(parent, final, totals)
        gained = sum(totals.get(e, 0.0) for e in wider) - totals.get(parent, 0.0)
        if gained < totals.get(parent, 0.0) * CLIMB_GAIN:
            break
        best, chosen = parent, wider
    page = sum(score for _, score in scored)
    share = sum(totals.get(e, 0.0) for e in chosen) / page if page else 0.0
    main = _main_area(best, final, totals, page) if share < MAIN_SHARE else None
    return Region(chosen, share, main)


def _main_area(
    best: _Element, final: Finals, totals: dict[_Element, float], page: float
) -> _Element | None:
    """The lowest ancestor of `best` holding `MAIN_SHARE` of the page's paragraph score, unless
    it is mostly links (a page of teasers)."""
    for ancestor in dom.ancestors(best):
        if ancestor.tag in ("body", "html"):
            return None
        if totals.get(ancestor, 0.0) >= page * MAIN_SHARE:
            return ancestor if final.link_density(ancestor) < MAIN_LINK_DENSITY else None
    return None


def _with_siblings(best: _Element, final: Finals, totals: dict[_Element, float]) -> list[_Element]:
    """`best` and the siblings that carry on its text, in page order."""
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(10.0, final.get(best, totals.get(best, 0.0)) * SIBLING_SHARE)
    block_threshold = max(5.0, totals.get(best, 0.0) * BLOCK_SHARE)
    siblings = [child for child in parent if isinstance(child.tag, str)]
    marked = [
        sibling is best
        or final.get(sibling, 0.0) >= threshold
        or _rich_paragraph(sibling, final)
        or _text_block(sibling, final, totals, block_threshold)
        for sibling in siblings
    ]
    first, last = marked.index(True), len(marked) - 1 - marked[::-1].index(True)
    # Between two blocks of the text, a subheading or a picture is the article's too.
    return [
        sibling
        for index, sibling in enumerate(siblings)
        if marked[index] or (first < index < last and _between_blocks(sibling, final))
    ]


def _widened(best: _Element, totals: dict[_Element, float]) -> _Element:
    """The highest ancestor of `best` that adds no paragraph and (almost) no text of its own."""
    own = totals[best]
    current, length = best, len(dom.text_of(best))
    while (parent := current.getparent()) is not None and parent.tag not in ("body", "html"):
        if totals.get(parent, 0.0) > own * WIDEN_SHARE or dom.is_chrome(parent):
            break  # the cleanup would drop a chrome-classed ancestor whole
        wider = len(dom.text_of(parent))
        if wider > length * WIDEN_SHARE + WIDEN_SLACK:
            break  # a header, byline or toolbar beside the text
        current, length = parent, wider
    return current


def _between_blocks(element: _Element, final: Finals) -> bool:
    """A short piece between two blocks of text: a subheading, a picture, not a link list."""
    return not dom.is_unlikely(element) and final.link_density(element) < BLOCK_LINK_DENSITY


def _text_block(
    element: _Element, final: Finals, totals: dict[_Element, float], threshold: float
) -> bool:
    """A sibling block of article text: prose-rich, few links, no chrome class."""
    if not isinstance(element.tag, str) or totals.get(element, 0.0) < threshold:
        return False
    return _class_weight(element) >= 0 and final.link_density(element) < BLOCK_LINK_DENSITY


def _rich_paragraph(element: _Element, final: Finals) -> bool:
    """A `<p>` beside the best container that reads like article text."""
    if element.tag != "p" or dom.is_chrome(element):
        return False
    text = dom.text_of(element)
    return (
        len(text) > 80
        and final.link_density(element) < 0.25
        and bool(text_.SENTENCE_IN.search(text))
    )

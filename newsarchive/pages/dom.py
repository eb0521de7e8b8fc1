"""DOM helpers for extraction: parsing, cleaning a container, and reading its paragraphs."""

from __future__ import annotations

import copy
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any, cast
from urllib.parse import urlsplit

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
    r"breaking-?news\w*|breaking-?(?:bar|block|ticker|strip)|"
    r"most-?(?:read|popular)|popular|trending|rating|screen-reader-text|sr-only|"
    r"itemnavigation|itemrelated|itemcomments\w*|itemsocialsharing|itemtagsblock|"
    r"itemimagecaption|itemimagecredits|itemauthorblock|itemratingblock)(?:$|[\s_-])"
)
"""Class or id words that mark site chrome inside an article container, in `caseless` text
(a case-sensitive search of it is three times faster than `re.IGNORECASE`)."""
CASELESS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
"""The letters `re.IGNORECASE` takes for a Latin one that `str.lower` does not make one."""


def caseless(value: str) -> str:
    """Lower case, so that a lower-case pattern matches what it would with `re.IGNORECASE`."""
    return value.lower() if value.isascii() else value.translate(CASELESS).lower()


LAYOUT_CLASS = re.compile(
    r"(?:^|[\s_-])(?:article|body|content|main|column|story|entry|hentry|type-post)", re.I
)
"""Words of layout containers that may also carry a chrome-looking class (`has-sidebar`)."""

NEUTRAL_LAST_WORDS = frozenset(
    "layout container wrapper wrap post content body inner outer holder area-content".split()
)
"""A class whose last word names a layout box (`sidebar-layout`, `elementor-widget-container`,
Substack's `newsletter-post`) is that box, not the chrome its first word names."""
HIDDEN_CLASSES = frozenset({"hidden", "is-hidden", "visually-hidden", "d-none", "hide"})
"""Whole class names that hide an element (not `overflow-hidden` or `field--label-hidden`)."""
RESPONSIVE_SHOW = re.compile(r"(?:^|\s)(?:sm|md|lg|xl|2xl):(?:block|flex|grid|inline|table)")
"""Tailwind's `hidden md:block`: hidden on phones only, the article on every other screen."""
SOFT_CHROME_WORDS = frozenset("sidebar widget newsletter ads ad advert sponsor promo".split())
"""Chrome words that also name the layout boxes of page builders and newsletter platforms."""
PAGE_BUILDER = re.compile(
    r"(?:elementor|et_pb|wp-block|wpb_|vc_|fl-|sqs-|e-con|so-panel|panel-grid|hs_cos_wrapper|"
    r"widget-span|widget-type-|ck-)",
    re.I,
)
"""Page builders and editors name every box a `widget` (HubSpot a field of the post a
`meta_field`, CKEditor a block of the text `ck-widget`): in the classes of their boxes the words
say nothing of chrome."""
WORD_SPLIT = re.compile(r"[-_]+")
TAG_BOX_WORDS = frozenset("cloud list links block box wrap wrapper container area".split())
DROPPED_UNLESS_LARGE = frozenset({"form", "button", "label"})
"""Tags dropped as controls, unless they wrap the page (ASP.NET's page-wide `<form>`, or an
unclosed `<button>` the parser let swallow the article)."""
LARGE_TEXT = 500
SWALLOWED_ARTICLE = 1500
"""Characters of paragraphs no share bar, menu or ad holds: an article inside chrome markup."""
LONG_CHROME = re.compile(
    r"comment|repl|related|sidebar|widget|footer|popular|latest|trending|recommend|"
    r"more|ticker|breaking|archive|list",
    re.I,
)
"""Chrome that can hold long text of its own (threads, related posts, sidebars)."""

PAGE_TAGS = frozenset({"html", "body"})
UNLIKELY_TAGS = DROP_TAGS | {"footer"}
"""Tags that make an element unlikely by themselves (`is_unlikely` of an element without any
attribute is true only for these)."""
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def parse_html(html: str) -> _Element:
    """An lxml tree of a page, tolerant of broken markup, whatever its size, depth or bytes.

    Characters that XML cannot hold (`\\x0b`, NUL, lone surrogates) are taken out first: lxml
    would otherwise cut the page at them or refuse any text that holds one. A tag's attributes
    after its `MAX_ATTRIBUTES`th are dropped (libxml2 checks each against all the others). No
    size limit applies to a text node (`huge_tree`), and a page nested deeper than `MAX_DEPTH`
    is parsed again with the deeper elements placed side by side, as browsers do, instead of
    losing everything past libxml2's depth limit.
    """
    # Plain etree elements: lxml.html's element classes cost a lookup on every node visited.
    html = XML_DECLARATION.sub("", html or "", count=1)  # lxml refuses one in a str
    html = xml_safe(html)
    html = _fewer_attributes(html)
    root = _parse(html, HTML_PARSER) if html.strip() else None
    if root is not None and TOO_DEEP(root):
        root = _parse(html, _html_parser(_ShallowBuilder()))
    if root is None:
        return etree.fromstring("<html></html>", HTML_PARSER)
    _drop_broken_urls(root)
    return root


XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _html_parser(target: etree.ParserTarget | None = None) -> etree.HTMLParser:
    """lxml's HTML parser, recovering from errors, without a size limit on text (`huge_tree`)."""
    return etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True, target=target)


HTML_PARSER = _html_parser()
STRING_VALUE = etree.XPath("string()")
MAX_DEPTH = 256
"""Elements nested deeper are placed side by side at this depth (libxml2 stops at 256 by default;
Blink's parser places them the same way past 512)."""
TOO_DEEP = etree.XPath("boolean(" + "/*" * (MAX_DEPTH + 1) + ")")
"""Whether the tree is deeper than `MAX_DEPTH`: one child step per level, linear in the tree."""
MAX_ATTRIBUTES = 256
"""Attributes kept on one tag; no page needs more, and libxml2 is quadratic in their number."""
NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
LONG_TAG_CHARS = 3 * MAX_ATTRIBUTES
"""Characters after a start tag's first letter that more than `MAX_ATTRIBUTES` attributes need."""
ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
TAG_OR_RAW_TEXT = re.compile(
    r"<script\b(?:.*?</script|.*)|<style\b(?:.*?</style|.*)|<!--(?:.*?-->|.*)"
    rf"|(<[A-Za-z][^<>]{{{3 * MAX_ATTRIBUTES},}})",
    re.IGNORECASE | re.DOTALL,
)
"""Scripts, styles and comments (skipped whole: an unclosed one runs to the end, so the scan
stays linear), or a long start tag (group 1)."""
URL_ATTRIBUTE_PATHS = "//@href | //@src | //@data-src"
URL_ATTRIBUTES = etree.XPath(URL_ATTRIBUTE_PATHS)
SUSPECT_URL = re.compile(r"^[^/?#]*//[^/?#]*[\[\]:\x80-\U0010ffff]")
"""A URL whose host part has brackets, a port or non-ASCII letters: one to try parsing."""
URL_VALUES = etree.XPath(URL_ATTRIBUTE_PATHS, smart_strings=False)
SUSPECT_IN_URLS = re.compile(r"(?:^|\x00)[^/?#\x00]*//[^/?#\x00]*[\[\]:\x80-\U0010ffff]")
"""`SUSPECT_URL` in any of the values joined by NULs."""
ATTRIBUTE = re.compile(r"""[^\s"'<>/=][^\s<>/=]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s<>]*))?""")


def xml_safe(html: str) -> str:
    """The text without the characters XML cannot hold; a vertical tab or form feed is a space."""
    if not _has_non_xml(html):
        return html
    return NOT_XML_CHAR.sub(lambda found: " " if found[0] in "\x0b\x0c" else "", html)


XML_CONTROLS = bytes(code for code in range(32) if code not in (9, 10, 13))
NOT_XML_CONTROLS = bytes(code for code in range(256) if code not in XML_CONTROLS)


def _has_non_xml(html: str) -> bool:
    """Whether `NOT_XML_CHAR` has a match: a surrogate, U+FFFE/U+FFFF or a C0 control other
    than tab and newlines, found by C loops over the UTF-8 bytes (a regex is slower on pages)."""
    if len(html) < 1000:
        return NOT_XML_CHAR.search(html) is not None
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:
        return True  # only a surrogate has no UTF-8 form
    controls = data.translate(None, NOT_XML_CONTROLS)
    return bool(controls) or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data


def _fewer_attributes(html: str) -> str:
    """The page with no start tag holding more than `MAX_ATTRIBUTES` attributes."""
    # Long tags are common (inline SVG paths, srcsets, JSON in data- attributes); a tag with
    # hundreds of attributes is not: only such a page pays for the rewrite.
    if not any(_too_many_attributes(tag) for tag in _long_tags(html)):
        return html
    return TAG_OR_RAW_TEXT.sub(_first_attributes, html)


def _long_tags(html: str) -> Iterator[str]:
    """Start tags long enough to hold more than `MAX_ATTRIBUTES` attributes: a `<`, a letter,
    then `LONG_TAG_CHARS` or more characters up to the next `<` or `>` (what the pattern
    `<[A-Za-z][^<>]{768,}` finds, by a split in C rather than a match at every `<`)."""
    for piece in html.split("<")[1:]:
        if len(piece) > LONG_TAG_CHARS and piece[0] in ASCII_LETTERS:
            end = piece.find(">")
            end = len(piece) if end < 0 else end
            if end > LONG_TAG_CHARS:
                yield "<" + piece[:end]


def _too_many_attributes(tag: str) -> bool:
    # Every `ATTRIBUTE` match after the first starts just after a space, `/`, `=`, `<`, `>` or
    # a quote: a tag with fewer of these has fewer attributes (ASCII: there `\s` is these).
    if tag.isascii() and sum(map(tag.count, ATTRIBUTE_BOUNDARIES)) < MAX_ATTRIBUTES:
        return False
    return sum(1 for _ in islice(ATTRIBUTE.finditer(tag, 1), MAX_ATTRIBUTES + 1)) > MAX_ATTRIBUTES


ATTRIBUTE_BOUNDARIES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f /=<>\"'"


def _first_attributes(found: re.Match[str]) -> str:
    if found[1] is None:
        return found[0]
    tag = found[1]
    for count, attribute in enumerate(ATTRIBUTE.finditer(tag, 1)):
        if count == MAX_ATTRIBUTES + 1:  # the tag's name, then the attributes
            return tag[: attribute.start()]
    return tag


def _drop_broken_urls(root: _Element) -> None:
    """Remove `href`/`src` values that no URL parser takes (`http://[x/`, a port of 99999)."""
    # Plain strings, joined by a NUL (no attribute holds one): one search in C, and the values
    # that know their element only on the few pages with a suspect one.
    if not SUSPECT_IN_URLS.search("\x00".join(cast(list[str], URL_VALUES(root)))):
        return
    values = cast(list[Any], URL_ATTRIBUTES(root))  # attribute values that know their element
    for value in values:
        if SUSPECT_URL.search(value) and not is_url(value):
            parent = value.getparent()
            if parent is not None:
                parent.attrib.pop(value.attrname, None)


def is_url(value: str) -> bool:
    """Whether `urllib.parse` can split the URL and read its host and port."""
    try:
        parts = urlsplit(value.strip())
        _ = parts.hostname, parts.port
    except ValueError:
        return False
    return True


def _parse(html: str, parser: etree.HTMLParser) -> _Element | None:
    try:
        return cast(_Element | None, etree.fromstring(html, parser))
    except (etree.LxmlError, ValueError):  # nothing a tree can be made of
        return None


class _ShallowBuilder:
    """A parser target building the tree no deeper than `MAX_DEPTH`.

    An element that would open deeper closes the innermost one instead and takes its place, so
    the elements past the limit come out as siblings, in page order, with all their text.
    """

    def __init__(self) -> None:
        self.builder = etree.TreeBuilder()
        self.open: list[str | bytes] = []
        """Tags the builder holds open, outermost first."""
        self.held: list[bool] = []
        """For each element the parser holds open: whether the builder still does."""

    def start(self, tag: str | bytes, attrib: dict[str | bytes, str | bytes]) -> None:
        if len(self.open) >= MAX_DEPTH:
            self.builder.end(self.open.pop())
            self.held[-1] = False  # the parser's innermost is the builder's innermost here
        self.builder.start(tag, attrib)
        self.open.append(tag)
        self.held.append(True)

    def end(self, tag: str | bytes) -> None:
        if self.held and self.held.pop():
            self.builder.end(self.open.pop())

    def data(self, data: str | bytes) -> None:
        self.builder.data(data)

    def comment(self, text: str | bytes) -> None:
        """Comments are left out of the tree (as `remove_comments` does)."""

    def close(self) -> _Element:
        while self.open:
            self.builder.end(self.open.pop())
        return self.builder.close()


def text_of(element: _Element) -> str:
    """All text inside an element, whitespace collapsed."""
    return " ".join(str(STRING_VALUE(element)).split())


MAX_MARK_CHARS = 2000
"""A class or id is read this far: no real one is longer, and the patterns stay linear."""


def marks_of(element: _Element) -> str:
    """An element's class and id, for matching class words (each cut to `MAX_MARK_CHARS`)."""
    classes = (element.get("class") or "")[:MAX_MARK_CHARS]
    return f"{classes} {(element.get('id') or '')[:MAX_MARK_CHARS]}"


def is_chrome(element: _Element) -> bool:
    """Whether an element's class or id marks it as share/related/ad chrome, or it is hidden."""
    names = element.keys()
    if not names:
        return False  # many elements have no attribute at all
    if "hidden" in names or ("aria-hidden" in names and element.get("aria-hidden") == "true"):
        return True
    style = element.get("style") if "style" in names else None
    if style and HIDDEN_STYLE.search(style[:MAX_MARK_CHARS]):
        return True
    classes = (element.get("class") or "")[:MAX_MARK_CHARS] if "class" in names else ""
    ident = (element.get("id") or "")[:MAX_MARK_CHARS] if "id" in names else ""
    return chrome_marks(classes, ident) if classes or ident else False


@lru_cache(maxsize=4096)
def chrome_marks(classes: str, ident: str) -> bool:
    """Whether a class and id name chrome (a page repeats its few class strings many times)."""
    marks = f"{classes} {ident}"
    if not marks.strip():
        return False
    tokens = marks.split()
    if any(token.lower() in HIDDEN_CLASSES for token in tokens):
        return not RESPONSIVE_SHOW.search(classes)
    if "token" in tokens or any(token.startswith(CODE_HIGHLIGHT) for token in tokens):
        return False  # a code sample's highlighted `comment`, `string`, `tag`
    # One search over all the words first: most elements name no chrome at all.
    if not CHROME_CLASS.search(caseless(marks)):
        return False
    # In a page builder's box (or Blogger's `widget Blog`, the posts), `widget` names a box.
    built = BLOGGER_POSTS.issubset(tokens) or any(PAGE_BUILDER.match(token) for token in tokens)
    return any(_chrome_token(token, built) for token in tokens)


BLOGGER_POSTS = frozenset({"widget", "Blog"})
CODE_HIGHLIGHT = "hljs"
"""The class prefix of highlight.js (Prism's spans are `token comment`), whose words name parts
of code, never chrome."""


def _chrome_token(token: str, built: bool = False) -> bool:
    token = token.split("--")[0]  # a BEM modifier (`layout--sidebar`) says how its block looks
    if built:
        token = token.lower().replace("widget", "box").replace("meta_field", "field")
    if not CHROME_CLASS.search(caseless(token)):
        return False
    words = WORD_SPLIT.split(token.lower())
    if words[0] in ("tag", "category") and len(words) > 1 and words[1] not in TAG_BOX_WORDS:
        return False  # WordPress's `tag-<slug>`, `category-<slug>` on the article itself
    if LAYOUT_MODIFIERS.intersection(words):
        return False  # `no-sidebar`, `with-nav-sidebar`: a layout beside (or without) chrome
    return not (words[-1] in NEUTRAL_LAST_WORDS and SOFT_CHROME_WORDS.intersection(words))


LAYOUT_MODIFIERS = frozenset({"no", "with", "without", "has"})


def is_dropped(element: _Element) -> bool:
    """Never article text: code, forms, media, navigation, the headline (see DROP_TAGS)."""
    if element.tag not in DROP_TAGS:
        return False
    if element.tag in DROPPED_UNLESS_LARGE:
        return len(STRING_VALUE(element)) < LARGE_TEXT  # type: ignore[arg-type]
    if element.tag in ("nav", "aside"):
        return not _swallowed_page(element)  # an unclosed menu item the page was parsed into
    return True


def drop(element: _Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    _MEMOS.pop(id(element.getroottree().getroot()), None)  # the tree changes
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
        if child is not element and (is_dropped(child) or is_chrome(child)):
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

    def text(value: str | None, in_link: bool) -> None:
        if value:
            current.append(value)
            if in_link:
                link_chars[0] += len(value.strip())

    # Depth-first by hand (a page may nest `MAX_DEPTH` deep): (node, in a link, step) where
    # step is "enter" (its text, then its children), "flush", or "tail" (after the node).
    stack: list[tuple[_Element, bool, str]] = [(element, element.tag == "a", "enter")]
    while stack:
        node, in_link, step = stack.pop()
        if step == "flush":
            flush()
        elif step == "tail":
            text(node.tail, in_link)
        else:
            text(node.text, in_link)
            for child in reversed(node):
                stack.append((child, in_link, "tail"))
                if not isinstance(child.tag, str) or is_dropped(child):
                    continue
                if child.tag == "br":
                    stack.append((child, in_link, "flush"))
                elif child.tag in BLOCK_TAGS:
                    stack.append((child, in_link, "flush"))
                    stack.append((child, in_link, "enter"))
                    stack.append((child, in_link, "flush"))
                else:
                    stack.append((child, in_link or child.tag == "a", "enter"))
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
    """Navigation, sidebars, footers and other chrome; a layout container is never unlikely,
    nor the page's `<html>` or `<body>` (their classes describe the page: `no-sidebar`)."""
    if element.tag in PAGE_TAGS:
        return False
    if is_dropped(element) or element.tag == "footer":
        return True
    if not is_chrome(element) or LAYOUT_CLASS.search(marks_of(element)):
        return False
    # A menu button that holds `<main>`: broken markup the parser nested the page into.
    return not _swallowed_page(element)


def _swallowed_page(element: _Element) -> bool:
    """Whether a chrome-classed element holds the article: broken markup the parser nested the
    page into (an unclosed menu `<button>`), or a theme's `share-container` around the text.

    Share bars, menus and ads are never long; comment threads and related lists may be, so
    they are never taken for the article.
    """
    if element.find(".//main") is not None:
        return True  # no thread or list holds the page's `<main>`: only a parser's nesting does
    if LONG_CHROME.search(marks_of(element)):
        return False
    prose = 0
    for paragraph in element.iter("p"):
        prose += len(STRING_VALUE(paragraph))  # type: ignore[arg-type]
        if prose > SWALLOWED_ARTICLE:
            return True
    return False


NAVIGATION_CLASS = re.compile(
    r"sidebar|widget|related|ticker|breaking|latest|popular|menu|footer|comment|nav",
    re.IGNORECASE,
)


def in_navigation(element: _Element) -> bool:
    """Whether the element sits in navigation, a sidebar, a ticker or a footer (not a meta line)."""
    return _inherited(element, _is_navigation)


def _is_navigation(node: _Element) -> bool:
    if not isinstance(node.tag, str) or node.tag in ("html", "body"):
        return False
    marks = marks_of(node)
    if node.tag == "nav":
        return True
    if node.tag in ("aside", "footer"):
        # An article's own `<aside>` or `<footer>` holds its date, byline and tags.
        return not LAYOUT_CLASS.search(marks) and not _in_article(node)
    return bool(NAVIGATION_CLASS.search(marks)) and not LAYOUT_CLASS.search(marks)


def _in_article(node: _Element) -> bool:
    return any(ancestor.tag == "article" for ancestor in ancestors(node))


def in_chrome(element: _Element) -> bool:
    """Whether the element or one of its ancestors is navigation, a sidebar or other chrome."""
    return _inherited(element, _is_chrome_box)


def _is_chrome_box(node: _Element) -> bool:
    if not isinstance(node.tag, str) or node.tag in ("html", "body", "h1"):
        return False
    return is_unlikely(node)


def in_link(element: _Element) -> bool:
    """Whether the element sits inside an `<a>` (not counting itself)."""
    parent = element.getparent()
    return parent is not None and _inherited(parent, _is_link)


def _is_link(node: _Element) -> bool:
    return node.tag == "a"


MEMO_TREES = 4
"""Trees whose answers `_inherited` keeps (the pages being extracted now)."""
_MEMOS: OrderedDict[int, tuple[_Element, dict[tuple[object, _Element], bool]]] = OrderedDict()


def _inherited(element: _Element, own: Callable[[_Element], bool]) -> bool:
    """Whether `own` holds for the element or any ancestor, each element's answer kept.

    Linear over a whole page: asking for every element walks each parent chain once, however
    deep the tree, instead of once per descendant. Trees are not changed after parsing (`drop`,
    used on cleaned copies, forgets a tree's answers).
    """
    root = element.getroottree().getroot()
    entry = _MEMOS.get(id(root))
    if entry is None or entry[0] is not root:
        entry = (root, {})
        _MEMOS[id(root)] = entry
        while len(_MEMOS) > MEMO_TREES:
            _MEMOS.popitem(last=False)
    else:
        _MEMOS.move_to_end(id(root))
    memo = entry[1]
    path: list[_Element] = []
    node: _Element | None = element
    found = False
    while node is not None:
        known = memo.get((own, node))
        if known is not None:
            found = known
            break
        path.append(node)
        node = node.getparent()
    for node in reversed(path):
        found = found or own(node)
        memo[(own, node)] = found
    return found


def has_rel(element: _Element, rel: str) -> bool:
    """Whether a link's `rel` names `rel` (`<a rel="tag">`, `<link rel="canonical">`)."""
    return rel in (element.get("rel") or "").lower().split()

"""`extract()` on odd, broken and hostile pages: a record or NotAnArticleError, in linear time.

Three kinds of test: one regression page per class of failure seen (odd values in markup,
parser limits, stray bytes), hypothesis fuzzing of the fixture pages (mutated bytes, characters,
tags, attributes, metadata) and of arbitrary text, and costs on inputs growing eightfold.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive import golden
from newsarchive.extract import extract, from_response
from newsarchive.items import Article, NotAnArticleError
from newsarchive.pages import dom

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 2, 20, 12, 0, tzinfo=UTC)
URL = "https://e.gr/a/"
SENTENCE = "Η Περιφέρεια ανακοίνωσε σήμερα νέα μέτρα για τους αγρότες, είπε ο περιφερειάρχης. "
PARAGRAPHS = f"<p>{SENTENCE}</p>" * 5


def page(head: str = "", body: str = PARAGRAPHS, before: str = "") -> str:
    """An article page: a headline and five paragraphs, with extra markup where asked."""
    return (
        f"<html><head><title>Νέα μέτρα για τους αγρότες</title>{head}</head><body>{before}"
        f"<article><h1>Νέα μέτρα για τους αγρότες</h1>{body}</article></body></html>"
    )


def record_or_refusal(html: str, url: str = URL) -> Article | None:
    """The record of a page, or None for NotAnArticleError; any other exception fails."""
    try:
        return extract(html, url, fetched_at=NOW)
    except NotAnArticleError:
        return None


def response_or_refusal(body: bytes, content_type: str | None, url: str = URL) -> Article | None:
    try:
        return from_response(body, content_type, url, fetched_at=NOW)
    except NotAnArticleError:
        return None


def jsonld(document: str) -> str:
    return f'<script type="application/ld+json">{document}</script>'


# --- odd but valid values in markup -----------------------------------------------------------

ODD_DATES = [
    "2026-01-19T25:61:00+02:00",
    "0000-01-01T00:00:00Z",
    "0-01-01",
    "99999-01-01T00:00:00+02:00",
    "2026-02-30",
    "2026-13-45T10:00",
    "31/02/2026 99:99",
    "-1",
    "1e400",
    "9" * 300,
]


@pytest.mark.parametrize("value", ODD_DATES)
def test_out_of_range_dates_in_markup_are_no_date(value: str) -> None:
    head = (
        f'<meta property="article:published_time" content="{value}">'
        f'<meta property="article:modified_time" content="{value}">'
        + jsonld(
            json.dumps({"@type": "NewsArticle", "datePublished": value, "dateModified": value})
        )
    )
    body = f'<time datetime="{value}">{value}</time><span itemprop="datePublished">{value}</span>'
    found = record_or_refusal(page(head, body + PARAGRAPHS))
    assert found is not None and SENTENCE.strip() in found.body


def test_a_control_character_beside_removed_markup() -> None:
    html = (
        "<html><body><article><figure><img src=x.jpg></figure>\x0b"
        + "<p>Η Περιφέρεια ανακοίνωσε σήμερα νέα μέτρα για τους αγρότες. </p>" * 5
        + "</article></body></html>"
    )
    found = record_or_refusal(html)
    assert found is not None and "Η Περιφέρεια ανακοίνωσε" in found.body


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\ufffe", "\ud800"])
@pytest.mark.parametrize("where", ["head", "title", "before", "body", "tail"])
def test_characters_xml_cannot_hold_cost_nothing(character: str, where: str) -> None:
    parts = {"head": "", "before": "", "body": PARAGRAPHS}
    if where == "title":
        parts["head"] = f"<meta property='og:title' content='Νέα{character} μέτρα'>"
    elif where == "body":
        parts["body"] = PARAGRAPHS.replace("σήμερα", f"σή{character}μερα", 2)
    elif where == "tail":
        parts["body"] = f"<figure><img src=x.jpg></figure>{character}" + PARAGRAPHS
    else:
        parts[where] = character * 3
    found = record_or_refusal(page(**parts))
    assert found is not None and "νέα μέτρα για τους αγρότες" in found.body
    assert character not in found.body + found.headline


def test_a_nul_byte_before_the_markup_is_no_end_of_the_page() -> None:
    found = record_or_refusal("\x00" + page())
    assert found is not None and found.headline == "Νέα μέτρα για τους αγρότες"


@pytest.mark.parametrize("depth", [1000, 5000])
def test_jsonld_nested_a_thousand_levels_deep(depth: int) -> None:
    article = '{"@type": "NewsArticle", "headline": "Νέα μέτρα", "image": {"url": "x.jpg"}}'
    head = jsonld("[" * depth + article + "]" * depth) + jsonld(
        '{"@type": "NewsArticle", "about": ' + "[" * depth + "]" * depth + "}"
    )
    assert record_or_refusal(page(head)) is not None


@pytest.mark.parametrize("position", ['"x"', '"\\u000b"', "1.5", "NaN", "1e400", "{}", "[1]"])
def test_a_breadcrumb_position_that_is_no_integer(position: str) -> None:
    crumbs = (
        '{"@type": "BreadcrumbList", "itemListElement": ['
        f'{{"position": {position}, "name": "Τοπικά"}}, {{"position": 1, "name": "Αρχική"}}]}}'
    )
    assert record_or_refusal(page(jsonld(crumbs))) is not None


BAD_URLS = [
    "http://[x/",
    "//[::1",
    "http://]x/",
    "https://e.gr:99999/x",
    "https://e.gr:abc/",
    "http://ex\u2100mple/",
    "https://e.gr\uff03x/",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_malformed_urls_in_links_and_images(url: str) -> None:
    head = (
        f'<link rel="canonical" href="{url}"><meta property="og:image" content="{url}">'
        + jsonld(json.dumps({"@type": "NewsArticle", "image": [url, {"url": url}]}))
    )
    body = (
        f'<figure><img src="{url}" data-src="{url}"><figcaption>Λεζάντα</figcaption></figure>'
        f'<img class="wp-post-image" src="{url}"><a href="{url}">σύνδεσμος</a>'
        f'<a rel="author" href="{url}">Άννα Ζήση</a><a rel="tag" href="{url}">Λάρισα</a>'
    )
    found = record_or_refusal(page(head, body + PARAGRAPHS))
    assert found is not None
    assert all(image.url != url for image in found.images)


def test_a_malformed_url_costs_only_itself() -> None:
    head = (
        '<meta property="og:image" content="http://[x/"><meta property="og:image" content="y.jpg">'
    )
    found = record_or_refusal(page(head))
    assert found is not None and [image.url for image in found.images] == ["https://e.gr/a/y.jpg"]


# --- parser limits ----------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [260, 1000, 3000])
def test_unclosed_divs_before_the_text(depth: int) -> None:
    found = record_or_refusal(page(before="<div>" * depth))
    assert found is not None and SENTENCE.strip() in found.body


@pytest.mark.parametrize("tag", ["div", "span", "section", "b", "table"])
def test_text_nested_past_the_depth_limit_is_kept(tag: str) -> None:
    root = dom.parse_html(
        f"<html><body>{f'<{tag}>' * 3000}<p>κείμενο</p><p>τέλος</p></body></html>"
    )
    assert [p.text for p in root.iter("p")] == ["κείμενο", "τέλος"]
    depth = max(sum(1 for _ in element.iterancestors()) for element in root.iter("p"))
    assert depth <= dom.MAX_DEPTH


def test_a_deep_tree_keeps_its_shallow_structure() -> None:
    shallow = "<html><body><div id=a><p>α</p><div id=b><p>β</p></div></div></body></html>"
    deep = shallow.replace("<div id=b>", "<div id=b>" + "<span>" * 2000 + "</span>" * 2000)
    for html in (shallow, deep):
        root = dom.parse_html(html)
        assert [p.text for p in root.iter("p")] == ["α", "β"]
        b = root.find(".//div[@id='b']")
        assert b is not None and b.getparent() is root.find(".//div[@id='a']")


def test_a_text_node_over_ten_megabytes_keeps_the_rest_of_the_page() -> None:
    html = page(body="<script>" + "α" * (11 * 1024 * 1024) + "</script>" + PARAGRAPHS)
    root = dom.parse_html(html)
    assert [dom.text_of(p) for p in root.iter("p")] == [SENTENCE.strip()] * 5
    found = record_or_refusal(html)
    assert found is not None and SENTENCE.strip() in found.body


def test_forty_thousand_attributes_on_one_tag() -> None:
    attributes = " ".join(f'a{i}="v"' for i in range(40_000))
    root = dom.parse_html(
        f"<html><body><div class=x {attributes}><p>α</p></div><p>β</p></body></html>"
    )
    div = root.find(".//div")
    assert div is not None and div.get("class") == "x" and len(div.attrib) == dom.MAX_ATTRIBUTES
    assert [p.text for p in root.iter("p")] == ["α", "β"]


def test_scripts_are_not_taken_for_long_tags() -> None:
    script = "<script>var a = 1; if (a <b " + "x=1 " * 2000 + ") {}</script>"
    root = dom.parse_html(f"<html><head>{script}</head><body><p>α</p></body></html>")
    found = root.find(".//script")
    assert found is not None and found.text is not None and found.text.count("x=1") == 2000


# --- bytes ------------------------------------------------------------------------------------


@cache
def golden_pages() -> list[golden.GoldenPage]:
    paths = sorted(
        [
            *(REPO / "tests" / "fixtures" / "pages").glob("*/*.html"),
            *(REPO / "newsarchive" / "fixture_sites").glob("*/articles/*.html"),
        ]
    )
    return [golden.load(path) for path in paths]


@cache
def article_pages() -> list[golden.GoldenPage]:
    return [found for found in golden_pages() if found.kind == "article"]


@cache
def record_of(index: int) -> Article:
    found = article_pages()[index]
    return from_response(found.raw(), found.content_type, found.url, fetched_at=found.fetched_at)


@dataclass(frozen=True)
class Legacy:
    """An article page as a single-byte Greek site serves it."""

    index: int
    encoding: str

    def raw(self) -> bytes:
        return article_pages()[self.index].html().encode(self.encoding, "xmlcharrefreplace")

    def insertion_points(self, count: int) -> list[int]:
        """Places inside running Greek text (between two letters and a space), spread out."""
        raw = self.raw()
        start = raw.find(b"<body")
        places = [
            i
            for i in range(start, len(raw) - 1)
            if raw[i] == 0x20 and raw[i - 1] >= 0xC1 <= raw[i + 1]
        ]
        step = max(len(places) // count, 1)
        return places[::step][:count]


LEGACY = [
    Legacy(index, encoding) for index in (0, 5, 10) for encoding in ("windows-1253", "iso-8859-7")
]


@pytest.mark.parametrize("legacy", LEGACY, ids=lambda legacy: f"{legacy.index}-{legacy.encoding}")
@pytest.mark.parametrize("stray", [b"\xd2", b"\xff"])
def test_one_undefined_byte_in_a_legacy_page_costs_one_character(
    legacy: Legacy, stray: bytes
) -> None:
    found = article_pages()[legacy.index]
    raw = legacy.raw()
    expected = response_or_refusal(raw, f"text/html; charset={legacy.encoding}", found.url)
    assert expected is not None and expected.body == record_of(legacy.index).body
    for place in legacy.insertion_points(7):
        mutated = raw[:place] + stray + raw[place:]
        got = response_or_refusal(mutated, f"text/html; charset={legacy.encoding}", found.url)
        assert got is not None
        assert got.headline == expected.headline
        assert got.body.replace("\ufffd", "") == expected.body
        assert got.body.count("\ufffd") <= 1


@pytest.mark.parametrize("index", [0, 7])
@pytest.mark.parametrize(
    ("encoding", "content_type"),
    [
        ("utf-16", "text/html"),
        ("utf-16-le", "text/html; charset=utf-16"),
        ("utf-16-be", "text/html; charset=utf-16"),
        ("utf-16-le", None),
        ("utf-32", None),
    ],
)
def test_utf16_pages_are_read(index: int, encoding: str, content_type: str | None) -> None:
    found = article_pages()[index]
    got = response_or_refusal(found.html().encode(encoding), content_type, found.url)
    assert got is not None and got.body == record_of(index).body


@pytest.mark.parametrize("where", [0, 1, 15, 60, 200])
def test_a_nul_byte_near_the_top_is_read_past(where: int) -> None:
    found = article_pages()[3]
    raw = found.raw()
    got = response_or_refusal(raw[:where] + b"\x00" + raw[where:], found.content_type, found.url)
    assert got is not None and got.body == record_of(3).body


# --- fuzzing ----------------------------------------------------------------------------------

ODD_VALUES = [
    *ODD_DATES,
    *BAD_URLS,
    "",
    " ",
    "NaN",
    "null",
    "javascript:alert(1)",
    "\x00",
    "\x0b",
    "\ud800",
    "\u202e",
    "<b>",
    "&#0;",
    "&#xd800;",
    "&#1114112;",
    "]]>",
    "<!--",
    "1" * 5000,
]
CONTROL = [
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x85",
    "\ufffe",
    "\uffff",
    "\ud800",
]
META_KEYS = [
    "article:published_time",
    "article:modified_time",
    "og:image",
    "og:title",
    "og:url",
    "og:type",
    "author",
    "date",
    "dc.date",
    "article:section",
    "article:tag",
]
JSONLD_KEYS = [
    "datePublished",
    "dateModified",
    "headline",
    "image",
    "author",
    "articleSection",
    "keywords",
    "url",
    "@id",
    "@type",
]
TAGS = ["div", "span", "p", "a", "b", "article", "section", "table", "li", "figure", "button"]
ATTRIBUTES = ["src", "href", "data-src", "datetime", "class", "id", "itemprop", "itemtype",
              "content", "lang", "rel", "style", "hidden"]  # fmt: skip


@dataclass(frozen=True)
class Mutation:
    kind: str
    where: float
    """Where in the page, as a share of its length."""
    size: int
    value: str
    key: int


def _at(text: str, where: float) -> int:
    return min(int(len(text) * where), len(text))


def mutate(text: str, change: Mutation) -> str:
    """The page text with one change made."""
    i = _at(text, change.where)
    kind, value, size = change.kind, change.value, change.size
    if kind == "insert":
        return text[:i] + value + text[i:]
    if kind == "control":
        return text[:i] + CONTROL[change.key % len(CONTROL)] * (1 + size % 3) + text[i:]
    if kind == "delete":
        return text[:i] + text[i + 1 + size :]
    if kind == "replace":
        return text[:i] + value[:1] + text[i + 1 :]
    if kind in ("duplicate-tag", "drop-tag"):
        start = text.find("<", i)
        end = text.find(">", start)
        if start < 0 or end < 0:
            return text
        tag = text[start : end + 1]
        return (
            text[:start] + (tag * (2 + size) if kind == "duplicate-tag" else "") + text[end + 1 :]
        )
    if kind == "meta":
        key = META_KEYS[change.key % len(META_KEYS)]
        meta = f'<meta property="{key}" content="{value.replace(chr(34), "")}">'
        return text.replace("<head>", f"<head>{meta}", 1) if "<head>" in text else meta + text
    if kind == "jsonld":
        key = JSONLD_KEYS[change.key % len(JSONLD_KEYS)]
        nested = "[" * size * 40 + json.dumps(value) + "]" * size * 40
        document = (
            f'{{"@type": "NewsArticle", "{key}": {json.dumps(value)}, "image": {{"url": '
            f'{json.dumps(value)}}}, "author": [{{"name": {json.dumps(value)}}}], "x": {nested}}}'
        )
        if change.key % 3 == 0:
            document = (
                '{"@type": "BreadcrumbList", "itemListElement": ['
                f'{{"position": {json.dumps(value)}, "name": "α"}},'
                f' {{"position": {size}, "name": "β"}}]}}'
            )
        return text[:i] + jsonld(document) + text[i:]
    if kind == "attribute":
        attribute = ATTRIBUTES[change.key % len(ATTRIBUTES)]
        start = text.find("<", i)
        if start < 0 or not text[start + 1 : start + 2].isalpha():
            return text
        end = start + 1
        while end < len(text) and text[end].isalnum():
            end += 1
        extra = f' {attribute}="{value.replace(chr(34), "")}"' * (1 + size)
        return text[:end] + extra + text[end:]
    if kind == "nesting":
        tag = TAGS[change.key % len(TAGS)]
        return text[:i] + f"<{tag}>" * (size * 50) + text[i:]
    if kind == "balanced-nesting":
        tag = TAGS[change.key % len(TAGS)]
        return text[:i] + f"<{tag}>" * (size * 50) + "λέξη" + f"</{tag}>" * (size * 50) + text[i:]
    if kind == "removed-markup":  # a control character beside markup the cleanup removes
        markup = ["<figure><img src=x.jpg></figure>", "<script>x</script>", "<!-- x -->", "<br>"]
        return text[:i] + markup[change.key % 4] + CONTROL[size % len(CONTROL)] + text[i:]
    raise AssertionError(kind)


mutations = st.builds(
    Mutation,
    kind=st.sampled_from(
        [
            "insert",
            "control",
            "delete",
            "replace",
            "duplicate-tag",
            "drop-tag",
            "meta",
            "jsonld",
            "attribute",
            "nesting",
            "balanced-nesting",
            "removed-markup",
        ]
    ),
    where=st.floats(0, 1),
    size=st.integers(0, 30),
    value=st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=8)),
    key=st.integers(0, 1000),
)
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(st.integers(0, 10_000), st.lists(mutations, min_size=1, max_size=4))
def test_mutated_fixture_pages_give_a_record_or_a_refusal(
    index: int, changes: list[Mutation]
) -> None:
    found = golden_pages()[index % len(golden_pages())]
    text = found.html()
    for change in changes:
        text = mutate(text, change)
    record_or_refusal(text, found.url)


byte_mutations = st.tuples(
    st.sampled_from(["insert", "delete", "replace"]), st.floats(0, 1), st.integers(0, 255)
)


@FUZZ
@given(st.integers(0, 10_000), st.lists(byte_mutations, min_size=1, max_size=6), st.booleans())
def test_mutated_fixture_bytes_give_a_record_or_a_refusal(
    index: int, changes: list[tuple[str, float, int]], legacy: bool
) -> None:
    found = golden_pages()[index % len(golden_pages())]
    raw = found.html().encode("windows-1253", "xmlcharrefreplace") if legacy else found.raw()
    content_type = "text/html; charset=windows-1253" if legacy else found.content_type
    for kind, where, byte in changes:
        i = min(int(len(raw) * where), len(raw))
        if kind == "insert":
            raw = raw[:i] + bytes([byte]) + raw[i:]
        elif kind == "delete":
            raw = raw[:i] + raw[i + 1 :]
        else:
            raw = raw[:i] + bytes([byte]) + raw[i + 1 :]
    response_or_refusal(raw, content_type, found.url)


markup = st.one_of(
    st.text(),
    st.sampled_from(
        [
            "<",
            ">",
            "</",
            "<p>",
            "</p>",
            "<div>",
            "<a href='http://[x/'>",
            "<html>",
            "<body>",
            "<head>",
            "<meta property='article:published_time' content='0'>",
            '<script type="application/ld+json">',
            "</script>",
            "<!--",
            "-->",
            "&",
            "<img src=x.jpg>",
            "<figure>",
            "\x0b",
            "\x00",
            "<time datetime=99999>",
        ]
    ),
)


@FUZZ
@given(st.lists(markup, max_size=40))
def test_arbitrary_text_gives_a_record_or_a_refusal(parts: list[str]) -> None:
    record_or_refusal("".join(parts))
    record_or_refusal(page(body="".join(parts) + PARAGRAPHS))


@FUZZ
@given(
    st.binary(max_size=2000),
    st.sampled_from([None, "text/html", "text/html; charset=utf-16", "text/html; charset=x-no"]),
)
def test_arbitrary_bytes_give_a_record_or_a_refusal(body: bytes, content_type: str | None) -> None:
    response_or_refusal(body, content_type)
    response_or_refusal(page().encode("utf-8") + body, content_type)


# --- linear time ------------------------------------------------------------------------------


def cost(html: str) -> float:
    """CPU seconds to extract a page, the least of three runs."""
    costs = []
    for _ in range(3):
        start = time.process_time()
        record_or_refusal(html)
        costs.append(time.process_time() - start)
    return max(min(costs), 1e-3)


GROWING: dict[str, Callable[[int], str]] = {
    "digits of a published time": lambda n: page(
        f'<meta property="article:published_time" content="{"4" * n}">'
        + jsonld(json.dumps({"@type": "NewsArticle", "datePublished": "4" * n}))
    ),
    "attributes of one tag": lambda n: page(
        body="<div " + " ".join(f'a{i}="v"' for i in range(n)) + f">{PARAGRAPHS}</div>"
    ),
    "words of a class": lambda n: page(
        before=f'<div class="{"x-y " * n}" id="{"z" * n}" style="{"a:b;" * n}">' * 5,
        body=f'<time class="{"d " * n}" datetime="2026-02-01">1/2</time>{PARAGRAPHS}',
    ),
    "unclosed divs": lambda n: page(before="<div>λέξη 1/2 " * (n // 10)),
    "unclosed spans": lambda n: page(body="<span>1/2 " * (n // 10) + PARAGRAPHS),
    "nested json-ld": lambda n: page(jsonld("[" * n + "]" * n)),
    "unclosed tags": lambda n: page(body="<a " * n + PARAGRAPHS),
    "unclosed comments": lambda n: page(body="<!-- <meta " * n + PARAGRAPHS),
    "a long text": lambda n: page(body=f"<p>{'λέξη, ' * n}</p>" + PARAGRAPHS),
}


@pytest.mark.parametrize("name", list(GROWING))
def test_cost_grows_linearly(name: str) -> None:
    make = GROWING[name]
    small, large = cost(make(5_000)), cost(make(40_000))
    assert large / small < 20, f"{name}: {small:.3f}s at n, {large:.3f}s at 8n"

"""JSON-LD, `<meta>` and microdata readers."""

from __future__ import annotations

import pytest

from newsarchive.pages import dom, metadata


def root(head: str, body: str = "") -> object:
    return dom.parse_html(f"<html><head>{head}</head><body>{body}</body></html>")


def script(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


@pytest.mark.parametrize(
    "document",
    [
        '{"@type": "NewsArticle", "headline": "Λάρισα"}',
        '[{"@type": "WebSite"}, {"@type": "NewsArticle", "headline": "Λάρισα"}]',
        '{"@graph": [{"@type": "WebPage"},'
        ' {"@type": ["Article", "NewsArticle"], "headline": "Λάρισα"}]}',
        '{"@type": "https://schema.org/BlogPosting", "headline": "Λάρισα"}',
        '{"@type": "ReportageNewsArticle", "headline": "Λάρισα",}',  # trailing comma
        '<!-- {"@type": "NewsArticle", "headline": "Λάρισα"} -->',
        '{"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", "headline": "Λάρισα"}}',
    ],
)
def test_jsonld_article_is_found_in_every_shape(document: str) -> None:
    found = metadata.jsonld(root(script(document)))  # type: ignore[arg-type]
    assert found.text("headline") == "Λάρισα"


def test_broken_jsonld_is_ignored() -> None:
    found = metadata.jsonld(root(script('{"@type": "NewsArticle", "headline": ')))  # type: ignore[arg-type]
    assert found.articles == []


def test_references_resolve_and_lists_give_their_first_item() -> None:
    found = metadata.jsonld(
        root(  # type: ignore[arg-type]
            script(
                '{"@graph": [{"@type": "NewsArticle", "author": [{"@id": "#p1"}, {"@id": "#p2"}],'
                ' "articleSection": ["Τοπικά", "Λάρισα"]},'
                ' {"@type": "Person", "@id": "#p1", "name": "Άννα Ζήση"},'
                ' {"@type": "Person", "@id": "#p2", "name": "Κώστας Ρήγας"}]}'
            )
        )
    )
    assert found.text("articleSection") == "Τοπικά"
    authors = next(found.values("author"))
    assert found.texts(authors) == ["Άννα Ζήση", "Κώστας Ρήγας"]


def test_breadcrumbs_in_position_order() -> None:
    crumbs = script(
        '{"@type": "BreadcrumbList", "itemListElement": ['
        '{"@type": "ListItem", "position": 2, "name": "Τοπικά"},'
        '{"@type": "ListItem", "position": 1, "name": "Αρχική"},'
        '{"@type": "ListItem", "position": 3, "item": {"name": "Νέα γέφυρα"}}]}'
    )
    assert metadata.breadcrumbs(root(crumbs)) == ["Αρχική", "Τοπικά", "Νέα γέφυρα"]  # type: ignore[arg-type]


def test_meta_tags_by_property_name_and_itemprop() -> None:
    tags = metadata.meta_tags(
        root(  # type: ignore[arg-type]
            '<meta property="og:title" content=" Τίτλος "><meta name="DC.creator" content="Άννα">'
            '<meta itemprop="datePublished" content="2026-02-11"><meta name="empty" content=" ">'
        )
    )
    assert tags == {"og:title": ["Τίτλος"], "dc.creator": ["Άννα"], "datepublished": ["2026-02-11"]}


def test_the_main_microdata_scope_is_the_one_with_the_text() -> None:
    page = root(
        "",
        '<div itemscope itemtype="http://schema.org/Article">'
        '<h3 itemprop="headline">Άλλο</h3></div>'
        '<div itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">Αυτό</h1>'
        '<div itemprop="articleBody"><p>' + "Κείμενο του άρθρου. " * 20 + "</p></div></div>",
    )
    scope = metadata.main_microdata_scope(page)  # type: ignore[arg-type]
    assert scope is not None
    assert metadata.microdata_value(metadata.microdata(scope, "headline")[0]) == "Αυτό"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<time itemprop="datePublished" datetime="2026-02-11T10:00:00+02:00">11/2</time>',
            "2026-02-11T10:00:00+02:00",
        ),
        ('<meta itemprop="datePublished" content="2026-02-11">', "2026-02-11"),
        ('<a itemprop="datePublished" href="https://x.gr/a">α</a>', "https://x.gr/a"),
        ('<span itemprop="datePublished">  11  Φεβρουαρίου </span>', "11 Φεβρουαρίου"),
    ],
)
def test_microdata_value(html: str, expected: str) -> None:
    element = metadata.microdata(root("", html), "datePublished")[0]  # type: ignore[arg-type]
    assert metadata.microdata_value(element) == expected


@pytest.mark.parametrize(
    "positions",
    [
        ('"x"', "2", "3"),
        ("1.5", "NaN", "1e400"),
        ('{"a": 1}', "[1]", "true"),
        ('"\\u000b"', '" 2 "', "null"),
        ("1" + "0" * 400, "-1", '"2"'),
    ],
)
def test_breadcrumbs_with_odd_positions_keep_their_names(positions: tuple[str, ...]) -> None:
    items = ",".join(
        f'{{"@type": "ListItem", "position": {position}, "name": "Κ{index}"}}'
        for index, position in enumerate(positions)
    )
    crumbs = metadata.breadcrumbs(
        root(script(f'{{"@type": "BreadcrumbList", "itemListElement": [{items}]}}'))  # type: ignore[arg-type]
    )
    assert sorted(crumbs) == ["Κ0", "Κ1", "Κ2"]


def test_breadcrumbs_with_a_position_that_is_no_number_come_last() -> None:
    crumbs = script(
        '{"@type": "BreadcrumbList", "itemListElement": ['
        '{"position": "x", "name": "Άλλο"}, {"position": "2", "name": "Τοπικά"},'
        '{"position": 1, "name": "Αρχική"}]}'
    )
    assert metadata.breadcrumbs(root(crumbs)) == ["Αρχική", "Τοπικά", "Άλλο"]  # type: ignore[arg-type]


@pytest.mark.parametrize("depth", [100, 1000, 100_000])
def test_deeply_nested_jsonld_is_no_error(depth: int) -> None:
    article = '{"@type": "NewsArticle", "headline": "Λάρισα"}'
    for document in (
        "[" * depth + article + "]" * depth,
        '{"@type": "WebPage", "@graph": ' * depth + article + "}" * depth,
        f'[{article}, {{"x": ' + "[" * depth + "]" * depth + "}]",
    ):
        found = metadata.jsonld(root(script(document)))  # type: ignore[arg-type]
        assert found.text("headline") in (None, "Λάρισα")
        assert metadata.breadcrumbs(root(script(document))) == []  # type: ignore[arg-type]


def test_jsonld_a_little_nested_is_still_read() -> None:
    document = "[" * 20 + '{"@type": "NewsArticle", "headline": "Λάρισα"}' + "]" * 20
    assert metadata.jsonld(root(script(document))).text("headline") == "Λάρισα"  # type: ignore[arg-type]


def test_types_that_are_not_text_are_ignored() -> None:
    nested = "[" * 500 + "]" * 500
    found = metadata.jsonld(
        root(script(f'{{"@type": ["NewsArticle", {nested}, {{"a": 1}}, 7], "headline": "Λάρισα"}}'))  # type: ignore[arg-type]
    )
    assert found.text("headline") == "Λάρισα"


def test_meta_values_are_read_a_bounded_length() -> None:
    tags = metadata.meta_tags(
        root(f'<meta property="article:published_time" content="{"1" * 40_000}">')  # type: ignore[arg-type]
    )
    assert len(tags["article:published_time"][0]) == metadata.MAX_VALUE_CHARS


def test_nested_items_give_their_name() -> None:
    inner = '<span itemprop="name">Άννα Ζήση</span>'
    for _ in range(200):
        inner = f'<div itemprop="name" itemscope>{inner}</div>'
    html = f'<div itemprop="author" itemscope itemtype="https://schema.org/Person">{inner}</div>'
    element = metadata.microdata(root("", html), "author")[0]  # type: ignore[arg-type]
    assert metadata.microdata_value(element) == "Άννα Ζήση"


def test_jsonld_strings_hold_no_character_xml_cannot() -> None:
    found = metadata.jsonld(
        root(
            script(
                r'{"@type": "NewsArticle", "headline": "Λά\ud800ρι\u0000σα\u000b", "x": ["\udc00"]}'
            )
        )  # type: ignore[arg-type]
    )
    assert found.text("headline") == "Λάρισα"
    assert found.articles[0]["x"] == [""]


def test_jsonld_emoji_survive() -> None:
    found = metadata.jsonld(
        root(script(r'{"@type": "NewsArticle", "headline": "Λάρισα \ud83d\ude00"}'))
    )  # type: ignore[arg-type]
    assert found.text("headline") == "Λάρισα 😀"


@pytest.mark.parametrize("document", ["true", "null", "12", '"Λάρισα"', "[]", "{}", "[true, 1]"])
def test_jsonld_that_is_no_object_gives_nothing(document: str) -> None:
    found = metadata.jsonld(root(script(document)))  # type: ignore[arg-type]
    assert found.articles == [] and found.text("headline") is None

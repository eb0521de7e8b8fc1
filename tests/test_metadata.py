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

"""The generic `ArticlePage` rules, one small page per case, with the rule each field came from."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from lxml import etree

from newsarchive.dates import ATHENS
from newsarchive.items import NotAnArticleError
from newsarchive.pages import ArticlePage, dom
from newsarchive.pages import body as bodies

URL = "https://www.onlarissa.gr/2026/02/11/nea-gefyra-ston-pineio/"
NOW = datetime(2026, 2, 12, 9, 0, tzinfo=ATHENS)
BODY = (
    "<p>Η νέα γέφυρα στον Πηνειό παραδόθηκε σήμερα στην κυκλοφορία, μετά από δύο χρόνια εργασιών "
    "και με κόστος 4,2 εκατ. ευρώ.</p>"
    "<p>«Είναι ένα έργο που περίμεναν οι κάτοικοι της Λάρισας», δήλωσε ο δήμαρχος, "
    "ο οποίος ευχαρίστησε τους εργαζόμενους.</p>"
    "<p>Η κυκλοφορία θα γίνεται και προς τις δύο κατευθύνσεις από αύριο το πρωί, "
    "σύμφωνα με την Τροχαία.</p>"
)
BODY_LINE = "Η κυκλοφορία θα γίνεται και προς τις δύο κατευθύνσεις από αύριο το πρωί."


def page(head: str = "", article: str = "", url: str = URL, before: str = "") -> ArticlePage:
    html = (
        f"<html lang='el'><head>{head}</head><body>"
        f"<header><div class='top-date'>Πέμπτη, 12 Φεβρουαρίου 2026</div>"
        f"<h1 class='logo'><a href='/'>OnLarissa.gr</a></h1></header>{before}"
        f"<div class='td-post-content'>{article or '<h1>Νέα γέφυρα στον Πηνειό</h1>' + BODY}</div>"
        f"<footer><p>© 2026 OnLarissa.gr</p></footer></body></html>"
    )
    return ArticlePage(url, html, fetched_at=NOW)


def ld(data: Any) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def meta(prop: str, content: str) -> str:
    return f'<meta property="{prop}" content="{content}">'


@pytest.mark.parametrize(
    ("head", "expected", "rule"),
    [
        (
            ld({"@type": "NewsArticle", "headline": "Νέα γέφυρα στον Πηνειό"}),
            "Νέα γέφυρα στον Πηνειό",
            "jsonld",
        ),
        (
            meta("og:title", "Νέα γέφυρα στον Πηνειό - OnLarissa.gr"),
            "Νέα γέφυρα στον Πηνειό",
            "meta",
        ),
        (meta("og:title", "Νέα γέφυρα στον Πηνειό | onlarissa"), "Νέα γέφυρα στον Πηνειό", "meta"),
        ("<title>Νέα γέφυρα στον Πηνειό – OnLarissa</title>", "Νέα γέφυρα στον Πηνειό", "fallback"),
        (
            meta("og:site_name", "Λαρισαϊκά Νέα")
            + meta("og:title", "Νέα γέφυρα στον Πηνειό | Λαρισαϊκά Νέα"),
            "Νέα γέφυρα στον Πηνειό",
            "meta",
        ),
        (ld({"@type": "Article", "headline": "Νέα γέφυρα…"}), "Νέα γέφυρα στον Πηνειό", "jsonld"),
        ("", "Νέα γέφυρα στον Πηνειό", "fallback"),  # the logo <h1> is not the headline
    ],
)
def test_headline(head: str, expected: str, rule: str) -> None:
    found = page(head).headline()
    assert found is not None and (found.value, found.rule) == (expected, rule)


@pytest.mark.parametrize(
    ("head", "h1", "expected", "rule"),
    [
        # the same headline: the structured one, which the site's name has left
        (meta("og:title", "Νέα γέφυρα (ΦΩΤΟ)"), "Νέα γέφυρα (ΦΩΤΟ)", "Νέα γέφυρα (ΦΩΤΟ)", "meta"),
        # JSON-LD is no HTML: a CMS's references in it are decoded; so is a title escaped twice
        (
            ld({"@type": "NewsArticle", "headline": "Λάρισα &#8211; Νέα γέφυρα &amp; δρόμος"}),
            "Λάρισα – Νέα γέφυρα & δρόμος",
            "Λάρισα – Νέα γέφυρα & δρόμος",
            "jsonld",
        ),
        (
            meta("og:title", "Πηνειός &amp;#8230; γέφυρα"),
            "Πηνειός … γέφυρα",
            "Πηνειός … γέφυρα",
            "meta",
        ),
        # an SEO or social title worded otherwise: the headline the page shows
        (
            meta("og:title", "Λάρισα: Παραδόθηκε η γέφυρα του Πηνειού - δείτε φωτογραφίες"),
            "Νέα γέφυρα στον Πηνειό",
            "Νέα γέφυρα στον Πηνειό",
            "fallback",
        ),
        # capitals set by CSS and typed in, or a kicker run into the h1: the structured one
        (
            meta("og:title", "Νέα γέφυρα στον Πηνειό"),
            "ΝΕΑ ΓΕΦΥΡΑ ΣΤΟΝ ΠΗΝΕΙΟ",
            "Νέα γέφυρα στον Πηνειό",
            "meta",
        ),
        (
            meta("og:title", "Νέα γέφυρα στον Πηνειό"),
            "ΛΑΡΙΣΑ: Νέα γέφυρα στον Πηνειό",
            "Νέα γέφυρα στον Πηνειό",
            "meta",
        ),
        # an h1 that shares no word with it is some other block's
        (
            meta("og:title", "Νέα γέφυρα στον Πηνειό"),
            "Τα πιο δημοφιλή σήμερα",
            "Νέα γέφυρα στον Πηνειό",
            "meta",
        ),
    ],
)
def test_headline_against_the_h1_the_page_shows(
    head: str, h1: str, expected: str, rule: str
) -> None:
    found = page(head, article=f"<h1>{h1}</h1>{BODY}").headline()
    assert found is not None and (found.value, found.rule) == (expected, rule)


TIME_1015 = "<time datetime='2026-02-11T10:15:00+02:00'>11/02/2026</time>"


@pytest.mark.parametrize(
    ("head", "article", "url", "expected", "rule"),
    [
        (
            ld({"@type": "NewsArticle", "datePublished": "2026-02-11T10:15:00+02:00"}),
            "",
            URL,
            datetime(2026, 2, 11, 10, 15, tzinfo=ATHENS),
            "jsonld",
        ),
        (
            meta("article:published_time", "2026-02-11T08:15:00Z"),
            "",
            URL,
            datetime(2026, 2, 11, 10, 15, tzinfo=ATHENS),
            "meta",
        ),
        # e-thessalia: `+00:00` on a clock time that the page shows as Athens time
        (
            "",
            "<h1>Νέα γέφυρα</h1><time datetime='2026-02-11T16:05:59+00:00'>11 Φεβρουαρίου 2026, "
            "16:05</time>" + BODY,
            "https://e-thessalia.gr/nea-gefyra/",
            datetime(2026, 2, 11, 16, 5, 59, tzinfo=ATHENS),
            "time",
        ),
        (
            "",
            "<h1>Νέα γέφυρα</h1><span class='date'>11.02.2026 | 13:47</span>" + BODY,
            "https://www.example.gr/nea-gefyra/",
            datetime(2026, 2, 11, 13, 47, tzinfo=ATHENS),
            "fallback",
        ),
        # the date line's own text, beside an icon
        (
            "",
            "<h1>Νέα γέφυρα</h1><span class='date'><i class='fa fa-clock'></i> 11.02.2026 | "
            "13:47</span>" + BODY,
            "https://www.example.gr/nea-gefyra/",
            datetime(2026, 2, 11, 13, 47, tzinfo=ATHENS),
            "fallback",
        ),
        # a date line above the headline, in its block
        (
            "",
            "<div class='kicker'><span>11.02.2026</span></div><h1>Νέα γέφυρα</h1>" + BODY,
            "https://www.example.gr/nea-gefyra/",
            datetime(2026, 2, 11, tzinfo=ATHENS),
            "fallback",
        ),
        # the `<time>` of the article's meta box and of its own `<aside>` and `<footer>`
        *(
            (
                "",
                f"<article><h1>Νέα γέφυρα</h1>{box.format(time=TIME_1015)}{BODY}</article>",
                "https://www.example.gr/nea-gefyra/",
                datetime(2026, 2, 11, 10, 15, tzinfo=ATHENS),
                "time",
            )
            for box in (
                "<div class='post-meta'>{time}</div>",
                "<aside>{time}</aside>",
                "<footer class='article-footer'>{time}</footer>",
            )
        ),
        # one save time as published and modified: the earlier day under the headline is the date
        (
            ld(
                {
                    "@type": "NewsArticle",
                    "datePublished": "2026-02-11T10:15:00+02:00",
                    "dateModified": "2026-02-11T10:15:00+02:00",
                }
            ),
            "<h1>Νέα γέφυρα</h1><span class='date'>3 Φεβρουαρίου 2026</span>" + BODY,
            "https://www.example.gr/nea-gefyra/",
            datetime(2026, 2, 3, tzinfo=ATHENS),
            "fallback",
        ),
        # modified later than published: the structured date stands
        (
            ld(
                {
                    "@type": "NewsArticle",
                    "datePublished": "2026-02-11T10:15:00+02:00",
                    "dateModified": "2026-02-11T12:00:00+02:00",
                }
            ),
            "<h1>Νέα γέφυρα</h1><span class='date'>3 Φεβρουαρίου 2026</span>" + BODY,
            "https://www.example.gr/nea-gefyra/",
            datetime(2026, 2, 11, 10, 15, tzinfo=ATHENS),
            "jsonld",
        ),
        ("", "<h1>Νέα γέφυρα</h1>" + BODY, URL, datetime(2026, 2, 11, 0, 0, tzinfo=ATHENS), "url"),
        # a date line that disagrees with the URL's day is a date from somewhere else
        (
            "",
            "<h1>Νέα γέφυρα</h1><span>3 Ιανουαρίου 2026</span>" + BODY,
            URL,
            datetime(2026, 2, 11, 0, 0, tzinfo=ATHENS),
            "url",
        ),
    ],
)
def test_published(head: str, article: str, url: str, expected: datetime, rule: str) -> None:
    found = page(head, article, url).published()
    assert found is not None and (found.value, found.rule) == (expected, rule)


def test_the_header_today_and_a_sidebar_time_are_not_the_date() -> None:
    sidebar = (
        "<aside class='sidebar'><time datetime='2026-02-10T09:00:00+02:00'>χθες</time></aside>"
    )
    found = page(before=sidebar, url="https://www.example.gr/nea-gefyra/").published()
    assert found is None


def test_yoast_graph_author_reference_section_list_and_keywords() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": URL, "name": "Νέα γέφυρα"},
            {
                "@type": ["NewsArticle", "Article"],
                "headline": "Νέα γέφυρα στον Πηνειό",
                "author": {"@id": "https://www.onlarissa.gr/#/schema/person/1"},
                "articleSection": ["Λάρισα", "Τοπικά"],
                "keywords": "γέφυρα, Πηνειός,Λάρισα",
                "image": {
                    "@type": "ImageObject",
                    "url": "/img/gefyra.jpg",
                    "caption": "Η γέφυρα. ΦΩΤΟ: Θ. Μπιάλας",
                },
            },
            {
                "@type": "Person",
                "@id": "https://www.onlarissa.gr/#/schema/person/1",
                "name": "Μαρία Παπαδοπούλου",
            },
        ],
    }
    record = page(ld(graph)).to_item()
    assert record.authors == ["Μαρία Παπαδοπούλου"]
    assert record.section == "Λάρισα"
    assert record.tags == ["γέφυρα", "Πηνειός", "Λάρισα"]
    assert record.images[0].url == "https://www.onlarissa.gr/img/gefyra.jpg"
    assert record.images[0].caption == "Η γέφυρα."
    assert {
        "authors": "jsonld",
        "section": "jsonld",
        "tags": "jsonld",
    }.items() <= record.provenance.items()


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Συντάκτης: Γιώργος Νικολάου", ["Γιώργος Νικολάου"]),
        ("Του Γιώργου Νικολάου", ["Γιώργου Νικολάου"]),
        ("OnLarissa.gr", []),
        ("newsroom onlarissa.gr", []),
        ("admin", []),
        ("https://www.facebook.com/onlarissa", []),
        # an initial keeps its period; a sentence's is dropped
        ("Β.Μ.", ["Β.Μ."]),
        ("Του Γιώργου Ν.", ["Γιώργου Ν."]),
        ("Γιώργος Νικολάου.", ["Γιώργος Νικολάου"]),
    ],
)
def test_bylines_are_cleaned(byline: str, expected: list[str]) -> None:
    assert page().clean_authors([byline]) == expected


@pytest.mark.parametrize(
    ("last_line", "authors", "body_ends"),
    [
        ("Α.Π", ["Α.Π"], "Τροχαία."),
        ("Χ.Ψ.", ["Χ.Ψ."], "Τροχαία."),
        ("Γ.Δ. onlarissa.gr", ["Γ.Δ."], "Τροχαία."),
        ("J.D.", ["J.D."], "Τροχαία."),
        # before the line crediting the photos (chrome, which goes too): the signature still
        ("Α.Π</p><p>Φωτογραφίες: Νίκος Αργύρης", ["Α.Π"], "Τροχαία."),
        # another site's name after the initials, or a word of capitals: not a signature
        ("Γ.Δ. larissanet.gr", [], "Γ.Δ. larissanet.gr"),
        ("ΤΕΛΟΣ", [], "ΤΕΛΟΣ"),
    ],
)
def test_initials_signing_the_text_are_its_byline(
    last_line: str, authors: list[str], body_ends: str
) -> None:
    article = page(article=f"<h1>Νέα γέφυρα στον Πηνειό</h1>{BODY}<p>{last_line}</p>").to_item()
    assert article.authors == authors
    assert article.body.endswith(body_ends)
    assert article.provenance.get("authors") == ("fallback" if authors else None)


def test_microdata_article_gives_fields_and_body() -> None:
    article = (
        "<div itemscope itemtype='http://schema.org/Article'>"
        "<h1 itemprop='headline'>Νέα γέφυρα στον Πηνειό</h1>"
        "<span itemprop='author' itemscope itemtype='http://schema.org/Person'>"
        "<span itemprop='name'>Νίκος Τσιώλης</span></span>"
        "<time itemprop='datePublished' datetime='2026-02-11T12:00:00+02:00'>11/02/2026</time>"
        f"<div itemprop='articleBody'>{BODY}<div class='share'>Share on Facebook</div></div></div>"
    )
    record = page(article=article, url="https://e-thessalia.gr/nea-gefyra/").to_item()
    assert record.headline == "Νέα γέφυρα στον Πηνειό"
    assert record.authors == ["Νίκος Τσιώλης"]
    assert record.published_at == datetime(2026, 2, 11, 12, 0, tzinfo=ATHENS)
    assert record.provenance["body"] == "microdata"
    assert record.body.count("\n\n") == 2 and "Share" not in record.body


def test_generic_body_keeps_paragraphs_and_drops_chrome_inside_the_container() -> None:
    article = (
        "<h1>Νέα γέφυρα στον Πηνειό</h1>"
        + BODY
        + "<p><strong>Διαβάστε επίσης:</strong> <a href='/x/'>Κλειστός ο δρόμος</a></p>"
        + "<p>Ακολουθήστε μας στο Facebook και στο Instagram</p>"
        + "<div class='td-post-sharing'>Facebook Twitter Viber</div>"
        + "<figure><img src='/a.jpg'><figcaption>Η γέφυρα (ΦΩΤΟ: Θ.Μ.)</figcaption></figure>"
    )
    record = page(article=article, url="https://www.example.gr/nea-gefyra/").to_item()
    assert record.provenance["body"] == "fallback"
    assert record.body.split("\n\n")[0].startswith("Η νέα γέφυρα στον Πηνειό")
    assert record.body.count("\n\n") == 2
    assert record.images[-1].url == "https://www.example.gr/a.jpg"
    assert record.images[-1].caption == "Η γέφυρα"


def test_a_breaking_news_bar_above_the_article_is_not_its_text() -> None:
    bar = "".join(
        f"<p>Έκτακτο: νέα σύσκεψη για τις πλημμύρες στη Λάρισα, με τους δημάρχους της "
        f"Θεσσαλίας και τον περιφερειάρχη, στις {day} το απόγευμα.</p>"
        for day in range(1, 4)
    )
    article = f"<h1>Νέα γέφυρα στον Πηνειό</h1><div class='breaking-news-bar'>{bar}</div>" + BODY
    record = page(article=article, url="https://www.example.gr/nea-gefyra/").to_item()
    assert record.body.startswith("Η νέα γέφυρα στον Πηνειό") and "Έκτακτο" not in record.body


def test_a_teaser_names_the_site_it_credits() -> None:
    article = (
        "<h1>Κλειστός ο δρόμος Λάρισας - Τρικάλων</h1>"
        "<p>Κλειστός θα παραμείνει από σήμερα ο δρόμος "
        "λόγω εργασιών… <a href='https://kosmoslarissa.gr/topika/dromos/'>Περισσότερα</a></p>"
    )
    record = page(article=article, url="https://www.thessalianews.gr/blog/larisa/dromos").to_item()
    assert record.is_teaser and record.source_credit == "kosmoslarissa.gr"


def test_a_listing_is_not_an_article() -> None:
    items = "".join(
        f"<article><h3><a href='/2026/02/{day:02d}/x{day}/'>Είδηση {day} για τη Λάρισα</a></h3>"
        "<p>Σύντομη περίληψη της είδησης, με αρκετές λέξεις για να μοιάζει με κείμενο…</p>"
        "</article>"
        for day in range(1, 12)
    )
    with pytest.raises(NotAnArticleError):
        page(article=items, url="https://www.example.gr/topika/").to_item()


EXCERPT = "<p>Σύντομη περιγραφή, με αρκετές λέξεις για να μοιάζει με κείμενο άρθρου.</p>"


def linked_items(host: str, count: int = 8, excerpt: str = EXCERPT) -> str:
    return "".join(
        f"<div class='item'><h3><a href='https://{host}/x{n}/'>Εκδήλωση {n}</a></h3>{excerpt}</div>"
        for n in range(count)
    )


def test_headlines_linking_to_other_sites_are_the_items_of_a_list_article() -> None:
    items = "<h1>Οι εκδηλώσεις του Μαρτίου</h1>" + linked_items("events.example.com")
    assert page(article=items, url="https://www.example.gr/ekdiloseis/").to_item().body


def test_the_same_items_linking_within_the_site_are_a_listing() -> None:
    items = "<h1>Οι εκδηλώσεις του Μαρτίου</h1>" + linked_items("www.example.gr")
    with pytest.raises(NotAnArticleError):
        page(article=items, url="https://www.example.gr/ekdiloseis/").to_item()


def test_a_topic_page_with_a_text_of_its_own_beside_its_links_is_an_article() -> None:
    topic = (
        "<h1>Η γέφυρα του Πηνειού</h1><div class='intro'>" + BODY * 5 + "</div>"
        "<section>" + linked_items("www.example.gr", 12, excerpt="") + "</section>"
    )
    record = page(article=topic, url="https://www.example.gr/gefyra/").to_item()
    assert record.body.startswith("Η νέα γέφυρα στον Πηνειό")


@pytest.mark.parametrize(
    "url", ["https://www.example.gr/category/topika/page/3/", "https://www.example.gr/tag/λάρισα/"]
)
def test_listing_urls_without_article_markup_are_not_articles(url: str) -> None:
    with pytest.raises(NotAnArticleError):
        page(url=url).to_item()


def test_a_gallery_without_text_is_not_an_article() -> None:
    article = (
        "<h1>Φωτογραφίες από το καρναβάλι</h1>"
        + "<figure><img src='/p.jpg'><figcaption>Στιγμιότυπο</figcaption></figure>" * 8
    )
    with pytest.raises(NotAnArticleError):
        page(article=article, url="https://www.example.gr/gallery/karnavali/").to_item()


SCHEDULE = "".join(
    f"<p>{round_}η αγωνιστική: {day} Μαρτίου – {town}</p>"
    for round_, day, town in [
        (1, 2, "Λάρισα"),
        (2, 9, "Βόλος"),
        (3, 16, "Τρίκαλα"),
        (4, 23, "Καρδίτσα"),
        (5, 30, "Ελασσόνα"),
    ]
)


@pytest.mark.parametrize(
    ("scope", "kept"),
    [
        (
            "<div itemscope itemtype='https://schema.org/Article'><div itemprop='articleBody'>{}"
            "</div></div>",
            True,
        ),
        ("<div>{}</div>", False),
    ],
    ids=["declared-article-body", "no-declaration"],
)
def test_lines_without_sentences_are_an_article_only_where_the_page_declares_its_body(
    scope: str, kept: bool
) -> None:
    """A fixtures list is an article's text when the page's own markup names it its body."""
    article = "<h1>Το πρόγραμμα του πρωταθλήματος</h1>" + scope.format(SCHEDULE)
    built = page(article=article, url="https://www.example.gr/athlitika/programma/")
    if kept:
        record = built.to_item()
        assert record.provenance["body"] == "microdata"
        assert record.body.split("\n\n")[-1] == "5η αγωνιστική: 30 Μαρτίου – Ελασσόνα"
    else:
        with pytest.raises(NotAnArticleError, match="no article text"):
            built.to_item()


@pytest.mark.parametrize(
    ("line", "stamp"),
    [
        ("Πέμπτη, 12 Φεβρουαρίου 2026", True),
        ("ΠΕΜΠΤΗ 12 ΦΕΒΡΟΥΑΡΙΟΥ 2026 - 09:30", True),
        ("Δημοσιεύθηκε: 27.02.2026 | 09:46", True),
        ("Τελευταία ενημέρωση: πριν από 5 ώρες", True),
        ("Λάρισα, 12 Μαρτίου 2026", True),
        ("Λαpισα, 12 Μαpτιου 2026", True),
        ("Γιώργος Παπαδόπουλος, 12/3/2026", True),
        ("Published Monday, November 18, 2019 8:22AM EST", True),
        ("Updated 5:27 am CST, Wednesday, November 20, 2019", True),
        ("Jennifer Ouellette – 3/7/2026 |", True),
        ("5η αγωνιστική: 30 Μαρτίου – Ελασσόνα", False),
        ("Η συναυλία στη Λάρισα 12 Μαρτίου", False),
        ("Lenovo Tech World: January 6, 2026 | Las Vegas, NV", False),
    ],
)
def test_a_body_line_goes_as_a_date_stamp_only_when_its_other_words_are_a_place_or_a_name(
    line: str, stamp: bool
) -> None:
    cleanup = bodies.Cleanup("Νέα γέφυρα στον Πηνειό", None, frozenset(), NOW)
    kept = cleanup.clean([line, BODY_LINE])
    assert kept == BODY_LINE if stamp else kept == f"{line}\n\n{BODY_LINE}"


# --- pages of any script and any site ---------------------------------------------------------

FOREIGN_ARTICLES = {
    "zh": "<p>市政府今天宣布了新的交通计划，将在明年春季开始实施。</p>" * 6,
    "ja": "<p>市は本日、新しい交通計画を発表しました！来年の春から実施されます。</p>" * 6,
    "hi": "<p>नगर निगम ने आज नई परिवहन योजना की घोषणा की और यह अगले साल लागू होगी।</p>" * 6,
    "el": "<p>Τι θα αλλάξει στις συγκοινωνίες της πόλης από την επόμενη άνοιξη;</p>" * 6,
}


@pytest.mark.parametrize("language", sorted(FOREIGN_ARTICLES))
def test_articles_in_any_script_have_article_text(language: str) -> None:
    html = (
        f"<html lang='{language}'><body><article><h1>Headline</h1>"
        f"{FOREIGN_ARTICLES[language]}</article></body></html>"
    )
    record = ArticlePage(
        "https://news.example.com/2026/03/01/plan/", html, fetched_at=NOW
    ).to_item()
    assert record.language == language
    assert record.body.count("\n\n") == 5


def test_an_article_with_many_inline_links_is_not_a_listing() -> None:
    linked = (
        "<p>Ο δήμαρχος της <a href='/tag/larisa/'>Λάρισας</a> συναντήθηκε με τον "
        "<a href='/tag/perifereiarxis/'>περιφερειάρχη</a> για το <a href='/tag/nero/'>νερό</a> "
        "και τις <a href='/tag/plimmyres/'>πλημμύρες</a> του χειμώνα, σύμφωνα με ανακοίνωση.</p>"
    )
    subheads = "".join(f"<h2><a href='#part{n}'>Μέρος {n}</a></h2>{linked}" for n in range(1, 5))
    record = page(article="<h1>Συνάντηση για το νερό</h1>" + subheads).to_item()
    assert record.body.count("\n\n") == 3


# --- the fallback date rule -------------------------------------------------------------------

UNDATED_URL = "https://blog.example.com/gratitude-activities/"


def dated_page(article: str, fetched_at: datetime = NOW, url: str = UNDATED_URL) -> ArticlePage:
    return ArticlePage(
        url, f"<html><body><article>{article}{BODY}</article></body></html>", fetched_at=fetched_at
    )


def test_a_headline_with_a_date_word_is_not_a_date() -> None:
    record = dated_page("<h1>7 Gratitude Activities to Try Today</h1>").to_item()
    assert record.published_at is None


def test_a_related_headline_in_a_link_is_not_the_date_line() -> None:
    related = "<ul><li><a href='/x/'>12.01.2026</a></li></ul>"
    record = dated_page("<h1>Νέα γέφυρα στον Πηνειό</h1>" + related).to_item()
    assert record.published_at is None


@pytest.mark.parametrize(
    ("line", "fetched_at", "url", "expected"),
    [
        # a year, a time with a relative day, or a count of units: taken
        ("10 Φεβρουαρίου 2026", NOW, UNDATED_URL, datetime(2026, 2, 10, tzinfo=ATHENS)),
        ("Χθες 18:30", NOW, UNDATED_URL, datetime(2026, 2, 11, 18, 30, tzinfo=ATHENS)),
        ("πριν 2 ώρες", NOW, UNDATED_URL, datetime(2026, 2, 12, 7, 0, tzinfo=ATHENS)),
        # no year, but fetched within weeks of it: of the fetch's year
        (
            "13 Νοε",
            datetime(2025, 11, 20, tzinfo=ATHENS),
            UNDATED_URL,
            datetime(2025, 11, 13, tzinfo=ATHENS),
        ),
        (
            "Jan 10",
            datetime(2026, 1, 12, tzinfo=ATHENS),
            UNDATED_URL,
            datetime(2026, 1, 10, tzinfo=ATHENS),
        ),
        # no year and fetched months later: no evidence of the year, no date
        ("13 Νοε", NOW, UNDATED_URL, None),
        ("Jan 10", datetime(2026, 9, 1, tzinfo=ATHENS), UNDATED_URL, None),
        # the URL's day is the evidence
        ("13 Νοε", NOW, "https://e.gr/2024/11/13/x/", datetime(2024, 11, 13, tzinfo=ATHENS)),
    ],
)
def test_yearless_date_lines_need_evidence_of_their_year(
    line: str, fetched_at: datetime, url: str, expected: datetime | None
) -> None:
    record = dated_page(f"<h1>Νέα γέφυρα στον Πηνειό</h1><span>{line}</span>", fetched_at, url)
    article = record.to_item()
    assert article.published_at == expected
    if expected is None:
        assert article.provenance["published_at"].startswith("none: ")
        assert line in article.provenance["published_at"]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 2, day, hour, minute, tzinfo=ATHENS)


@pytest.mark.parametrize(
    ("lines", "published", "modified"),
    [
        # the update line after the published one, and before it: each date where it belongs
        (
            ["Published 10/02/2026 20:10", "Last updated: 2026/02/11 at 4:54 ΜΜ"],
            at(10, 20, 10),
            at(11, 16, 54),
        ),
        (
            ["Τελευταία ενημέρωση: 11.02.2026 | 12:00", "Δημοσίευση: 10.02.2026 | 09:46"],
            at(10, 9, 46),
            at(11, 12),
        ),
        (["10 Φεβρουαρίου 2026, 09:00", "ΕΝΗΜΕΡΩΘΗΚΕ: 11/02/2026 08:15"], at(10, 9), at(11, 8, 15)),
        (
            ["Τελευταία τροποποίηση στις Τετάρτη, 11 Φεβρουαρίου 2026 16:20", "Πέμπτη 10.02.2026"],
            at(10, 0),
            at(11, 16, 20),
        ),
        # alone, the update line dates the publication (no later than it), not an edit
        (["Last updated: 2026/02/11 at 4:54 ΜΜ"], at(11, 16, 54), None),
        # an update line without its year, months after the fetch: no evidence of its year
        (["10.02.2026 09:00", "Updated 3 Sep"], at(10, 9), None),
        # a published line that mentions its update later on is the published date's
        (["10.02.2026 09:00 (ενημέρωση 11:30)"], at(10, 9), None),
    ],
)
def test_an_update_line_is_the_modified_date_never_the_published_one(
    lines: list[str], published: datetime, modified: datetime | None
) -> None:
    shown = "".join(f"<span>{line}</span>" for line in lines)
    article = dated_page(f"<h1>Νέα γέφυρα στον Πηνειό</h1>{shown}").to_item()
    assert (article.published_at, article.modified_at) == (published, modified)
    assert article.provenance.get("modified_at") == ("fallback" if modified else None)


# --- sections, tags, lead pictures and canonical URLs of CMS markup no site file names ---------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (
            "<ul class='td-category'><li class='entry-category'><a href='/c/'>Λάρισα</a></li></ul>",
            "Λάρισα",
        ),
        ("<div class='mnky-post-category'><a href='/topika/'>Τοπικά</a></div>", "Τοπικά"),
        (
            "<span class='cat-links'><a href='/c/' rel='category tag'>Αγροτικά</a></span>",
            "Αγροτικά",
        ),
        ("<div class='breadcrumb'>example.gr / Τοπικά / Νέα γέφυρα στον Πηνειό</div>", "Τοπικά"),
        (
            "<div class='jeg_breadcrumbs'><a href='/'>Αρχική</a> » <a href='/c/'>Καρδίτσα</a> » "
            "<span>Νέα γέφυρα στον Πηνειό</span></div>",
            "Καρδίτσα",
        ),
    ],
)
def test_visible_section_labels(markup: str, expected: str) -> None:
    record = page(before=markup, url="https://www.example.gr/nea-gefyra/").to_item()
    assert record.section == expected


def test_a_menu_category_is_not_the_section() -> None:
    menu = (
        "<ul class='menu'><li class='menu-item-object-category'>"
        "<a href='/c/'>ΑΘΛΗΤΙΚΑ</a></li></ul>"
    )
    assert page(before=menu, url="https://www.example.gr/nea-gefyra/").to_item().section is None


def test_tag_lists_give_tags_and_category_links_are_not_tags() -> None:
    article = (
        "<h1>Νέα γέφυρα στον Πηνειό</h1>"
        + BODY
        + "<a href='/c/' rel='category tag'>Τοπικά</a>"
        + "<ul class='itemTags'><li><a href='/t/1'>Πηνειός</a></li>"
        + "<li><a href='/t/2'>γέφυρα</a></li></ul>"
    )
    record = page(article=article, url="https://www.example.gr/nea-gefyra/").to_item()
    assert record.tags == ["Πηνειός", "γέφυρα"]


def test_the_marked_lead_picture_stands_in_for_a_missing_og_image() -> None:
    lead = (
        "<div class='jeg_featured'><img src='/lead.jpg'></div>"
        "<a href='/x/'><img class='wp-post-image' src='/other.jpg'></a>"
    )
    record = page(before=lead, url="https://www.example.gr/nea-gefyra/").to_item()
    assert [image.url for image in record.images] == ["https://www.example.gr/lead.jpg"]
    with_og = page(
        head=meta("og:image", "/og.jpg"), before=lead, url="https://www.example.gr/nea-gefyra/"
    )
    assert [image.url for image in with_og.to_item().images] == ["https://www.example.gr/og.jpg"]


def test_a_canonical_naming_the_home_page_is_ignored() -> None:
    head = "<link rel='canonical' href='https://www.example.gr/'>"
    record = page(head=head, url="https://www.example.gr/nea-gefyra/").to_item()
    assert record.canonical_url == "https://www.example.gr/nea-gefyra/"


@pytest.mark.parametrize(
    "href",
    ["htps://www.example.gr/nea-gefyra/", "ftp://www.example.gr/x", "https://www.exa mple.gr:x/"],
)
def test_a_canonical_that_is_no_http_url_is_ignored(href: str) -> None:
    record = page(
        head=f"<link rel='canonical' href='{href}'>", url="https://www.example.gr/n/"
    ).to_item()
    assert record.canonical_url == "https://www.example.gr/n/"


def test_a_login_in_an_itemprop_meta_is_not_a_byline() -> None:
    head = "<meta itemprop='author' content='yannis'><meta name='author' content='Μαρία Γεωργίου'>"
    assert page(head=head).to_item().authors == ["Μαρία Γεωργίου"]
    assert page(head="<meta itemprop='author' content='yannis'>").to_item().authors == []


def test_an_excerpt_ending_in_read_more_is_the_teaser_body() -> None:
    article = (
        "<h1>Φάρσαλα: Τριήμερο γιορτής για τον χαλβά</h1><p>Με μουσική και χορούς ξεκινά την "
        "Παρασκευή η γιορτή του χαλβά στην κεντρική πλατεία της πόλης.… "
        "<a href='https://kosmoslarissa.gr/topika/x/'>Περισσότερα</a></p>"
    )
    record = page(article=article, url="https://www.thessalianews.gr/blog/larisa/x").to_item()
    assert record.is_teaser and record.source_credit == "kosmoslarissa.gr"
    assert record.body.endswith("της πόλης.")


def test_a_sentence_mentioning_today_is_not_a_date_line() -> None:
    article = "<h1>Νέα γέφυρα στον Πηνειό</h1><p>He was the precursor to today’s designers.</p>"
    assert dated_page(article).to_item().published_at is None


def test_pages_in_other_languages_get_their_date_line() -> None:
    article = "<h1>A new bridge</h1><div class='byline'>Posted by Anna on March 3rd, 2024</div>"
    html = f"<html lang='en'><body><article>{article}{BODY}</article></body></html>"
    record = ArticlePage(UNDATED_URL, html, fetched_at=NOW).to_item()
    assert record.published_at is not None
    assert record.published_at.date().isoformat() == "2024-03-03"


def test_a_copyright_year_is_not_the_date() -> None:
    footer = "<footer><p>Copyright © 2025 Bridge News. All rights reserved.</p></footer>"
    html = f"<html lang='en'><body><article><h1>A new bridge</h1>{BODY}</article>{footer}</body>"
    assert ArticlePage(UNDATED_URL, html, fetched_at=NOW).to_item().published_at is None


@pytest.mark.parametrize("menu", ["menu", "nav__list"])
def test_an_article_the_parser_nested_into_a_menu_is_read(menu: str) -> None:
    broken = f"<nav class='menu'><ul class='{menu}'><li class='menu-item'><main><article>"
    html = f"<html><body>{broken}{BODY * 6}</article></main></li></ul></nav></body></html>"
    article = ArticlePage("https://www.example.gr/nea-gefyra/", html, fetched_at=NOW)
    assert article.to_item().body.startswith("Η νέα γέφυρα στον Πηνειό")
    assert article.found_body is not None and article.found_body.containers  # not trafilatura's


@pytest.mark.parametrize(
    ("body_class", "wrappers"),
    [
        # the page's own classes describe the page, not one of its parts
        ("single-post no-sidebar", ("<div>", "</div>")),
        # layouts beside a sidebar, a BEM block's modifier, a page builder's and Blogger's boxes
        *(
            ("post", (f"<div class='{classes}'>", "</div>"))
            for classes in (
                "container-wrap no-sidebar",
                "page-paragraphs with-nav-sidebar",
                "layout-docs layout-docs--sidebar",
                "so-panel widget widget_text",
                "widget Blog",
            )
        ),
        # HubSpot's module wrappers: every box a `widget`, the post body a `meta_field`
        (
            "blog-post",
            (
                "<div class='span12 widget-span widget-type-cell'><div class='hs_cos_wrapper "
                "hs_cos_wrapper_widget hs_cos_wrapper_type_module'><span class='hs_cos_wrapper "
                "hs_cos_wrapper_meta_field hs_cos_wrapper_type_rich_text'>",
                "</span></div></div>",
            ),
        ),
    ],
)
def test_the_density_rule_reads_through_layout_classes(
    body_class: str, wrappers: tuple[str, str]
) -> None:
    start, end = wrappers
    html = (
        f"<html><body class='{body_class}'><h1>Νέα γέφυρα στον Πηνειό</h1>"
        f"{start}{BODY * 2}{end}</body></html>"
    )
    record = ArticlePage("https://www.example.gr/nea-gefyra/", html, fetched_at=NOW)
    found = record.found_body
    assert found is not None and found.rule == "fallback" and found.containers
    assert found.text.startswith("Η νέα γέφυρα στον Πηνειό")


def test_an_editors_blocks_inside_the_text_are_text() -> None:
    column = (
        "<div class='col-lg'><p>Στη δεύτερη στήλη του κειμένου ο μηχανικός εξηγεί πώς "
        "στηρίχθηκαν τα βάθρα της γέφυρας στην κοίτη του Πηνειού.</p></div>"
    )
    grid = (
        f"<div class='ck-widget ck-widget bs_grid'><div class='ck-widget row'>{column}</div></div>"
    )
    html = (
        f"<html><body><article><h1>Νέα γέφυρα στον Πηνειό</h1>{BODY}{grid}</article></body></html>"
    )
    record = ArticlePage("https://www.example.gr/nea-gefyra/", html, fetched_at=NOW).to_item()
    assert record.body.endswith("στην κοίτη του Πηνειού.")  # CKEditor's `ck-widget`: no sidebar


def test_a_listicle_cut_into_nested_boxes_is_read_from_its_main_area() -> None:
    item = (
        "<article class='item'><header><h3>Γέφυρα {n}</h3></header>"
        "<div class='item-panels'><div class='item-panel'>"
        "<div class='item-specs'>Μήκος 120 μέτρα, πλάτος 12 μέτρα, δύο λωρίδες</div>"
        "<div class='item-pros'>Υπέρ: γρήγορη σύνδεση των δύο οχθών, πεζόδρομος. Κατά: το κόστος"
        " της συντήρησης, η κίνηση τις ώρες αιχμής.</div><div class='item-body'>{body}</div>"
        "</div></div></article>"
    )
    items = "".join(item.format(n=n, body=BODY) for n in range(1, 9))
    html = f"<html><body><h1>Οι γέφυρες</h1><div class='guide'>{items}</div></body></html>"
    article = ArticlePage("https://www.example.gr/gefyres/", html, fetched_at=NOW)
    region = article.doc.body_region
    assert region.share < 0.4 and region.main is not None
    found = article.found_body
    assert found is not None and found.containers == [region.main]  # not trafilatura's text
    assert found.text.count("Η νέα γέφυρα στον Πηνειό") == 8


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        # a date stamp repeated in the text goes; a line pointing ahead is the text's own
        ("27.02.2026 | 09:46", False),
        ("Πέμπτη, 12 Φεβρουαρίου 2026", False),
        ("AYPIO ΠAPAΣKEYH 13/2/2026", True),
        ("Αύριο Παρασκευή 13/2/2026", True),
        ("Tomorrow, 13 February 2026", True),
    ],
)
def test_a_date_only_line_of_the_body_is_dropped_unless_it_points_ahead(
    line: str, kept: bool
) -> None:
    article = page(article=f"<h1>Νέα γέφυρα στον Πηνειό</h1><p>{line}</p>{BODY}").to_item()
    assert article.body.startswith(line) == kept


def test_a_source_line_ending_the_text_is_its_credit_never_the_site_itself() -> None:
    credited = page(article=f"<h1>Νέα γέφυρα</h1>{BODY}<p>tirnavospress.gr</p>").to_item()
    assert (credited.source_credit, credited.body.endswith("Τροχαία.")) == (
        "tirnavospress.gr",
        True,
    )
    own = page(article=f"<h1>Νέα γέφυρα</h1>{BODY}<p>www.onlarissa.gr</p>").to_item()
    assert (own.source_credit, own.body.endswith("Τροχαία.")) == (None, True)


# --- chrome class words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("classes", "chrome"),
    [
        ("SHARE-buttons", True),
        ("ItemRelated", True),
        ("Social-Icons", True),
        ("ſhare-bar", True),  # the long s, which re.IGNORECASE takes for an s
        ("Article-Body", False),
        ("İtemrelated", True),  # the dotted capital I, an i to re.IGNORECASE
        ("breakingNews-bar", True),
        ("breaking-ticker", True),
        ("post breaking", False),  # an article marked as breaking news is still the article
        # a code sample's comments, highlighted by highlight.js and Prism
        ("hljs-comment", False),
        ("token comment", False),
    ],
)
def test_chrome_class_words_are_read_in_any_case(classes: str, chrome: bool) -> None:
    element = etree.fromstring(f"<div class='{classes}'>x</div>")
    assert dom.is_chrome(element) is chrome


def test_marked_elements_carry_the_marks_dom_gives_them() -> None:
    from newsarchive.pages import dom
    from newsarchive.pages.document import Document

    long_class = "post " * dom.MAX_MARK_CHARS
    html = (
        "<html><body><div class='Entry-Content' id='Main'><p id='x'>Κείμενο.</p>"
        f"<span class='{long_class}'>α</span><a rel='author' href='/a'>Β</a></div></body></html>"
    )
    marked = Document("https://www.example.gr/a/", html).marked_elements
    assert [marks for _, marks in marked][:2] == ["entry-content main", " x"]
    assert marked and all(marks == dom.marks_of(element).lower() for element, marks in marked)

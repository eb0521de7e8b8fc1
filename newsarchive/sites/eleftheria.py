"""Ελευθερία, the Larissa daily: https://www.eleftheria.gr, Joomla with K2 (SITES.md row 4, §5).

[seen] (2018 HTML, archived URLs, a public scraper) Joomla + K2 2.7 (template `entropia`);
article URLs `/<greek-category>/item/<id>-<greek-slug>.html`, e.g.
`/αγροτικά/item/148365-αγροτική-σύσκεψη-σήμερα-στην-αγιά.html`, and, cited in 2024, root slugs
such as `/sti-lista-forbes-oi-3-tis-bioanalytix/`; the feeds `/?format=feed&type=rss` and
`/?format=feed&type=atom`; body dates without a year (`Σήμερα Παρασκευή 20 Ιανουαρίου, στις 6
μ.μ.`); the scraper's K2 selectors: body `.itemBody`, title `.itemTitle`, image `.itemImage img`.
[unverified] the category listing `/αγροτικά.html` paged by Joomla's `?start=N` (its
`li.pagination-next` link; `?start=` seen on karditsapress, another Joomla site); whether the
root-slug URLs mean a move to WordPress (then `/feed/` and `/wp-json/` would answer: not
declared until seen).

Only the K2 item's `.itemBody` differs from the family: it holds the intro text as the body's
first paragraph (no separate lead), the picture's caption and credit and the hits and
last-modified footer, which are chrome.
Query strings never name an article (`?tmpl=component&print=1` is the print view, `?start=`
a listing page), so a URL with one is not an article URL.
"""

from newsarchive.pages.families import K2Page
from newsarchive.sites._site import Site


class EleftheriaPage(K2Page):
    body_css = ".itemBody"  # the public scraper's selector: intro text and full text together
    # K2Page's unannotated selectors are narrowed by mypy to `str` and a 4-tuple: ignored here.
    lead_css = None  # type: ignore[assignment]
    # K2's item view puts the hits and last-modified line inside `.itemBody` too.
    remove_css = (  # type: ignore[assignment]
        *K2Page.remove_css,
        ".itemImageCredits",
        ".itemContentFooter",
    )


SITE = Site(
    name="eleftheria",
    outlet="Ελευθερία",
    town="Larissa",
    region="larisa",
    base_url="https://www.eleftheria.gr",
    feeds=("/?format=feed&type=rss", "/?format=feed&type=atom"),
    listings=("/αγροτικά.html",),
    # `/<category>/item/<id>-<slug>.html` (K2), or a root slug of three or more words (2024).
    article_url=r"^/(?:[^/?]+/item/\d+-[^/?]*\.html|[a-z0-9]+(?:-[a-z0-9]+){2,}/?)$",
    next_page_css="a[rel~=next], link[rel~=next], li.pagination-next a",
    names=("Ελευθερία Online", "eleftheria.gr"),
    page=EleftheriaPage,
    unverified=("listings", "next_page_css", "article_url (root slugs)"),
)

"""Trikala Day, Trikala: https://www.trikaladay.gr, likely WordPress (SITES.md row 13, §3, §4).

[seen] (archived page text): articles at the root, `/<greeklish-slug>` with no trailing slash;
listings `/category/topika` (Τοπικά, with `/page/N`) and `/category/protoselida`
(Πρωτοσέλιδα: the day's front pages); a header date `Τετάρτη, 4 Μαρτίου 2026` that is the crawl
date; the breadcrumb `trikaladay.gr / Τοπικά / <title>`, `Διάβασε περισσότερα »`, `Δες επίσης`,
`Αφήστε μια απάντηση` and the footer `Trikala Day Καθημερινή Ηλεκτρονική Εφημερίδα των
Τρικάλων`; colloquial months (`15 Γενάρη`) and capitals with Latin look-alikes
(`AYPIO ΠAPAΣKEYH 5/12/2025`) in the text.
[unverified] WordPress itself and so its feed `/feed/`, its sitemap `/wp-sitemap.xml`, the REST
API `/wp-json/` and the standard post markup (`h1.entry-title`, `.entry-content`).
An article slug is one segment of at least four greeklish words: the site's pages
(`/epikoinonia`, `/oroi-xrisis`) are shorter, and listings have a `/category/` or `/page/`.
"""

from newsarchive.pages.families import WordPressPage
from newsarchive.sites._site import DEFAULT_DENY, Site

SITE = Site(
    name="trikaladay",
    outlet="Trikala Day",
    town="Trikala",
    region="trikala",
    base_url="https://www.trikaladay.gr",
    feeds=("/feed/",),
    sitemaps=("/wp-sitemap.xml",),
    listings=("/category/topika",),
    article_url=r"^/(?!(?:category|tag|author|page|feed|wp-json)(?:/|$))[a-z0-9]+(?:-[a-z0-9]+){3,}/?$",
    deny_urls=(*DEFAULT_DENY, r"/wp-json/", r"/feed/"),
    names=("TrikalaDay", "trikaladay.gr"),
    page=WordPressPage,
    wp_rest=True,  # WordPress core's REST API, declared as for any WordPress site
    unverified=("wp_rest", "feeds", "sitemaps", "page selectors"),
)

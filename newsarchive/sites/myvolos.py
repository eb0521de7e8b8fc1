"""myvolos.net, Volos: https://myvolos.net, WordPress (SITES.md row 10, §3, §4).

[seen] WordPress: articles archived as shortlinks `/?p=<id>`; dates `22/02/2026 20:10`,
`Published 22/02/2026`, `Last updated: 2026/02/22 at 4:54 ΜΜ` (a Greek capital Mu: μ.μ.);
theme chrome `Reading: <title>`, `Share`, `VOLOS WEATHER`, `FIND US!`, `Have an existing
account? Sign In`, `Follow US`, `ADMINISTRATOR Published …`, `3 Min Read`, `Contents`,
`Ακολουθήστε`; sections ΤΟΠΙΚΑ ΝΕΑ, ΠΑΡΑΠΟΛΙΤΙΚΑ, ΚΟΙΝΩΝΙΑ, ΠΟΛΙΤΙΚΗ, ΤΑΔΕ ΕΦΗ, PLUS.
[unverified] slug permalinks `/<slug>/` beside the shortlinks, the feed `/feed/`, the core
sitemap `/wp-sitemap.xml`, the `/category/<x>/` listings, the theme's markup, and the REST API
`/wp-json/wp/v2/posts` (standard for WordPress, not seen).

A shortlink and its slug URL are one article: WordPress answers `/?p=<id>` with the post (or a
redirect to it), whose `<link rel=canonical>` names the slug URL, so the record of either is
known by the slug URL. Tracking parameters (`utm_*`, `amp` …) are dropped from either.
"""

from newsarchive.pages.families import WordPressPage
from newsarchive.sites._site import DEFAULT_DENY, Site


class MyvolosPage(WordPressPage):
    # The theme's reading bar, share row and table of contents sit inside the post container.
    remove_css = (
        *WordPressPage.remove_css,
        ".reading-indicator",
        ".share-row",
        ".ruby-table-contents",
    )


SITE = Site(
    name="myvolos",
    outlet="myvolos.net",
    names=("MyVolos", "myvolos"),
    town="Volos",
    region="magnisia",
    base_url="https://myvolos.net",
    feeds=("/feed/",),
    sitemaps=("/wp-sitemap.xml",),
    listings=("/category/topika-nea/",),
    article_url=r"^/(?:\?p=\d+|(?!(?:category|tag|author|page|feed|wp-json)/)[^/?]+-[^/?]+/)$",
    deny_urls=(*DEFAULT_DENY, r"/author/", r"/page/\d+/?$"),
    rewrites=((r"^/([^/.]+-[^/.]+)$", r"/\1/"),),  # WordPress permalinks end with a slash
    page=MyvolosPage,
    wp_rest=True,  # WordPress core's REST API, declared as for any WordPress site
    unverified=("wp_rest", "feeds", "sitemaps", "listings", "article_url", "page selectors"),
)

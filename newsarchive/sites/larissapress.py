"""LarissaPress, Larissa: https://www.larissapress.gr, WordPress (SITES.md row 7, §4).

[seen] article URLs `/YYYY/MM/DD/<greeklish-slug>` (date permalinks, no trailing slash), the
photo prompt `Δείτε φωτογραφίες:` followed by empty lines and credit lines such as
`ΦΩΤΟ- ΒΙΝΤΕΟ: Θ. Μπιάλας // LarissaPress` and `Α.Π`.
[unverified] everything about discovery: the feed `/feed/`, the WP core sitemap
`/wp-sitemap.xml`, the category `/category/larisa/`, the REST API (`/wp-json/`, not declared
here); the theme (nothing of its markup was seen: WordPress's own classes are assumed).
"""

from newsarchive.pages.families import WordPressPage
from newsarchive.sites._site import Site

SITE = Site(
    name="larissapress",
    outlet="LarissaPress",
    town="Larissa",
    region="larisa",
    base_url="https://www.larissapress.gr",
    feeds=("/feed/",),
    sitemaps=("/wp-sitemap.xml",),
    listings=("/category/larisa/",),
    article_url=r"^/\d{4}/\d{2}/\d{2}/[^/]+/?$",
    names=("larissapress.gr", "Larissa Press"),
    page=WordPressPage,
    wp_rest=True,  # WordPress core's REST API, declared as for any WordPress site
    unverified=("wp_rest", "feeds", "sitemaps", "listings", "page selectors"),
)

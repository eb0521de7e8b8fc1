"""Λάρισα News, Larissa: https://www.larisanews.gr, WordPress (SITES.md row 6, §4).

[seen] article URLs `/archives/<post id>` (the permalink `/archives/%post_id%`), and under the
same prefix pages that are not articles: categories `/archives/category/news/page/N`, tags
`/archives/tag/…`, date archives `/archives/date/2014/10/page/3`; the page header's date
(`Πέμπτη, 5 Φεβρουαρίου 2026`) is the crawl day; the chrome of a WP news theme it shares with
3kalanews and karditsanews (`Πρωτοσέλιδο`, `Posts in tag`, view counts as bare numbers,
`από το` / `Αρχείo Λάρισα News` with a Latin final o, `Προηγούμενο άρθρο` / `Επόμενο άρθρο`).
[unverified] the feed `/feed/`, the Yoast sitemap index `/sitemap_index.xml`, the REST API
(`/wp-json/`, not declared here), the theme's element classes.
"""

from newsarchive.pages.families import WordPressPage
from newsarchive.sites._site import Site

SITE = Site(
    name="larisanews",
    outlet="Λάρισα News",
    town="Larissa",
    region="larisa",
    base_url="https://www.larisanews.gr",
    feeds=("/feed/",),
    sitemaps=("/sitemap_index.xml",),
    listings=("/archives/category/news/",),  # Ειδήσεις
    article_url=r"^/archives/\d+/?$",
    names=("larisanews.gr", "Larisa News", "LarisaNews"),
    page=WordPressPage,
    wp_rest=True,  # WordPress core's REST API, declared as for any WordPress site
    unverified=("wp_rest", "feeds", "sitemaps", "listings", "page selectors"),
)

"""3kalanews, Trikala: https://www.3kalanews.gr, WordPress (SITES.md row 14, §4, §7).

The module is `threekalanews` because a Python module name cannot start with a digit; the
outlet writes itself `3kalanews.gr`.
[seen] (archived page text): the listings `/category/news` (Ειδήσεις) and the home page, both
paginated `/page/N`; uploads under `www.3kalanews.gr/wp-content/`; the header date of the day
(`Σάββατο, 24 Ιανουαρίου 2026`), not an article's; the news theme it shares with larisanews and
karditsanews (`Πρωτοσέλιδο`, `Posts in tag`, `Άρθρα στην Στήλη`, view counts as bare numbers,
`Προηγούμενο άρθρο` / `Επόμενο άρθρο`), which is tagDiv's Newspaper by those strings; junk
`…/email` URLs, the article's URL with `/email` appended (canonicalized to the article).
[unverified] the article URLs (root slugs, `/<slug>/`, WordPress's `%postname%`), the tagDiv
markup, the feed `/feed/`, the sitemap `/wp-sitemap.xml` and the REST API `/wp-json/`.
"""

from newsarchive.pages.families import TagDivPage
from newsarchive.sites._site import DEFAULT_DENY, Site

SITE = Site(
    name="threekalanews",
    outlet="3kalanews",
    town="Trikala",
    region="trikala",
    base_url="https://www.3kalanews.gr",
    feeds=("/feed/",),
    sitemaps=("/wp-sitemap.xml",),
    listings=("/", "/category/news"),
    # A root slug of four words or more: no listing, archive (`/2016/`) or short page.
    article_url=r"^/(?!(?:category|tag|author|page|feed|wp-json)(?:/|$))[^/?]+(?:-[^/?]+){3,}/?$",
    deny_urls=(*DEFAULT_DENY, r"/wp-json/", r"/feed/"),
    # WordPress's permalinks end in `/`: `/<slug>` (and `/<slug>/email`, which `urls` cuts to
    # `/<slug>`) is the article `/<slug>/`.
    rewrites=((r"^(/[^/]+)$", r"\1/"),),
    names=("3kalanews.gr", "3kala news"),
    page=TagDivPage,
    wp_rest=True,  # WordPress core's REST API, declared as for any WordPress site
    unverified=("wp_rest", "article_url", "feeds", "sitemaps", "page selectors"),
)

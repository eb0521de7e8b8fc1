"""Karditsa News, Karditsa: https://karditsanews.gr, WordPress (SITES.md row 15, §3, §4).

[seen] (archived URLs and text): WordPress listings that are not articles, the tag pages
`/tag/καρδίτσα/page/55/`, the author pages `/author/admin/page/75` and the date archives
`/2016/page/69`; dates in the text such as `(16/05/2024)` and `09-05-2024` that are the text's
own, not the article's; the news theme it shares with larisanews and 3kalanews (`Πρωτοσέλιδο`,
`Posts in tag`, `Προηγούμενο άρθρο` / `Επόμενο άρθρο`, view counts), tagDiv's Newspaper by
those strings.
[unverified] the host's `www` (both are served), the article URLs (root slugs, `/<slug>/`), the
tagDiv markup, the feed `/feed/`, the sitemap `/wp-sitemap.xml` and the REST API `/wp-json/`.
"""

from newsarchive.pages.families import TagDivPage
from newsarchive.sites._site import DEFAULT_DENY, Site

SITE = Site(
    name="karditsanews",
    outlet="Karditsa News",
    town="Karditsa",
    region="karditsa",
    base_url="https://karditsanews.gr",
    feeds=("/feed/",),
    sitemaps=("/wp-sitemap.xml",),
    listings=("/",),
    # A root slug of four words or more: no tag, author or date archive (`/2016/page/69`).
    article_url=r"^/(?!(?:category|tag|author|page|feed|wp-json)(?:/|$))[^/?]+(?:-[^/?]+){3,}/?$",
    rewrites=((r"^(/[^/]+)$", r"\1/"),),  # WordPress's permalinks end in `/`: `/<slug>/`
    deny_urls=(*DEFAULT_DENY, r"/wp-json/", r"/feed/", r"/author/"),
    names=("karditsanews.gr", "KarditsaNews"),
    page=TagDivPage,
    wp_rest=True,  # WordPress core's REST API, declared as for any WordPress site
    unverified=("wp_rest", "article_url", "feeds", "sitemaps", "page selectors"),
)

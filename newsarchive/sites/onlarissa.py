"""OnLarissa.gr, Larissa: https://www.onlarissa.gr, WordPress with tagDiv's Newspaper theme.

SITES.md row 3, §4, §5. [seen] (2018 front page: WP 4.9.4, tagDiv Newspaper 7.6, Jetpack with
its `i0.wp.com` image CDN) article URLs `/YYYY/MM/DD/<greeklish-slug>/`, the categories
`/category/larissa/` and `/category/thessaly/`, tagDiv's `h3.entry-title.td-module-title`
listing markup, `/wp-json/` advertised in the page head (the REST API, not declared here:
another module discovers it); in syndicated copies, the lines `newsroom onlarissa.gr` and the
viber prompt. [unverified] the feed `/feed/`, the WP core sitemap `/wp-sitemap.xml` (no page of
the site after 2018 was found), tagDiv's article markup (`.td-post-content` …) and its
pagination (`.page-nav`: the link after the current page's number).
"""

from newsarchive.pages.families import TagDivPage
from newsarchive.sites._site import Site

SITE = Site(
    name="onlarissa",
    outlet="OnLarissa.gr",
    town="Larissa",
    region="larisa",
    base_url="https://www.onlarissa.gr",
    feeds=("/feed/",),
    sitemaps=("/wp-sitemap.xml",),
    listings=("/category/larissa/", "/category/thessaly/"),
    article_url=r"^/\d{4}/\d{2}/\d{2}/[^/]+/?$",
    names=("onlarissa.gr", "onlarissa", "OnLarissa"),
    # tagDiv's `.page-nav` has no rel=next: the page after the current one is the next.
    next_page_css="link[rel~=next], a[rel~=next], .page-nav .current + a",
    page=TagDivPage,
    wp_rest=True,  # WordPress core's REST API, declared as for any WordPress site
    unverified=("wp_rest", "feeds", "sitemaps", "next_page_css", "page selectors"),
)

"""VolosDay (volosday.gr), Volos: https://www.volosday.gr, WordPress (SITES.md row 11).

[seen] listing URLs `/category/newsroom/paraskinia/page/11` and
`/category/parapolitika/page/64/?filter_by=popular`: the `filter_by` variants are the same
listing re-sorted by tagDiv's Newspaper theme (its block filter), never an article; the same row
names gegonota.news (possibly the outlet's other or later name: not declared here).
[unverified] the tagDiv markup (from `?filter_by=`), root-level article slugs `/<slug>/`, the
feed `/feed/`, the core sitemap `/wp-sitemap.xml`, and the REST API `/wp-json/wp/v2/posts`
(standard for WordPress, not seen).
"""

from newsarchive.pages.families import TagDivPage
from newsarchive.sites._site import DEFAULT_DENY, Site

SITE = Site(
    name="volosday",
    outlet="VolosDay",
    names=("volosday.gr", "Volos Day"),
    town="Volos",
    region="magnisia",
    base_url="https://www.volosday.gr",
    feeds=("/feed/",),
    sitemaps=("/wp-sitemap.xml",),
    listings=("/category/parapolitika/", "/category/newsroom/paraskinia/"),
    # Root-level slugs with a hyphen, but not the footer's static pages (terms, privacy policy).
    article_url=r"^/(?!(?:category|tag|author|page|feed|wp-json|oroi-xrisis|politiki-aporritou)/)[^/?]+-[^/?]+/$",
    deny_urls=(*DEFAULT_DENY, r"/author/"),  # `filter_by` is dropped: its listing is no article
    rewrites=((r"^/([^/.]+-[^/.]+)$", r"/\1/"),),  # WordPress permalinks end with a slash
    next_page_css="a[aria-label=next-page], link[rel~=next], a[rel~=next]",  # tagDiv's page-nav
    page=TagDivPage,
    wp_rest=True,  # WordPress core's REST API, declared as for any WordPress site
    unverified=("wp_rest", "feeds", "sitemaps", "article_url", "page selectors"),
)

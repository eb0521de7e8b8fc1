"""kosmoslarissa.gr, Larissa: https://kosmoslarissa.gr, likely WordPress (SITES.md row 5, §1, §4).

[seen] (§7 for the URL quirks) article URLs `/topika/<greek-slug>/` and
`/thessalia/<greek-slug>/` (Greek slugs percent-encoded, with `%CE…` and `%ce…` both found),
the older `/blog/larisa/<greeklish-slug>`, `/blog/eidiseis/…` and `/blog/<greek-slug>`;
`http://kosmoslarissa.gr:443/…` links; author signatures at the end of the text
(`Γ.Δ. kosmoslarissa.gr`, `Χ.Ψ.`), source lines such as `tirnavospress.gr`; its own report of
the Region's day on social innovation (2026-01-19).
[unverified] that it is WordPress at all (the URL forms suggest `/%category%/%postname%/`),
hence the feed `/feed/`, the Yoast sitemap index `/sitemap_index.xml`, the category listings
`/topika/` and `/thessalia/`, the REST API (`/wp-json/`, not declared here) and the markup.
"""

from newsarchive.pages.families import WordPressPage
from newsarchive.sites._site import Site

SITE = Site(
    name="kosmoslarissa",
    outlet="kosmoslarissa.gr",  # as it signs its reports
    town="Larissa",
    region="larisa",
    base_url="https://kosmoslarissa.gr",
    feeds=("/feed/",),
    sitemaps=("/sitemap_index.xml",),
    listings=("/topika/", "/thessalia/"),
    # `/topika|thessalia/<slug>/`, `/blog/<category>/<slug>`, `/blog/<percent-encoded Greek>`;
    # not `/topika/page/2/`, `/blog/larisa/` (a category) or `/blog/larisa/page/2`.
    article_url=(
        r"^/(?:topika|thessalia)/(?!page/)[^/]+/?$"
        r"|^/blog/[^/]+/(?!page(?:/|$))[^/]+/?$"
        r"|^/blog/(?:%[0-9A-F]{2})+[^/]*/?$"
    ),
    names=("kosmoslarissa",),
    page=WordPressPage,
    wp_rest=True,  # WordPress core's REST API, declared as for any WordPress site
    unverified=("wp_rest", "feeds", "sitemaps", "listings", "page selectors"),
)

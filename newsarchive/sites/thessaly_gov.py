"""The Region of Thessaly's press releases, Larissa: https://www.thessaly.gov.gr (SITES.md row 17).

The source of the releases every outlet of the region republishes: archiving it gives each
story of a release its first publisher.
[seen] the host (only `app.thessaly.gov.gr/TourismEventsApp` appears in public code).
[unverified] everything else: no page of the site was found in any archive, so the CMS, the
article URLs `/deltia-typou/<id>/<slug>/` and the sitemap `/sitemap.xml` are assumed. The
generic page rules read the fixture's pages; check all of it against the live site before a
real crawl.

Discovery is by the sitemap, whose `lastmod` announces the Region's corrections.
"""

from newsarchive.sites._site import Site

SITE = Site(
    name="thessaly_gov",
    outlet="Περιφέρεια Θεσσαλίας",
    town="Larissa",
    region="thessalia",
    base_url="https://www.thessaly.gov.gr",
    sitemaps=("/sitemap.xml",),
    article_url=r"^/deltia-typou/\d+/[^/]+/?$",
    names=("Region of Thessaly",),
    unverified=("article_url", "sitemaps", "page selectors"),
)

"""LarissaNet, Larissa: https://www.larissanet.gr, WordPress with the JNews theme (SITES.md §2, §5).

[seen] article URLs `/YYYY/MM/DD/<slug>/`, the feed `/feed/` and `/latest/` (2018 HTML).
[unverified] the JNews markup (from a public scraper's selectors), the REST API (WordPress core's
`/wp-json/wp/v2/posts`: declared, so a crawl that finds it closed says so and uses the feed and
`/latest/`).
"""

from newsarchive.pages.families import JNewsPage
from newsarchive.sites._site import Site


class LarissanetPage(JNewsPage):
    # Selectors of a public larissanet scraper: ads and the blocks after the share bar.
    remove_css = (
        *JNewsPage.remove_css,
        "[data-google-query-id]",
        "[id*=google_ads_iframe]",
        ".post_share",
        ".post-after",
    )


SITE = Site(
    name="larissanet",
    outlet="LarissaNet",
    town="Larissa",
    region="larisa",
    base_url="https://www.larissanet.gr",
    feeds=("/feed/",),
    listings=("/latest/",),  # `Ροή Ειδήσεων`
    wp_rest=True,
    article_url=r"^/\d{4}/\d{2}/\d{2}/[^/]+/?$",
    page=LarissanetPage,
    unverified=("page selectors", "wp_rest"),
)

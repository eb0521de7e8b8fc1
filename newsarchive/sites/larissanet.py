"""LarissaNet, Larissa: https://www.larissanet.gr, WordPress with the JNews theme (SITES.md §2, §5).

[seen] article URLs `/YYYY/MM/DD/<slug>/`, the feed `/feed/` and `/latest/` (2018 HTML).
[unverified] the JNews markup (from a public scraper's selectors), the REST API.
"""

from newsarchive.pages import ArticlePage
from newsarchive.sites._site import Site


class LarissanetPage(ArticlePage):
    headline_css = ".entry-header .jeg_post_title"
    date_css = ".jeg_meta_date"
    body_css = ".jeg_inner_content .content-inner"
    authors_css = ".jeg_meta_author a"
    tags_css = ".jeg_post_tags a"
    # Selectors of a public larissanet scraper: ads and the blocks after the share bar.
    remove_css = ("[data-google-query-id]", "[id*=google_ads_iframe]", ".post_share", ".post-after")


SITE = Site(
    name="larissanet",
    outlet="LarissaNet",
    town="Larissa",
    region="larisa",
    base_url="https://www.larissanet.gr",
    feeds=("/feed/",),
    listings=("/latest/",),  # `Ροή Ειδήσεων`
    article_url=r"^/\d{4}/\d{2}/\d{2}/[^/]+/?$",
    page=LarissanetPage,
    unverified=("page selectors",),
)

"""LarissaNet (Larissa): WordPress with the JNews theme, `/YYYY/MM/DD/<slug>/` (SITES.md §2, §5)."""

from newsarchive.pages import ArticlePage
from newsarchive.spiders.base import NewsSpider


class LarissanetPage(ArticlePage):
    site = "larissanet"
    region = "larisa"
    site_names = ("LarissaNet",)
    headline_css = ".entry-header .jeg_post_title"
    date_css = ".jeg_meta_date"
    body_css = ".jeg_inner_content .content-inner"
    authors_css = ".jeg_meta_author a"
    tags_css = ".jeg_post_tags a"
    # Selectors of a public larissanet scraper: ads and the blocks after the share bar.
    remove_css = ("[data-google-query-id]", "[id*=google_ads_iframe]", ".post_share", ".post-after")


class LarissanetSpider(NewsSpider):
    name = "larissanet"
    region = "larisa"
    base_url = "https://www.larissanet.gr"
    feeds = ("/feed/",)  # seen in the 2018 HTML
    listings = ("/latest/",)  # `Ροή Ειδήσεων`
    article_url = r"^/\d{4}/\d{2}/\d{2}/[^/]+/?$"
    page_class = LarissanetPage

"""Thessalia TV (Larissa): custom PHP site, `/news/<id>/<slug>/` articles (SITES.md §1)."""

from newsarchive.pages import ArticlePage
from newsarchive.spiders.base import NewsSpider


class ThessaliatvPage(ArticlePage):
    site = "thessaliatv"
    region = "larisa"
    site_names = ("Thessalia TV",)
    headline_css = "h1.news-title"
    lead_css = "h2.news-subtitle"
    date_css = ".news-date"
    body_css = ".news-text"
    section_css = ".news-category"
    section_pattern = r"ΝΕΑ ΓΙΑ\s+(.+)$"  # header `ΕΙΔΗΣΕΙΣ, ΝΕΑ ΓΙΑ ΛΑΡΙΣΑ`
    remove_css = (".latest-news", ".gallery")


class ThessaliatvSpider(NewsSpider):
    name = "thessaliatv"
    region = "larisa"
    base_url = "https://www.thessaliatv.gr"
    feeds = ("/rss.xml",)  # the site shows an RSS icon; this URL is assumed [unverified]
    listings = ("/", "/news/")
    article_url = r"^/news/\d+/"
    # Relative `include/...` links make junk URLs that still serve the article: never follow them.
    deny_url = (r"/include/",)
    url_rewrites = ((r"^/news/(\d+)(?:/.*)?$", r"/news/\1/"),)
    page_class = ThessaliatvPage

"""Thessalia TV, Larissa: https://www.thessaliatv.gr, a custom PHP site (SITES.md §1).

[seen] article URLs `/news/<id>/<slug>/`, the header `ΕΙΔΗΣΕΙΣ, ΝΕΑ ΓΙΑ <ΚΑΤΗΓΟΡΙΑ>`, the date
line `dd.mm.yyyy | HH:MM`, the ticker of crawl-time headlines, relative `include/` links.
[unverified] the feed URL (the site shows an RSS icon) and every element class below.
"""

from newsarchive.pages import ArticlePage
from newsarchive.sites._site import DEFAULT_DENY, Site


class ThessaliatvPage(ArticlePage):
    headline_css = "h1.news-title"
    lead_css = "h2.news-subtitle"
    date_css = ".news-date"
    body_css = ".news-text"
    section_css = ".news-category"
    section_pattern = r"ΝΕΑ ΓΙΑ\s+(.+)$"  # header `ΕΙΔΗΣΕΙΣ, ΝΕΑ ΓΙΑ ΛΑΡΙΣΑ`
    remove_css = (".latest-news", ".gallery")


SITE = Site(
    name="thessaliatv",
    outlet="Thessalia TV",
    town="Larissa",
    region="larisa",
    base_url="https://www.thessaliatv.gr",
    feeds=("/rss.xml",),
    listings=("/", "/news/"),
    article_url=r"^/news/\d+/",
    # Relative `include/...` links make junk URLs that still serve the article: never follow them.
    deny_urls=(*DEFAULT_DENY, r"/include/"),
    rewrites=((r"^/news/(\d+)(?:/.*)?$", r"/news/\1/"),),
    page=ThessaliatvPage,
    unverified=("feeds", "page selectors"),
)

"""Discovery: feeds, sitemaps and listings give requests for new article URLs only."""

from __future__ import annotations

import gzip

import pytest
from scrapy.http import HtmlResponse, Request, XmlResponse

from newsarchive import sites
from newsarchive.spiders.base import ARTICLE, LASTMOD, NewsSpider
from newsarchive.spiders.derived import spider as spider_of

TV = "https://www.thessaliatv.gr"
NET = "https://www.larissanet.gr"


def spider(name: str) -> NewsSpider:
    return spider_of(name)()


def urls_of(requests: object) -> list[str]:
    return [request.url for request in requests if isinstance(request, Request)]  # type: ignore[attr-defined]


def test_feed_links_become_article_requests_without_tracking_or_traps() -> None:
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel>
      <item><link>{NET}/2026/02/10/ta-trakter/?utm_source=rss&amp;utm_medium=rss</link></item>
      <item><link>{NET}/wp-content/uploads/2026/02/x.jpg</link></item>
      <item><link>https://elsewhere.gr/2026/02/10/x/</link></item>
    </channel></rss>""".encode()
    found = urls_of(spider("larissanet").parse_feed(XmlResponse(f"{NET}/feed/", body=feed)))
    assert found == [f"{NET}/2026/02/10/ta-trakter/"]


def test_atom_feeds_are_read_too() -> None:
    atom = f"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
      <entry><link rel="alternate" href="{NET}/2026/01/05/a/"/>
             <link rel="replies" href="{NET}/c"/></entry>
    </feed>""".encode()
    found = urls_of(spider("larissanet").parse_feed(XmlResponse(f"{NET}/atom", body=atom)))
    assert found == [f"{NET}/2026/01/05/a/"]


def test_sitemap_index_is_followed_and_urlsets_give_articles() -> None:
    index = f"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>{NET}/post-sitemap.xml.gz</loc></sitemap></sitemapindex>""".encode()
    urlset = gzip.compress(
        f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>{NET}/2026/02/10/a/</loc></url><url><loc>{NET}/category/larisa/</loc></url>
    </urlset>""".encode()
    )
    site = spider("larissanet")
    followed = list(site.parse_sitemap(XmlResponse(f"{NET}/sitemap_index.xml", body=index)))
    assert urls_of(followed) == [f"{NET}/post-sitemap.xml.gz"]
    assert followed[0].callback == site.parse_sitemap  # type: ignore[attr-defined]
    articles = urls_of(site.parse_sitemap(XmlResponse(f"{NET}/post-sitemap.xml.gz", body=urlset)))
    assert articles == [f"{NET}/2026/02/10/a/"]


def listing_page(links: list[str], next_href: str | None = None, page: int = 1) -> HtmlResponse:
    anchors = "".join(f'<a href="{link}">x</a>' for link in links)
    nxt = f'<a rel="next" href="{next_href}">»</a>' if next_href else ""
    body = f"<html><body>{anchors}{nxt}</body></html>".encode()
    request = Request(f"{TV}/news/", meta={"listing_page": page})
    return HtmlResponse(f"{TV}/news/", body=body, encoding="utf-8", request=request)


def test_listing_skips_traps_and_duplicates_and_follows_the_next_page() -> None:
    # Archived articles are requested too: newsarchive.crawl.freshness decides (test_freshness).
    site = spider("thessaliatv")
    response = listing_page(
        [
            "/news/1/a-slug/",
            "/news/1/",
            "/news/2/old/",
            "include/docs/x.jpg",
            "/news/3/include/images/y.png",
            "/live/",
            "/news/4/b",
        ],
        next_href="/news/?page=2",
    )
    requests = list(site.parse_listing(response))
    assert urls_of(requests) == [
        f"{TV}/news/1/",
        f"{TV}/news/2/",
        f"{TV}/news/4/",
        f"{TV}/news/?page=2",
    ]
    assert [bool(request.meta.get(ARTICLE)) for request in requests] == [True, True, True, False]


def test_listing_pagination_stops_at_max_pages() -> None:
    site = spider("thessaliatv")
    response = listing_page([], next_href="/news/?page=4", page=site.site.max_listing_pages)
    assert urls_of(site.parse_listing(response)) == []


@pytest.mark.parametrize("site", sites.all(), ids=lambda site: site.name)
def test_every_site_declares_what_discovery_needs(site: sites.Site) -> None:
    assert site.base_url.startswith(("https://", "http://"))  # a few outlets are http only
    assert site.feeds or site.sitemaps or site.listings or site.wp_rest
    assert site.region in ("larisa", "magnisia", "trikala", "karditsa", "thessalia")
    assert site.outlet and site.town
    assert spider_of(site.name).site is site


def test_scrapy_lists_one_spider_per_site() -> None:
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    loader = SpiderLoader.from_settings(get_project_settings())
    assert sorted(loader.list()) == [site.name for site in sites.all()]
    assert loader.load("thessaliatv").site is sites.get("thessaliatv")


def test_a_sitemap_lastmod_asks_again_for_an_article_a_listing_found_first() -> None:
    site = spider("thessaliatv")
    listed = list(site.parse_listing(listing_page(["/news/7/a/", "/news/8/b/"])))
    urlset = f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>{TV}/news/7/</loc><lastmod>2026-02-11T10:00:00+02:00</lastmod></url>
      <url><loc>{TV}/news/8/</loc></url>
    </urlset>""".encode()
    again = list(site.parse_sitemap(XmlResponse(f"{TV}/sitemap.xml", body=urlset)))
    assert urls_of(listed) == [f"{TV}/news/7/", f"{TV}/news/8/"]
    assert [(r.url, r.meta.get(LASTMOD), r.dont_filter) for r in again] == [
        (f"{TV}/news/7/", "2026-02-11T10:00:00+02:00", True)
    ]
    assert list(site.parse_sitemap(XmlResponse(f"{TV}/sitemap.xml", body=urlset))) == []

"""Discovery: feeds, sitemaps and listings give requests for new article URLs only."""

from __future__ import annotations

import gzip

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse

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


# --- endpoints that are missing or answer something else --------------------------------------


def spider_with_stats(name: str) -> NewsSpider:
    """A site's spider bound to a crawler, so that what it counts can be read."""
    from scrapy.utils.test import get_crawler

    spider_class = spider_of(name)
    return spider_class.from_crawler(get_crawler(spider_class))


def endpoint_response(url: str, body: bytes, kind: str, **meta: object) -> HtmlResponse:
    request = Request(url, meta={"newsarchive_endpoint": kind, **meta})
    return HtmlResponse(url, body=body, encoding="utf-8", request=request)


def stats_of(site: NewsSpider) -> dict[str, object]:
    return site.crawler.stats.get_stats()  # type: ignore[union-attr]


HOME = (
    b"<!DOCTYPE html><html><head><title>LarissaNet</title></head>"
    b"<body><a href='/2026/02/10/a/'>a</a></body></html>"
)


def test_a_feed_that_answers_html_is_noted_and_gives_nothing() -> None:
    site = spider_with_stats("larissanet")
    found = list(site.parse_feed(endpoint_response(f"{NET}/feed/", HOME, "feed")))
    assert found == []
    stats = stats_of(site)
    assert stats["newsarchive/endpoint_failed/feed"] == 1
    assert stats["newsarchive/endpoint_note/feed /feed/: answered HTML"] == 1
    assert not [key for key in stats if "/errors/" in key]  # a missing endpoint is no error


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (HOME, "answered HTML"),
        (b"", "answered an empty body"),
        (b'{"code": "rest_no_route"}', "answered something that is not a sitemap"),
        (b"\x1f\x8b\x08\x00broken", "answered a broken gzip file"),
    ],
)
def test_a_sitemap_that_is_no_sitemap_is_noted(body: bytes, why: str) -> None:
    site = spider_with_stats("thessaly_gov")
    url = "https://www.thessaly.gov.gr/sitemap.xml"
    assert list(site.parse_sitemap(endpoint_response(url, body, "sitemap"))) == []
    assert stats_of(site)[f"newsarchive/endpoint_note/sitemap /sitemap.xml: {why}"] == 1


def test_an_endpoint_answering_404_is_noted_not_counted_as_an_error() -> None:
    from scrapy.http import Response
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.python.failure import Failure

    site = spider_with_stats("larissanet")
    request = site.rest_request(1)
    failure = Failure(HttpError(Response(request.url, status=404, request=request), "404"))
    failure.request = request  # type: ignore[attr-defined]
    site.on_error(failure)
    stats = stats_of(site)
    assert stats["newsarchive/endpoint_note/rest /wp-json/wp/v2/posts: answered HTTP 404"] == 1
    assert not [key for key in stats if "/errors/" in key]
    article = Request(f"{NET}/2026/02/10/a/", meta={"newsarchive_article": True})
    gone = Failure(HttpError(Response(article.url, status=404, request=article), "404"))
    gone.request = article  # type: ignore[attr-defined]
    site.on_error(gone)
    assert stats_of(site)["newsarchive/errors/HTTP 404"] == 1  # an article is no endpoint


def test_the_summary_line_names_what_failed_and_what_was_used() -> None:
    from newsarchive.spiders.endpoints import summary_line

    stats = {
        "newsarchive/endpoint_note/feed /feed/: answered HTML": 1,
        "newsarchive/endpoint_failed/feed": 1,
        "newsarchive/endpoint_used/sitemap": 2,
        "newsarchive/endpoint_used/listing": 1,
    }
    assert summary_line(stats) == "endpoints: /feed/ answered HTML; used sitemap, listing"
    assert summary_line({"newsarchive/endpoint_used/feed": 1}) is None


# --- the WordPress REST API --------------------------------------------------------------------

POSTS = f"""[{{"link": "{NET}/2026/02/10/ta-trakter/", "date_gmt": "2026-02-10T16:42:00",
  "modified_gmt": "2026-02-11T08:00:00"}},
 {{"link": "{NET}/category/agrotika/", "date_gmt": "2026-02-10T16:42:00"}}]""".encode()


def rest_response(page: int, body: bytes, total: str | None) -> TextResponse:
    request = spider("larissanet").rest_request(page)
    headers = {"X-WP-TotalPages": total} if total else {}
    return TextResponse(request.url, body=body, headers=headers, request=request)


def test_rest_posts_become_article_requests_with_their_modified_time_as_lastmod() -> None:
    site = spider("larissanet")
    requests = list(site.parse_rest(rest_response(1, POSTS, "3")))
    article, following = requests
    assert (article.url, article.meta[LASTMOD]) == (
        f"{NET}/2026/02/10/ta-trakter/",
        "2026-02-11T08:00:00+00:00",
    )
    assert following.url.startswith(f"{NET}/wp-json/wp/v2/posts?per_page=100&page=2&")
    assert "_fields=link,date_gmt,modified_gmt" in following.url


def test_rest_paging_stops_at_the_last_page_an_empty_page_or_the_daily_depth() -> None:
    site = spider("larissanet")
    assert [r for r in site.parse_rest(rest_response(2, POSTS, "2")) if "wp-json" in r.url] == []
    assert list(site.parse_rest(rest_response(2, b"[]", None))) == []
    depth = site.site.max_listing_pages
    assert [
        r for r in site.parse_rest(rest_response(depth, POSTS, "99")) if "wp-json" in r.url
    ] == []


def test_a_backfill_asks_rest_for_posts_after_since_and_before_the_day_after_until() -> None:
    site = spider_of("larissanet")(since="2025-01-01", until="2025-06-30")
    url = site.rest_request(1).url
    assert "after=2025-01-01T00:00:00" in url and "before=2025-07-01T00:00:00" in url


# --- backfill: back to --since, and no further -------------------------------------------------

INDEX = f"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{NET}/post-sitemap3.xml</loc><lastmod>2026-02-10T10:00:00+00:00</lastmod></sitemap>
  <sitemap><loc>{NET}/post-sitemap2.xml</loc><lastmod>2024-12-31T21:59:00+00:00</lastmod></sitemap>
  <sitemap><loc>{NET}/post-sitemap4.xml</loc><lastmod>2024-12-31T22:00:00+00:00</lastmod></sitemap>
  <sitemap><loc>{NET}/post-sitemap1.xml</loc></sitemap>
</sitemapindex>""".encode()
URLSET = f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{NET}/2025/03/01/new/</loc><lastmod>2025-03-01</lastmod></url>
  <url><loc>{NET}/2024/12/30/old/</loc><lastmod>2025-02-01</lastmod></url>
  <url><loc>{NET}/2025/01/02/edited-before/</loc><lastmod>2024-12-20</lastmod></url>
  <url><loc>{NET}/2025/08/01/after-until/</loc></url>
</urlset>""".encode()


def test_a_backfill_skips_child_sitemaps_and_entries_older_than_since() -> None:
    site = spider_of("larissanet")(since="2025-01-01", until="2025-06-30")
    children = urls_of(site.parse_sitemap(XmlResponse(f"{NET}/sitemap_index.xml", body=INDEX)))
    # 22:00 UTC on 31 December is midnight in Athens: that sitemap may hold 2025's articles
    assert children == [
        f"{NET}/post-sitemap3.xml",
        f"{NET}/post-sitemap4.xml",
        f"{NET}/post-sitemap1.xml",
    ]
    entries = urls_of(site.parse_sitemap(XmlResponse(f"{NET}/post-sitemap3.xml", body=URLSET)))
    assert entries == [f"{NET}/2025/03/01/new/"]


def test_a_daily_crawl_reads_every_child_sitemap_and_entry() -> None:
    site = spider("larissanet")
    children = urls_of(site.parse_sitemap(XmlResponse(f"{NET}/sitemap_index.xml", body=INDEX)))
    assert len(children) == 4
    assert len(urls_of(site.parse_sitemap(XmlResponse(f"{NET}/s.xml", body=URLSET)))) == 4


def dated_listing(days: list[str], page: int) -> HtmlResponse:
    links = [f"{NET}/{day}/article-{n}-{page}/" for n, day in enumerate(days)]
    anchors = "".join(f'<a href="{link}">x</a>' for link in links)
    body = f'<html><body>{anchors}<a rel="next" href="/latest/page/{page + 1}/">»</a></body></html>'
    request = Request(f"{NET}/latest/", meta={"listing_page": page})
    return HtmlResponse(f"{NET}/latest/", body=body.encode(), encoding="utf-8", request=request)


def test_a_backfill_follows_a_listing_past_its_daily_depth_until_it_shows_older_articles() -> None:
    site = spider_of("larissanet")(since="2025-01-01")
    deep = site.site.max_listing_pages + 5
    still = urls_of(site.parse_listing(dated_listing(["2025/01/03", "2024/12/30"], deep)))
    assert still[-1] == f"{NET}/latest/page/{deep + 1}/"  # a 2025 article: go on
    assert f"{NET}/2024/12/30/article-1-{deep}/" not in still  # but not the older one
    done = urls_of(site.parse_listing(dated_listing(["2024/12/31", "2024/12/30"], deep + 1)))
    assert done == []  # only older articles: the backfill stops here


def test_a_backfill_reads_the_declared_day_archives_newest_first() -> None:
    from dataclasses import replace

    from newsarchive.spiders.base import spider_class

    site = replace(sites.get("larissanet"), date_archives="/{year}/{month}/{day}/")
    spider_ = spider_class(site)(since="2025-02-27", until="2025-03-01")
    assert urls_of(spider_.archive_requests()) == [
        f"{NET}/2025/03/01/",
        f"{NET}/2025/02/28/",
        f"{NET}/2025/02/27/",
    ]
    assert urls_of(spider_class(site)().archive_requests()) == []  # not in a daily crawl


# --- a site known only by its URL --------------------------------------------------------------

OUTLET = "https://www.nea-elassonas.example"


def test_autodiscovery_reads_the_home_page_feed_links_but_not_its_comments_feed() -> None:
    from newsarchive.spiders.base import spider_class

    site = spider_class(sites.from_url(OUTLET))()
    home = f"""<html><head>
      <link rel="alternate" type="application/rss+xml" href="{OUTLET}/feed/">
      <link rel="alternate" type="application/rss+xml" href="{OUTLET}/comments/feed/">
      <link rel="alternate" type="application/atom+xml" href="https://feeds.example.com/x">
      </head><body><a href="/2026/02/10/nea-gefyra-ston-elassona/">a</a>
      <a href="/category/topika/">c</a><a href="/tag/gefyra/">t</a></body></html>""".encode()
    request = Request(f"{OUTLET}/", meta={"newsarchive_endpoint": "home"})
    response = HtmlResponse(f"{OUTLET}/", body=home, encoding="utf-8", request=request)
    assert urls_of(site.parse_home(response)) == [f"{OUTLET}/feed/"]
    assert site.home_links  # kept for when nothing else gives articles
    articles = [url for url in site.home_links if site.canonical_article_url(url)]
    assert articles == [f"{OUTLET}/2026/02/10/nea-gefyra-ston-elassona/"]


def test_autodiscovery_reads_robots_txt_sitemaps_and_the_rest_index() -> None:
    from newsarchive.spiders.base import spider_class

    site = spider_class(sites.from_url(OUTLET))()
    robots = b"User-agent: *\nDisallow: /wp-admin/\nSitemap: /sitemap_index.xml\nsitemap: https://www.nea-elassonas.example/news-sitemap.xml\n"
    response = TextResponse(f"{OUTLET}/robots.txt", body=robots)
    assert urls_of(site.parse_robots(response)) == [
        f"{OUTLET}/sitemap_index.xml",
        f"{OUTLET}/news-sitemap.xml",
    ]
    wp = TextResponse(f"{OUTLET}/wp-json/", body=b'{"namespaces": ["oembed/1.0", "wp/v2"]}')
    assert urls_of(site.parse_rest_root(wp))[0].startswith(f"{OUTLET}/wp-json/wp/v2/posts?")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.gr/", r"not an absolute http\(s\) URL"),
        ("https:///path", r"not an absolute http\(s\) URL"),
        ("https://thessaliatv.gr/", "is the site 'thessaliatv': crawl it by its name"),
    ],
)
def test_a_site_by_url_is_refused_for_bad_or_known_urls(url: str, reason: str) -> None:
    with pytest.raises(sites.BadSiteURLError, match=reason):
        sites.from_url(url)


def test_a_site_by_url_is_named_after_its_host() -> None:
    site = sites.from_url("https://WWW.Nea-Elassonas.example:443/some/page", region="larisa")
    assert (site.name, site.base_url, site.region) == (
        "nea_elassonas_example",
        "https://www.nea-elassonas.example",
        "larisa",
    )
    assert site.autodiscover and not site.article_url


def test_with_no_feed_sitemap_or_rest_the_home_page_links_are_the_last_resort() -> None:
    from types import SimpleNamespace

    from scrapy.exceptions import DontCloseSpider

    from newsarchive.spiders.base import spider_class

    site = spider_class(sites.from_url(OUTLET))()
    crawled: list[Request] = []
    engine = SimpleNamespace(crawl=crawled.append)
    site.crawler = SimpleNamespace(engine=engine, stats=None)  # type: ignore[assignment]
    site.home_links = [f"{OUTLET}/2026/02/10/nea-gefyra-ston-elassona/", f"{OUTLET}/tag/x/"]
    with pytest.raises(DontCloseSpider):
        site.on_idle(site)
    assert urls_of(crawled) == [f"{OUTLET}/2026/02/10/nea-gefyra-ston-elassona/"]
    site.on_idle(site)  # once only: the spider may close now
    assert len(crawled) == 1


def test_the_home_page_links_are_not_used_when_a_feed_gave_articles() -> None:
    from types import SimpleNamespace

    from newsarchive.spiders.base import spider_class

    site = spider_class(sites.from_url(OUTLET))()
    crawled: list[Request] = []
    engine = SimpleNamespace(crawl=crawled.append)
    site.crawler = SimpleNamespace(engine=engine, stats=None)  # type: ignore[assignment]
    item = f"<item><link>{OUTLET}/2026/02/11/allo-arthro-edo/</link></item>"
    feed = f'<rss version="2.0"><channel>{item}</channel></rss>'
    list(site.parse_feed(XmlResponse(f"{OUTLET}/feed/", body=feed.encode())))
    site.home_links = [f"{OUTLET}/2026/02/10/nea-gefyra-ston-elassona/"]
    site.on_idle(site)
    assert crawled == []

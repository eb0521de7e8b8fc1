"""Canonical URLs: one URL per article, whatever form a link takes."""

from __future__ import annotations

from datetime import date

import pytest

from newsarchive import sites
from newsarchive.urls import BadURLError, canonicalize, date_in_url, looks_like_article

TV = "https://www.thessaliatv.gr"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        # thessaliatv: slug or none, slash or none, and the `/include/` trap all name one article
        (
            f"{TV}/news/185511/imerida-gia-tin-koinoniki-kainotomia-apo-tin-perifereia-thessalias-foto/",
            f"{TV}/news/185511/",
        ),
        (f"{TV}/news/185203/etoimazontai-na-apoxorisoun-apo-ta-tempi", f"{TV}/news/185203/"),
        (f"{TV}/news/186748/include/images/antagonistikotitaframeEL.jpg", f"{TV}/news/186748/"),
        (
            f"{TV}/news/184972/include/images/include/docs/01800527_mpasdekis.jpg",
            f"{TV}/news/184972/",
        ),
        ("http://thessaliatv.gr/news/160227/", f"{TV}/news/160227/"),
        ("HTTPS://WWW.THESSALIATV.GR/news/160227", f"{TV}/news/160227/"),
        # tracking parameters and fragments go; the order of the others is fixed
        (
            "https://www.larissanet.gr/2022/10/28/larisa-lampri-parelasi/?utm_source=rss&utm_medium=rss",
            "https://www.larissanet.gr/2022/10/28/larisa-lampri-parelasi/",
        ),
        ("https://larissanet.gr/2022/10/28/x/#comments", "https://www.larissanet.gr/2022/10/28/x/"),
        ("https://example.gr/a?b=2&a=1&fbclid=XYZ", "https://example.gr/a?a=1&b=2"),
        (
            "https://gegonota.news/category/parapolitika/page/64/?filter_by=popular",
            "https://gegonota.news/category/parapolitika/page/64/",
        ),
        # Greek slugs: raw or escaped in either case, one form
        (
            "https://trikalavoice.gr/τοπικά/ο-ηγούμενος/",
            "https://trikalavoice.gr/%CF%84%CE%BF%CF%80%CE%B9%CE%BA%CE%AC/%CE%BF-%CE%B7%CE%B3%CE%BF%CF%8D%CE%BC%CE%B5%CE%BD%CE%BF%CF%82/",
        ),
        ("https://trikalavoice.gr/%cf%84%ce%bf/", "https://trikalavoice.gr/%CF%84%CE%BF/"),
        # explicit :443 on http, default ports, a host's trailing dot, doubled slashes
        ("http://kosmoslarissa.gr:443/blog/larisa/x", "https://kosmoslarissa.gr/blog/larisa/x"),
        ("https://example.gr:443/a", "https://example.gr/a"),
        ("https://issuu.com./thessalia", "https://issuu.com/thessalia"),
        ("https://example.gr//a//b", "https://example.gr/a/b"),
        ("http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x"),
        # TLS on port 80 is an oddity of links, not a server: the default port
        ("https://example.gr:80/a/", "https://example.gr/a/"),
        ("http://example.gr:80/a/", "http://example.gr/a/"),
        # www or not: the declared host of a known site; an unknown host as it is given
        (
            "https://www.thessaly.gov.gr/deltia-typou/5120/x/",
            "https://www.thessaly.gov.gr/deltia-typou/5120/x/",
        ),
        (
            "https://thessaly.gov.gr/deltia-typou/5120/x/",
            "https://www.thessaly.gov.gr/deltia-typou/5120/x/",
        ),
        ("https://www.example.gr/a/", "https://www.example.gr/a/"),
        # AMP and e-mail variants are the article
        ("https://www.larissanet.gr/2022/10/28/x/amp/", "https://www.larissanet.gr/2022/10/28/x/"),
        (
            "https://www.larissanet.gr/2022/10/28/x/?amp=1",
            "https://www.larissanet.gr/2022/10/28/x/",
        ),
        ("https://www.larissanet.gr/2022/10/28/x/?amp", "https://www.larissanet.gr/2022/10/28/x/"),
        ("https://amp.example.gr/2022/10/28/x/", "https://example.gr/2022/10/28/x/"),
        ("https://example.gr/amp/2022/10/28/x/", "https://example.gr/2022/10/28/x/"),
        ("https://example.gr/2022/10/28/x/amp", "https://example.gr/2022/10/28/x"),
        ("https://example.gr/x/?output=amp", "https://example.gr/x/"),
        ("https://example.gr/x/?output=json", "https://example.gr/x/?output=json"),
        ("https://example.gr/2022/10/28/x/email/", "https://example.gr/2022/10/28/x/"),
        ("https://example.gr/x/?filter_by=popular&utm_campaign=a", "https://example.gr/x/"),
        # an `amp` inside a word or a slug is no variant
        ("https://example.gr/campaign/amp-lamp/", "https://example.gr/campaign/amp-lamp/"),
        ("https://amp.gr/a/", "https://amp.gr/a/"),
        # Greek slugs percent-encoded in lower case, upper case, or not at all: one form
        (
            "https://example.gr/%ce%bb%ce%ac%cf%81%ce%b9%cf%83%ce%b1/",
            "https://example.gr/%CE%BB%CE%AC%CF%81%CE%B9%CF%83%CE%B1/",
        ),
        ("https://example.gr/λάρισα/", "https://example.gr/%CE%BB%CE%AC%CF%81%CE%B9%CF%83%CE%B1/"),
    ],
)
def test_canonicalize(url: str, canonical: str) -> None:
    assert sites.canonicalize(url) == canonical
    assert sites.canonicalize(canonical) == canonical


def test_urls_canonicalize_is_pure_and_applies_only_the_rules_it_is_given() -> None:
    trap = f"{TV}/news/186748/include/images/x.jpg"
    assert canonicalize(trap) == trap
    assert canonicalize(trap, sites.get("thessaliatv").url_rules) == f"{TV}/news/186748/"
    # Another site's rules do not touch a URL of a host they do not name.
    other = "https://example.gr/news/1/slug/"
    assert canonicalize(other, sites.get("thessaliatv").url_rules) == other


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{TV}/news/185511/imerida-gia-tin/", True),
        (f"{TV}/news/", False),
        (f"{TV}/news/185511/include/images/x.jpg", False),
        ("https://larissanet.gr/2026/02/10/ta-trakter/?utm_source=rss", True),
        ("https://www.larissanet.gr/category/larisa/", False),
        ("https://www.larissanet.gr/tag/agrotes/", False),
        ("https://www.larissanet.gr/feed/", False),
        ("https://www.larissanet.gr/wp-content/uploads/2026/02/x.jpg", False),
        ("https://larissanet.gr/2026/02/10/ta-trakter/amp/", True),
        ("https://amp.larissanet.gr/2026/02/10/ta-trakter/", True),
        ("https://www.larissanet.gr/2026/02/10/", False),
        ("https://www.larissanet.gr/author/giorgos/", False),
        # an unknown host: the generic answer
        ("https://example.gr/2026/02/10/x/", True),
        ("https://example.gr/2026/02/10/", False),
        ("https://example.gr/news/185511/", True),
        ("https://example.gr/?p=4512", True),
        ("https://example.gr/τοπικά/ο-ηγούμενος-της-μονής/", True),
        ("https://example.gr/12345-apergia-stin-poli.html", True),
        ("https://example.gr/", False),
        ("https://example.gr/category/larisa/", False),
        ("https://example.gr/category/larisa/page/2/", False),
        ("https://example.gr/tag/agrotes-kai-trakter/", False),
        ("https://example.gr/author/maria-papadopoulou/", False),
        ("https://example.gr/feed/", False),
        ("https://example.gr/rss.xml", False),
        ("https://example.gr/sitemap.xml", False),
        ("https://example.gr/wp-content/uploads/2026/02/to-trakter-sto-xorafi.jpg", False),
        ("https://example.gr/files/apofasi-dimotikou-symvouliou-2026.pdf", False),
        ("https://example.gr/?s=τρακτέρ", False),
        ("https://example.gr/politiki-aporritou-kai-cookies/", False),
        ("https://example.gr/epikoinonia/", False),
        ("https://example.gr/larisa/", False),
        ("ftp://example.gr/2026/02/10/x/", False),
    ],
)
def test_is_article_url(url: str, expected: bool) -> None:
    assert sites.is_article_url(url) is expected


@pytest.mark.parametrize("site", sites.all(), ids=lambda site: site.name)
def test_no_site_takes_its_feeds_files_or_home_page_for_articles(site: sites.Site) -> None:
    for path in ("/", "/feed/", "/wp-content/uploads/2026/02/a-b-c.jpg", "/tag/a-b-c/"):
        assert not site.is_article_url(site.absolute(path)), path


@pytest.mark.parametrize(
    "url", ["news/185511/", "ftp://example.gr/x", "mailto:a@b.gr", "", "https://"]
)
def test_canonicalize_refuses_what_is_not_an_absolute_web_url(url: str) -> None:
    with pytest.raises(BadURLError, match="not an absolute http"):
        canonicalize(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.onlarissa.gr/2026/02/11/katerina-vrana-stand-up-comedy/", date(2026, 2, 11)),
        ("https://www.larissanet.gr/2022/10/28/larisa-lampri-parelasi-fot", date(2022, 10, 28)),
        ("https://www.larissapress.gr/2024/2/9/x", date(2024, 2, 9)),
        ("https://www.thessaliatv.gr/news/185511/", None),
        ("https://example.gr/2026/02/31/impossible/", None),
        ("https://example.gr/archives/2014/10/", None),
        # a segment that is, starts or ends with the day, with dashes or without
        ("https://www.latimes.com/business/story/2019-11-19/gannett-merger", date(2019, 11, 19)),
        ("https://lmsys.org/blog/2025-12-17-minisgl", date(2025, 12, 17)),
        ("https://example.gr/eidiseis/ekloges-2026-02-10/", date(2026, 2, 10)),
        ("https://example.gr/eidiseis/20260210-ekloges.html", date(2026, 2, 10)),
        ("https://example.gr/the-year-in-review-20251218", date(2025, 12, 18)),
        # inside a slug it may be the day of what the article announces; ids are no days
        ("https://example.gr/ekdilosi-2026-12-24-stin-larisa/", None),
        ("https://example.gr/news/20970600-browns-snap-counts/", None),
        ("https://example.gr/news/120260210/", None),
        ("https://example.gr/a/2026-02-30-x/", None),
    ],
)
def test_date_in_url(url: str, expected: date | None) -> None:
    assert date_in_url(url) == expected


@pytest.mark.parametrize(
    "url", ["http://[x/", "https://e.gr:99999/a/", "https://e.gr:abc/", "https://ex℀mple.gr/"]
)
def test_malformed_urls_are_bad_urls_not_crashes(url: str) -> None:
    with pytest.raises(BadURLError):
        canonicalize(url)


@pytest.mark.parametrize(
    ("url", "article"),
    [
        ("https://example.gr/2026/02/10/nea-gefyra-ston-pinio/", True),
        ("https://example.gr/news/185511/", True),
        ("https://example.gr/nea-gefyra-ston-pinio-sti-larisa/", True),
        ("https://example.gr/?p=12345", True),
        # Joomla and K2 without friendly URLs: the item's id, with its alias, in any order
        ("https://example.gr/index.php?option=com_k2&view=item&id=123:nea-gefyra&Itemid=10", True),
        ("https://example.gr/index.php?id=45&view=article&option=com_content", True),
        ("https://example.gr/index.php?option=com_k2&view=itemlist&task=category&id=5", False),
        ("https://example.gr/index.php?option=com_content&view=category&id=8", False),
        ("https://example.gr/index.php?view=item&id=", False),
        ("https://example.gr/?p=abc", False),
        ("https://example.gr/", False),
        ("https://example.gr/category/topika/page/2/", False),
        ("https://example.gr/tag/λάρισα/", False),
        ("https://example.gr/2026/02/10/", False),
        ("https://example.gr/wp-content/uploads/2026/02/photo.jpg", False),
        ("https://example.gr/?s=λάρισα&p=5", False),
    ],
)
def test_looks_like_article(url: str, article: bool) -> None:
    assert looks_like_article(url) is article

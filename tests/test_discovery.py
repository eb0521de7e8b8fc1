"""Discovery on every fixture site finds exactly its articles, and only them.

One crawl of discovery alone (`newsarchive.crawl.run_discovery`: the real spiders, feeds,
sitemaps, REST pages and listings fetched from the fixture server, no article fetched) runs
in a fresh process for every declared site and for `_unknown_outlet`, the site with no site
file that `crawl --url` autodiscovers; each site's test then compares the article URLs its
spider asked for with the URLs of its golden articles, canonicalized: none missing, and no
listing, tag, author, feed, file or junk URL among them.

Run as `python -m tests.test_discovery MIRROR OUT.json DB` it is that discovery crawl.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsarchive import sites
from newsarchive.fixture_server import article_urls, fixture_root, load_site, serve, undeclared

REPO = Path(__file__).resolve().parent.parent
UNKNOWN = "_unknown_outlet"
"""The fixture site with no site file."""


def unknown_outlet_url() -> str:
    """The home page `crawl --url` is given for `_unknown_outlet`."""
    folder = fixture_root() / UNKNOWN
    return f"https://{load_site(folder).hosts[-1]}/"


def unknown_outlet_name() -> str:
    return sites.from_url(unknown_outlet_url()).name


def main(argv: list[str]) -> int:
    """Discovery of every declared site and of `_unknown_outlet` through MIRROR; writes each
    site's found article URLs and its stats (numbers and text) to OUT.json."""
    from newsarchive.crawl import crawl_settings, run_discovery, url_spider
    from newsarchive.spiders.derived import spider

    mirror, out, db = argv
    settings = crawl_settings(f"sqlite:///{db}", mirror=mirror, progress=False)
    spiders = [spider(site.name) for site in sites.all()]
    spiders.append(url_spider(unknown_outlet_url()))
    found = {
        one.site: {
            "urls": one.urls,
            "stats": {k: v for k, v in one.stats.items() if isinstance(v, int | str)},
        }
        for one in run_discovery(spiders, settings)
    }
    Path(out).write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


@pytest.fixture(scope="module")
def discovered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """What discovery found on every fixture site, by site name."""
    folder = tmp_path_factory.mktemp("discovery")
    out = folder / "found.json"
    with serve() as server:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.test_discovery",
                server.url,
                str(out),
                str(folder / "d.db"),
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
            cwd=REPO,
        )
    assert done.returncode == 0, done.stderr
    found: dict[str, dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
    return found


def expected_urls(folder: str) -> set[str]:
    """The canonical URLs of a fixture site's golden articles."""
    return {sites.canonicalize(url) for url in article_urls(fixture_root() / folder)}


def served_articles(folder: str, base_url: str) -> set[str]:
    """Other URLs at which the site's `site.json` serves one of its golden article pages by
    name (WordPress answering a `/?p=<id>` shortlink with the post): the same article, found
    under a URL the site really gives it. A crawl trap matched by an `aliases` pattern is not
    one of them."""
    root = fixture_root() / folder
    pages = set(article_urls(root).values())
    spec = json.loads((root / "site.json").read_text(encoding="utf-8"))
    return {
        sites.canonicalize(base_url.rstrip("/") + path)
        for path, file in spec["pages"].items()
        if root / file in pages
    }


def fixture_folders() -> list[Path]:
    return sorted(path for path in fixture_root().iterdir() if (path / "site.json").exists())


CASES = [site.name for site in sites.all()] + [UNKNOWN]


@pytest.mark.parametrize("folder", CASES)
def test_discovery_finds_exactly_the_fixture_articles(
    folder: str, discovered: dict[str, dict[str, Any]]
) -> None:
    site = sites.from_url(unknown_outlet_url()) if folder == UNKNOWN else sites.get(folder)
    expected = expected_urls(folder)
    found = set(discovered[site.name]["urls"])
    assert expected, f"{folder} has no golden article"
    missing = sorted(expected - found)
    junk = sorted(found - expected - served_articles(folder, site.base_url))
    assert (missing, junk) == ([], []), f"{folder}: not found {missing}; not articles {junk}"


def test_no_site_without_a_fixture_site_and_no_fixture_site_without_a_site() -> None:
    declared = {folder.name for folder in fixture_folders() if not undeclared(folder)}
    assert declared == {site.name for site in sites.all()}
    for folder in fixture_folders():
        if undeclared(folder):  # a site for `crawl --url`: no site may claim its hosts
            assert all(
                sites.for_url(f"https://{host}/") is None for host in load_site(folder).hosts
            )


def test_the_rest_api_is_read_page_by_page(discovered: dict[str, dict[str, Any]]) -> None:
    stats = discovered["larissanet"]["stats"]
    assert stats.get("newsarchive/endpoint_used/rest") == 2  # X-WP-TotalPages: 2
    lampri = (
        "https://www.larissanet.gr/2022/10/28/larisa-lampri-parelasi-gia-tin-28i-oktovriou-fot/"
    )
    assert lampri in discovered["larissanet"]["urls"]  # on REST page 2 (and /latest/)


def test_autodiscovery_uses_the_feed_and_the_sitemaps_robots_txt_names(
    discovered: dict[str, dict[str, Any]],
) -> None:
    stats = discovered[unknown_outlet_name()]["stats"]
    assert stats.get("newsarchive/endpoint_used/feed") == 1  # not the comments feed
    # robots.txt's index and its three sitemaps; /sitemap.xml and /wp-sitemap.xml are absent
    assert stats.get("newsarchive/endpoint_used/sitemap") == 4
    assert stats.get("newsarchive/endpoint_absent/sitemap") == 2
    assert stats.get("newsarchive/endpoint_absent/rest") == 1  # /wp-json/ advertised, closed
    assert not [key for key in stats if "endpoint_failed" in key]  # probes are no failures
    assert "newsarchive/endpoint_used/home" not in stats  # feeds and sitemaps gave articles


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


@pytest.mark.parametrize("folder", [site.name for site in sites.all()])
def test_is_article_url_tells_the_fixture_articles_from_the_pages_around_them(folder: str) -> None:
    """Each golden article URL is an article of its site; each other page its fixture serves
    (home page, listings and their pages, feeds, sitemaps, REST pages, robots.txt) is not."""
    site = sites.get(folder)
    root = fixture_root() / folder
    for url in article_urls(root):
        assert sites.is_article_url(url), url
    articles = set(article_urls(root).values())
    spec = json.loads((root / "site.json").read_text(encoding="utf-8"))
    for path, file in spec["pages"].items():
        if root / file not in articles:
            assert not sites.is_article_url(site.base_url + path), path

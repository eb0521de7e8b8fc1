"""The pages and plain spiders of `bench/crawl.py`.

A synthetic copy of the thessaliatv fixture site (`build_site`): N article pages with the
chrome of one of its fixture pages, each with its own headline and 300-700 words of Greek text
made from the words of the fixture sites' records, all listed in its feed; and the files of
the plain contenders for `scrapy runspider` (`write_spiders`): a bare spider that downloads
every article and parses nothing, and one extracting each page with trafilatura into SQLite.
"""

from __future__ import annotations

import collections
import json
import random
import re
import shutil
from pathlib import Path

from newsarchive.fixture_server import fixture_root

SITE = "thessaliatv"
BASE = "https://www.thessaliatv.gr"
TEMPLATE = "imerida-gia-tin-koinoniki-kainotomia-apo.html"
"""The fixture page whose chrome every synthetic article keeps."""
ARTICLE_PATH = re.compile(r"^www\.thessaliatv\.gr/news/(\d+)/")
FIRST_ID = 500000
GREEK_WORD = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]+")

BARE_SPIDER = '''
import scrapy


class Bare(scrapy.Spider):
    """Reads the feed and downloads every article, parsing nothing."""

    name = "bare"
    start_urls = ["{base}/rss.xml"]

    def parse(self, response):
        for link in response.xpath("//item/link/text()").getall():
            yield scrapy.Request(link.strip(), callback=self.parse_article)

    def parse_article(self, response):
        pass
'''
TRAFILATURA_SPIDER = '''
import sqlite3

import scrapy
import trafilatura


class SQLitePipeline:
    """One row per article, committed as it comes."""

    def open_spider(self):
        self.db = sqlite3.connect("articles.db")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS articles (url TEXT PRIMARY KEY, title TEXT, "
            "author TEXT, date TEXT, description TEXT, text TEXT)"
        )

    def process_item(self, item):
        self.db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?)",
            (item["url"], item["title"], item["author"], item["date"],
             item["description"], item["text"]),
        )
        self.db.commit()
        return item

    def close_spider(self):
        self.db.close()


class Trafilatura(scrapy.Spider):
    """Reads the feed, extracts each article with trafilatura and stores it in SQLite."""

    name = "trafilatura"
    start_urls = ["{base}/rss.xml"]
    custom_settings = {{"ITEM_PIPELINES": {{SQLitePipeline: 300}}}}

    def parse(self, response):
        for link in response.xpath("//item/link/text()").getall():
            yield scrapy.Request(link.strip(), callback=self.parse_article)

    def parse_article(self, response):
        doc = trafilatura.bare_extraction(response.text, url=response.url, with_metadata=True)
        if doc is not None and doc.text:
            yield {{
                "url": response.url,
                "title": doc.title,
                "author": doc.author,
                "date": doc.date,
                "description": doc.description,
                "text": doc.text,
            }}
'''
SPIDERS = {"bare": BARE_SPIDER, "trafilatura": TRAFILATURA_SPIDER}
"""The plain contenders, each a file for `scrapy runspider` (no project: Scrapy's defaults)."""
POLITENESS_FREE = {
    "ROBOTSTXT_OBEY": "True",
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "LOG_LEVEL": "WARNING",
}
"""The plain spiders' settings: what `newsarchive crawl --mirror` sets (newsarchive.crawl)."""


class Text:
    """Greek sentences from the words of the fixture sites' records, weighted by frequency."""

    def __init__(self, seed: int = 1) -> None:
        counts: collections.Counter[str] = collections.Counter()
        for path in fixture_root().rglob("*.json"):
            counts.update(GREEK_WORD.findall(path.read_text(encoding="utf-8")))
        self.words = sorted(counts)
        self.weights = [counts[word] for word in self.words]
        self.random = random.Random(seed)

    def words_of(self, count: int) -> list[str]:
        return self.random.choices(self.words, weights=self.weights, k=count)

    def sentence(self) -> str:
        words = self.words_of(self.random.randint(8, 24))
        return " ".join([words[0].capitalize(), *words[1:]]) + "."

    def paragraphs(self) -> list[str]:
        found: list[str] = []
        length, target = 0, self.random.randint(300, 700)
        while length < target:
            paragraph = " ".join(self.sentence() for _ in range(self.random.randint(2, 5)))
            found.append(paragraph)
            length += paragraph.count(" ") + 1
        return found


def substitute(pattern: str, replacement: str, html: str) -> str:
    """`html` with the one match of `pattern` replaced (the template must have it)."""
    result, count = re.subn(pattern, lambda _: replacement, html, count=1, flags=re.DOTALL)
    if count != 1:
        raise ValueError(f"the template page has no {pattern!r}")
    return result


def article_page(template: str, url: str, headline: str, paragraphs: list[str]) -> str:
    """The template page with another URL, headline and text."""
    text = "".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs)
    html = substitute(r"<title>.*?</title>", f"<title>{headline} - Thessalia TV</title>", template)
    html = substitute(r'(?<=og:title" content=")[^"]*', headline, html)
    html = substitute(r'(?<=og:description" content=")[^"]*', paragraphs[0][:150], html)
    html = substitute(r'(?<=og:url" content=")[^"]*', url, html)
    html = substitute(r'(?<=<h1 class="news-title">).*?(?=</h1>)', headline, html)
    return substitute(r'(?<=<div class="news-text">\n).*?(?=\n</div>)', text, html)


def article_url(number: int) -> str:
    return f"{BASE}/news/{FIRST_ID + number}/bench-{number}/"


def build_site(root: Path, count: int) -> None:
    """A thessaliatv fixture site with `count` distinct articles, all in its feed; the listings
    newsarchive reads are empty pages."""
    source = fixture_root() / SITE
    target = root / SITE
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("articles"))
    (target / "articles").mkdir()
    template = (source / "articles" / TEMPLATE).read_text(encoding="utf-8")
    text = Text()
    items = []
    for number in range(count):
        url = article_url(number)
        headline = " ".join(text.words_of(text.random.randint(6, 12))).capitalize()
        page = article_page(template, url, f"{headline} {number}", text.paragraphs())
        (target / "articles" / f"bench-{number}.html").write_text(page, encoding="utf-8")
        spec = {"url": url, "fetched_at": "2026-02-09T09:00:00+00:00", "expected": {}}
        (target / "articles" / f"bench-{number}.json").write_text(json.dumps(spec))
        items.append(f"<item><link>{url}</link></item>")
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel>{"".join(items)}</channel></rss>'
    (target / "rss.xml").write_text(feed, encoding="utf-8")
    (target / "empty.html").write_text(
        "<html><body><h1>Ειδήσεις</h1></body></html>", encoding="utf-8"
    )
    spec = json.loads((target / "site.json").read_text(encoding="utf-8"))
    spec["pages"] = {
        "/rss.xml": "rss.xml",
        "/robots.txt": "robots.txt",
        "/": "empty.html",
        "/news/": "empty.html",
    }
    (target / "site.json").write_text(json.dumps(spec), encoding="utf-8")


def write_spiders(folder: Path) -> Path:
    """The plain contenders' spider files (named so that none shadows a module it imports)."""
    folder.mkdir()
    for name, source in SPIDERS.items():
        (folder / f"{name}_spider.py").write_text(source.format(base=BASE), encoding="utf-8")
    return folder

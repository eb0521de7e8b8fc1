"""Crawl speed and memory: `newsarchive crawl` against a plain Scrapy run over the same pages.

Builds a synthetic copy of the thessaliatv fixture site with many articles (the four fixture
pages under new ids, all listed in the feed), serves it on 127.0.0.1, then runs in the same
session:
- plain Scrapy: a bare spider that reads the feed and downloads every article, parsing nothing;
- newsarchive: the real crawl (discovery, extraction, validation, SQLite archive).
Both fetch through the same local mirror with the same politeness-free settings. Prints pages
per second and peak memory of each, and the ratios.

    .venv/bin/python bench/crawl.py [--articles 400]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsarchive.fixture_server import fixture_root, serve

BASE = "https://www.thessaliatv.gr"
PLAIN_SPIDER = """
import scrapy

class Plain(scrapy.Spider):
    name = "plain"
    start_urls = ["{base}/rss.xml"]

    def parse(self, response):
        for link in response.xpath("//item/link/text()").getall():
            yield scrapy.Request(link.strip(), callback=self.parse_article)

    def parse_article(self, response):
        pass
"""
SETTINGS = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING"]


def build_site(root: Path, count: int) -> None:
    """A thessaliatv fixture site with `count` articles, all in its feed."""
    source = fixture_root() / "thessaliatv"
    target = root / "thessaliatv"
    shutil.copytree(source, target)
    pages = sorted((target / "articles").glob("*.html"))
    for old in (target / "articles").glob("*.json"):
        old.unlink()
    items = []
    for number in range(count):
        page = pages[number % len(pages)]
        url = f"{BASE}/news/{500000 + number}/bench-{number}/"
        html = page.read_text(encoding="utf-8").replace("</h1>", f" {number}</h1>", 1)
        (target / "articles" / f"bench-{number}.html").write_text(html, encoding="utf-8")
        spec = {"url": url, "fetched_at": "2026-02-09T09:00:00+00:00", "expected": {}}
        (target / "articles" / f"bench-{number}.json").write_text(json.dumps(spec))
        items.append(f"<item><link>{url}</link></item>")
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel>{"".join(items)}</channel></rss>'
    (target / "rss.xml").write_text(feed, encoding="utf-8")
    spec = json.loads((target / "site.json").read_text(encoding="utf-8"))
    (target / "empty.html").write_text(
        "<html><body><h1>Ειδήσεις</h1></body></html>", encoding="utf-8"
    )
    spec["pages"] = {
        "/rss.xml": "rss.xml",
        "/robots.txt": "robots.txt",
        "/": "empty.html",
        "/news/": "empty.html",
    }
    (target / "site.json").write_text(json.dumps(spec), encoding="utf-8")


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of one child process."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        if status != 0:
            errors.seek(0)
            sys.exit(f"failed: {' '.join(command)}\n{errors.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        build_site(root, args.articles)
        spider_file = root / "plain.py"
        spider_file.write_text(PLAIN_SPIDER.format(base=BASE), encoding="utf-8")
        with serve(root) as server:
            mirror = [
                "-s",
                f"NEWSARCHIVE_MIRROR={server.url}",
                "-s",
                'DOWNLOAD_HANDLERS={"https": "newsarchive.mirror.MirrorDownloadHandler"}',
            ]
            plain = measure(
                [sys.executable, "-m", "scrapy", "runspider", str(spider_file), *SETTINGS, *mirror],
                cwd=root,
            )  # no scrapy.cfg: Scrapy's defaults
            ours = measure(
                [
                    sys.executable,
                    "-m",
                    "newsarchive",
                    "crawl",
                    "thessaliatv",
                    "--db",
                    str(root / "bench.db"),
                    "--mirror",
                    server.url,
                ],
                cwd=root,
            )
    pages = args.articles + 4  # articles, the feed, robots.txt; newsarchive also reads 2 listings
    print(f"{pages} pages from a local server ({args.articles} articles)")
    print(f"{'run':<14}{'seconds':>9}{'pages/s':>10}{'peak MiB':>10}")
    for name, (seconds, memory) in (("plain Scrapy", plain), ("newsarchive", ours)):
        print(f"{name:<14}{seconds:>9.2f}{pages / seconds:>10.1f}{memory:>10.1f}")
    time_ratio, memory_ratio = ours[0] / plain[0], ours[1] / plain[1]
    print(f"newsarchive / plain Scrapy: time ×{time_ratio:.2f}, memory ×{memory_ratio:.2f}")


if __name__ == "__main__":
    main()

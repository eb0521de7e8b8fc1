"""One `newsarchive crawl --all` of every fixture site, served on 127.0.0.1: every site's line."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import pytest

from newsarchive import sites
from newsarchive.fixture_server import serve
from tests.corpus import site_pages


def expected_counts() -> tuple[Counter[str], Counter[str]]:
    """Per site: the articles its fixture serves, and the teasers (dropped by a crawl)."""
    articles: Counter[str] = Counter()
    teasers: Counter[str] = Counter()
    for found in site_pages():
        if found.page.kind == "article":
            articles[found.family] += 1
        elif found.page.kind == "teaser":
            teasers[found.family] += 1
    return articles, teasers


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("all")
    db = str(folder / "all.db")
    with serve() as server:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "newsarchive",
                "crawl",
                "--all",
                "--mirror",
                server.url,
                "--db",
                db,
            ],
            capture_output=True,
            text=True,
            timeout=600,
            encoding="utf-8",
            cwd=folder,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.parametrize("site", [site.name for site in sites.all()])
def test_every_site_has_its_line_with_each_article_new(summary: str, site: str) -> None:
    articles, teasers = expected_counts()
    line = next((line for line in summary.splitlines() if line.startswith(f"[ok] {site}: ")), None)
    assert line is not None, summary
    assert f" {articles[site]} new, 0 updated" in line
    assert line.endswith(" 0 errors")
    details = summary.split(line, 1)[1].split("\n[", 1)[0]
    if teasers[site]:
        assert re.search(rf"dropped: .*teaser {teasers[site]}\b", details), details
    assert "[FAILED]" not in summary


def test_no_site_is_left_out(summary: str) -> None:
    shown = re.findall(r"^\[(?:ok|FAILED)\] (\w+):", summary, flags=re.M)
    assert sorted(shown) == sorted(site.name for site in sites.all())

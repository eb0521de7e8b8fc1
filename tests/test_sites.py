"""`newsarchive sites`: every declared source, and the README's table of sources made from them.

The README's table sits between SOURCES_START and SOURCES_END; it is `newsarchive sites
--markdown`, and this test fails when the two drift apart. Regenerate it with

    .venv/bin/python -m tests.test_sites --write
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from newsarchive import sites
from newsarchive.cli import sources_table
from newsarchive.query import SITE_FIELDS, is_verified, site_record
from newsarchive.sites import Site

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
SOURCES_START = "<!-- sources-table: made by `newsarchive sites --markdown` -->\n"
SOURCES_END = "<!-- /sources-table -->\n"


def readme_table(text: str) -> str:
    """The README's table of sources, between its markers."""
    start = text.index(SOURCES_START) + len(SOURCES_START)
    return text[start : text.index(SOURCES_END, start)]


def with_table(text: str, table: str) -> str:
    """The README with its table of sources replaced."""
    start = text.index(SOURCES_START) + len(SOURCES_START)
    return text[:start] + table + text[text.index(SOURCES_END, start) :]


def newsarchive(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        cwd=REPO,
    )


def test_the_readme_table_of_sources_is_made_from_the_declarations() -> None:
    table = sources_table(sites.all())
    assert readme_table(README.read_text(encoding="utf-8")) == table, (
        "README.md's table of sources differs from the declarations: regenerate it with "
        ".venv/bin/python -m tests.test_sites --write"
    )
    assert newsarchive("sites", "--markdown").stdout == table


def test_the_table_has_a_row_per_site_saying_what_is_assumed() -> None:
    rows = sources_table(sites.all()).splitlines()[2:]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == [
        f"`{site.name}`" for site in sites.all()
    ]
    tv = next(row for row in rows if row.startswith("| `thessaliatv` |"))
    # Thessalia TV: its feed URL is assumed (SITES.md saw an RSS icon), its listings were seen.
    assert "| Larissa | Larissa | RSS `/rss.xml` (assumed); listing `/`, `/news/` |" in tv
    assert tv.endswith("| page selectors |")
    gov = next(row for row in rows if row.startswith("| `thessaly_gov` |"))
    assert "| region-wide | sitemap `/sitemap.xml` (assumed) |" in gov


def test_every_site_is_listed_with_its_region_town_discovery_and_unverified_facts() -> None:
    done = newsarchive("sites", "--format", "json")
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert [row["name"] for row in listed] == [site.name for site in sites.all()]
    for row, site in zip(listed, sites.all(), strict=True):
        assert list(row) == list(SITE_FIELDS)
        assert row == site_record(site)
        assert row["region"] and row["town"] and row["discovery"], row["name"]
        assert row["unverified"] == list(site.unverified)
    tv = next(row for row in listed if row["name"] == "thessaliatv")
    assert tv["discovery"] == ["feed", "listing"]
    assert tv["feeds"] == ["https://www.thessaliatv.gr/rss.xml"]


def test_the_table_format_shows_discovery_and_what_is_unverified() -> None:
    done = newsarchive("sites")
    lines = done.stdout.splitlines()
    assert lines[0].split() == [
        "site",
        "outlet",
        "town",
        "region",
        "url",
        "discovery",
        "unverified",
    ]
    tv = next(line for line in lines if line.startswith("thessaliatv "))
    assert "feed, listing" in tv and "feeds, page selectors" in tv


def test_a_fact_is_verified_unless_listed_with_or_without_a_note() -> None:
    site = Site(
        name="example",
        outlet="Example",
        town="Volos",
        region="magnisia",
        base_url="https://example.gr",
        article_url=r"^/\d+/",
        feeds=("/feed/",),
        listings=("/",),
        unverified=("article_url (root slugs)", "feeds"),
    )
    assert not is_verified(site, "article_url") and not is_verified(site, "feeds")
    assert is_verified(site, "listings") and is_verified(site, "town")
    (row,) = sources_table([site]).splitlines()[2:]
    assert row == (
        "| `example` | Example, https://example.gr | Volos | Magnesia | "
        "RSS `/feed/` (assumed); listing `/` | article_url (root slugs) |"
    )


def main() -> None:
    """`python -m tests.test_sites --write`: the README's table made again from the sites."""
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.test_sites --write")
    text = README.read_text(encoding="utf-8")
    README.write_text(with_table(text, sources_table(sites.all())), encoding="utf-8")
    print(f"{README}: table of {len(sites.all())} sources written")


if __name__ == "__main__":
    main()

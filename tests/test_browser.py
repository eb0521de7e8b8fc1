"""The web UI in a real browser: `newsarchive serve` started on 127.0.0.1 over a fixture archive
(tests/test_web.py's), driven by headless Chromium (Debian's, through Playwright): a query typed
in capitals without accents gives highlighted results, an article shows its story's other
copies, and the trends page draws its chart.

Skipped only where /usr/bin/chromium is missing and CI is unset (`.ci/chromium` installs it in
CI, where a missing browser fails)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsarchive.text import fold
from tests.test_similarity import TEXTS
from tests.test_web import HOSTILE, STORY_COPIES, build_web_archive, serving

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/chromium installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int]]]:
    """The base URL of `newsarchive serve` over the fixture archive, and its article ids."""
    folder = tmp_path_factory.mktemp("served")
    db = folder / "archive.db"
    ids = build_web_archive(f"sqlite:///{db}", folder / "warc")
    with serving(db, "--warc-dir", str(folder / "warc")) as (base, _):
        yield base, ids


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="el-GR")
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


def test_a_query_in_capitals_without_accents_is_highlighted(
    page: Any, site: tuple[str, dict[str, int]]
) -> None:
    base, _ = site
    page.goto(base + "/")
    page.fill("input[name=q]", "ΛΑΡΙΣΑ")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("ol.hits li.hit")
    marks = page.locator("ol.hits mark").all_inner_texts()
    assert marks and {fold(mark)[:5] for mark in marks} == {"λαρισ"}, marks
    headlines = page.locator("ol.hits h2").all_inner_texts()
    assert HOSTILE in headlines  # shown as text, not run
    assert page.dialogs == []
    assert page.locator("ol.hits img, ol.hits script").count() == 0
    assert page.input_value("input[name=q]") == "ΛΑΡΙΣΑ"
    copy = TEXTS["release_thessaliatv"].article.headline
    assert copy in headlines


def test_an_article_shows_its_story_and_its_other_copies(
    page: Any, site: tuple[str, dict[str, int]]
) -> None:
    base, ids = site
    page.goto(base + "/?q=" + "ΛΑΡΙΣΑ")
    page.click(f'ol.hits a[href="/articles/{ids["release_thessaliatv"]}"]')
    page.wait_for_selector("section.story")
    assert page.inner_text("h1") == TEXTS["release_thessaliatv"].article.headline
    copies = page.locator("section.story li.copy")
    assert copies.count() == STORY_COPIES
    assert "αυτό το άρθρο" in page.inner_text("section.story li.copy.this")
    first = TEXTS["release_region"].article.headline
    assert "πρώτη δημοσίευση" in copies.first.inner_text()
    page.click(f'section.story a[href="/articles/{ids["release_region"]}"]')
    page.wait_for_selector("section.story")
    assert page.inner_text("h1") == first
    assert page.locator("section.story li.copy.this").inner_text().startswith(first)
    page.click("a.raw")  # the stored page, as text
    assert "Λάρισα: η σελίδα όπως ήρθε" in page.inner_text("body")
    assert page.dialogs == []


def test_the_trends_page_draws_a_line_per_site(page: Any, site: tuple[str, dict[str, int]]) -> None:
    base, _ = site
    page.goto(base + "/")
    page.click("header nav >> text=Τάσεις")
    page.select_option("select[name=by]", "site")
    page.click("form button")
    chart = page.locator("figure.chart img")
    chart.wait_for()
    assert chart.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    svg = chart.evaluate(
        """async img => {
            const text = await (await fetch(img.src)).text();
            const svg = new DOMParser().parseFromString(text, "image/svg+xml");
            return {
                series: svg.querySelectorAll('g[id^="series-"]').length,
                labels: [...svg.querySelectorAll("text")].map(t => t.textContent),
            };
        }"""
    )
    sites = {text.article.site for text in TEXTS.values()}
    assert svg["series"] == len(sites)
    assert sites <= set(svg["labels"])
    assert "Άρθρα ανά εβδομάδα και ιστότοπο" in svg["labels"]
    headings = page.locator("table.counts thead th").all_inner_texts()
    assert "LarissaNet" in headings and len(headings) == len(sites) + 1

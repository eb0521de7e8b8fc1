"""`newsarchive check` against the fixture sites served by `newsarchive demo --serve`, and the
rule attribution (site selector, family, generic) it prints."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsarchive import sites
from newsarchive.crawl.check import SampleCheck, rule_source, stale_selectors
from newsarchive.pages.families import JNewsPage

REPO = Path(__file__).resolve().parent.parent


def newsarchive(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        cwd=REPO,
    )


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`newsarchive demo --serve` running: its base URL, and the process."""
    process = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "demo", "--serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=REPO,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("Serving the fixture sites on http://127.0.0.1:"), first
    base = first.split(" on ", 1)[1].split()[0]
    yield base, process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_demo_serve_serves_the_fixture_sites_until_interrupted(
    served: tuple[str, subprocess.Popen[str]],
) -> None:
    base, _ = served
    with urllib.request.urlopen(f"{base}/www.thessaliatv.gr/rss.xml", timeout=10) as response:
        assert response.status == 200 and b"<rss" in response.read()


def test_check_reports_every_fixture_site_healthy(
    served: tuple[str, subprocess.Popen[str]],
) -> None:
    base, _ = served
    done = newsarchive("check", "--all", "--mirror", base, "--format", "json")
    results = json.loads(done.stdout)
    assert [result["site"] for result in results] == [site.name for site in sites.all()]
    unhealthy = {r["site"]: r["problems"] for r in results if not r["healthy"]}
    assert unhealthy == {}
    assert done.returncode == 0, done.stderr
    for result in results:
        assert result["endpoints"] and all(e["status"] == 200 for e in result["endpoints"])
        # Up to --sample (3) articles: fewer when the site's fixture links fewer.
        assert 1 <= len(result["sample"]) <= 3 and all(s["ok"] for s in result["sample"])
    tv = next(result for result in results if result["site"] == "thessaliatv")
    assert tv["fields"]["body"] == {"site selector": 3}
    net = next(result for result in results if result["site"] == "larissanet")
    assert net["fields"]["body"] == {"family selector (JNewsPage)": 3}


def test_check_table_names_the_site_its_endpoints_and_rules(
    served: tuple[str, subprocess.Popen[str]],
) -> None:
    base, _ = served
    done = newsarchive("check", "thessaliatv", "--mirror", base, "--sample", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "thessaliatv (Thessalia TV, Larissa): healthy"
    assert lines[1].split()[:4] == ["feed", "200", "ok", "https://www.thessaliatv.gr/rss.xml"]
    assert "  sample: 2 of 2 articles read" in lines
    assert any(line.split() == ["body", "site", "selector", "2"] for line in lines)


def test_an_unreachable_site_is_unhealthy_with_exit_status_1() -> None:
    done = newsarchive("check", "thessaly_gov", "--mirror", "http://127.0.0.1:9")
    assert done.returncode == 1
    assert "thessaly_gov (Περιφέρεια Θεσσαλίας, Larissa): UNHEALTHY" in done.stdout
    assert "  problem: no endpoint led to an article" in done.stdout
    assert "Traceback" not in done.stderr


def test_interrupting_demo_serve_ends_it_cleanly(
    served: tuple[str, subprocess.Popen[str]],
) -> None:
    _, process = served
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Stopped serving the fixture sites." in out and "Traceback" not in err


def test_rules_are_told_apart_by_where_the_page_class_declares_them() -> None:
    tv = sites.get("thessaliatv").page_class()
    net = sites.get("larissanet").page_class()
    assert rule_source(tv, "body", "selector") == "site selector"
    assert rule_source(net, "body", "selector") == "family selector (JNewsPage)"
    assert rule_source(JNewsPage, "headline", "jsonld") == "generic: jsonld"
    assert rule_source(net, "published_at", "none: date line without a year") == "empty"


def sample(**rules: str) -> list[SampleCheck]:
    """One sampled thessaliatv article whose fields came from its site selectors but these."""
    every = dict.fromkeys(("headline", "lead", "body", "published_at", "section"), "site selector")
    return [SampleCheck(url="u", ok=True, rules={**every, **rules})]


def test_a_site_selector_is_stale_only_when_a_later_rule_had_to_answer() -> None:
    site = sites.get("thessaliatv")
    assert stale_selectors(site, sample()) == []
    assert stale_selectors(site, sample(headline="generic: meta")) == []  # before the selector
    (warning,) = stale_selectors(site, sample(body="generic: fallback"))
    assert warning.startswith("thessaliatv's body_css '.news-text' gave body on none of the 1")
    assert warning.endswith("check newsarchive/sites/thessaliatv.py")

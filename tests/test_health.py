"""Health, not silence: each signal of a broken site, through real crawls of throwaway sites.

The sites are small folders written in the test's tmp folder and served by
`newsarchive.fixture_server` under thessaliatv's hosts (the fixture server serves any folder
named after a declared site): a feed, two listings and article pages in the site's markup
(`h1.news-title`, `.news-date`, `.news-text`, as `newsarchive/sites/thessaliatv.py` declares
it), with Greek text written for these tests. Each crawl is `newsarchive crawl` in a fresh
process, as an operator runs it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsarchive.archive import Archive
from newsarchive.archive.models import CrawlRunRow
from newsarchive.crawl import health
from newsarchive.fixture_server import serve
from newsarchive.progress import SiteReport

REPO = Path(__file__).resolve().parent.parent
TV = "https://www.thessaliatv.gr"
CLOSED_PORT = "http://127.0.0.1:9"

TOPICS = (
    ("Νέα γέφυρα στον Πηνειό", "Η κατασκευή της νέας γέφυρας στον Πηνειό ξεκινά την άνοιξη"),
    ("Έργα ύδρευσης στην Αγιά", "Ο δήμος Αγιάς ανακοίνωσε την αντικατάσταση του δικτύου ύδρευσης"),
    ("Φεστιβάλ βιβλίου στη Λάρισα", "Το φεστιβάλ βιβλίου επιστρέφει στην κεντρική πλατεία"),
    ("Κυκλοφοριακές ρυθμίσεις στο κέντρο", "Αλλαγές στην κυκλοφορία των οχημάτων από Δευτέρα"),
    ("Νέο ιατρείο στο Κέντρο Υγείας", "Λειτουργεί από σήμερα το νέο παιδιατρικό ιατρείο"),
    ("Αγώνας δρόμου για καλό σκοπό", "Εκατοντάδες δρομείς αναμένονται στον φιλανθρωπικό αγώνα"),
    ("Σεμινάριο για αγρότες", "Το Επιμελητήριο οργανώνει σεμινάριο για τις νέες καλλιέργειες"),
    ("Ανακαίνιση σχολικών κτιρίων", "Χρηματοδότηση για την ανακαίνιση δώδεκα σχολικών μονάδων"),
    ("Έκθεση φωτογραφίας στο Μύλο", "Εγκαίνια έκθεσης φωτογραφίας για την παλιά Λάρισα"),
    ("Συναυλία της Φιλαρμονικής", "Η Δημοτική Φιλαρμονική δίνει συναυλία την Κυριακή"),
)
"""Headline and first sentence of each test article (written for these tests)."""


def article_page(n: int, *, dated: bool) -> bytes:
    """An article of thessaliatv's markup; `dated=False`: its date line is gone (as when a
    template change leaves the site's date selector matching nothing)."""
    title, first = TOPICS[n % len(TOPICS)]
    date = '<div class="news-date">10.02.2026 | 18:30</div>' if dated else ""
    paragraphs = "".join(
        f"<p>{sentence}.</p>"
        for sentence in (
            f"{first}, όπως έγινε γνωστό σε ενημέρωση των δημοσιογράφων (αρ. {n})",
            "Σύμφωνα με τους αρμόδιους, το χρονοδιάγραμμα προβλέπει την ολοκλήρωση των "
            "εργασιών μέσα στους επόμενους μήνες, χωρίς σημαντική όχληση για τους κατοίκους",
            "Οι πολίτες μπορούν να ενημερώνονται για την πορεία του προγράμματος από την "
            "ιστοσελίδα του δήμου και από τα γραφεία εξυπηρέτησης της περιοχής τους",
            "Στη συνάντηση συμμετείχαν εκπρόσωποι φορέων, συλλόγων και επαγγελματιών, οι "
            "οποίοι κατέθεσαν τις προτάσεις τους για τα επόμενα βήματα",
        )
    )
    return (
        '<!DOCTYPE html><html lang="el"><head><meta charset="utf-8">'
        f"<title>{title} - Thessalia TV</title></head><body>"
        '<div class="news-category">ΕΙΔΗΣΕΙΣ, ΝΕΑ ΓΙΑ ΛΑΡΙΣΑ</div>'
        f'<h1 class="news-title">{title}</h1>{date}'
        f'<div class="news-text">{paragraphs}</div>'
        "<footer>Facebook Twitter Youtube RSS Feed</footer></body></html>"
    ).encode()


CHALLENGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b"<noscript>Enable JavaScript and cookies to continue</noscript>"
    b"<script>window._cf_chl_opt={cType:'managed'};</script></body></html>"
)
"""Cloudflare's interstitial, served with 200 as an article would be."""


def listing(ids: list[int]) -> bytes:
    links = "".join(f'<li><a href="/news/{n}/">Άρθρο {n}</a></li>' for n in ids)
    return f'<html><body><ul class="news-list">{links}</ul></body></html>'.encode()


def rss(ids: list[int]) -> bytes:
    items = "".join(f"<item><title>{n}</title><link>{TV}/news/{n}/</link></item>" for n in ids)
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def thessaliatv_site(
    root: Path,
    pages: dict[int, bytes],
    *,
    listed: list[int] | None = None,
    feed: bytes | None = None,
) -> Path:
    """Writes a throwaway thessaliatv under `root`: `pages` at `/news/<n>/`, `listed` (default:
    all) in its feed and listings, or `feed` served at `/rss.xml` as it is (HTML for `.html`)."""
    folder = root / "thessaliatv"
    (folder / "articles").mkdir(parents=True)
    ids = sorted(pages) if listed is None else listed
    feed_file = "rss.xml" if feed is None or feed.lstrip().startswith(b"<?xml") else "rss.html"
    (folder / feed_file).write_bytes(rss(ids) if feed is None else feed)
    (folder / "home.html").write_bytes(listing(ids))
    spec = {
        "about": "throwaway thessaliatv for tests/test_health.py (markup of sites/thessaliatv)",
        "pages": {"/rss.xml": feed_file, "/": "home.html", "/news/": "home.html"},
    }
    (folder / "site.json").write_text(json.dumps(spec), encoding="utf-8")
    for n, body in pages.items():
        (folder / "articles" / f"{n}.html").write_bytes(body)
        (folder / "articles" / f"{n}.json").write_text(json.dumps({"url": f"{TV}/news/{n}/"}))
    return root


def crawl(root: Path | None, db: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`newsarchive crawl thessaliatv` of the site under `root` (None: a closed port)."""
    command = [sys.executable, "-m", "newsarchive", "crawl", "thessaliatv", "--db", db, *args]
    if root is None:
        return run([*command, "--mirror", CLOSED_PORT])
    with serve(root) as server:
        return run([*command, "--mirror", server.url])


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", timeout=240, cwd=REPO
    )


def site_lines(summary: str) -> list[str]:
    """The summary's lines about the site (its line and those under it)."""
    return [line for line in summary.splitlines()[1:] if line.strip()]


def run_statuses(db: str) -> list[int | None]:
    with Archive(db) as archive:
        rows = archive.session.query(CrawlRunRow).order_by(CrawlRunRow.id)
        return [row.exit_status for row in rows]


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'archive.db'}"


# --- through real crawls --------------------------------------------------------------------


def test_a_healthy_site_has_no_signal_and_a_second_run_finds_its_articles_known(
    tmp_path: Path, db: str
) -> None:
    root = thessaliatv_site(tmp_path / "site", {n: article_page(n, dated=True) for n in range(5)})
    first = crawl(root, db)
    second = crawl(root, db)
    for done in (first, second):
        assert done.returncode == 0, done.stdout + done.stderr
        assert "FAILED" not in done.stdout and "warning" not in done.stdout
    assert " 5 new," in first.stdout and " 5 known (not fetched)" in second.stdout
    assert run_statuses(db) == [0, 0]


def test_a_challenge_page_served_with_200_fails_the_site(tmp_path: Path, db: str) -> None:
    pages = {1: article_page(1, dated=True), 2: CHALLENGE, 3: CHALLENGE}
    done = crawl(thessaliatv_site(tmp_path / "site", pages), db)
    assert done.returncode == 1
    assert done.stdout.count("[FAILED] thessaliatv:") == 1
    assert ", 2 blocked" in done.stdout and "  blocked: Cloudflare challenge 2" in done.stdout
    assert f"thessaliatv: blocked at {TV}/news/2/ (Cloudflare challenge, HTTP 200)" in done.stderr
    assert run_statuses(db) == [1]


def test_a_feed_that_is_html_is_said_and_the_listings_still_find_the_articles(
    tmp_path: Path, db: str
) -> None:
    html = b"<!DOCTYPE html><html><head><title>Thessalia TV</title></head><body>404</body></html>"
    pages = {n: article_page(n, dated=True) for n in range(3)}
    done = crawl(thessaliatv_site(tmp_path / "site", pages, feed=html), db)
    assert " 3 new," in done.stdout, done.stdout + done.stderr
    assert "  warning: endpoints: feed /rss.xml answered HTML; used listing\n" in done.stdout
    assert done.returncode == 0  # the listings found every article: a warning, not a failure


def test_no_articles_after_a_run_that_found_some_fails_the_site(tmp_path: Path, db: str) -> None:
    pages = {n: article_page(n, dated=True) for n in range(5)}
    first = crawl(thessaliatv_site(tmp_path / "before", pages), db)
    assert first.returncode == 0, first.stdout + first.stderr
    # The site moved its articles: the feed and listings still answer, and lead nowhere.
    emptied = crawl(thessaliatv_site(tmp_path / "after", pages, listed=[]), db)
    assert emptied.returncode == 1, emptied.stdout
    lines = site_lines(emptied.stdout)
    assert lines[0].startswith("[FAILED] thessaliatv: ")
    assert " 0 new, " in lines[0] and ", 0 errors" in lines[0]
    assert lines[-1].startswith("  FAILED: no article found, where run 1 (")
    assert lines[-1].endswith(
        "UTC) found 5: its feeds, sitemaps or listings stopped leading to articles"
    )
    assert run_statuses(db) == [0, 1]
    again = crawl(thessaliatv_site(tmp_path / "still", pages, listed=[]), db)
    assert again.returncode == 1 and "where run 1 (" in again.stdout  # reported until it finds


def test_a_first_run_without_articles_is_a_warning(tmp_path: Path, db: str) -> None:
    done = crawl(thessaliatv_site(tmp_path / "site", {}, listed=[]), db)
    assert done.returncode == 0, done.stdout
    assert (
        "  warning: no article found (no feed item, sitemap entry or listing link led to one)"
        in (done.stdout)
    )


def test_a_field_whose_coverage_fell_fails_the_site(tmp_path: Path, db: str) -> None:
    dated = {n: article_page(n, dated=True) for n in range(1, 7)}
    first = crawl(thessaliatv_site(tmp_path / "before", dated), db)
    assert first.returncode == 0 and " 6 new," in first.stdout, first.stdout + first.stderr
    undated = {n: article_page(n, dated=False) for n in range(11, 16)}
    done = crawl(thessaliatv_site(tmp_path / "after", undated), db)
    assert done.returncode == 1, done.stdout
    assert " 5 new," in done.stdout and "[FAILED] thessaliatv:" in done.stdout
    failures = [line for line in site_lines(done.stdout) if line.startswith("  FAILED")]
    assert len(failures) == 1
    assert failures[0].startswith(
        "  FAILED: published_at found on 0% of 5 records, against 100% of 6 in run 1 ("
    )
    assert failures[0].endswith(
        "UTC): the site's rules for it stopped matching (see newsarchive check thessaliatv)"
    )
    assert run_statuses(db) == [0, 1]


def test_an_unreachable_site_is_one_summary_line_and_one_warning_per_url(db: str) -> None:
    done = crawl(None, db)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    summary = site_lines(done.stdout)
    assert summary[0].startswith("[FAILED] thessaliatv: 0 pages, 0 new")
    assert [line for line in summary if line.startswith("[")] == [summary[0]]
    assert all(line.startswith("  ") for line in summary[1:])
    warnings = done.stderr.splitlines()
    urls = [f"{TV}/robots.txt", f"{TV}/rss.xml", f"{TV}/", f"{TV}/news/"]
    for url in urls:
        assert len([line for line in warnings if f"could not fetch {url} (" in line]) == 1, url
    assert all(line.startswith("thessaliatv: could not fetch ") for line in warnings)
    assert len(warnings) == len(urls)


# --- the rules, as pure functions -------------------------------------------------------------


def report(**stats: object) -> SiteReport:
    base: dict[str, object] = {"downloader/response_count": 10, "finish_reason": "finished"}
    return SiteReport.from_stats("larissanet", {**base, **stats})


def past(run_id: int, extracted: int, known: int = 0, **coverage: float) -> health.PastRun:
    return health.PastRun(
        run_id=run_id,
        finished_at=datetime(2026, 2, 10, 8, 0, tzinfo=UTC),
        counts={"extracted": extracted, "known": known},
        coverage=coverage,
    )


def extracted(count: int, **empty: int) -> dict[str, object]:
    return {
        "newsarchive/articles/extracted": count,
        **{f"newsarchive/empty/{name}": value for name, value in empty.items()},
    }


@pytest.mark.parametrize(
    ("before", "records_before", "now_empty", "records_now", "signalled"),
    [
        (0.95, 20, 18, 20, True),  # 95% → 10%: the example of the issue
        (0.5, 10, 8, 10, True),  # 50% → 20%: exactly the floor and exactly the drop
        (0.9, 10, 6, 10, True),  # 90% → 40%
        (0.9, 10, 3, 10, False),  # 90% → 70%: a fall of 20 points
        (0.49, 10, 10, 10, False),  # under the floor: a field most of the site's pages lack
        (0.95, 4, 5, 5, False),  # too few records in the earlier run
        (0.95, 20, 4, 4, False),  # too few records now
    ],
)
def test_coverage_falls_are_signalled_by_the_documented_rule(
    before: float, records_before: int, now_empty: int, records_now: int, signalled: bool
) -> None:
    now = report(**extracted(records_now, published_at=now_empty))
    found = health.coverage_signals(now, [past(3, records_before, published_at=before)])
    assert bool(found) is signalled
    assert all(signal.failed and "published_at" in signal.message for signal in found)


def test_the_baseline_is_the_latest_run_with_enough_records() -> None:
    now = report(**extracted(10, body=9))
    runs = [past(9, 2, body=0.0), past(8, 10, body=1.0), past(7, 10, body=0.0)]
    (signal,) = health.coverage_signals(now, runs)
    assert "against 100% of 10 in run 8 (2026-02-10 08:00 UTC)" in signal.message


def test_no_articles_compares_with_the_latest_run_that_found_some() -> None:
    empty = report()
    assert health.zero_articles_signal(empty, []) == health.Signal(
        "warning", "no article found (no feed item, sitemap entry or listing link led to one)"
    )
    signal = health.zero_articles_signal(empty, [past(5, 0), past(4, 0, known=7)])
    assert signal is not None and signal.failed and "where run 4 (" in signal.message
    assert "found 7:" in signal.message
    assert (
        health.zero_articles_signal(report(**{"newsarchive/skipped_known": 3}), [past(4, 9)])
        is None
    )
    broken = report(**{"newsarchive/errors/HTTP 500": 3})
    assert health.zero_articles_signal(broken, [past(4, 9)]) is None  # its errors say it


def test_endpoint_failures_are_read_from_the_spiders_stats_and_said_in_one_line() -> None:
    found = report(
        **{
            "newsarchive/endpoint_failed/feed": 1,
            "newsarchive/endpoint_failed/sitemap": 1,
            "newsarchive/endpoint_note/sitemap /sitemap.xml: answered HTTP 404": 1,
            "newsarchive/endpoint_note/feed /feed/: answered HTML": 1,
            "newsarchive/endpoint_used/listing": 3,
            "newsarchive/endpoint_used/rest": 0,
        }
    )
    assert found.endpoints_failed == {"feed": 1, "sitemap": 1}
    assert [signal.line() for signal in health.endpoint_signals(found)] == [
        "  warning: endpoints: feed /feed/ answered HTML, sitemap /sitemap.xml answered HTTP "
        "404; used listing"
    ]
    assert not health.unhealthy(found, health.endpoint_signals(found))
    counted_only = report(**{"newsarchive/endpoint_failed/rest": 2})
    assert [signal.message for signal in health.endpoint_signals(counted_only)] == [
        "endpoints: 2 rest endpoint(s) answered without a rest; no other endpoint answered"
    ]
    assert health.endpoint_signals(report(**{"newsarchive/endpoint_used/feed": 1})) == []


def test_past_runs_leave_out_the_run_reported_later_ones_and_other_sites(db: str) -> None:
    from newsarchive.archive.runs import finish_run, start_run

    with Archive(db) as archive:
        ids = []
        for sites, counts in (
            (["larissanet"], {"larissanet": {"extracted": 4}}),
            (["thessaliatv"], {"thessaliatv": {"extracted": 9}}),
            (["larissanet"], {"larissanet": {"extracted": 6}}),
            (["larissanet"], {"larissanet": {"extracted": 8}}),
        ):
            run_id = start_run(archive.session, "crawl", sites)
            finish_run(archive.session, run_id, counts=counts, coverage={}, exit_status=0)
            ids.append(run_id)
        start_run(archive.session, "crawl", ["larissanet"])  # unfinished: killed
        runs = health.past_runs(archive.session, "larissanet", before=ids[3])
    assert [(run.run_id, run.records) for run in runs] == [(ids[2], 6), (ids[0], 4)]

"""Extraction in worker processes: the same outcomes as in the crawl's own process, the store
path's terms handed over, workers that outlive neither their crawl nor a SIGTERM's pages."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import OrderedDict
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsarchive import extraction_workers
from newsarchive.archive import terms
from newsarchive.extract import from_response
from newsarchive.extraction_workers import ExtractionWorkers, extract_page, processes_wanted

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = (
    ROOT / "newsarchive/fixture_sites/thessaliatv/articles/etoimazontai-na-apoxorisoun-apo-ta-tempi"
)
LISTING = ROOT / "tests/fixtures/pages/not-article/category-listing"
FETCHED = datetime(2026, 1, 17, 12, 30, tzinfo=UTC)


def page(stem: Path) -> tuple[bytes, bytes, str, datetime]:
    url = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))["url"]
    return stem.with_suffix(".html").read_bytes(), b"text/html; charset=utf-8", url, FETCHED


CPUS = len(os.sched_getaffinity(0))


@pytest.mark.parametrize(
    ("configured", "wanted"),
    [
        ("auto", min(4, CPUS - 1)),
        (None, min(4, CPUS - 1)),
        ("", min(4, CPUS - 1)),
        (" AUTO ", min(4, CPUS - 1)),
        ("0", 0),
        (3, 3),
        ("12", 12),
    ],
)
def test_the_number_of_workers_wanted(configured: object, wanted: int) -> None:
    assert processes_wanted(configured) == wanted


@pytest.mark.parametrize("configured", ["auto", None, "3"])
def test_auto_leaves_no_core_to_a_caller_that_waits(configured: object) -> None:
    wanted = processes_wanted(configured, busy_caller=False)
    assert wanted == (3 if configured == "3" else min(4, CPUS))


@pytest.mark.parametrize("configured", ["-1", "two", "1.5", "δύο"])
def test_a_number_of_workers_that_is_none_is_refused_with_what_to_give(configured: str) -> None:
    with pytest.raises(ValueError, match=r"must be auto, 0 .* or a number of processes"):
        processes_wanted(configured)


def test_the_environment_variable_overrides_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(extraction_workers.SETTING, "2")
    assert extraction_workers.configured("0") == 2
    monkeypatch.delenv(extraction_workers.SETTING)
    assert extraction_workers.configured("0") == 0


def test_a_record_comes_with_the_terms_the_store_path_computes() -> None:
    extracted = extract_page(*page(ARTICLE), with_terms=True)
    assert extracted.outcome == "record" and extracted.article is not None
    assert (
        extracted.article.to_dict()
        == from_response(*page(ARTICLE)[:3], fetched_at=FETCHED).to_dict()
    )
    assert extracted.terms == terms.computed(extracted.article)
    assert extracted.terms.band_keys and extracted.terms.signature
    assert extract_page(*page(ARTICLE)).terms is None  # in the crawl's process: left to the store


@pytest.mark.parametrize(
    ("body", "content_type", "outcome", "reason"),
    [
        (LISTING.with_suffix(".html").read_bytes(), b"text/html", "refused", "not an article"),
        (b"%PDF-1.4 ...", b"application/pdf", "refused", "not html"),
        (bytes(range(256)) * 40, b"text/html", "undecodable", "undecodable"),
    ],
)
def test_a_page_without_a_record_says_why(
    body: bytes, content_type: bytes, outcome: str, reason: str
) -> None:
    extracted = extract_page(
        body, content_type, "https://karditsanews.gr/category/topika/", FETCHED
    )
    assert (extracted.outcome, extracted.reason, extracted.article) == (outcome, reason, None)
    assert extracted.message


def test_an_extraction_that_raises_is_a_failure_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("Λάθος στον κανόνα")

    monkeypatch.setattr(extraction_workers, "from_response", broken)
    extracted = extract_page(*page(ARTICLE))
    assert extracted.outcome == "failed" and extracted.article is None
    assert "RuntimeError: Λάθος στον κανόνα" in extracted.message
    assert "Traceback" in extracted.message


@pytest.fixture(autouse=True)
def nothing_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no terms handed over (another test's would be taken)."""
    monkeypatch.setattr(terms, "_remembered", OrderedDict())


def test_remembered_terms_are_taken_once_and_only_for_the_same_texts() -> None:
    article = from_response(*page(ARTICLE)[:3], fetched_at=FETCHED)
    handed = terms.Terms("τίτλος", "κείμενο", None, ())
    terms.remember(article, handed)
    article.site = "another"  # the spider names a site known by its URL: the texts stay
    assert terms.terms_of(article) is handed
    assert terms.terms_of(article) == terms.computed(article)  # taken: computed again
    terms.remember(article, handed)
    article.body += " Προστέθηκε μια πρόταση."
    assert terms.terms_of(article) == terms.computed(article)


def test_terms_remembered_for_two_records_of_the_same_texts_serve_both() -> None:
    article = from_response(*page(ARTICLE)[:3], fetched_at=FETCHED)
    handed = terms.Terms("τίτλος", "κείμενο", None, ())
    terms.remember(article, handed)
    terms.remember(article, handed)  # a copy of the release on another site, the same texts
    assert terms.terms_of(article) is handed
    assert terms.terms_of(article) is handed
    assert terms.terms_of(article) == terms.computed(article)


def test_remembered_terms_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(terms, "REMEMBERED_AT_MOST", 3)
    article = from_response(*page(ARTICLE)[:3], fetched_at=FETCHED)
    handed = terms.Terms("τίτλος", "κείμενο", None, ())
    for number in range(5):
        article.headline = f"Τίτλος {number}"
        terms.remember(article, handed)
    assert len(terms._remembered) == 3
    article.headline = "Τίτλος 0"  # the oldest, forgotten
    assert terms.terms_of(article) != handed
    article.headline = "Τίτλος 4"
    assert (
        terms.terms_of(article) is not None and terms._remembered.get(terms._key(article)) is None
    )


def test_a_worker_gives_the_record_the_crawls_own_process_would() -> None:
    workers = ExtractionWorkers(1)
    try:
        outcomes = [workers.submit(*page(stem)).result(timeout=60) for stem in (ARTICLE, LISTING)]
    finally:
        workers.close()
    record, refused = outcomes
    assert record.article is not None
    assert record.article.to_dict() == extract_page(*page(ARTICLE)).article.to_dict()  # type: ignore[union-attr]
    assert record.terms == terms.computed(record.article)
    assert (refused.outcome, refused.reason) == ("refused", "not an article")


def test_with_no_workers_the_page_is_extracted_at_once() -> None:
    future = ExtractionWorkers(0).submit(*page(ARTICLE))
    assert future.done() and future.result().outcome == "record"


def worker_pids(parent: int) -> list[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return [int(pid) for pid in children]


def test_a_worker_ignores_sigterm_and_a_dead_worker_is_replaced() -> None:
    workers = ExtractionWorkers(1)
    try:
        assert workers.submit(*page(ARTICLE)).result(timeout=60).outcome == "record"
        (worker,) = [pid for pid in worker_pids(os.getpid()) if is_worker(pid)]
        os.kill(worker, signal.SIGTERM)  # a stopped crawl's process group gets it too
        time.sleep(0.3)
        assert workers.submit(*page(ARTICLE)).result(timeout=60).outcome == "record"
        in_hand = workers.submit(*page(ARTICLE))
        os.kill(worker, signal.SIGKILL)
        with pytest.raises(BrokenProcessPool):  # the page its worker held
            in_hand.result(timeout=60)
        assert workers.submit(*page(ARTICLE)).result(timeout=60).outcome == "record"
    finally:
        workers.close()


def is_worker(pid: int) -> bool:
    try:
        return "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return False


KILLED_CRAWL = """
import os, sys
from datetime import UTC, datetime
from newsarchive.extraction_workers import ExtractionWorkers
workers = ExtractionWorkers(1)
body = open(sys.argv[1], "rb").read()
workers.submit(body, b"text/html", "https://www.thessaliatv.gr/news/1/", datetime.now(UTC)).result()
print(" ".join(os.listdir(f"/proc/{os.getpid()}/task")), flush=True)
sys.stdin.read()
"""


def test_the_workers_of_a_crawl_killed_outright_exit() -> None:
    crawl = subprocess.Popen(
        [sys.executable, "-c", KILLED_CRAWL, str(ARTICLE.with_suffix(".html"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert crawl.stdout is not None and crawl.stdout.readline()
        workers = [pid for pid in worker_pids(crawl.pid) if is_worker(pid)]
        assert workers
        crawl.kill()
        crawl.wait(timeout=10)
        deadline = time.monotonic() + 5 * extraction_workers.PARENT_CHECK_SECONDS + 5
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in workers)
    finally:
        crawl.kill()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_start_launches_the_workers_before_any_page() -> None:
    workers = ExtractionWorkers(1)
    try:
        assert not [pid for pid in worker_pids(os.getpid()) if is_worker(pid)]
        workers.start()
        deadline = time.monotonic() + 30
        while not [pid for pid in worker_pids(os.getpid()) if is_worker(pid)]:
            assert time.monotonic() < deadline, "no worker started"
            time.sleep(0.02)
    finally:
        workers.close()
    ExtractionWorkers(0).start()  # none to start: nothing happens
    assert not [pid for pid in worker_pids(os.getpid()) if is_worker(pid)]

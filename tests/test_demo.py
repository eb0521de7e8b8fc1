"""The offline demo: two passes over the fixture sites end with a revision and a story.

The fixture server serves the Region's corrected announcement (and a sitemap saying so) once
it is revised; the Region's release of 19 January, republished by larissanet and thessaliatv,
is one story. `newsarchive demo` runs as a user runs it, in a process of its own, against a
real server and a real archive in a temporary folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from newsarchive import golden
from newsarchive.archive import Archive
from newsarchive.archive.ingest import changed_fields
from newsarchive.archive.models import ArticleRow, StoryRow, VersionRow
from newsarchive.archive.similarity import THRESHOLD, signature, similarity
from newsarchive.cli import demo_results
from newsarchive.fixture_server import FixtureServer, fixture_root, load_site, serve
from tests.conftest import BACKENDS, POSTGRES_URL, empty_postgres

GOV = fixture_root() / "thessaly_gov"
ANNOUNCEMENT = (
    "https://www.thessaly.gov.gr/deltia-typou/5120/"
    "imerida-kai-ergastirio-koinonikis-kainotomias-sto-joist/"
)
RELEASE = (
    "https://www.thessaly.gov.gr/deltia-typou/5168/"
    "imerida-gia-tin-koinoniki-kainotomia-ston-dimosio-tomea/"
)
COPIES = {
    "thessaly_gov": "thessaly_gov/articles/imerida-gia-tin-koinoniki-kainotomia-ston.json",
    "thessaliatv": "thessaliatv/articles/imerida-gia-tin-koinoniki-kainotomia-apo.json",
    "larissanet": "larissanet/articles/larisa-imerida-gia-tin-koinoniki-kainoto.json",
    "onlarissa": "onlarissa/articles/imerida-gia-tin-koinoniki-kainotomia-sto.json",
    "e_thessalia": "e_thessalia/articles/imerida-gia-tin-koinoniki-kainotomia-sto.json",
    "trikalavoice": "trikalavoice/articles/stelexi-apo-ta-trikala-stin-imerida.json",
    "karditsa_online": "karditsa_online/articles/imerida-koinonikis-kainotomias-perifereia.json",
}
"""The Region's release of 19 January and its republished copies, by site."""
ANNOUNCED = "thessaly_gov/articles/imerida-kai-ergastirio-koinonikis-kaino.json"
CORRECTED = "thessaly_gov/revisions/articles/imerida-kai-ergastirio-koinonikis-kaino.json"
OLD_DEADLINE = "Καταληκτική προθεσμία υποβολής των αιτήσεων ορίζεται η Δευτέρα 12 Ιανουαρίου 2026."
NEW_DEADLINE = "Η καταληκτική προθεσμία υποβολής των αιτήσεων παρατείνεται έως την Πέμπτη 15"


def page(relative: str) -> golden.GoldenPage:
    return golden.load(fixture_root() / relative)


# --- the fixture server's second pass --------------------------------------------------------


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with serve() as running:
        yield running


def fetch(server: FixtureServer, host_and_path: str) -> str:
    with urllib.request.urlopen(f"{server.url}/{host_and_path}") as response:
        return str(response.read().decode("utf-8"))


ANNOUNCEMENT_PATH = "www.thessaly.gov.gr" + ANNOUNCEMENT.removeprefix("https://www.thessaly.gov.gr")
SERVED = [
    # (what, pass, host and path, text served, text not served)
    ("sitemap", 1, "www.thessaly.gov.gr/sitemap.xml", "2026-01-10T11:15:00+02:00", "@REVISED_AT@"),
    ("sitemap", 2, "www.thessaly.gov.gr/sitemap.xml", "{revised_at}", "2026-01-10T11:15:00"),
    ("sitemap", 2, "www.thessaly.gov.gr/sitemap.xml", "2026-01-19T12:30:00+02:00", "@REVISED"),
    ("announcement", 1, ANNOUNCEMENT_PATH, OLD_DEADLINE, "παρατείνεται"),
    ("announcement", 2, ANNOUNCEMENT_PATH, NEW_DEADLINE, OLD_DEADLINE),
    (
        "announcement",
        2,
        ANNOUNCEMENT_PATH,
        "JOIST: παράταση της προθεσμίας",
        "στο JOIST τη Δευτέρα",
    ),
    ("larissanet feed", 2, "www.larissanet.gr/feed/", "larisa-imerida-gia-tin-koinoniki", "@REV"),
    ("thessaliatv copy", 2, "www.thessaliatv.gr/news/185511/", "Λάζαρος Μακρής", "παρατείνεται"),
]


@pytest.mark.parametrize(
    ("what", "passes", "path", "served", "not_served"),
    SERVED,
    ids=[f"{row[0]} pass {row[1]} #{index}" for index, row in enumerate(SERVED)],
)
def test_the_server_serves_each_pass(
    server: FixtureServer, what: str, passes: int, path: str, served: str, not_served: str
) -> None:
    revised_at = server.revise() if passes == 2 else None
    assert server.passes == passes
    text = fetch(server, path)
    if revised_at is not None:
        served = served.format(revised_at=revised_at.isoformat())
    assert served in text
    assert not_served not in text


def test_revision_time_lies_after_every_earlier_fetch_to_the_second(server: FixtureServer) -> None:
    before = datetime.now(UTC)
    revised_at = server.revise()
    assert revised_at > before and revised_at.microsecond == 0
    assert f"<lastmod>{revised_at.isoformat()}</lastmod>" in fetch(
        server, "www.thessaly.gov.gr/sitemap.xml"
    )


def test_the_server_knows_which_article_it_revises(server: FixtureServer) -> None:
    assert server.revised_urls == [ANNOUNCEMENT]


def test_a_revision_that_replaces_nothing_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "thessaly_gov"
    shutil.copytree(GOV, folder)
    (folder / "revisions" / "latest.html").write_text("<html></html>", encoding="utf-8")
    with pytest.raises(ValueError, match=r"latest\.html replaces no served file of thessaly_gov"):
        load_site(folder)


# --- the pages: a correction, and one text on three sites -----------------------------------


def test_the_corrected_page_gives_its_golden_record() -> None:
    corrected = page(CORRECTED)
    assert corrected.url == ANNOUNCEMENT
    assert golden.differences(corrected.extract(), corrected.expected) == []


def test_the_correction_changes_the_headline_and_one_sentence_of_the_body() -> None:
    before, after = page(ANNOUNCED).expected, page(CORRECTED).expected
    assert before is not None and after is not None
    assert changed_fields(before, after) == ("headline", "body")
    old = before["body"].split("\n\n")
    new = after["body"].split("\n\n")
    assert [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b] == [len(old) - 1]


def bodies() -> dict[str, str]:
    found = {site: page(path).expected for site, path in COPIES.items()}
    return {site: str(expected["body"]) for site, expected in found.items() if expected}


@pytest.mark.parametrize("first", sorted(set(COPIES) - {"thessaly_gov"}))
def test_the_republished_copies_are_near_duplicates(first: str) -> None:
    texts = bodies()
    second = "thessaly_gov"
    if first != "karditsa_online":  # the aggregator carries the release verbatim
        assert texts[first] != texts[second]  # each outlet edited it
    one, other = signature(texts[first]), signature(texts[second])
    assert one is not None and other is not None
    assert similarity(one, other) >= THRESHOLD + 0.2  # well inside a story, not on its edge


@pytest.mark.parametrize("site", sorted(COPIES))
def test_the_announcement_of_the_same_event_joins_no_copy(site: str) -> None:
    announced = page(ANNOUNCED).expected
    assert announced is not None
    one, other = signature(announced["body"]), signature(bodies()[site])
    assert one is not None and other is not None
    assert similarity(one, other) < THRESHOLD


# --- the demo, twice into one archive ---------------------------------------------------------


def demo(db: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", "demo", "--db", db],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=480,
    )


def state(db: str) -> dict[str, Any]:
    """What the archive holds: versions per URL, the newest version's changes, the stories."""
    with Archive(db, create=False) as archive:
        session = archive.session
        versions = {
            url: count
            for url, count in session.execute(
                select(ArticleRow.canonical_url, ArticleRow.version_count)
            )
        }
        changed = {
            url: list(fields)
            for url, fields in session.execute(
                select(ArticleRow.canonical_url, VersionRow.changed)
                .join(VersionRow, VersionRow.id == ArticleRow.current_version_id)
                .where(ArticleRow.version_count > 1)
            )
        }
        stories: dict[str, list[str]] = {}
        for key, site in session.execute(
            select(StoryRow.key, ArticleRow.site)
            .join(ArticleRow, ArticleRow.story_id == StoryRow.id)
            .order_by(ArticleRow.site)
        ):
            stories.setdefault(key, []).append(site)
        first = session.scalars(
            select(ArticleRow.canonical_url).join(
                StoryRow, StoryRow.first_article_id == ArticleRow.id
            )
        ).all()
        rows = session.scalar(select(func.count()).select_from(VersionRow))
    return {
        "versions": versions,
        "changed": changed,
        "stories": stories,
        "first": first,
        "rows": rows,
    }


@pytest.fixture(scope="module", params=BACKENDS)
def demos(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """Two demos into one archive, with the archive's state after each."""
    if request.param == "postgresql":
        assert POSTGRES_URL is not None
        empty_postgres(POSTGRES_URL)
        db = POSTGRES_URL
    else:
        db = str(tmp_path_factory.mktemp("demo") / "demo.db")
    first = demo(db)
    after_first = state(db)
    second = demo(db)
    yield {
        "db": db,
        "first": first,
        "second": second,
        "after_first": after_first,
        "after_second": state(db),
    }
    if request.param == "postgresql":
        assert POSTGRES_URL is not None
        empty_postgres(POSTGRES_URL)


def test_the_demo_succeeds(demos: dict[str, Any]) -> None:
    assert demos["first"].returncode == 0, demos["first"].stdout + demos["first"].stderr


def test_the_demo_ends_with_one_article_at_version_2_changed_in_headline_and_body(
    demos: dict[str, Any],
) -> None:
    archived = demos["after_first"]
    revised = {url: count for url, count in archived["versions"].items() if count > 1}
    assert revised == {ANNOUNCEMENT: 2}
    assert {"headline", "body"} <= set(archived["changed"][ANNOUNCEMENT])


def test_the_demo_ends_with_one_story_of_every_copy_first_published_by_the_region(
    demos: dict[str, Any],
) -> None:
    archived = demos["after_first"]
    assert list(archived["stories"].values()) == [sorted(COPIES)]
    assert archived["first"] == [RELEASE]


SHOWN = [
    "Pass 1: every article of every fixture site.",
    "[ok] thessaly_gov: 4 pages, 2 new, 0 updated",
    "[ok] thessaly_gov: 3 pages, 0 new, 1 updated, 0 unchanged, 1 known (not fetched)",
    "re-fetched: lastmod 1",
    "$ newsarchive search λαρισα --db ",
    "Διακοπή νερού σε τέσσερις γειτονιές της Λάρισας την Πέμπτη",
    f"$ newsarchive history {ANNOUNCEMENT} --db ",
    "changed: headline, body",
    "{+παρατείνεται έως την Πέμπτη 15+}",
    "$ newsarchive stories --db ",
    "thessaly_gov*",
    f"- revision: {ANNOUNCEMENT} is at version 2, added by pass 2",
    "- story: one text on 7 sites: thessaly_gov, thessaliatv, larissanet, karditsa_online, "
    "onlarissa, trikalavoice, e_thessalia (first publisher first)",
]


@pytest.mark.parametrize("shown", SHOWN, ids=[f"line {index}" for index in range(len(SHOWN))])
def test_the_demo_shows_each_step(demos: dict[str, Any], shown: str) -> None:
    out = demos["first"].stdout
    assert shown in out
    assert "\\u03" not in out  # Greek as it is, never escaped


def test_no_password_is_shown(demos: dict[str, Any]) -> None:
    for run in ("first", "second"):
        assert ":newsarchive@" not in demos[run].stdout + demos[run].stderr


def test_a_second_demo_into_the_same_archive_says_what_it_did(demos: dict[str, Any]) -> None:
    second = demos["second"]
    assert second.returncode == 0, second.stdout + second.stderr
    out = second.stdout
    assert "0 new, 0 updated, 1 unchanged" in out  # the correction fetched again, no change
    assert "added by pass 2" not in out
    assert f"- revision: {ANNOUNCEMENT} is at version 2 from an earlier run" in out
    assert f"- story: one text on {len(COPIES)} sites" in out


def test_a_second_demo_adds_nothing(demos: dict[str, Any]) -> None:
    assert demos["after_second"] == demos["after_first"]


# --- what the demo says of an archive lacking what it promises --------------------------------


def test_an_archive_without_the_revision_or_the_story_is_a_failure(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Archive(db_url) as archive:
        archive.store(page(ANNOUNCED).extract())
        archive.store(page(COPIES["thessaly_gov"]).extract())
    assert demo_results(db_url, {ANNOUNCEMENT: 1}) is False
    out = capsys.readouterr().out
    assert f"- FAILED: {ANNOUNCEMENT} has 1 version(s): the correction is missing" in out
    assert "- FAILED: no story on 3 sites (largest: 0)" in out

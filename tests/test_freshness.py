"""Skip what is archived and fresh: the decision, the archive's answer per URL, the downloader
middleware, and real crawls of a sitemap with `lastmod` against the fixture server."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request
from scrapy.settings import Settings
from sqlalchemy import event, select, update
from twisted.python.failure import Failure

from newsarchive import sites
from newsarchive.archive import Archive, UpsertResult
from newsarchive.archive.freshness import (
    DEFAULT_SCHEDULE,
    Archived,
    Reason,
    archived,
    decide,
    parse_lastmod,
    parse_schedule,
)
from newsarchive.archive.models import ArticleRow, CrawlRunRow
from newsarchive.crawl import CrawlSetupError, crawl_settings, run_spiders
from newsarchive.crawl.freshness import Fresh, FreshnessMiddleware
from newsarchive.dates import ATHENS
from newsarchive.fixture_server import fixture_root, serve
from newsarchive.items import Article
from newsarchive.spiders import base
from newsarchive.spiders.derived import spider as spider_of
from newsarchive.text import content_hash

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=ATHENS)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def known(
    published: timedelta | None, fetched: timedelta, first_seen: timedelta | None = None
) -> Archived:
    """What the archive knows, in times relative to NOW."""
    return Archived(
        published_at=None if published is None else NOW + published,
        first_seen_at=NOW + (fetched if first_seen is None else first_seen),
        last_fetched_at=NOW + fetched,
    )


# --- the decision ------------------------------------------------------------------------------

H, D = HOUR, DAY
NEW, SCHEDULE, LASTMOD, FRESH = Reason.NEW, Reason.SCHEDULE, Reason.LASTMOD, Reason.FRESH
OLD = -400 * D
"""Published long ago: no checkpoint is due any more."""
DECISIONS = [
    ("new URL", None, None, NEW),
    ("new URL with an old lastmod", None, "2020-01-01", NEW),
    ("fetched 2 h after publication, now 30 h after", known(-30 * H, -28 * H), None, SCHEDULE),
    ("fetched 2 h after publication, now 20 h after", known(-20 * H, -18 * H), None, FRESH),
    ("re-fetched at day 1, now day 2", known(-2 * D, -23 * H), None, FRESH),
    ("re-fetched at day 1, now day 3 and an hour", known(-3 * D - H, -2 * D), None, SCHEDULE),
    ("re-fetched at day 3, now day 7 and an hour", known(-7 * D - H, -4 * D), None, SCHEDULE),
    ("fetched at day 8, now day 9", known(-9 * D, -D), None, FRESH),
    ("fetched at day 8, a year later", known(-373 * D, -365 * D), None, FRESH),
    ("first fetched a year after publication", known(OLD, -35 * D), None, FRESH),
    ("published in the future (a wrong date)", known(2 * D, -H), None, FRESH),
    ("lastmod an hour after the fetch", known(OLD, -3 * H), (NOW - 2 * H).isoformat(), LASTMOD),
    ("lastmod an hour before the fetch", known(OLD, -3 * H), (NOW - 4 * H).isoformat(), FRESH),
    ("lastmod in UTC, after the fetch", known(OLD, -3 * H), "2026-12-02T07:30:00Z", LASTMOD),
    ("lastmod in UTC, before the fetch", known(OLD, -3 * H), "2026-12-02T06:30:00Z", FRESH),
    ("lastmod without a zone: Athens time", known(OLD, -3 * H), "2026-12-02T08:30:00", FRESH),
    ("lastmod a date, the fetch's day", known(OLD, -26 * H), "2026-12-01", FRESH),
    ("lastmod a date, the day after the fetch", known(OLD, -26 * H), "2026-12-02", LASTMOD),
    ("lastmod in the future (a wrong clock)", known(OLD, -3 * H), (NOW + D).isoformat(), FRESH),
    ("lastmod garbage", known(OLD, -3 * H), "χθες το απόγευμα", FRESH),
    ("lastmod an impossible date", known(OLD, -300 * D), "2026-02-30", FRESH),
    ("lastmod empty", known(OLD, -3 * H), "", FRESH),
    ("lastmod garbage, the schedule due", known(-30 * H, -28 * H), "not a date", SCHEDULE),
    ("undated, first seen 30 h ago", known(None, -30 * H), None, SCHEDULE),
    ("undated, first seen 10 h ago", known(None, -10 * H), None, FRESH),
    ("undated, first seen at day -9, fetched at day 8", known(None, -D, -9 * D), None, FRESH),
]


@pytest.mark.parametrize(
    ("case", "archive_knows", "lastmod", "expected"), DECISIONS, ids=[row[0] for row in DECISIONS]
)
def test_decision(
    case: str, archive_knows: Archived | None, lastmod: str | None, expected: Reason
) -> None:
    decision = decide(archive_knows, lastmod=lastmod, now=NOW)
    assert decision.reason is expected
    assert decision.fetch is (expected is not Reason.FRESH)


@pytest.mark.parametrize(
    ("schedule", "published_hours_ago", "fetched_hours_ago", "expected"),
    [
        ((0.5,), 13, 12, Reason.SCHEDULE),  # twelve hours after publication
        ((0.5,), 11, 10, Reason.FRESH),
        ((), 30, 28, Reason.FRESH),  # no schedule: lastmod only
        ((2,), 30, 28, Reason.FRESH),
        ((2,), 50, 28, Reason.SCHEDULE),
    ],
)
def test_the_schedule_is_configurable(
    schedule: tuple[float, ...], published_hours_ago: int, fetched_hours_ago: int, expected: Reason
) -> None:
    state = known(-published_hours_ago * HOUR, -fetched_hours_ago * HOUR)
    assert decide(state, lastmod=None, now=NOW, schedule=schedule).reason is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, DEFAULT_SCHEDULE),
        ("1,3,7", (1, 3, 7)),
        (" 7, 3,1 ,3", (1, 3, 7)),
        ("0.5,2", (0.5, 2)),
        ("", ()),
        ([1, 2], (1, 2)),
        (("3",), (3,)),
        (2, (2,)),
    ],
)
def test_schedule_setting(value: Any, expected: tuple[float, ...]) -> None:
    assert parse_schedule(value) == expected


@pytest.mark.parametrize("value", ["δύο", "0", "-1", "nan", "inf", "1;3", "1,,3 7", "99999", [""]])
def test_bad_schedule_setting_says_what_to_give(value: Any) -> None:
    with pytest.raises(ValueError, match=r"NEWSARCHIVE_REFETCH_DAYS: .* e\.g\. 1,3,7"):
        parse_schedule(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-30", datetime(2026, 11, 30, tzinfo=ATHENS)),
        ("2026-11", datetime(2026, 11, 1, tzinfo=ATHENS)),
        ("2026", datetime(2026, 1, 1, tzinfo=ATHENS)),
        ("2026-11-30T13:47+02:00", datetime(2026, 11, 30, 13, 47, tzinfo=ATHENS)),
        ("2026-11-30T11:47:00Z", datetime(2026, 11, 30, 13, 47, tzinfo=ATHENS)),
        ("2026-11-30T13:47:00.250+0200", datetime(2026, 11, 30, 13, 47, 0, 250000, tzinfo=ATHENS)),
        ("  2026-11-30 13:47:00  ", datetime(2026, 11, 30, 13, 47, tzinfo=ATHENS)),
        ("2026-07-30T13:47", datetime(2026, 7, 30, 13, 47, tzinfo=ATHENS)),  # summer time
        ("2026-12-02T12:10+02:00", datetime(2026, 12, 2, 12, 10, tzinfo=ATHENS)),  # clock skew
        ("2026-12-02T13:00+02:00", None),  # an hour ahead of now
        ("2026-11-31", None),
        ("2026-11-30T25:00Z", None),
        ("30/11/2026", None),
        ("Δευτέρα 30 Νοεμβρίου 2026", None),
        ("2026-11-30T13:47+02:00<script>", None),
        ("0001-01-01T00:00:00+14:00", None),
        ("9999-12-31T23:59:59-12:00", None),
        ("", None),
        (None, None),
    ],
)
def test_lastmod_parsing(text: str | None, expected: datetime | None) -> None:
    assert parse_lastmod(text, now=NOW) == expected


# --- the archive's answer for one URL ----------------------------------------------------------

CANONICAL = "https://www.thessaliatv.gr/news/185511/"


def article(**changes: Any) -> Article:
    base = Article(
        url="https://www.thessaliatv.gr/news/185511/imerida/",
        canonical_url=CANONICAL,
        site="thessaliatv",
        region="larisa",
        headline="Ημερίδα για την κοινωνική καινοτομία",
        lead="Στο κέντρο καινοτομίας JOIST στη Λάρισα",
        body="Η στρατηγική της Περιφέρειας Θεσσαλίας για την κοινωνική καινοτομία αναλύθηκε "
        "σε ημερίδα στη Λάρισα, με τη συμμετοχή φορέων και επιχειρήσεων της περιοχής.",
        published_at=datetime(2026, 1, 19, 13, 47, tzinfo=ATHENS),
        published_raw="19.01.2026 | 13:47",
        fetched_at=datetime(2026, 2, 9, 11, 0, tzinfo=ATHENS),  # three weeks after
    )
    changed = dataclasses.replace(base, **changes)
    changed.content_hash = content_hash(changed.headline, changed.lead, changed.body)
    return changed


def test_the_archive_knows_a_url_by_its_canonical_form_or_as_an_alias(db_url: str) -> None:
    alias = "https://www.thessaliatv.gr/news/185599/"
    later = datetime(2026, 2, 10, 9, 0, tzinfo=ATHENS)
    with Archive(db_url) as archive:
        assert archived(archive.session, CANONICAL) is None
        archive.store(article())
        first = archived(archive.session, CANONICAL)
        assert first is not None
        assert first.published_at == datetime(2026, 1, 19, 13, 47, tzinfo=ATHENS)
        assert first.last_fetched_at == datetime(2026, 2, 9, 11, 0, tzinfo=ATHENS)
        assert first.first_seen_at.tzinfo is not None
        # The same content under another URL of the site: an alias, known through it too.
        stored = archive.store(article(url=alias, canonical_url=alias, fetched_at=later))
        assert stored.result is UpsertResult.DUPLICATE
        via_alias = archived(archive.session, alias)
        # An unchanged fetch moves `last_seen_at`: that is the last fetch.
        assert via_alias is not None and via_alias.last_fetched_at == later
        assert archived(archive.session, CANONICAL) == via_alias
        assert archived(archive.session, "https://www.thessaliatv.gr/news/1/") is None


def test_one_query_per_url_whatever_the_archive_holds(db_url: str) -> None:
    statements: list[str] = []
    with Archive(db_url) as archive:
        for number in range(30):
            url = f"https://www.thessaliatv.gr/news/{number}/"
            archive.store(
                article(url=url, canonical_url=url, body=f"{article().body} Αριθμός {number}.")
            )
        event.listen(
            archive.engine,
            "before_cursor_execute",
            lambda *args: statements.append(args[2]),
        )
        assert archived(archive.session, "https://www.thessaliatv.gr/news/7/") is not None
        assert archived(archive.session, "https://www.thessaliatv.gr/news/700/") is None
    assert len(statements) == 2
    assert all("LIMIT" in statement.upper() for statement in statements)


# --- the downloader middleware -----------------------------------------------------------------


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str) -> None:
        self.values[key] = self.values.get(key, 0) + 1


def middleware(db_url: str, *, refresh: bool = False, days: str = "1,3,7") -> FreshnessMiddleware:
    settings = Settings({"NEWSARCHIVE_DATABASE_URL": db_url, "NEWSARCHIVE_REFETCH_DAYS": days})
    crawler = SimpleNamespace(
        settings=settings, stats=Stats(), spider=SimpleNamespace(refresh=refresh)
    )
    return FreshnessMiddleware(crawler)


def article_request(url: str, lastmod: str | None = None) -> Request:
    return Request(url, meta={base.ARTICLE: True, **({base.LASTMOD: lastmod} if lastmod else {})})


def test_middleware_drops_fresh_articles_and_counts_refetches(db_url: str) -> None:
    with Archive(db_url) as archive:
        archive.store(article())  # fetched at day 21: fresh for good
    checker = middleware(db_url)
    try:
        with pytest.raises(Fresh):
            checker.process_request(article_request(CANONICAL))
        checker.process_request(article_request("https://www.thessaliatv.gr/news/2/"))  # new
        checker.process_request(Request(CANONICAL))  # not an article request: not asked
        modified = datetime.now(UTC).isoformat()
        rescheduled = article_request(CANONICAL, lastmod=modified)
        checker.process_request(rescheduled)
        checker.process_request(rescheduled.replace(dont_filter=True))  # comes back: once
    finally:
        checker.close()
    stats = checker.crawler.stats.values
    assert stats == {"newsarchive/skipped_known": 1, "newsarchive/refetch/lastmod": 1}


def test_refresh_fetches_everything(db_url: str) -> None:
    with Archive(db_url) as archive:
        archive.store(article())
    checker = middleware(db_url, refresh=True)
    checker.process_request(article_request(CANONICAL))
    checker.close()
    assert checker.crawler.stats.values == {}


def test_the_spider_does_not_count_a_fresh_article_as_an_error() -> None:
    spider = spider_of("thessaliatv")()
    stats = Stats()
    spider.crawler = SimpleNamespace(stats=stats)  # type: ignore[assignment]
    request = article_request(CANONICAL)
    failure = Failure(Fresh(f"archived and fresh: {CANONICAL}"))
    failure.request = request  # type: ignore[attr-defined]
    spider.on_error(failure)
    assert stats.values == {}


def test_a_bad_schedule_refuses_the_crawl_before_anything_is_written(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    with Archive(db):
        pass
    settings = crawl_settings(db, progress=False)
    settings.set("NEWSARCHIVE_REFETCH_DAYS", "μία,τρεις", priority="cmdline")
    with pytest.raises(CrawlSetupError, match="NEWSARCHIVE_REFETCH_DAYS: 'μία'"):
        run_spiders([spider_of("thessaliatv")], settings)
    with Archive(db) as archive:
        assert archive.session.scalars(select(CrawlRunRow)).all() == []


# --- real crawls of a sitemap with lastmod -----------------------------------------------------

TV_ARTICLES = fixture_root() / "thessaliatv" / "articles"
SLUGS = ("imerida-gia-tin-koinoniki-kainotomia-apo", "xionia-kai-pagetos-sto-pilio-foto-video")
CRAWL = """
import dataclasses, sys
from newsarchive import sites
from newsarchive.crawl import crawl_settings, run_spiders
from newsarchive.spiders.base import spider_class

db, mirror, refresh = sys.argv[1], sys.argv[2], sys.argv[3] == "refresh"
site = dataclasses.replace(
    sites.get("thessaliatv"), feeds=(), listings=(), sitemaps=("/sitemap.xml",)
)
for report in run_spiders([spider_class(site)], crawl_settings(db, mirror=mirror, progress=False),
                          refresh=refresh):
    print(report.line())
    print("\\n".join(report.details()))
"""
"""A crawl of thessaliatv through a sitemap only, in a fresh process (one reactor each)."""


def sitemap_site(root: Path) -> tuple[Path, list[str]]:
    """A throwaway thessaliatv of two articles and a sitemap, under `root`; the sitemap's path
    and the articles' URLs."""
    folder = root / "thessaliatv"
    (folder / "articles").mkdir(parents=True)
    urls = []
    for slug in SLUGS:
        for suffix in (".json", ".html"):
            shutil.copy(TV_ARTICLES / f"{slug}{suffix}", folder / "articles" / f"{slug}{suffix}")
        urls.append(json.loads((TV_ARTICLES / f"{slug}.json").read_text("utf-8"))["url"])
    real = json.loads((fixture_root() / "thessaliatv" / "site.json").read_text("utf-8"))
    spec = {"pages": {"/sitemap.xml": "sitemap.xml"}, "aliases": real["aliases"]}
    (folder / "site.json").write_text(json.dumps(spec), encoding="utf-8")
    (folder / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    return folder / "sitemap.xml", urls


def write_sitemap(path: Path, lastmods: dict[str, str]) -> None:
    entries = "".join(
        f"<url><loc>{url}</loc><lastmod>{lastmod}</lastmod></url>"
        for url, lastmod in lastmods.items()
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>',
        encoding="utf-8",
    )


def crawl(db: str, mirror: str, *, refresh: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "-c", CRAWL, db, mirror, "refresh" if refresh else "-"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def article_paths(requests: list[str]) -> list[str]:
    return sorted(path for path in requests if "/news/1" in path)


def last_run_counts(db: str) -> dict[str, Any]:
    with Archive(db) as archive:
        run = archive.session.scalars(select(CrawlRunRow).order_by(CrawlRunRow.id.desc())).first()
        assert run is not None and run.exit_status == 0
        return dict(run.counts["thessaliatv"])


def test_crawls_skip_the_fresh_and_refetch_on_lastmod_and_schedule(
    db_url: str, tmp_path: Path
) -> None:
    sitemap, (first, second) = sitemap_site(tmp_path / "sites")
    first_canonical = sites.canonicalize(first)
    first_path = first_canonical.split("://", 1)[1]  # as the mirror is asked: host/path
    write_sitemap(sitemap, {first: "2026-01-20", second: "2026-02-21T08:00:00+02:00"})
    with serve(tmp_path / "sites") as server:
        out = crawl(db_url, server.url)
        assert "2 new, 0 updated, 0 unchanged, 0 known (not fetched), 0 dropped" in out
        assert len(article_paths(server.requests)) == 2

        # Nothing changed: nothing archived is fetched again.
        before = len(server.requests)
        out = crawl(db_url, server.url)
        assert "0 new, 0 updated, 0 unchanged, 2 known (not fetched), 0 dropped" in out
        assert article_paths(server.requests[before:]) == []
        assert last_run_counts(db_url)["known"] == 2

        # The sitemap says the first changed after its fetch (a garbage lastmod on the other).
        write_sitemap(sitemap, {first: datetime.now(UTC).isoformat(), second: "αύριο"})
        before = len(server.requests)
        out = crawl(db_url, server.url)
        assert "1 unchanged, 1 known (not fetched), 1 re-fetched, 0 dropped" in out
        assert "  re-fetched: lastmod 1" in out
        assert article_paths(server.requests[before:]) == [first_path]
        assert last_run_counts(db_url)["refetched"] == {"lastmod": 1}

        # The second as if fetched 2 h after publication: the day-1 checkpoint has passed.
        with Archive(db_url) as archive:
            row = archive.session.scalars(
                select(ArticleRow).where(ArticleRow.canonical_url != first_canonical)
            ).one()
            assert row.published_at is not None
            early = row.published_at + 2 * HOUR
            archive.session.execute(
                update(ArticleRow)
                .where(ArticleRow.id == row.id)
                .values(fetched_at=early, last_seen_at=early)
            )
            archive.session.commit()
        out = crawl(db_url, server.url)
        assert "1 unchanged, 1 known (not fetched), 1 re-fetched, 0 dropped" in out
        assert last_run_counts(db_url)["refetched"] == {"schedule": 1}

        # Once re-fetched it is fresh again; --refresh fetches both all the same.
        out = crawl(db_url, server.url)
        assert "0 unchanged, 2 known (not fetched), 0 dropped" in out
        out = crawl(db_url, server.url, refresh=True)
        assert "2 unchanged, 0 known (not fetched), 0 dropped" in out

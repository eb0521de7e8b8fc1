"""The store pipeline: records committed in batches (by count, by time, at the end), each batch
with the raw pages waiting for it; a bad record in a batch loses no other."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from typing import Any

import pytest
from scrapy.utils.test import get_crawler
from sqlalchemy import func, select

from newsarchive.archive import Archive
from newsarchive.archive.ingest import PendingRawPages, RawPage
from newsarchive.archive.models import ArticleRow, RawPageRow, SourceRow, VersionRow
from newsarchive.crawl import raw_pages as raw_pages_module
from newsarchive.dates import ATHENS
from newsarchive.items import Article
from newsarchive.pipelines import store as store_module
from newsarchive.pipelines.store import NOT_STORED, StorePipeline
from newsarchive.text import content_hash

MOMENT = datetime(2026, 3, 2, 9, 30, tzinfo=ATHENS)
HEADLINES = [
    "Κυκλοφοριακές ρυθμίσεις στην οδό Παπαναστασίου",
    "Νέο πρόγραμμα για τους αγρότες της Θεσσαλίας",
    "Διακοπή νερού αύριο στη Νεάπολη της Λάρισας",
    "Εγκαίνια της νέας πτέρυγας στο Πανεπιστημιακό Νοσοκομείο",
    "Ο Βόλος υποδέχεται το φεστιβάλ κινηματογράφου",
]


def article(number: int) -> Article:
    url = f"https://www.larissanet.gr/2026/03/02/arthro-{number}/"
    headline = HEADLINES[number % len(HEADLINES)] + f" ({number})"
    body = f"{headline}. Η ανακοίνωση του δήμου Λαρισαίων για τους κατοίκους της πόλης {number}."
    return Article(
        url=url,
        canonical_url=url,
        site="larissanet",
        region="larisa",
        headline=headline,
        lead=None,
        body=body,
        published_at=MOMENT,
        fetched_at=MOMENT + timedelta(minutes=number),
        content_hash=content_hash(headline, None, body),
    )


def raw_page(item: Article) -> RawPage:
    return RawPage(
        url=item.url,
        fetched_at=item.fetched_at,
        status=200,
        content_type="text/html; charset=utf-8",
        warc_file="newsarchive-test.warc.gz",
        warc_offset=0,
        warc_length=100,
        payload_sha256="0" * 64,
    )


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def pipeline(db_url: str, **options: Any) -> tuple[StorePipeline, PendingRawPages, Stats]:
    pending = PendingRawPages()
    stats = Stats()
    made = StorePipeline(db_url, None, stats, pending=pending, **options)
    made.open_spider()
    return made, pending, stats


def archived(db_url: str) -> list[str]:
    with Archive(db_url) as archive:
        return list(archive.session.scalars(select(ArticleRow.url).order_by(ArticleRow.id)))


@pytest.mark.parametrize(
    ("size", "items", "committed_before_close"),
    [(3, 2, 0), (3, 3, 3), (3, 7, 6), (1, 2, 2)],
    ids=["under a batch", "one batch", "two batches and two waiting", "batches of one"],
)
def test_records_are_committed_by_the_batch(
    db_url: str, size: int, items: int, committed_before_close: int
) -> None:
    store, _, stats = pipeline(db_url, batch_size=size, batch_seconds=3600)
    for number in range(items):
        store.process_item(article(number))
    assert len(archived(db_url)) == committed_before_close
    store.close_spider()
    assert len(archived(db_url)) == items
    assert stats.values == {"newsarchive/articles/new": items}


def test_a_batch_waiting_longer_than_its_seconds_is_committed(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(store_module.time, "monotonic", lambda: clock[0])
    store, _, _ = pipeline(db_url, batch_size=100, batch_seconds=1.0)
    store.process_item(article(1))
    clock[0] += 0.5
    store.tick()
    assert archived(db_url) == []
    clock[0] += 0.6
    store.tick()  # the timer, with no record coming
    assert archived(db_url) == [article(1).url]
    store.close_spider()


def test_each_record_points_to_its_raw_page_and_every_page_gets_its_row(db_url: str) -> None:
    store, pending, _ = pipeline(db_url, batch_size=2, batch_seconds=3600)
    first, second, third = article(1), article(2), article(3)
    pending.rows += [raw_page(first), raw_page(second)]
    store.process_item(first)
    pending.rows.append(raw_page(third))  # its record comes in the next batch
    store.process_item(second)
    pending.rows.append(dataclasses.replace(raw_page(third), url=third.url + "?amp=1"))  # none
    store.process_item(third)
    store.close_spider()
    with Archive(db_url) as archive:
        pages = {
            (row.url, row.fetched_at): row.id for row in archive.session.scalars(select(RawPageRow))
        }
        versions = archive.session.execute(
            select(ArticleRow.url, VersionRow.raw_page_id).join(
                VersionRow, VersionRow.article_id == ArticleRow.id
            )
        ).all()
    assert len(pages) == 4  # the page that gave no record too
    assert {url: raw for url, raw in versions} == {
        item.url: pages[item.url, item.fetched_at] for item in (first, second, third)
    }


def test_a_bad_record_in_a_batch_loses_no_other(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    store, pending, stats = pipeline(db_url, batch_size=3, batch_seconds=3600)
    good = [article(1), article(3)]
    naive = dataclasses.replace(article(2), published_at=MOMENT.replace(tzinfo=None))
    pending.rows += [raw_page(item) for item in good]
    with caplog.at_level(logging.ERROR, logger="newsarchive.pipelines.store"):
        for item in (good[0], naive, good[1]):
            store.process_item(item)
    store.close_spider()
    assert archived(db_url) == [item.url for item in good]
    assert stats.values == {"newsarchive/articles/new": 2, NOT_STORED: 1}
    (line,) = [record.getMessage() for record in caplog.records]
    assert f"record of {naive.url} not stored in" in line and "naive datetime" in line
    with Archive(db_url) as archive:
        assert archive.session.scalar(select(func.count()).select_from(RawPageRow)) == 2
        assert None not in archive.session.scalars(select(VersionRow.raw_page_id)).all()


def test_a_killed_crawl_loses_only_the_batch_not_committed(db_url: str) -> None:
    store, pending, _ = pipeline(db_url, batch_size=2, batch_seconds=3600)
    for number in range(3):
        pending.rows.append(raw_page(article(number)))
        store.process_item(article(number))
    assert archived(db_url) == [article(0).url, article(1).url]  # no close: as if killed
    with Archive(db_url) as archive:
        assert archive.session.scalar(select(func.count()).select_from(RawPageRow)) == 2
    assert [row.url for row in pending.rows] == [article(2).url]


def test_the_pipeline_takes_the_crawls_raw_pages_while_open(db_url: str) -> None:
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_DATABASE_URL": db_url})
    pending = PendingRawPages.of(crawler)
    assert PendingRawPages.of(crawler) is pending and not pending.taken
    made = StorePipeline.from_crawler(crawler)
    assert made.pending is pending
    made.open_spider()
    assert pending.taken
    made.close_spider()
    assert not pending.taken


def test_the_pipelines_counter_names_are_the_crawls() -> None:
    assert store_module.NOT_KEPT == raw_pages_module.NOT_KEPT
    assert store_module.STAT == "newsarchive"


def test_a_source_first_met_in_a_failed_batch_is_kept_when_its_records_are(db_url: str) -> None:
    store, _, _ = pipeline(db_url, batch_size=2, batch_seconds=3600)
    trikala = dataclasses.replace(
        article(7), site="trikalanews.gr", url="https://trikalanews.gr/a/7/"
    )
    trikala.canonical_url = trikala.url
    naive = dataclasses.replace(article(8), published_at=MOMENT.replace(tzinfo=None))
    store.process_item(trikala)
    store.process_item(naive)  # the batch fails; each record is stored again alone
    store.close_spider()
    with Archive(db_url) as archive:
        names = archive.session.scalars(select(SourceRow.name)).all()
    assert archived(db_url) == [trikala.url] and names == ["trikalanews.gr"]

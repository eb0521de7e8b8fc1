"""Raw pages as WARC: the writer and reader (newsarchive.archive.warc) and the downloader
middleware that keeps article responses (newsarchive.crawl.raw_pages)."""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import logging
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from newsarchive.archive import Archive
from newsarchive.archive.models import RawPageRow
from newsarchive.archive.warc import (
    Exchange,
    RecordPlace,
    WarcError,
    WarcWriter,
    read_response,
    warc_folder,
)
from newsarchive.crawl.raw_pages import NOT_KEPT, RawPagesMiddleware
from newsarchive.dates import ATHENS
from newsarchive.spiders.base import ARTICLE, FETCHED_AT

FETCHED = datetime(2026, 2, 9, 11, 0, 5, 123456, tzinfo=ATHENS)
URL = "https://www.larissanet.gr/2026/02/10/ta-trakter-epistrefoun-sta-xorafia-meta-to-mploko/"

GREEK_PAGE = (
    "<html><head><meta charset='windows-1253'><title>Τα τρακτέρ επιστρέφουν</title></head>"
    "<body><article><h1>Τα τρακτέρ επιστρέφουν στα χωράφια μετά το μπλόκο</h1>"
    "<p>Οι αγρότες της Λάρισας άνοιξαν τον κόμβο της Νίκαιας ύστερα από δύο μήνες.</p>"
    "</article></body></html>"
)


def exchange(body: bytes, headers: list[tuple[str, str]] | None = None, **more: Any) -> Exchange:
    return Exchange(
        url=more.pop("url", URL),
        fetched_at=more.pop("fetched_at", FETCHED),
        status=more.pop("status", 200),
        headers=headers if headers is not None else [("Content-Type", "text/html")],
        body=body,
        **more,
    )


ROUND_TRIPS = [
    (
        "windows-1253 Greek page",
        GREEK_PAGE.encode("cp1253"),
        [("Content-Type", "text/html; charset=windows-1253"), ("Server", "nginx")],
        "text/html; charset=windows-1253",
    ),
    (
        "ISO-8859-7 page sent gzipped (kept decoded)",
        GREEK_PAGE.replace("windows-1253", "iso-8859-7").encode("iso-8859-7"),
        [
            ("Content-Type", "text/html; charset=iso-8859-7"),
            ("Content-Encoding", "gzip"),
            ("Transfer-Encoding", "chunked"),
            ("Content-Length", "93"),
        ],
        "text/html; charset=iso-8859-7",
    ),
    (
        "UTF-8 page with NUL and CRLF bytes",
        ("Η Περιφέρεια Θεσσαλίας\x00\r\n\r\nΒόλος").encode(),
        [("Content-Type", "text/html; charset=utf-8")],
        "text/html; charset=utf-8",
    ),
    ("no Content-Type", GREEK_PAGE.encode("utf-8"), [], None),
]


@pytest.mark.parametrize(
    ("body", "headers", "content_type"),
    [case[1:] for case in ROUND_TRIPS],
    ids=[case[0] for case in ROUND_TRIPS],
)
def test_round_trip_gives_the_bytes_the_spider_saw(
    tmp_path: Path, body: bytes, headers: list[tuple[str, str]], content_type: str | None
) -> None:
    with WarcWriter(tmp_path) as writer:
        place = writer.write(exchange(body, headers))
    stored = read_response(tmp_path, place.file, place.offset, place.length)
    assert stored.body == body
    assert stored.url == URL
    assert stored.status == 200
    assert stored.content_type == content_type
    assert stored.warc_date == FETCHED
    names = [name.lower() for name, _ in stored.headers]
    assert "content-encoding" not in names and "transfer-encoding" not in names
    assert ("Content-Length", str(len(body))) in stored.headers
    assert place.payload_sha256 == hashlib.sha256(body).hexdigest()


def test_each_record_is_its_own_gzip_member_and_warcio_reads_the_file(tmp_path: Path) -> None:
    pages = [GREEK_PAGE.replace("Λάρισας", town).encode("cp1253") for town in ("Βόλου", "Τρικάλων")]
    with WarcWriter(tmp_path) as writer:
        places = [writer.write(exchange(page, url=f"{URL}?p={i}")) for i, page in enumerate(pages)]
    (file,) = tmp_path.iterdir()
    data = file.read_bytes()
    for place in places:
        member = gzip.decompress(data[place.offset : place.offset + place.length])
        assert member.startswith(b"WARC/1.1\r\n") and b"WARC-Type: response" in member
    with file.open("rb") as stream:
        records = [
            (record.rec_type, dict(record.rec_headers.headers), record.content_stream().read())
            for record in ArchiveIterator(stream)
        ]
    assert [kind for kind, _, _ in records] == [
        "warcinfo",
        "response",
        "request",
        "response",
        "request",
    ]
    assert records[2][1]["WARC-Concurrent-To"] == records[1][1]["WARC-Record-ID"]
    assert records[1][2] == pages[0] and records[3][2] == pages[1]
    assert records[1][1]["WARC-Payload-Digest"].startswith("sha256:")


def test_request_record_keeps_what_was_sent(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        writer.write(
            exchange(
                b"<html></html>",
                url="https://www.thessaliatv.gr/news/185511/?ref=rss",
                request_headers=[("User-Agent", "newsarchive/0.1"), ("Accept-Language", "el")],
            )
        )
    with next(tmp_path.iterdir()).open("rb") as stream:
        (request,) = [r for r in ArchiveIterator(stream) if r.rec_type == "request"]
        line = f"{request.http_headers.protocol} {request.http_headers.statusline}"
        assert line == "GET /news/185511/?ref=rss HTTP/1.1"
        assert request.http_headers.get_header("Host") == "www.thessaliatv.gr"
        assert request.http_headers.get_header("User-Agent") == "newsarchive/0.1"


def test_rotation_gives_several_files_each_readable(tmp_path: Path) -> None:
    pages = [(GREEK_PAGE * 3 + f"<!-- {i} -->").encode("cp1253") for i in range(30)]
    with WarcWriter(tmp_path, max_bytes=4000) as writer:
        places = [writer.write(exchange(page, url=f"{URL}?n={i}")) for i, page in enumerate(pages)]
    files = sorted(tmp_path.iterdir())
    assert len(files) >= 5
    assert {place.file for place in places} == {file.name for file in files}
    for file in files:
        assert file.stat().st_size <= 4000
        with file.open("rb") as stream:
            kinds = [record.rec_type for record in ArchiveIterator(stream)]
        assert kinds[0] == "warcinfo" and kinds[1:] == ["response", "request"] * (
            (len(kinds) - 1) // 2
        )
    for place, page in zip(places, pages, strict=True):
        assert read_response(tmp_path, place.file, place.offset, place.length).body == page


def test_two_writers_in_one_folder_never_share_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import itertools

    from newsarchive.archive import warc

    first, second = WarcWriter(tmp_path), WarcWriter(tmp_path)
    places: dict[str, list[RecordPlace]] = {"first": [], "second": []}
    for i in range(6):
        if i == 3:  # the second writer's next name is the one the first has (same second, pid)
            monkeypatch.setattr(warc, "_sequence", itertools.count(1))
            second.close()
        places["first"].append(first.write(exchange("<p>Λάρισα</p>".encode(), url=f"{URL}?a={i}")))
        places["second"].append(second.write(exchange("<p>Βόλος</p>".encode(), url=f"{URL}?b={i}")))
    first.close()
    second.close()
    files = {name: {place.file for place in found} for name, found in places.items()}
    assert not files["first"] & files["second"]
    for name, found in places.items():
        body = "Λάρισα" if name == "first" else "Βόλος"
        for place in found:
            stored = read_response(tmp_path, place.file, place.offset, place.length)
            assert stored.body == f"<p>{body}</p>".encode()


WRITER_SCRIPT = """
import json, sys
from datetime import UTC, datetime
from pathlib import Path
from newsarchive.archive.warc import Exchange, WarcWriter
writer = WarcWriter(Path(sys.argv[1]), max_bytes=3000)
places = []
for i in range(40):
    body = f"<p>{sys.argv[2]} {i} Θεσσαλία</p>".encode("utf-8") * 20
    place = writer.write(Exchange(url=f"https://www.example.gr/{sys.argv[2]}/{i}",
        fetched_at=datetime.now(UTC), status=200, headers=[], body=body))
    places.append([place.file, place.offset, place.length, body.decode("utf-8")])
writer.close()
print(json.dumps(places))
"""


def test_two_processes_writing_one_folder_never_share_a_file(tmp_path: Path) -> None:
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER_SCRIPT, str(tmp_path), name],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("larisa", "volos")
    ]
    outputs = [json.loads(run.communicate(timeout=60)[0]) for run in runs]
    files = [{file for file, _, _, _ in places} for places in outputs]
    assert files[0] and files[1] and not files[0] & files[1]
    for places in outputs:
        for file, offset, length, body in places:
            assert read_response(tmp_path, file, offset, length).body == body.encode()


def test_a_failed_write_leaves_the_file_whole_and_the_next_goes_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = WarcWriter(tmp_path)
    kept = writer.write(exchange("<p>Καρδίτσα</p>".encode()))
    handle = writer._current.handle  # type: ignore[union-attr]
    real_write = handle.write

    def disk_full(data: bytes) -> int:
        real_write(data[:100])  # a part of the record reaches the disk, then ENOSPC
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(handle, "write", disk_full)
    with pytest.raises(OSError, match="No space left"):
        writer.write(exchange("<p>Τρίκαλα</p>".encode()))
    after = writer.write(exchange("<p>Βόλος</p>".encode()))
    writer.close()
    assert after.file != kept.file
    with (tmp_path / kept.file).open("rb") as stream:
        assert [record.rec_type for record in ArchiveIterator(stream)] == [
            "warcinfo",
            "response",
            "request",
        ]
    assert (
        read_response(tmp_path, after.file, after.offset, after.length).body
        == "<p>Βόλος</p>".encode()
    )


def tampered_body(path: Path, place: RecordPlace) -> None:
    data = path.read_bytes()
    member = gzip.decompress(data[place.offset : place.offset + place.length])
    member = member.replace("Λάρισας".encode("cp1253"), "Λαρίσης".encode("cp1253"))
    path.write_bytes(
        data[: place.offset] + gzip.compress(member) + data[place.offset + place.length :]
    )


READ_ERRORS = [
    ("missing file", lambda path, place: path.unlink(), "is missing"),
    (
        "file cut short",
        lambda path, place: path.write_bytes(path.read_bytes()[: place.offset + 10]),
        "ends before the record",
    ),
    (
        "garbage where the record was",
        lambda path, place: path.write_bytes(
            path.read_bytes()[: place.offset] + b"x" * (place.length + 500)
        ),
        "damaged record",
    ),
    ("body changed on disk", tampered_body, "does not match its WARC-Payload-Digest"),
]


@pytest.mark.parametrize(
    ("spoil", "message"), [case[1:] for case in READ_ERRORS], ids=[c[0] for c in READ_ERRORS]
)
def test_reading_a_spoiled_record_is_a_warc_error(tmp_path: Path, spoil: Any, message: str) -> None:
    with WarcWriter(tmp_path) as writer:
        place = writer.write(exchange(GREEK_PAGE.encode("cp1253")))
    spoil(tmp_path / place.file, place)
    with pytest.raises(WarcError, match=message):
        read_response(tmp_path, place.file, place.offset, place.length)


def test_reading_another_kind_of_record_or_outside_the_folder_is_refused(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        place = writer.write(exchange("<p>Φάρσαλα</p>".encode()))
    request_offset = place.offset + place.length
    rest = (tmp_path / place.file).stat().st_size - request_offset
    with pytest.raises(WarcError, match="a request record where a response record"):
        read_response(tmp_path, place.file, request_offset, rest)
    with pytest.raises(WarcError, match="a warcinfo record where"):
        read_response(tmp_path, place.file, 0, place.offset)
    with pytest.raises(WarcError, match="is not the name of a WARC file"):
        read_response(tmp_path, f"../{tmp_path.name}/{place.file}", place.offset, place.length)


FOLDERS = [
    ("sqlite:///news.db", None, None, "news-warc"),
    ("sqlite:////srv/αρχείο/news.db", None, None, "/srv/αρχείο/news-warc"),
    ("/srv/archive.sqlite", None, None, "/srv/archive.sqlite-warc"),
    ("postgresql+psycopg://news@localhost/news", None, None, "newsarchive-warc"),
    ("sqlite:///news.db", "/data/warc", None, "/data/warc"),
    ("sqlite:///news.db", None, "/env/warc", "/env/warc"),
    ("sqlite:///news.db", "/data/warc", "/env/warc", "/data/warc"),
    ("postgresql+psycopg://news@localhost/news", None, "/env/warc", "/env/warc"),
]


@pytest.mark.parametrize(("url", "configured", "env", "expected"), FOLDERS)
def test_warc_folder_rule(
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    configured: str | None,
    env: str | None,
    expected: str,
) -> None:
    if env is None:
        monkeypatch.delenv("NEWSARCHIVE_WARC_DIR", raising=False)
    else:
        monkeypatch.setenv("NEWSARCHIVE_WARC_DIR", env)
    assert warc_folder(url, configured) == Path(expected)


# --- the middleware ---------------------------------------------------------------------------


def middleware(db_url: str, folder: Path, **settings: Any) -> tuple[RawPagesMiddleware, Any]:
    crawler = get_crawler(
        settings_dict={
            "NEWSARCHIVE_DATABASE_URL": db_url,
            "NEWSARCHIVE_WARC_DIR": str(folder),
            **settings,
        }
    )
    crawler.stats.open_spider()
    return RawPagesMiddleware.from_crawler(crawler), crawler


def article_exchange(
    status: int = 200, *, article: bool = True, url: str = URL
) -> tuple[Request, Response]:
    request = Request(url, meta={ARTICLE: True} if article else {})
    response = HtmlResponse(
        url=url,
        status=status,
        headers={"Content-Type": "text/html; charset=windows-1253"},
        body=GREEK_PAGE.encode("cp1253"),
        request=request,
    )
    return request, response


def raw_pages(db_url: str) -> list[RawPageRow]:
    with Archive(db_url) as archive:
        return list(archive.session.scalars(select(RawPageRow).order_by(RawPageRow.id)))


def test_middleware_keeps_an_article_page_and_its_row(db_url: str, tmp_path: Path) -> None:
    keeper, crawler = middleware(db_url, tmp_path / "warc", NEWSARCHIVE_RUN_ID=7)
    request, response = article_exchange()
    before = datetime.now(UTC)
    assert keeper.process_response(request, response) is response
    keeper.close()
    (row,) = raw_pages(db_url)
    fetched_at = request.meta[FETCHED_AT]
    assert row.fetched_at == fetched_at and before <= fetched_at <= datetime.now(UTC)
    assert (row.url, row.status, row.crawl_run_id) == (URL, 200, 7)
    assert row.content_type == "text/html; charset=windows-1253"
    with Archive(db_url) as archive:
        assert archive.raw_page_id(URL, fetched_at) == row.id
    stored = read_response(tmp_path / "warc", row.warc_file, row.warc_offset, row.warc_length)
    assert stored.body == GREEK_PAGE.encode("cp1253")
    assert stored.warc_date == fetched_at
    assert row.payload_sha256 == hashlib.sha256(stored.body).hexdigest()
    assert crawler.stats.get_value("newsarchive/raw_pages/kept") == 1


@pytest.mark.parametrize(
    ("status", "article"),
    [(404, True), (301, True), (200, False)],
    ids=["not found", "redirect", "not an article request"],
)
def test_middleware_keeps_only_good_article_responses(
    db_url: str, tmp_path: Path, status: int, article: bool
) -> None:
    keeper, _ = middleware(db_url, tmp_path / "warc")
    request, response = article_exchange(status, article=article)
    assert keeper.process_response(request, response) is response
    keeper.close()
    assert FETCHED_AT not in request.meta
    assert raw_pages(db_url) == []
    assert not (tmp_path / "warc").exists()


def test_raw_pages_can_be_turned_off(db_url: str, tmp_path: Path) -> None:
    with pytest.raises(NotConfigured):
        middleware(db_url, tmp_path / "warc", NEWSARCHIVE_RAW_PAGES=False)


def test_a_page_that_cannot_be_kept_is_counted_and_logged_once(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "warc"
    blocker.write_text("a file where the WARC folder should be")
    keeper, crawler = middleware(db_url, blocker)
    request, response = article_exchange()
    with caplog.at_level(logging.ERROR, logger="newsarchive.crawl.raw_pages"):
        assert keeper.process_response(request, response) is response
    keeper.close()
    assert crawler.stats.get_value(NOT_KEPT) == 1
    (line,) = [record.getMessage() for record in caplog.records]
    assert f"raw page of {URL} not kept in {blocker}" in line and "\n" not in line
    assert FETCHED_AT not in request.meta  # the record gets its own time; no row to point to
    assert raw_pages(db_url) == []


def test_fetch_times_of_two_pages_differ_and_each_finds_its_row(
    db_url: str, tmp_path: Path
) -> None:
    keeper, _ = middleware(db_url, tmp_path / "warc")
    moments = []
    for url in (URL, URL + "?amp=1"):  # the same page under two URLs
        request, response = article_exchange(url=url)
        keeper.process_response(request, response)
        moments.append(request.meta[FETCHED_AT])
    keeper.close()
    assert moments[1] - moments[0] >= timedelta(0)
    with Archive(db_url) as archive:
        ids = [
            archive.raw_page_id(url, moment)
            for url, moment in zip((URL, URL + "?amp=1"), moments, strict=True)
        ]
    assert ids == [row.id for row in raw_pages(db_url)]

"""`newsarchive import`: an export read back through the store path, versions and stories kept,
bad lines reported by number and skipped, input that is no export refused before any write."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from newsarchive.archive import Archive
from newsarchive.archive.models import AliasRow, ArticleRow, CrawlRunRow, VersionRow
from newsarchive.cli import main
from newsarchive.commands.transfer import MAX_SHOWN
from newsarchive.extract import extract
from newsarchive.query import history, stories, story_record
from newsarchive.text import content_hash
from tests.conftest import site_fixtures
from tests.test_query import NET_ALIAS, NET_URL, TV_URL, build_storied


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def exported(db: str) -> list[str]:
    code, out, err = run("export", "--db", db)
    assert code == 0, err
    return out.splitlines()


@pytest.fixture
def source(tmp_path: Path) -> str:
    """A SQLite archive holding every fixture site's page and the storied articles: a story of
    two copies, an article with two versions, an alias."""
    url = f"sqlite:///{tmp_path / 'source.db'}"
    build_storied(url)
    with Archive(url) as archive:
        for fixture in site_fixtures():
            archive.store(extract(fixture.read_html(), fixture.url, fetched_at=fixture.fetched_at))
    return url


def count(db: str, table: Any = ArticleRow) -> int:
    with Archive(db, read_only=True) as archive:
        return archive.session.scalar(select(func.count()).select_from(table)) or 0


def test_export_then_import_gives_the_same_records(
    source: str, db_url: str, tmp_path: Path
) -> None:
    lines = exported(source)
    dump = tmp_path / "archive.jsonl"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run("import", str(dump), "--db", db_url)
    assert code == 0, err
    assert f"{len(lines)} imported, 0 unchanged, 0 skipped" in out
    again = exported(db_url)
    # Everything is kept, first_seen_at and extractor versions too. Only the order can differ:
    # articles published at the same moment (or undated) come newest row first, and import
    # numbers the rows anew in the order it reads them.
    assert sorted(again) == sorted(lines)
    assert [json.loads(line)["published_at"] for line in again] == [
        json.loads(line)["published_at"] for line in lines
    ]
    assert count(db_url, VersionRow) == count(source, VersionRow) == len(lines) + 1
    with Archive(source, read_only=True) as before, Archive(db_url, read_only=True) as after:
        assert [story_record(s) for s in stories(after.session)] == [
            story_record(s) for s in stories(before.session)
        ]
        old, new = history(before.session, TV_URL), history(after.session, TV_URL)
        assert old is not None and new is not None and len(new.versions) == 2
        assert [(v.record, v.diffs, v.changed) for v in new.versions] == [
            (v.record, v.diffs, v.changed) for v in old.versions
        ]
        found = history(after.session, NET_ALIAS)  # the alias is kept
        assert found is not None and found.canonical_url == NET_URL


def test_export_piped_into_import_on_stdin(source: str, db_url: str) -> None:
    lines = exported(source)
    code, _, err = run("import", "-", "--db", db_url, stdin=("\n".join(lines) + "\n").encode())
    assert code == 0, err
    assert sorted(exported(db_url)) == sorted(lines)


def test_a_second_import_changes_nothing_and_runs_are_recorded(source: str, tmp_path: Path) -> None:
    dump = tmp_path / "archive.jsonl"
    dump.write_text("\n".join(exported(source)) + "\n", encoding="utf-8")
    target = f"sqlite:///{tmp_path / 'target.db'}"
    assert run("import", str(dump), "--db", target)[0] == 0
    before = exported(target)
    code, out, _ = run("import", str(dump), "--db", target)
    assert code == 0 and f"0 imported, {len(before)} unchanged, 0 skipped" in out
    assert exported(target) == before
    with Archive(target, read_only=True) as archive:
        runs = archive.session.scalars(select(CrawlRunRow).order_by(CrawlRunRow.id)).all()
    assert [(run.kind, run.exit_status) for run in runs] == [("import", 0), ("import", 0)]
    first, second = runs
    assert first.sites == sorted({json.loads(line)["site"] for line in before})
    assert first.counts["new"] == len(before) and first.counts["lines"] == len(before)
    assert second.counts["unchanged"] == len(before) and second.counts["dropped"] == {}
    assert first.coverage["larissanet"]["headline"] == 1.0
    assert first.finished_at is not None
    with Archive(target, read_only=True) as archive:
        made = archive.session.scalars(select(VersionRow.crawl_run_id)).all()
    assert set(made) == {first.id}


# --- bad lines: reported by number, skipped, nothing of them written --------------------------


def good_line(slug: str) -> dict[str, Any]:
    data = {
        "canonical_url": f"https://www.larissanet.gr/2026/02/10/{slug}/",
        "url": f"https://www.larissanet.gr/2026/02/10/{slug}/",
        "site": "larissanet",
        "region": "larisa",
        "headline": f"Κλειστός ο δρόμος Λάρισας – Τρικάλων ({slug})",
        "lead": None,
        "body": f"Κλειστός παραμένει από το πρωί ο δρόμος Λάρισας – Τρικάλων, αριθμός {slug}.",
        "section": "ΛΑΡΙΣΑ",
        "tags": ["Τροχαία"],
        "authors": [],
        "images": [{"url": "https://www.larissanet.gr/a.jpg", "caption": "Ο δρόμος"}],
        "published_at": "2026-02-10T09:15:00+02:00",
        "published_raw": "10/02/2026 09:15",
        "modified_at": None,
        "modified_raw": None,
        "language": "el",
        "fetched_at": "2026-02-10T12:00:00+02:00",
        "first_seen_at": "2026-02-10T12:00:05+02:00",
        "content_hash": "",
        "provenance": {"headline": "jsonld"},
        "is_teaser": False,
        "source_credit": None,
        "story": None,
        "versions": 1,
        "extractor_version": "0.1.0",
    }
    data["content_hash"] = content_hash(data["headline"], data["lead"], data["body"])
    return data


def changed(**values: Any) -> dict[str, Any]:
    return {**good_line("bad"), **values}


def without(name: str) -> dict[str, Any]:
    data = good_line("bad")
    del data[name]
    return data


def with_history(*versions: dict[str, Any], count: int | None = None) -> dict[str, Any]:
    return {**good_line("bad"), "versions": count or len(versions) + 1, "history": list(versions)}


def earlier(number: int = 1, **values: Any) -> dict[str, Any]:
    record = {
        name: value
        for name, value in good_line("bad").items()
        if name not in ("first_seen_at", "story", "versions", "extractor_version")
    }
    return {
        "number": number,
        "fetched_at": "2026-02-09T12:00:00+02:00",
        "extractor_version": "0.1.0",
        "changed": [],
        "record": with_hash({**record, "headline": "Κλειστός ο δρόμος", **values}),
    }


def with_hash(record: dict[str, Any]) -> dict[str, Any]:
    return {
        **record,
        "content_hash": content_hash(record["headline"], record["lead"], record["body"]),
    }


BAD_LINES = [
    pytest.param('{"canonical_url": "https://www.larissanet.gr/x/",', "not JSON (", id="cut"),
    pytest.param("Λάρισα", "not JSON (Expecting value)", id="text"),
    pytest.param("[1, 2]", "is not an object", id="array"),
    pytest.param(json.dumps("Λάρισα"), '"Λάρισα" is not an object', id="string"),
    pytest.param(without("body"), "missing field(s) body", id="missing"),
    pytest.param(
        changed(fetched_at="2026-02-10T12:00:00"),
        "fetched_at '2026-02-10T12:00:00' has no time zone",
        id="naive",
    ),
    pytest.param(changed(published_at="10/02/2026"), "is not an ISO 8601 datetime", id="date"),
    pytest.param(changed(tags="Τροχαία"), 'tags is "Τροχαία", not a list of texts', id="tags"),
    pytest.param(changed(images=[{"src": "a.jpg"}]), "not a list of {url, caption}", id="images"),
    pytest.param(changed(region="attiki"), "region 'attiki' is not one of larisa", id="region"),
    pytest.param(changed(headline=None), "headline is null, not a text", id="headline"),
    pytest.param(changed(is_teaser="no"), "is_teaser is", id="teaser"),
    pytest.param(changed(canonical_url="ftp://x/"), "not an absolute http(s) URL", id="url"),
    pytest.param(changed(story=""), "not a story's key or null", id="story"),
    pytest.param(
        changed(versions=3), "versions is 3, but the line holds 1 version(s)", id="versions"
    ),
    pytest.param(changed(aliases="https://x/"), "aliases is", id="aliases"),
    pytest.param(changed(extractor_version=7), "extractor_version is 7", id="extractor"),
    pytest.param(with_history(earlier(number=2)), "history[0]: number is 2, not 1", id="number"),
    pytest.param(
        with_history(earlier(fetched_at="2026-02-09T12:00")),
        "history[0]: fetched_at '2026-02-09T12:00' has no time zone",
        id="history-naive",
    ),
    pytest.param(with_history(earlier(), count=4), "versions is 4", id="history-count"),
    pytest.param(changed(history=[]), "history is [], not a list of versions", id="history-empty"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_LINES)
def test_a_bad_line_is_reported_by_number_and_skipped(
    tmp_path: Path, bad: Any, reason: str
) -> None:
    text = bad if isinstance(bad, str) else json.dumps(bad, ensure_ascii=False)
    lines = [
        json.dumps(good_line("one"), ensure_ascii=False),
        "",
        text,
        json.dumps(good_line("two")),
    ]
    dump = tmp_path / "in.jsonl"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = f"sqlite:///{tmp_path / 'target.db'}"
    code, out, err = run("import", str(dump), "--db", target)
    assert code == 1
    (message,) = err.splitlines()
    assert message.startswith("newsarchive: line 3: skipped: "), message
    assert reason in message, message
    assert "2 imported, 0 unchanged, 1 skipped" in out
    with Archive(target, read_only=True) as archive:
        urls = set(archive.session.scalars(select(ArticleRow.canonical_url)))
        (run_row,) = archive.session.scalars(select(CrawlRunRow))
    assert urls == {good_line(slug)["canonical_url"] for slug in ("one", "two")}
    assert (run_row.exit_status, run_row.counts["dropped"]) == (1, {"bad line": 1})


def test_lines_that_are_not_utf8_or_too_long_are_bad_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsarchive.commands import transfer

    monkeypatch.setattr(transfer, "MAX_LINE_BYTES", 2000)
    long = json.dumps(changed(body="Λάρισα " * 1000), ensure_ascii=False).encode()
    data = b"\n".join(
        [json.dumps(good_line("one")).encode(), "Λάρισα".encode("iso-8859-7"), long, b"\r"]
    )
    dump = tmp_path / "in.jsonl"
    dump.write_bytes(data + b"\r\n" + json.dumps(good_line("two")).encode() + b"\r\n")
    code, out, err = run("import", str(dump), "--db", str(tmp_path / "target.db"))
    assert code == 1
    assert err.splitlines() == [
        "newsarchive: line 2: skipped: not UTF-8 text",
        "newsarchive: line 3: skipped: longer than 2,000 bytes",
    ]
    assert "2 imported, 0 unchanged, 2 skipped" in out


def test_past_the_first_bad_lines_only_their_number_is_said(tmp_path: Path) -> None:
    dump = tmp_path / "in.jsonl"
    dump.write_text("{\n" * (MAX_SHOWN + 5), encoding="utf-8")
    code, out, err = run("import", str(dump), "--db", str(tmp_path / "target.db"))
    assert code == 1
    shown = err.splitlines()
    assert len(shown) == MAX_SHOWN + 1
    assert shown[-2].startswith(f"newsarchive: line {MAX_SHOWN}: skipped: not JSON")
    assert shown[-1] == "newsarchive: … and 5 more bad line(s) skipped"
    assert f"0 imported, 0 unchanged, {MAX_SHOWN + 5} skipped" in out


def test_a_line_is_imported_whole_or_not_at_all(tmp_path: Path) -> None:
    """A line whose first version is another archived article's text would add its versions to
    that article: the line is rolled back, the other article left as it was."""
    first = good_line("one")
    second = good_line("two")
    text = {name: first[name] for name in ("headline", "body")}
    version = earlier(canonical_url=second["canonical_url"], url=second["url"], **text)
    second.update(versions=2, history=[version])
    dump = tmp_path / "in.jsonl"
    dump.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    target = f"sqlite:///{tmp_path / 'target.db'}"
    code, _, err = run("import", str(dump), "--db", target)
    assert code == 1
    assert "line 2: skipped: its first version has the text of another archived article" in err
    assert count(target) == 1 and count(target, VersionRow) == 1


def clashing(slug: str, other: dict[str, Any]) -> dict[str, Any]:
    """A line whose first version has the text of `other`'s article: it cannot be stored."""
    line = good_line(slug)
    text = {name: other[name] for name in ("headline", "body")}
    version = earlier(canonical_url=line["canonical_url"], url=line["url"], **text)
    return {**line, "versions": 2, "history": [version]}


@pytest.mark.parametrize("batch", [1, 2, 3, 200])
def test_in_batches_every_good_line_is_kept_and_the_bad_ones_are_said_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    from newsarchive.commands import transfer

    monkeypatch.setattr(transfer, "BATCH_LINES", batch)
    one, two, three = good_line("one"), good_line("two"), good_line("three")
    alias = {**one, "aliases": [one["url"].replace("/one/", "/one-again/")]}
    lines = [
        json.dumps(one),
        "{",
        json.dumps(clashing("clash", one)),
        json.dumps(two),
        "[1]",
        json.dumps(alias),  # the article of line 1, in the same batch or an earlier one
        json.dumps(clashing("clash-again", two)),
        json.dumps(three),
    ]
    dump = tmp_path / "in.jsonl"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = f"sqlite:///{tmp_path / 'target.db'}"
    code, out, err = run("import", str(dump), "--db", target)
    assert code == 1
    assert [line.split(": skipped: ")[0] for line in err.splitlines()] == [
        f"newsarchive: line {number}" for number in (2, 3, 5, 7)
    ]
    assert "3 imported, 1 unchanged, 4 skipped" in out
    with Archive(target, read_only=True) as archive:
        urls = set(archive.session.scalars(select(ArticleRow.canonical_url)))
        (run_row,) = archive.session.scalars(select(CrawlRunRow))
    assert urls == {line["canonical_url"] for line in (one, two, three)}
    assert (count(target, VersionRow), count(target, AliasRow)) == (3, 1)
    assert run_row.counts["dropped"] == {"bad line": 4}
    assert (run_row.counts["lines"], run_row.counts["new"]) == (8, 3)


# --- refused before anything is written -----------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def sqlite_file(path: Path) -> None:
    with Archive(f"sqlite:///{path}") as archive:
        archive.close()


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (None, "cannot read"),
        ("folder", "it is a folder"),
        (PNG, "is a binary file, not an export"),
        (gzip.compress(b'{"a": 1}\n'), "is gzip-compressed: give it uncompressed"),
        ("sqlite", "is a SQLite archive, not an export"),
        ("Λάρισα".encode("iso-8859-7") + b"\n", "is not UTF-8 text"),
        (b'[\n  {"canonical_url": "https://x/"}\n]\n', "holds a JSON array"),
        (b"canonical_url,url,site\nhttps://x/,https://x/,x\n", "is a CSV export"),
    ],
    ids=["missing", "folder", "png", "gzip", "sqlite", "greek-8bit", "json-array", "csv"],
)
def test_input_that_is_no_export_is_refused_before_anything_is_written(
    tmp_path: Path, make: Any, fragment: str
) -> None:
    given = tmp_path / "input"
    if make == "folder":
        given.mkdir()
    elif make == "sqlite":
        sqlite_file(given)
    elif make is not None:
        given.write_bytes(make)
    before = sorted(path.name for path in tmp_path.iterdir())
    code, out, err = run("import", str(given), "--db", str(tmp_path / "target.db"))
    assert code == 2 and out == ""
    (message,) = err.splitlines()
    assert message.startswith("newsarchive: error: ") and fragment in message, message
    assert sorted(path.name for path in tmp_path.iterdir()) == before  # no archive made


def test_an_empty_file_imports_nothing(tmp_path: Path) -> None:
    dump = tmp_path / "empty.jsonl"
    dump.write_bytes(b"")
    code, out, _ = run("import", str(dump), "--db", str(tmp_path / "target.db"))
    assert code == 0 and "0 imported, 0 unchanged, 0 skipped" in out


def test_an_archive_in_memory_is_refused(tmp_path: Path) -> None:
    dump = tmp_path / "in.jsonl"
    dump.write_text(json.dumps(good_line("one")) + "\n", encoding="utf-8")
    code, out, err = run("import", str(dump), "--db", "sqlite://")
    assert (code, out) == (2, "") and "in memory keeps nothing" in err

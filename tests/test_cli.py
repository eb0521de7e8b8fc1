"""The command line: every command's help, output formats, and bad input refused on one line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsarchive.archive import Archive
from newsarchive.cli import main
from newsarchive.extract import extract
from tests.conftest import site_fixtures

COMMANDS = ["crawl", "search", "export", "extract", "sites", "demo"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def filled_db(db_url: str) -> str:
    """An archive holding every fixture site's article, extracted without a crawl."""
    with Archive(db_url) as archive:
        for fixture in site_fixtures():
            archive.upsert(extract(fixture.read_html(), fixture.url, fetched_at=fixture.fetched_at))
    return db_url


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    code, out, _ = run(command, "-h")
    assert code == 0
    assert "Example:" in out and f"newsarchive {command}" in out


@pytest.mark.parametrize("query", ["λαρισα", "ΛΑΡΙΣΑ", "Λάρισα", "λάρισα", "ΛAPIΣA"])
def test_search_ignores_case_accents_and_latin_lookalikes(filled_db: str, query: str) -> None:
    code, out, _ = run("search", query, "--db", filled_db, "--format", "json")
    assert code == 0
    headlines = [row["headline"] for row in json.loads(out)]
    assert "Ημερίδα για την κοινωνική καινοτομία από την περιφέρεια Θεσσαλίας (ΦΩΤΟ)" in headlines


def test_search_json_keeps_greek_unescaped(filled_db: str) -> None:
    code, out, _ = run("search", "καινοτομία", "--db", filled_db, "--format", "json")
    assert code == 0
    assert "Ημερίδα" in out and "\\u" not in out


def test_search_table_lists_date_site_and_headline(filled_db: str) -> None:
    code, out, _ = run("search", "τρακτέρ", "--db", filled_db)
    assert code == 0
    assert re.search(r"2026-02-10 18:42 +larissanet +Τα τρακτέρ επιστρέφουν στα χωράφια", out)


@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
def test_export_writes_every_record(filled_db: str, tmp_path: Path, output_format: str) -> None:
    target = tmp_path / f"out.{output_format}"
    code, _, err = run("export", "--format", output_format, "-o", str(target), "--db", filled_db)
    assert code == 0
    assert f"{len(site_fixtures())} article(s) exported" in err
    text = target.read_text(encoding="utf-8")
    assert "Ημερίδα για την κοινωνική καινοτομία" in text and "\\u03" not in text


def test_extract_prints_the_record_as_json(tmp_path: Path) -> None:
    fixture = next(f for f in site_fixtures() if f.slug.startswith("imerida"))
    code, out, _ = run("extract", str(fixture.html), "--url", fixture.url)
    assert code == 0
    record = json.loads(out)
    assert record["headline"] == fixture.expected["headline"]
    assert record["provenance"]["body"] == "selector"


def test_sites_lists_every_source_as_json() -> None:
    code, out, _ = run("sites", "--format", "json")
    assert code == 0
    names = [row["name"] for row in json.loads(out)]
    assert {"thessaliatv", "larissanet"} <= set(names)


def one_line_error(args: list[str], fragment: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "error:" in err and fragment in err, err


def test_unknown_site_is_refused_listing_the_known_ones(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    one_line_error(["crawl", "nosuchsite", "--db", str(db)], "known sites: larissanet, ")
    assert not db.exists()


@pytest.mark.parametrize(
    ("db", "fragment"),
    [
        ("bogus://x", "unsupported database URL"),
        ("postgresql://user@host:notaport/db", "malformed database URL"),
        ("://x", "malformed database URL"),
        ("sqlite:////nonexistent-folder/archive.db", "does not exist"),
    ],
)
def test_bad_database_urls_are_refused_before_crawling(db: str, fragment: str) -> None:
    one_line_error(["crawl", "thessaliatv", "--db", db], fragment)


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    not_db = tmp_path / "notes.db"
    not_db.write_bytes(b"these are my notes, not a database\n")
    one_line_error(["crawl", "thessaliatv", "--db", str(not_db)], "file is not a database")
    assert not_db.read_bytes() == b"these are my notes, not a database\n"


def test_search_of_a_missing_archive_does_not_create_one(tmp_path: Path) -> None:
    one_line_error(["search", "Λάρισα", "--db", str(tmp_path / "none.db")], "no archive at")
    assert not (tmp_path / "none.db").exists()


def test_empty_search_is_refused(filled_db: str) -> None:
    one_line_error(["search", "  ", "--db", filled_db], "empty search")


@pytest.mark.parametrize("content", [b"just some text\n", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"])
def test_extract_refuses_a_file_that_is_not_html(tmp_path: Path, content: bytes) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(content)
    one_line_error(
        ["extract", str(page), "--url", "https://www.thessaliatv.gr/news/1/"], "is not an HTML page"
    )


def test_extract_refuses_a_relative_url(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Κείμενο</p></body></html>", encoding="utf-8")
    one_line_error(["extract", str(page), "--url", "news/185511"], "not an absolute http(s) URL")


def test_export_to_a_missing_folder_is_refused(filled_db: str, tmp_path: Path) -> None:
    one_line_error(
        ["export", "-o", str(tmp_path / "no" / "out.jsonl"), "--db", filled_db], "does not exist"
    )


def test_usage_errors_are_one_line_too() -> None:
    one_line_error(["extract", "page.html"], "Missing option '--url'")


def test_crawl_needs_sites_or_all() -> None:
    one_line_error(["crawl"], "name the sites to crawl, or give --all")


def test_extract_takes_a_file_url_of_a_saved_page() -> None:
    fixture = next(f for f in site_fixtures() if f.slug.startswith("imerida"))
    code, out, _ = run("extract", f"file://{fixture.html}", "--url", fixture.url)
    assert code == 0
    assert json.loads(out)["canonical_url"] == fixture.expected["canonical_url"]


def test_extract_of_a_missing_file_is_refused(tmp_path: Path) -> None:
    one_line_error(
        ["extract", str(tmp_path / "gone.html"), "--url", "https://a.gr/x"], "cannot read"
    )

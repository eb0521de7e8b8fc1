"""The command line: every command's help, output formats, filters, and bad input refused on one
line."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

import newsarchive
from newsarchive import cli
from newsarchive.archive import Archive
from newsarchive.cli import main
from newsarchive.extract import extract
from newsarchive.query import RECORD_FIELDS, SITE_FIELDS
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
    return next(f for f in site_fixtures() if f.slug.startswith("imerida"))


# --- every command: help with an example, and a README section ---------------------------------


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every registered command, as the words that invoke it (subgroups walked too)."""
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, (*prefix, name))


COMMAND_PATHS = list(command_paths(main))


def test_the_commands_are_found() -> None:
    assert {"crawl", "search", "export", "extract", "savefixture", "sites", "demo"} <= {
        path[0] for path in COMMAND_PATHS
    }


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
        assert list(rows[0]) == list(SITE_FIELDS if command == "sites" else RECORD_FIELDS)


def test_search_export_and_extract_give_the_same_record(filled_db: str) -> None:
    fixture = imerida()
    _, searched, _ = run("search", "καινοτομία", "--db", filled_db, "--format", "json")
    _, exported, _ = run("export", "--db", filled_db, "--site", "thessaliatv")
    _, extracted, _ = run(
        "extract", str(fixture.html), "--url", fixture.url, "--fetched-at", str(fixture.fetched_at)
    )
    (from_search,) = json.loads(searched)
    from_export = next(
        row
        for row in map(json.loads, exported.splitlines())
        if row["canonical_url"] == from_search["canonical_url"]
    )
    from_extract = json.loads(extracted)
    assert list(from_search) == list(from_export) == list(from_extract) == list(RECORD_FIELDS)
    assert from_search == from_export
    assert from_extract["first_seen_at"] is None
    assert {**from_search, "first_seen_at": None} == from_extract


def test_output_file_is_written_whole_or_not_at_all(
    filled_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "articles.jsonl"
    target.write_text("the previous export\n", encoding="utf-8")
    calls: list[object] = []

    def failing_record(row: object) -> dict[str, Any]:
        calls.append(row)
        if len(calls) == 3:
            raise RuntimeError("the archive went away")
        return {"n": len(calls)}

    monkeypatch.setattr(cli, "record", failing_record)
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
    both = ["--site", "larissanet", "--site", "thessaliatv"]
    assert urls_of(["export", "--db", filled_db, *both]) == every
    assert urls_of(["export", "--db", filled_db, "--limit", "2"]) == every[:2]
    assert urls_of(["export", "--db", filled_db, "--region", "magnisia"]) == []
    assert urls_of(["export", "--db", filled_db, "--since", "2026-02-10", "--until", "2026-02-10"])
    assert urls_of(["search", "λαρισα", "--db", filled_db, "--section", "λαρισα"]) == [
        "https://www.thessaliatv.gr/news/185511/",
        *urls_of(["export", "--db", filled_db, "--site", "larissanet", "--section", "ΛΑΡΙΣΑ"]),
    ]
    assert urls_of(["search", "λαρισα", "--db", filled_db, "--until", "2000-01-01"]) == []


@pytest.mark.parametrize("command", ["search", "export"])
def test_unknown_site_is_refused_before_anything_is_opened(command: str, tmp_path: Path) -> None:
    db, target = tmp_path / "none.db", tmp_path / "out.jsonl"
    args = [command, *(["λάρισα"] if command == "search" else []), "--db", str(db)]
    one_line_error(
        [*args, "--site", "larissanet", "--site", "nosuchsite", "-o", str(target)],
        "unknown site 'nosuchsite'; known sites: larissanet, ",
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
        ("nosuchsite", None, "out.json", "unknown site 'nosuchsite'; known sites: larissanet, "),
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

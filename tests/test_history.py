"""`newsarchive history` and `newsarchive stories`, and what search and export show of an
article's story and versions, on the command line."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsarchive.cli import main
from newsarchive.commands.history import HISTORY_FIELDS
from newsarchive.query import STORY_FIELDS, VERSION_FIELDS
from tests.test_query import NET_ALIAS, NET_URL, OTHER_URL, TV_URL, build_storied


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def storied_db(db_url: str) -> str:
    build_storied(db_url)
    return db_url


def test_history_table_shows_each_version_and_the_word_diff(storied_db: str) -> None:
    code, out, err = run("history", TV_URL, "--db", storied_db)
    assert code == 0, err
    assert err == "2 version(s)\n"
    lines = out.splitlines()
    assert lines[0] == f"{TV_URL} (thessaliatv): 2 version(s)"
    assert re.fullmatch(r"version 1  fetched 2026-02-10 13:00  extractor \S+  first seen", lines[2])
    assert re.fullmatch(
        r"version 2  fetched 2026-02-11 11:00  extractor \S+  changed: headline, body", lines[4]
    )
    assert lines[5:] == [
        "  headline: Ενίσχυση [-κτηνοτρόφων-]{+κτηνοτρόφων: αιτήσεις έως 28 Φεβρουαρίου+}",
        "  body: … αιτήσεις υποβάλλονται ηλεκτρονικά έως [-το τέλος του μήνα,-]"
        "{+τις 28 Φεβρουαρίου,+} ενώ οι δικαιούχοι θα …",
    ]


@pytest.mark.parametrize("output_format", ["json", "jsonl", "csv"])
def test_history_gives_versions_with_records_and_diffs(storied_db: str, output_format: str) -> None:
    code, out, err = run("history", TV_URL, "--db", storied_db, "--format", output_format)
    assert code == 0, err
    assert "Ενίσχυση" in out and "\\u03" not in out
    if output_format == "json":
        versions = json.loads(out)
    elif output_format == "jsonl":
        versions = [json.loads(line) for line in out.splitlines()]
    else:
        versions = [
            {**row, "number": int(row["number"]), "diffs": json.loads(row["diffs"])}
            for row in csv.DictReader(io.StringIO(out))
        ]
    assert [list(version) for version in versions] == [list(HISTORY_FIELDS)] * 2
    assert [version["number"] for version in versions] == [1, 2]
    assert versions[0]["diffs"] == {} and set(versions[1]["diffs"]) == {"headline", "body"}
    assert versions[1]["fetched_at"] == "2026-02-11T11:00:00+02:00"
    if output_format != "csv":
        assert versions[1]["changed"] == ["headline", "body"]
        assert list(versions[0]["record"]) == list(VERSION_FIELDS)
        assert versions[0]["record"]["headline"] == "Ενίσχυση κτηνοτρόφων"


def test_history_of_an_alias_is_its_article(storied_db: str) -> None:
    code, out, _ = run("history", NET_ALIAS, "--db", storied_db, "--format", "jsonl")
    assert code == 0
    (version,) = map(json.loads, out.splitlines())
    assert version["canonical_url"] == NET_URL and version["number"] == 1


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("https://www.thessaliatv.gr/news/1/", "no archived article is known by https://www."),
        ("Λάρισα", "no archived article is known by Λάρισα"),
        ("https://x/\x1b[2J", "known by https://x/\\x1b[2J"),
        (" ", "give the article's URL"),
    ],
)
def test_history_of_an_unknown_url_is_one_line_exit_2(
    storied_db: str, url: str, fragment: str
) -> None:
    code, out, err = run("history", url, "--db", storied_db)
    assert (code, out) == (2, "")
    (message,) = err.splitlines()
    assert message.startswith("newsarchive: error: ") and fragment in message, message


def test_history_of_a_missing_archive_makes_none(tmp_path: Path) -> None:
    code, _, err = run("history", TV_URL, "--db", str(tmp_path / "none.db"))
    assert code == 2 and "no archive at" in err
    assert list(tmp_path.iterdir()) == []


def test_stories_table_marks_the_first_publisher(storied_db: str) -> None:
    code, out, err = run("stories", "--db", storied_db)
    assert code == 0 and err == "1 story(ies)\n"
    heading, _, first, second = out.splitlines()
    assert heading.split() == ["story", "published", "site", "headline", "url"]
    assert re.fullmatch(r"1 +2026-02-10 09:00 +larissanet\* +Ξεκινά η ενίσχυση +\S+", first)
    assert first.endswith(NET_URL) and second.endswith(TV_URL)
    assert re.fullmatch(r" +2026-02-10 12:00 +thessaliatv +Ενίσχυση κτηνοτρόφων: .+", second)


@pytest.mark.parametrize("output_format", ["json", "jsonl", "csv"])
def test_stories_in_every_format(storied_db: str, output_format: str) -> None:
    code, out, _ = run("stories", "--db", storied_db, "--format", output_format)
    assert code == 0 and "Ξεκινά" in out and "\\u03" not in out
    if output_format == "json":
        (story,) = json.loads(out)
    elif output_format == "jsonl":
        (story,) = map(json.loads, out.splitlines())
    else:
        (story,) = csv.DictReader(io.StringIO(out))
        story["copies"] = json.loads(story["copies"])
    assert list(story) == list(STORY_FIELDS)
    assert (story["key"], story["first_url"]) == (TV_URL, NET_URL)
    assert [copy["url"] for copy in story["copies"]] == [NET_URL, TV_URL]


def test_stories_filters_and_bad_options(storied_db: str) -> None:
    code, out, _ = run("stories", "--db", storied_db, "--since", "2026-02-11", "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    code, _, err = run("stories", "--db", storied_db, "--since", "χθες")
    assert code == 2 and "--since 'χθες' is not an ISO date" in err


def test_search_and_export_show_story_and_versions(storied_db: str) -> None:
    code, out, _ = run("search", "κτηνοτρόφων", "--db", storied_db, "--format", "json")
    assert code == 0
    shown = {row["canonical_url"]: (row["story"], row["versions"]) for row in json.loads(out)}
    assert shown == {TV_URL: (TV_URL, 2), NET_URL: (TV_URL, 1), OTHER_URL: (None, 1)}
    code, table, _ = run("search", "κτηνοτρόφων", "--db", storied_db)
    assert code == 0 and table.split("\n", 1)[0].split()[-2:] == ["versions", "story"]
    assert re.search(rf"{re.escape(TV_URL)} +2 +{re.escape(TV_URL)}$", table, flags=re.M)
    code, out, _ = run("export", "--db", storied_db)
    exported = {row["canonical_url"]: row for row in map(json.loads, out.splitlines())}
    assert [entry["number"] for entry in exported[TV_URL]["history"]] == [1]
    assert exported[NET_URL]["aliases"] == [NET_ALIAS]
    assert "history" not in exported[NET_URL] and "aliases" not in exported[TV_URL]
    code, out, _ = run("export", "--db", storied_db, "--format", "csv")
    rows = {row["canonical_url"]: row for row in csv.DictReader(io.StringIO(out))}
    assert (rows[TV_URL]["story"], rows[TV_URL]["versions"]) == (TV_URL, "2")
    assert rows[OTHER_URL]["story"] == ""
    assert "history" not in rows[TV_URL]

"""`newsarchive stats` and `newsarchive.stats.counts` against real archives (SQLite, and
PostgreSQL where configured): counts per Athens day, week and month, per site, region and
section; zero-filled periods; DST edges; tidy CSV/JSON with Greek unescaped; bad options."""

from __future__ import annotations

import csv
import io
import json
import struct
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

import newsarchive.commands.stats  # noqa: F401  (adds `stats` to main)
from newsarchive.archive import Archive
from newsarchive.archive.models import StoryRow
from newsarchive.cli import main
from newsarchive.dates import ATHENS
from newsarchive.filters import Filters
from newsarchive.items import Article
from newsarchive.stats import (
    MAX_PERIODS,
    NO_GROUP,
    Counts,
    TooManyPeriodsError,
    counts,
    counts_rows,
    period_starts,
)
from newsarchive.text import content_hash
from tests.conftest import REPO
from tests.test_similarity import TEXTS

FETCHED = datetime(2025, 8, 1, 9, 0, tzinfo=UTC)
HOSTS = {
    "larissanet": "www.larissanet.gr",
    "thessaliatv": "www.thessaliatv.gr",
    "e_thessalia": "www.e-thessalia.gr",
    "trikaladay": "trikaladay.gr",
}
REGION = {"larissanet": "larisa", "thessaliatv": "larisa", "e_thessalia": "magnisia"}


def article(
    slug: str, site: str, published: datetime | None, section: str | None, said: str = ""
) -> Article:
    made = Article(
        url=f"https://{HOSTS[site]}/{slug}/",
        canonical_url=f"https://{HOSTS[site]}/{slug}/",
        site=site,
        region=REGION.get(site, "trikala"),
        headline=f"Είδηση {slug}",
        body=f"Το κείμενο της είδησης {slug}, με λέξεις δικές του: {slug} {slug}. {said}",
        section=section,
        published_at=published,
        fetched_at=FETCHED,
    )
    made.content_hash = content_hash(made.headline, made.lead, made.body)
    return made


def athens(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ATHENS)  # type: ignore[misc]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


ARTICLES = [
    article("monday", "larissanet", athens(2025, 1, 6, 10, 0), "ΛΑΡΙΣΑ", "Πλημμύρες στη Λάρισα."),
    # 23:30 UTC in winter is 01:30 of the next Athens day
    article("late-utc", "larissanet", utc(2025, 1, 7, 23, 30), "Λάρισα"),
    article("sunday-night", "thessaliatv", utc(2025, 1, 12, 21, 59), "ΑΘΛΗΤΙΚΑ"),
    article("monday-midnight", "thessaliatv", utc(2025, 1, 12, 22, 0), None),
    article("february-first", "e_thessalia", utc(2025, 1, 31, 22, 30), "ΒΟΛΟΣ"),
    article(
        "february", "e_thessalia", athens(2025, 2, 20, 12, 0), "ΒΟΛΟΣ", "Η πλημμύρα στον Βόλο."
    ),
    article("february-monday", "larissanet", athens(2025, 2, 3, 9, 0), "ΛΑΡΙΣΑ"),
    article("before-dst", "trikaladay", utc(2025, 3, 29, 22, 30), None),
    # 23:30 UTC in summer is 02:30 of the next Athens day
    article("summer", "trikaladay", utc(2025, 7, 14, 23, 30), "Τρίκαλα", "Ζέστη, όχι πλημμύρα."),
    article("undated", "larissanet", None, "ΛΑΡΙΣΑ", "Μια ΠΛΗΜΜΥΡΑ χωρίς ημερομηνία."),
    article("undated-too", "trikaladay", None, None),
]
DATED = 9


@pytest.fixture
def archive_url(db_url: str) -> str:
    with Archive(db_url) as archive:
        for item in ARTICLES:
            archive.store(item)
    return db_url


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["stats", *args])
    return result.exit_code, result.stdout, result.stderr


def sparse(found: Counts) -> dict[str, dict[str, int]]:
    """The counts' non-zero cells: period → group → articles."""
    cells: dict[str, dict[str, int]] = {}
    for label, values in found.series.items():
        for period, number in zip(found.periods, values, strict=True):
            if number:
                cells.setdefault(period, {})[label] = number
    return cells


WEEKS_2025 = 28
"""From the week of 6 January 2025 to the week of 14 July 2025."""

CASES: list[tuple[str, str | None, dict[str, Any], int, dict[str, dict[str, int]]]] = [
    (
        "month",
        None,
        {},
        7,
        {
            "2025-01": {"": 4},
            "2025-02": {"": 3},
            "2025-03": {"": 1},
            "2025-07": {"": 1},
        },
    ),
    (
        "week",
        None,
        {},
        WEEKS_2025,
        {
            "2025-01-06": {"": 3},
            "2025-01-13": {"": 1},
            "2025-01-27": {"": 1},
            "2025-02-03": {"": 1},
            "2025-02-17": {"": 1},
            "2025-03-24": {"": 1},
            "2025-07-14": {"": 1},
        },
    ),
    (
        "day",
        None,
        {"since": "2025-01-06", "until": "2025-01-13"},
        8,
        {
            "2025-01-06": {"": 1},
            "2025-01-08": {"": 1},
            "2025-01-12": {"": 1},
            "2025-01-13": {"": 1},
        },
    ),
    (
        "month",
        "site",
        {},
        7,
        {
            "2025-01": {"larissanet": 2, "thessaliatv": 2},
            "2025-02": {"e_thessalia": 2, "larissanet": 1},
            "2025-03": {"trikaladay": 1},
            "2025-07": {"trikaladay": 1},
        },
    ),
    (
        "month",
        "region",
        {},
        7,
        {
            "2025-01": {"larisa": 4},
            "2025-02": {"magnisia": 2, "larisa": 1},
            "2025-03": {"trikala": 1},
            "2025-07": {"trikala": 1},
        },
    ),
    (
        "month",
        "section",
        {},
        7,
        {
            # ΛΑΡΙΣΑ and Λάρισα are one section, named as most of its articles spell it
            "2025-01": {"ΛΑΡΙΣΑ": 2, "ΑΘΛΗΤΙΚΑ": 1, NO_GROUP: 1},
            "2025-02": {"ΒΟΛΟΣ": 2, "ΛΑΡΙΣΑ": 1},
            "2025-03": {NO_GROUP: 1},
            "2025-07": {"Τρίκαλα": 1},
        },
    ),
    (
        "week",
        "site",
        {"sites": ["larissanet", "thessaliatv"], "since": "2025-01-08"},
        5,
        {
            "2025-01-06": {"larissanet": 1, "thessaliatv": 1},
            "2025-01-13": {"thessaliatv": 1},
            "2025-02-03": {"larissanet": 1},
        },
    ),
    (
        "day",
        "section",
        {"section": "λαρισα", "until": "2025-01-10"},
        5,
        {"2025-01-06": {"ΛΑΡΙΣΑ": 1}, "2025-01-08": {"ΛΑΡΙΣΑ": 1}},
    ),
    (
        # a range asked for is covered whole, even where nothing was published
        "month",
        None,
        {"since": "2025-04-01", "until": "2025-06-30"},
        3,
        {},
    ),
    ("month", "site", {"region": "karditsa"}, 0, {}),
    # --limit: the newest articles only
    ("month", None, {"limit": 3}, 6, {"2025-02": {"": 1}, "2025-03": {"": 1}, "2025-07": {"": 1}}),
]


@pytest.mark.parametrize(
    ("every", "by", "filters", "periods", "expected"),
    CASES,
    ids=[f"{every}-{by}-{'-'.join(filters) or 'all'}" for every, by, filters, *_ in CASES],
)
def test_counts_per_period_and_group(
    archive_url: str,
    every: str,
    by: str | None,
    filters: dict[str, Any],
    periods: int,
    expected: dict[str, dict[str, int]],
) -> None:
    with Archive(archive_url, read_only=True) as archive:
        found = counts(archive.session, every=every, by=by, filters=Filters.parse(**filters))
    assert len(found.periods) == periods
    assert found.periods == sorted(found.periods)
    assert len(set(found.periods)) == periods
    assert sparse(found) == expected
    assert all(len(values) == periods for values in found.series.values())
    totals = [sum(values) for values in found.series.values()]
    assert totals == sorted(totals, reverse=True)
    if by is None:
        assert list(found.series) == [""]
    expected_groups = {group for cells in expected.values() for group in cells}
    assert set(found.series) == (expected_groups if by else {""})
    assert found.undated == (0 if filters else 2)  # every filter here leaves them out


QUERIES = [
    ("πλημμύρα", "month", None, 7, {"2025-01": {"": 1}, "2025-02": {"": 1}, "2025-07": {"": 1}}, 1),
    (
        "πλημμυρα -Ζέστη",
        "month",
        "site",
        2,
        {"2025-01": {"larissanet": 1}, "2025-02": {"e_thessalia": 1}},
        1,
    ),
    (
        '"πλημμύρα στον Βόλο" OR Λάρισας',
        "week",
        "region",
        7,
        {"2025-01-06": {"larisa": 1}, "2025-02-17": {"magnisia": 1}},
        0,
    ),
    ("ανύπαρκτη", "week", None, 0, {}, 0),
]


@pytest.mark.parametrize(("query", "every", "by", "periods", "expected", "undated"), QUERIES)
def test_a_query_counts_its_matches_over_time(
    archive_url: str,
    query: str,
    every: str,
    by: str | None,
    periods: int,
    expected: dict[str, dict[str, int]],
    undated: int,
) -> None:
    with Archive(archive_url, read_only=True) as archive:
        found = counts(archive.session, every=every, by=by, query=query)
    assert (len(found.periods), sparse(found), found.undated) == (periods, expected, undated)
    assert found.query == query


def test_every_period_of_the_range_is_there_in_order(archive_url: str) -> None:
    with Archive(archive_url, read_only=True) as archive:
        weeks = counts(archive.session, every="week")
        days = counts(archive.session, every="day")
    assert weeks.periods[:3] == ["2025-01-06", "2025-01-13", "2025-01-20"]
    assert weeks.periods[-1] == "2025-07-14"
    assert days.periods[0] == "2025-01-06"
    assert days.periods[-1] == "2025-07-15"
    assert len(days.periods) == 191
    assert days.total == weeks.total == DATED
    assert days.undated == weeks.undated == 2


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (utc(2025, 1, 7, 23, 30), "2025-01-08"),
        (utc(2025, 7, 14, 23, 30), "2025-07-15"),
        # summer time begins at 01:00 UTC on 30 March 2025
        (utc(2025, 3, 29, 21, 59), "2025-03-29"),
        (utc(2025, 3, 29, 22, 0), "2025-03-30"),
        (utc(2025, 3, 30, 20, 59), "2025-03-30"),
        (utc(2025, 3, 30, 21, 0), "2025-03-31"),
        # and ends at 01:00 UTC on 26 October 2025
        (utc(2025, 10, 25, 20, 59), "2025-10-25"),
        (utc(2025, 10, 25, 21, 0), "2025-10-26"),
        (utc(2025, 10, 26, 21, 59), "2025-10-26"),
        (utc(2025, 10, 26, 22, 0), "2025-10-27"),
    ],
)
def test_a_day_is_an_athens_day_across_summer_time(db_url: str, moment: datetime, day: str) -> None:
    with Archive(db_url) as archive:
        archive.store(article("edge", "larissanet", moment, None))
        found = counts(archive.session, every="day")
    assert (found.periods, found.series) == ([day], {"": [1]})


@pytest.mark.parametrize(
    ("first", "last", "every", "expected"),
    [
        ("2024-12-30", "2025-01-05", "week", ["2024-12-30"]),  # ISO week 1 of 2025
        ("2024-12-29", "2025-01-06", "week", ["2024-12-23", "2024-12-30", "2025-01-06"]),
        ("2024-02-28", "2024-03-01", "day", ["2024-02-28", "2024-02-29", "2024-03-01"]),
        (
            "2024-11-30",
            "2025-02-01",
            "month",
            ["2024-11-01", "2024-12-01", "2025-01-01", "2025-02-01"],
        ),
        ("9999-12-31", "9999-12-31", "month", ["9999-12-01"]),
    ],
)
def test_period_starts(first: str, last: str, every: str, expected: list[str]) -> None:
    starts = period_starts(
        datetime.fromisoformat(first).date(), datetime.fromisoformat(last).date(), every
    )
    assert [start.isoformat() for start in starts] == expected


def test_a_range_of_too_many_periods_is_refused() -> None:
    first, last = datetime(2000, 1, 1).date(), datetime(9999, 12, 31).date()
    assert len(period_starts(first, last, "month")) == 8000 * 12
    with pytest.raises(TooManyPeriodsError, match=f"more than {MAX_PERIODS}: count by"):
        period_starts(first, last, "week")


def test_tidy_rows_period_major_with_or_without_group() -> None:
    found = Counts(
        periods=["2025-01", "2025-02"],
        series={"larissanet": [2, 1], "e_thessalia": [0, 2]},
        every="month",
        by="site",
    )
    assert counts_rows(found) == [
        {"period": "2025-01", "group": "larissanet", "articles": 2},
        {"period": "2025-01", "group": "e_thessalia", "articles": 0},
        {"period": "2025-02", "group": "larissanet", "articles": 1},
        {"period": "2025-02", "group": "e_thessalia", "articles": 2},
    ]
    alone = Counts(periods=["2025-01"], series={"": [4]}, every="month")
    assert counts_rows(alone) == [{"period": "2025-01", "articles": 4}]


# --- the command --------------------------------------------------------------------------------

SECTION_CSV = """period,group,articles
2025-01,ΛΑΡΙΣΑ,2
2025-01,ΒΟΛΟΣ,0
2025-01,(χωρίς),1
2025-01,ΑΘΛΗΤΙΚΑ,1
2025-02,ΛΑΡΙΣΑ,1
2025-02,ΒΟΛΟΣ,2
2025-02,(χωρίς),0
2025-02,ΑΘΛΗΤΙΚΑ,0
"""


def test_csv_is_tidy_utf8_with_greek_as_written(archive_url: str, tmp_path: Path) -> None:
    target = tmp_path / "sections.csv"
    code, out, err = run(
        "--every",
        "month",
        "--by",
        "section",
        "--until",
        "2025-02-28",
        "--format",
        "csv",
        "-o",
        str(target),
        "--db",
        archive_url,
    )
    assert (code, out) == (0, "")
    written = target.read_bytes().decode("utf-8")
    assert written.replace("\r\n", "\n") == SECTION_CSV
    assert next(csv.DictReader(io.StringIO(written))) == {
        "period": "2025-01",
        "group": "ΛΑΡΙΣΑ",
        "articles": "2",
    }
    assert err == "7 article(s) in 2 month(s)\n"


@pytest.mark.parametrize("output_format", ["json", "jsonl"])
def test_json_rows_are_counts_rows_with_greek_unescaped(
    archive_url: str, output_format: str
) -> None:
    code, out, err = run("--by", "section", "--format", output_format, "--db", archive_url)
    assert code == 0
    assert "ΛΑΡΙΣΑ" in out and "\\u" not in out
    rows = json.loads(out) if output_format == "json" else list(map(json.loads, out.splitlines()))
    with Archive(archive_url, read_only=True) as archive:
        assert rows == counts_rows(counts(archive.session, by="section"))
    assert len(rows) == WEEKS_2025 * 5
    assert err == f"{DATED} article(s) in {WEEKS_2025} week(s)\n2 undated article(s) left out\n"


def test_table_without_group(archive_url: str) -> None:
    code, out, _ = run("--every", "month", "--site", "trikaladay", "--db", archive_url)
    assert code == 0
    assert out.splitlines() == [
        "period   articles",
        "-------  --------",
        "2025-03  1",
        "2025-04  0",
        "2025-05  0",
        "2025-06  0",
        "2025-07  1",
    ]


def test_table_with_group_names_its_column(archive_url: str) -> None:
    code, out, _ = run(
        "--every", "month", "--by", "region", "--until", "2025-01-31", "--db", archive_url
    )
    assert code == 0
    assert out.splitlines() == [
        "period   region  articles",
        "-------  ------  --------",
        "2025-01  larisa  4",
    ]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_files_are_drawn_beside_the_rows(archive_url: str, tmp_path: Path) -> None:
    svg, png = tmp_path / "trend.svg", tmp_path / "trend.png"
    code, out, _ = run("--every", "month", "--by", "site", "--chart", str(svg), "--db", archive_url)
    assert code == 0 and out.startswith("period")
    drawn = svg.read_text(encoding="utf-8")
    assert "Άρθρα ανά μήνα και ιστότοπο" in drawn
    assert drawn.count('id="series-') == 4
    code, _, _ = run("--chart", str(png), "--chart-size", "640x360", "--db", archive_url)
    assert code == 0
    assert png_size(png.read_bytes()) == (640, 360)


def test_stats_imports_matplotlib_only_for_a_chart(archive_url: str, tmp_path: Path) -> None:
    if not archive_url.startswith("sqlite"):
        pytest.skip("the same on every backend")
    script = (
        "import sys\n"
        "from newsarchive.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "print('matplotlib' in sys.modules)\n"
    )
    for chart, imported in (([], "False"), (["--chart", str(tmp_path / "c.svg")], "True")):
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                script,
                "stats",
                "--format",
                "json",
                *chart,
                "--db",
                archive_url,
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=True,
        )
        assert done.stdout.splitlines()[-1] == imported


BAD = [
    (["--query", " "], "--query: empty search"),
    (["--query", "Λάρισα OR"], "--query: OR with nothing"),
    (["--every", "year"], "Invalid value for '--every'"),
    (["--by", "author"], "Invalid value for '--by'"),
    (["--chart", "{tmp}/out.pdf"], "give a file ending in .png or .svg"),
    (["--chart", "{tmp}/out"], "give a file ending in .png or .svg"),
    (["--chart", "-"], "give a file ending in .png or .svg"),
    (["--chart", "{tmp}/missing/out.png"], "folder {tmp}/missing does not exist"),
    (["--chart", "{tmp}/out.png", "--chart-size", "10x10"], "give 200 to 8000"),
    (["--chart", "{tmp}/out.svg", "--chart-size", "wide"], "give WIDTHxHEIGHT in pixels"),
    (["--chart-size", "800x400"], "--chart-size goes with --chart FILE"),
    (["--chart", "{tmp}/out.svg", "-o", "{tmp}/out.svg"], "both the chart and the -o file"),
    (["--since", "2025-13-01"], "--since '2025-13-01' is not an ISO date"),
    (["--site", "nosuchsite"], "unknown site 'nosuchsite'"),
    (["--since", "1900-01-01", "--until", "9999-12-31", "--every", "day"], "more than 100000"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_options_are_one_line_and_nothing_is_written(
    archive_url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    given = [arg.format(tmp=tmp_path) for arg in args]
    before = set(tmp_path.iterdir())
    code, out, err = run(*given, "--db", archive_url)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert message.format(tmp=tmp_path) in err
    assert set(tmp_path.iterdir()) == before


def test_a_story_s_copies_per_day_and_site(db_url: str) -> None:
    with Archive(db_url) as archive:
        for text in TEXTS.values():
            archive.store(text.article)
        (key,) = archive.session.scalars(select(StoryRow.key)).all()
    code, out, _ = run(
        "--every", "day", "--by", "site", "--story", key, "--format", "json", "--db", db_url
    )
    assert code == 0
    assert {(row["period"], row["group"]) for row in json.loads(out) if row["articles"]} == {
        ("2026-01-10", "thessaly_gov"),
        ("2026-01-10", "larissanet"),
        ("2026-01-10", "e-thessalia.gr"),
        ("2026-01-10", "thessaliatv"),
        ("2026-01-11", "onlarissa.gr"),
        ("2026-01-12", "trikalanews.gr"),
    }
    assert {row["articles"] for row in json.loads(out)} == {0, 1}


def test_a_bad_query_is_refused_before_the_archive_is_opened(tmp_path: Path) -> None:
    code, out, err = run("--query", '"Νέα Ιωνία', "--db", str(tmp_path / "none.db"))
    assert (code, out) == (2, "")
    assert err.startswith("newsarchive: error: --query: unclosed quote")  # not the missing archive
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "none.db").exists()


def test_a_query_from_the_command_line(archive_url: str) -> None:
    code, out, err = run(
        "--query",
        "πλημμύρα",
        "--every",
        "month",
        "--by",
        "site",
        "--since",
        "2025-02-01",
        "--format",
        "csv",
        "--db",
        archive_url,
    )
    assert code == 0
    rows = [line.split(",") for line in out.splitlines()]
    assert rows[0] == ["period", "group", "articles"]
    assert rows[1:3] == [["2025-02", "e_thessalia", "1"], ["2025-02", "trikaladay", "0"]]
    assert rows[-2:] == [["2025-07", "e_thessalia", "0"], ["2025-07", "trikaladay", "1"]]
    assert {row[2] for row in rows[3:-2]} == {"0"}
    assert len(rows) == 1 + 6 * 2
    assert err == "2 article(s) in 6 month(s)\n"


def test_a_chart_over_the_archive_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "archive.png"
    with Archive(f"sqlite:///{path}") as archive:
        archive.store(ARTICLES[0])
    before = path.read_bytes()
    code, out, err = run("--chart", str(path), "--db", str(path))
    assert (code, out) == (2, "")
    assert err == f"newsarchive: error: cannot write {path}: it is the archive being read\n"
    assert path.read_bytes() == before

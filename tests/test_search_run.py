"""The full-text search over a real archive (SQLite, and PostgreSQL where configured): the
index kept in step by the store path, sorts, filters, paging, highlights, and the commands."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsarchive.archive import Archive
from newsarchive.cli import main
from newsarchive.dates import ATHENS
from newsarchive.filters import Filters
from newsarchive.items import Article
from newsarchive.search import run
from newsarchive.search.keys import DATED, ID_BITS, key_range, search_key
from newsarchive.search.parse import BadQueryError, parse
from newsarchive.text import content_hash
from tests.test_archive import article

JAN = datetime(2026, 1, 10, 12, 0, tzinfo=ATHENS)


def piece(number: int, headline: str, body: str, **changes: object) -> Article:
    fields: dict[str, object] = {
        "url": f"https://www.thessaliatv.gr/news/{number}/",
        "canonical_url": f"https://www.thessaliatv.gr/news/{number}/",
        "headline": headline,
        "lead": None,
        "body": body,
        "published_at": JAN + timedelta(days=number),
        "tags": [],
    }
    return article(**{**fields, **changes})


PIECES = [
    piece(1, "Πλημμύρες στη Λάρισα", "Νερά στους δρόμους της Λάρισας μετά τη νεροποντή."),
    piece(2, "Ο Βόλος γιορτάζει", "Εκδηλώσεις στον Βόλο για την επέτειο της πόλης."),
    piece(
        3,
        "Καρδίτσα: μέτρα για την πλημμύρα",
        "Η Περιφέρεια ανακοίνωσε αποζημιώσεις για τις πλημμύρες στην Καρδίτσα.",
        site="larissanet",
        url="https://www.larissanet.gr/2026/01/13/karditsa/",
        canonical_url="https://www.larissanet.gr/2026/01/13/karditsa/",
        region="karditsa",
        section="Καρδίτσα",
    ),
    piece(4, "Αγρότες στα Τέμπη", "Τα τρακτέρ του μπλόκου έμειναν στα Τέμπη όλη τη νύχτα."),
    piece(5, "Χωρίς ημερομηνία", "Ένα κείμενο για τη Λάρισα χωρίς ημερομηνία.", published_at=None),
]


@pytest.fixture
def searchable(db_url: str) -> str:
    with Archive(db_url) as archive:
        for made in PIECES:
            archive.upsert(made)
    return db_url


def headlines(db_url: str, query: str, filters: Filters | None = None, **options: object) -> list:
    page = run.search_page(db_url, query, filters, **options)  # type: ignore[arg-type]
    return [hit.headline for hit in page.hits]


# --- the search key ---------------------------------------------------------------------------


def test_search_keys_order_by_date_then_id_and_undated_last() -> None:
    keys = [
        search_key(7, JAN),
        search_key(3, JAN + timedelta(seconds=1)),
        search_key(9, JAN + timedelta(days=400)),
        search_key(1, None),
    ]
    assert sorted(keys, reverse=True) == [keys[2], keys[1], keys[0], keys[3]]
    assert search_key(5, None) == 5 and search_key(5, JAN) >> ID_BITS == int(JAN.timestamp())
    assert search_key(1, datetime(1900, 1, 1, tzinfo=UTC)) >= DATED  # before 1970: still dated


@pytest.mark.parametrize(
    ("since", "until", "inside", "outside"),
    [
        (JAN, None, [JAN, JAN + timedelta(days=9000)], [JAN - timedelta(seconds=1), None]),
        (None, JAN, [JAN, datetime(1999, 1, 1, tzinfo=UTC)], [JAN + timedelta(seconds=1), None]),
        (None, None, [JAN, None], []),
    ],
)
def test_a_date_range_is_a_range_of_keys(
    since: datetime | None,
    until: datetime | None,
    inside: list[datetime | None],
    outside: list[datetime | None],
) -> None:
    low, high = key_range(since, until)
    assert all(low <= search_key(42, moment) <= high for moment in inside)
    assert not any(low <= search_key(42, moment) <= high for moment in outside)


def test_an_article_id_beyond_the_key_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        search_key(1 << ID_BITS, JAN)


# --- the index kept in step ---------------------------------------------------------------------


def test_every_case_form_finds_the_article(searchable: str) -> None:
    for query in ("ΛΑΡΙΣΑ", "λαρισα", "Λάρισας", "Λαρίσης", "ΛAΡIΣA"):
        assert "Πλημμύρες στη Λάρισα" in headlines(searchable, query), query
    assert headlines(searchable, "πλημμύρες") == [
        "Καρδίτσα: μέτρα για την πλημμύρα",
        "Πλημμύρες στη Λάρισα",
    ]


def test_a_new_version_replaces_the_old_terms_and_date(searchable: str) -> None:
    changed = dataclasses.replace(
        PIECES[1],
        headline="Ο Βόλος υποδέχεται κρουαζιερόπλοιο",
        body="Το πρώτο κρουαζιερόπλοιο της χρονιάς έδεσε στο λιμάνι.",
        published_at=JAN + timedelta(days=30),
        fetched_at=PIECES[1].fetched_at + timedelta(days=1),
    )
    changed.content_hash = content_hash(changed.headline, changed.lead, changed.body)
    with Archive(searchable) as archive:
        archive.upsert(changed)
    assert headlines(searchable, "γιορτάζει") == []
    assert headlines(searchable, "κρουαζιερόπλοιο") == ["Ο Βόλος υποδέχεται κρουαζιερόπλοιο"]
    since = Filters(since=JAN + timedelta(days=20))
    assert headlines(searchable, "βόλος", since) == ["Ο Βόλος υποδέχεται κρουαζιερόπλοιο"]
    assert run.search_page(searchable, "βόλος").total == 1  # no stale entry left


# --- sorts, filters, paging ---------------------------------------------------------------------


def test_sorts_put_undated_articles_last(searchable: str) -> None:
    newest = headlines(searchable, "λάρισα")
    assert newest == ["Πλημμύρες στη Λάρισα", "Χωρίς ημερομηνία"]
    assert headlines(searchable, "λάρισα OR βόλος", sort="oldest") == [
        "Πλημμύρες στη Λάρισα",
        "Ο Βόλος γιορτάζει",
        "Χωρίς ημερομηνία",
    ]


def test_relevance_puts_headline_matches_first(searchable: str) -> None:
    page = run.search_page(searchable, "λάρισα", sort="relevance")
    assert page.hits[0].headline == "Πλημμύρες στη Λάρισα"
    assert all(hit.score is not None for hit in page.hits)
    assert page.hits[0].score >= page.hits[1].score  # type: ignore[operator]


def test_relevance_pages_are_in_the_index_rank_order_ties_included(db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the order of FTS5's rank, on SQLite")
    import sqlite3

    with Archive(db_url) as archive:
        for number in range(12):  # equal scores in pairs, dates out of id order
            words = "Λάρισα " * (1 + number % 6)
            day = (number * 7) % 12
            archive.upsert(
                piece(
                    number + 10, f"Τίτλος {number}", words, published_at=JAN + timedelta(days=day)
                )
            )
    connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    ranked = [
        rowid & ((1 << ID_BITS) - 1)
        for (rowid,) in connection.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'λαρισ' ORDER BY rank"
        )
    ]
    connection.close()
    pages = [
        run.search_page(db_url, "λάρισα", sort="relevance", limit=5, offset=n) for n in (0, 5, 10)
    ]
    assert [hit.id for page in pages for hit in page.hits] == ranked
    assert len(set(ranked)) == 12


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(sites=("larissanet",)), ["Καρδίτσα: μέτρα για την πλημμύρα"]),
        (Filters(region="karditsa"), ["Καρδίτσα: μέτρα για την πλημμύρα"]),
        (Filters(section="ΚΑΡΔΙΤΣΑ"), ["Καρδίτσα: μέτρα για την πλημμύρα"]),
        (Filters(section="Βόλος"), []),
        (Filters(until=JAN + timedelta(days=1)), ["Πλημμύρες στη Λάρισα"]),
        (Filters(since=JAN + timedelta(days=1, seconds=1)), ["Καρδίτσα: μέτρα για την πλημμύρα"]),
        (Filters(story="https://nowhere.example/"), []),
    ],
)
def test_filters_narrow_the_hits(searchable: str, filters: Filters, expected: list[str]) -> None:
    assert headlines(searchable, "πλημμύρα", filters) == expected


def test_a_site_filter_is_part_of_the_match(searchable: str) -> None:
    both = Filters(sites=("larissanet", "thessaliatv"))
    assert headlines(searchable, "πλημμύρα OR βόλος", both) == [
        "Καρδίτσα: μέτρα για την πλημμύρα",
        "Ο Βόλος γιορτάζει",
        "Πλημμύρες στη Λάρισα",
    ]
    larissanet = Filters(sites=("larissanet",))
    assert headlines(searchable, "βόλος OR τέμπη", larissanet) == []
    assert headlines(searchable, "καρδίτσα -πλημμύρα", larissanet) == []
    ranked = run.search_page(searchable, "πλημμύρα OR καρδίτσα", larissanet, sort="relevance")
    assert (ranked.total, [hit.site for hit in ranked.hits]) == (1, ["larissanet"])
    since = Filters(sites=("thessaliatv",), since=JAN + timedelta(days=2))
    assert headlines(searchable, "λάρισα OR βόλος OR τέμπη", since) == [
        "Αγρότες στα Τέμπη",
        "Ο Βόλος γιορτάζει",
    ]


def test_a_new_version_stays_in_its_site(searchable: str) -> None:
    changed = dataclasses.replace(
        PIECES[2],
        body="Νέα ανακοίνωση για τις αποζημιώσεις.",
        fetched_at=PIECES[2].fetched_at + timedelta(days=1),
    )
    changed.content_hash = content_hash(changed.headline, changed.lead, changed.body)
    with Archive(searchable) as archive:
        assert archive.store(changed).version == 2
    larissanet = Filters(sites=("larissanet",))
    assert headlines(searchable, "ανακοίνωση", larissanet) == [PIECES[2].headline]
    assert headlines(searchable, "περιφέρεια", larissanet) == []
    assert run.search_page(searchable, "καρδίτσα", larissanet).total == 1


@pytest.mark.parametrize(
    "filters",
    [
        Filters(sites=("thessaliatv",)),
        Filters(sites=("larissanet", "thessaliatv"), since=JAN + timedelta(days=2)),
        Filters(sites=("thessaliatv",), region="larisa", until=JAN + timedelta(days=4)),
        Filters(section="καρδιτσα"),
        Filters(story="https://nowhere.example/"),
        Filters(region="karditsa"),
    ],
)
def test_a_filtered_count_is_the_same_however_it_is_made(
    searchable: str, filters: Filters, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = "λάρισα OR βόλος OR τέμπη OR πλημμύρα OR ημερομηνία"

    def pages() -> list[tuple[int, bool, list[int]]]:
        found = [run.search_page(searchable, query, filters, sort=s) for s in run.SORTS]
        return [(page.total, page.capped, [hit.id for hit in page.hits]) for page in found]

    by_lookups = pages()
    monkeypatch.setattr(run, "LOOKUPS_AT_MOST", 0)  # every filtered count by the filter's index
    assert pages() == by_lookups
    monkeypatch.setattr(run, "COUNT_CAP", 1)
    capped = pages()
    monkeypatch.setattr(run, "LOOKUPS_AT_MOST", 10_000)
    assert pages() == capped
    assert [total for total, _, _ in capped] == [min(1, total) for total, _, _ in by_lookups]


def test_pages_and_totals(searchable: str, monkeypatch: pytest.MonkeyPatch) -> None:
    first = run.search_page(searchable, "λάρισα OR βόλος OR τέμπη", limit=2)
    second = run.search_page(searchable, "λάρισα OR βόλος OR τέμπη", limit=2, offset=2)
    assert (first.total, len(first.hits), len(second.hits), first.capped) == (4, 2, 2, False)
    assert not {hit.id for hit in first.hits} & {hit.id for hit in second.hits}
    monkeypatch.setattr(run, "COUNT_CAP", 3)
    capped = run.search_page(searchable, "λάρισα OR βόλος OR τέμπη", limit=1)
    assert (capped.total, capped.capped) == (3, True)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"sort": "date"}, "unknown sort"),
        ({"limit": 0}, "limit 0"),
        ({"offset": -1}, "offset -1"),
    ],
)
def test_bad_page_options_are_refused(searchable: str, options: dict, message: str) -> None:
    with pytest.raises(BadQueryError, match=message):
        run.search_page(searchable, "λάρισα", **options)


# --- highlights ---------------------------------------------------------------------------------


def test_snippets_mark_the_original_accented_words(searchable: str) -> None:
    hit = run.search_page(searchable, "ΤΡΑΚΤΕΡ ΜΠΛΟΚΟ").hits[0]
    assert run.snippet_text(hit.snippet) == (
        "Τα [τρακτέρ] του [μπλόκου] έμειναν στα Τέμπη όλη τη νύχτα."
    )
    assert run.snippet_text(hit.headline_marked) == "Αγρότες στα Τέμπη"
    prefixed = run.search_page(searchable, "τεμ*").hits[0]
    assert run.snippet_text(prefixed.headline_marked) == "Αγρότες στα [Τέμπη]"


def test_a_long_text_is_cut_around_its_matches() -> None:
    text = " ".join(["λέξη"] * 100 + ["Λάρισας"] + ["λέξη"] * 100)
    shown = run.snippet_text(run.snippet(text, parse("λαρισα"), words=10))
    assert shown.startswith("…") and shown.endswith("…") and "[Λάρισας]" in shown
    assert len(shown.replace("…", " ").split()) == 10
    assert shown.startswith("…λέξη λέξη [Λάρισας] λέξη")  # context before it, more after


def test_snippet_html_escapes_everything() -> None:
    fragments = run.marked('<script>alert("Λάρισα")</script>', parse("λάρισα"))
    assert run.snippet_html(fragments) == (
        "&lt;script&gt;alert(&quot;<mark>Λάρισα</mark>&quot;)&lt;/script&gt;"
    )


def test_match_condition_filters_an_orm_query(searchable: str) -> None:
    from newsarchive.query import articles

    with Archive(searchable, read_only=True) as archive:
        found = articles(archive.session, Filters(), matching=parse("πλημμύρα -καρδίτσα"))
        assert [row.headline for row in found] == ["Πλημμύρες στη Λάρισα"]


# --- the commands -------------------------------------------------------------------------------


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_search_table_shows_a_snippet_under_each_hit(searchable: str) -> None:
    code, out, err = cli("search", "ΝΕΡΟΠΟΝΤΗ", "--db", searchable)
    assert code == 0 and err == "1 article(s)\n"
    assert out.splitlines()[3] == "    Νερά στους δρόμους της Λάρισας μετά τη [νεροποντή]."


def test_search_pages_say_where_they_are(searchable: str) -> None:
    code, _, err = cli("search", "λάρισα OR βόλος", "--db", searchable, "--limit", "1")
    assert code == 0 and err == "1-1 of 3 article(s)\n"


@pytest.mark.parametrize(
    ("query", "message"),
    [('"λάρισα', "quote"), ("λάρισα OR", "OR"), ("!!!", "")],
)
def test_a_malformed_query_is_one_line(searchable: str, query: str, message: str) -> None:
    code, out, err = cli("search", query, "--db", searchable)
    assert (code, out) == (2, "") and err.count("\n") == 1 and message in err


def test_export_takes_the_query(searchable: str) -> None:
    code, out, _ = cli("export", "--query", "πλημμύρα", "--db", searchable, "--format", "jsonl")
    assert code == 0
    assert sorted(json.loads(line)["headline"] for line in out.splitlines()) == [
        "Καρδίτσα: μέτρα για την πλημμύρα",
        "Πλημμύρες στη Λάρισα",
    ]


def test_search_and_export_write_parquet(searchable: str, tmp_path: Path) -> None:
    pyarrow = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "floods.parquet"
    code, _, err = cli("export", "-q", "πλημμύρα", "--format", "parquet", "-o", str(target),
                       "--db", searchable)  # fmt: skip
    assert code == 0, err
    table = pyarrow.read_table(target)
    assert sorted(table.column("headline").to_pylist())[1] == "Πλημμύρες στη Λάρισα"
    assert str(table.schema.field("published_at").type) == "timestamp[us, tz=UTC]"
    assert table.schema.field("tags").type.value_type == "string"
    hits = tmp_path / "hits.parquet"
    code, _, _ = cli("search", "λάρισα", "--format", "parquet", "-o", str(hits), "--db", searchable)
    assert code == 0 and pyarrow.read_table(hits).num_rows == 2
    code, out, err = cli("export", "--format", "parquet", "--db", searchable)
    assert (code, out) == (2, "") and "give -o FILE.parquet" in err


def test_search_imports_neither_sqlalchemy_nor_scrapy(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with Archive(f"sqlite:///{db}") as archive:
        archive.upsert(PIECES[0])
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['newsarchive', 'search', 'λάρισα', '--db', sys.argv[1]]\n"
        "try:\n    runpy.run_module('newsarchive', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'scrapy', 'twisted', 'alembic', 'datasketch', 'numpy'))\n"
        "print('heavy:', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(db)], capture_output=True, text=True, timeout=60
    )
    assert "Πλημμύρες στη Λάρισα" in done.stdout, done.stderr
    assert "heavy: []" in done.stderr

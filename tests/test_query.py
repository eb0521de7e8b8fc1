"""The read side against a real archive: Filters, search, articles, and the one record shape."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsarchive.archive import Archive
from newsarchive.dates import ATHENS
from newsarchive.items import Article, Image
from newsarchive.query import (
    ARCHIVED_FIELDS,
    EXPORT_FIELDS,
    MAX_LIMIT,
    MAX_SEARCH_WORDS,
    MAX_WORD_LENGTH,
    RECORD_FIELDS,
    STORY_FIELDS,
    VERSION_FIELDS,
    BadFilterError,
    BadQueryError,
    Filters,
    archived,
    archived_record,
    articles,
    export_record,
    history,
    parse_when,
    record,
    search,
    search_terms,
    stories,
    story_record,
    word_diff,
)
from newsarchive.text import content_hash

FETCHED = datetime(2026, 2, 12, 9, 0, tzinfo=UTC)


def article(slug: str, **values: object) -> Article:
    site = str(values.pop("site", "thessaliatv"))
    host = "www.thessaliatv.gr" if site == "thessaliatv" else "www.larissanet.gr"
    made = Article(
        url=f"https://{host}/{slug}/",
        canonical_url=f"https://{host}/{slug}/",
        site=site,
        region=str(values.pop("region", "larisa")),
        headline=str(values.pop("headline", f"Είδηση {slug}")),
        body=str(values.pop("body", "Η Περιφέρεια Θεσσαλίας ανακοίνωσε νέα μέτρα.")),
        fetched_at=FETCHED,
        **values,  # type: ignore[arg-type]
    )
    made.content_hash = content_hash(made.headline, made.lead, made.body)
    return made


def athens(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ATHENS)  # type: ignore[misc]


ARTICLES = [
    article("late-evening", published_at=athens(2026, 2, 10, 23, 30), section="ΛΑΡΙΣΑ"),
    article("after-midnight", published_at=athens(2026, 2, 11, 0, 30), section="Λάρισα"),
    article(
        "volos",
        published_at=athens(2026, 2, 9, 8, 0),
        region="magnisia",
        section="ΒΟΛΟΣ",
        headline="Χιόνια στο Πήλιο",
    ),
    article(
        "tractors",
        site="larissanet",
        published_at=athens(2026, 2, 10, 18, 42),
        section="Αγροτικά",
        headline="Τα τρακτέρ επιστρέφουν στα χωράφια",
    ),
    article("undated", site="larissanet", section="ΑΓΡΟΤΙΚΑ"),
    article("old", published_at=athens(2022, 10, 28, 13, 20), headline="Παρέλαση στη Λάρισα"),
]


@pytest.fixture
def archive(db_url: str) -> Iterator[Archive]:
    with Archive(db_url) as opened:
        for item in ARTICLES:
            opened.upsert(item)
        yield opened


def slugs(rows: object) -> list[str]:
    return [row.canonical_url.rstrip("/").rsplit("/", 1)[1] for row in rows]  # type: ignore[attr-defined]


def test_no_filters_gives_every_article_newest_first_undated_last(archive: Archive) -> None:
    assert slugs(articles(archive.session)) == [
        "after-midnight",
        "late-evening",
        "tractors",
        "volos",
        "old",
        "undated",
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"sites": ("larissanet",)}, ["tractors", "undated"]),
        ({"sites": ("larissanet", "thessaliatv"), "limit": 2}, ["after-midnight", "late-evening"]),
        ({"region": "magnisia"}, ["volos"]),
        ({"section": "λαρισα"}, ["after-midnight", "late-evening"]),
        ({"section": "ΑΓΡΟΤΙΚΆ"}, ["tractors", "undated"]),
        ({"section": "nosuchsection"}, []),
        ({"limit": 1}, ["after-midnight"]),
        (
            {"sites": ("thessaliatv",), "region": "larisa", "section": "ΛΑΡΙΣΑ", "limit": 1},
            ["after-midnight"],
        ),
    ],
)
def test_filters_on_sites_region_section_and_limit(
    archive: Archive, values: dict[str, Any], expected: list[str]
) -> None:
    assert slugs(articles(archive.session, Filters(**values))) == expected


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        # a date alone as `until` is that whole day, in Athens time (23:30 is 21:30 UTC)
        ("2026-02-10", "2026-02-10", ["late-evening", "tractors"]),
        ("2026-02-11", None, ["after-midnight"]),
        (None, "2026-02-09", ["volos", "old"]),
        # datetimes are inclusive; naive ones are Athens time
        ("2026-02-10T18:42", "2026-02-10T23:30", ["late-evening", "tractors"]),
        ("2026-02-10T18:43", None, ["after-midnight", "late-evening"]),
        # an explicit offset is honoured: 22:00 UTC is 00:00 Athens on the 11th
        ("2026-02-10T22:00:00+00:00", None, ["after-midnight"]),
        ("2026-02-10T21:30Z", None, ["after-midnight", "late-evening"]),
    ],
)
def test_since_and_until_leave_out_undated_articles(
    archive: Archive, since: str | None, until: str | None, expected: list[str]
) -> None:
    filters = Filters.parse(since=since, until=until)
    assert slugs(articles(archive.session, filters)) == expected


def test_search_takes_the_same_filters(archive: Archive) -> None:
    session = archive.session
    assert slugs(search(session, "ειδηση")) == ["after-midnight", "late-evening", "undated"]
    assert slugs(search(session, "ΛΑΡΙΣΑ", Filters(until=athens(2026, 1, 1)))) == ["old"]
    assert slugs(search(session, "θεσσαλιας", Filters(sites=("larissanet",), limit=1))) == [
        "tractors"
    ]
    assert slugs(search(session, "πηλιο", Filters(region="larisa"))) == []
    with pytest.raises(BadQueryError, match="empty search"):
        search(session, " ", Filters(region="larisa"))


def test_parse_reads_text_values_as_a_form_gives_them() -> None:
    filters = Filters.parse(
        sites=["larissanet", " ", "larissanet", "thessaliatv"],
        region="",
        section=" ΛΑΡΙΣΑ ",
        since="2026-02-01",
        until="2026-02-10",
        limit="5",
    )
    assert filters == Filters(
        sites=("larissanet", "thessaliatv"),
        section="ΛΑΡΙΣΑ",
        since=athens(2026, 2, 1),
        until=athens(2026, 2, 10, 23, 59, 59, 999999),
        limit=5,
    )
    assert Filters.parse() == Filters()


@pytest.mark.parametrize(
    ("values", "parameter", "fragment"),
    [
        ({"sites": ["nosuchsite"]}, "site", "unknown site 'nosuchsite'; known sites: e_"),
        ({"region": "attiki"}, "region", "unknown region 'attiki'; regions: larisa, "),
        ({"since": "2026-13-01"}, "since", "'2026-13-01' is not an ISO date or datetime"),
        ({"until": "10/02/2026"}, "until", "'10/02/2026' is not an ISO date or datetime"),
        ({"since": "2026-03-01", "until": "2026-02-01"}, "since", "is after until"),
        ({"limit": "ten"}, "limit", "'ten' is not a whole number"),
        ({"limit": 0}, "limit", "0 is not a positive number"),
    ],
)
def test_bad_filter_values_are_refused_naming_the_filter(
    values: dict[str, object], parameter: str, fragment: str
) -> None:
    with pytest.raises(BadFilterError) as refused:
        Filters.parse(**values)  # type: ignore[arg-type]
    assert refused.value.parameter == parameter
    assert fragment in str(refused.value) and "\n" not in str(refused.value)


def test_filters_made_directly_are_checked_too() -> None:
    with pytest.raises(BadFilterError, match="has no time zone"):
        Filters(since=datetime(2026, 2, 1))
    with pytest.raises(BadFilterError, match="unknown site"):
        Filters(sites=("nosuchsite",))


def test_parse_when_dates_and_datetimes() -> None:
    assert parse_when("2026-02-10") == athens(2026, 2, 10)
    assert parse_when("2026-02-10", end_of_day=True) == athens(2026, 2, 10, 23, 59, 59, 999999)
    assert parse_when("2026-07-01 09:30") == athens(2026, 7, 1, 9, 30)
    assert parse_when("2026-07-01T09:30+03:00").utcoffset() == timedelta(hours=3)
    assert parse_when(" 2026-02-10T18:30:00Z ") == datetime(2026, 2, 10, 18, 30, tzinfo=UTC)
    with pytest.raises(BadFilterError) as refused:
        parse_when("πριν 2 ώρες", parameter="fetched-at")
    assert refused.value.parameter == "fetched-at"


def test_record_of_a_row_and_of_its_article_are_the_same_shape(archive: Archive) -> None:
    source = ARTICLES[3]
    (row,) = search(archive.session, "τρακτερ")
    archived, extracted = record(row), record(source)
    assert list(archived) == list(extracted) == list(RECORD_FIELDS)
    assert extracted["first_seen_at"] is None and archived["first_seen_at"] is not None
    assert {**archived, "first_seen_at": None} == extracted
    assert archived["published_at"] == "2026-02-10T18:42:00+02:00"
    assert archived["fetched_at"] == "2026-02-12T11:00:00+02:00"  # shown in Athens time


def test_record_is_json_ready_and_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Ημερίδα στη Λάρισα")
    made = article(
        "nfc",
        headline=decomposed,
        tags=[decomposed],
        images=[Image(url="https://www.thessaliatv.gr/a.jpg", caption=decomposed)],
        provenance={"headline": "jsonld"},
    )
    data = record(made)
    assert data["headline"] == "Ημερίδα στη Λάρισα" == data["tags"][0]
    assert data["images"] == [
        {"url": "https://www.thessaliatv.gr/a.jpg", "caption": data["headline"]}
    ]
    assert data["provenance"] == {"headline": "jsonld"}
    assert data["published_at"] is None and data["fetched_at"] == "2026-02-12T11:00:00+02:00"


def test_query_module_needs_neither_click_nor_scrapy() -> None:
    probe = (
        "import sys\n"
        "from newsarchive.query import Filters\n"
        "Filters.parse(sites=['larissanet'], since='2026-02-01')\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert not set(done.stdout.split()) & {"click", "scrapy", "twisted"}


# --- bounds: what a database could not run, or a datetime could not hold ------------------------


def test_search_words_are_bounded_and_counted_once(archive: Archive) -> None:
    assert search_terms("Λάρισα λαρισα ΛΑΡΙΣΑ") == ["λαρισα"]
    assert slugs(search(archive.session, " ".join(["λάρισα"] * 1000))) == slugs(
        search(archive.session, "λάρισα")
    )
    many = " ".join(f"λέξη{n}" for n in range(MAX_SEARCH_WORDS + 1))
    with pytest.raises(BadQueryError, match=f"give at most {MAX_SEARCH_WORDS}"):
        search(archive.session, many)
    assert search(archive.session, " ".join(f"λέξη{n}" for n in range(MAX_SEARCH_WORDS))) == []
    with pytest.raises(BadQueryError, match=f"at most {MAX_WORD_LENGTH}"):
        search(archive.session, "α" * (MAX_WORD_LENGTH + 1))
    with pytest.raises(BadQueryError, match="not valid text"):
        search(archive.session, "λάρισα\udcff")


@pytest.mark.parametrize(
    ("value", "parameter"),
    [
        ("0001-01-01", "since"),
        ("0001-01-01T00:00", "until"),
        ("9999-12-31T23:59-12:00", "since"),
        ("9999-12-31T23:30+00:00", "until"),  # fine in UTC, past 9999 in Athens time
    ],
)
def test_moments_a_database_cannot_hold_are_refused(value: str, parameter: str) -> None:
    with pytest.raises(BadFilterError, match="out of range") as raised:
        Filters.parse(**{parameter: value})
    assert raised.value.parameter == parameter
    assert parse_when("9999-12-31", end_of_day=True).year == 9999  # the last day still is one


def test_the_limit_is_bounded() -> None:
    assert Filters(limit=MAX_LIMIT).limit == MAX_LIMIT
    with pytest.raises(BadFilterError, match="more than"):
        Filters.parse(limit=str(MAX_LIMIT + 1))


def test_the_extreme_moments_that_are_taken_can_be_queried(archive: Archive) -> None:
    dated = [slug for slug in slugs(articles(archive.session)) if slug != "undated"]
    assert slugs(articles(archive.session, Filters.parse(since="0002-01-01"))) == dated
    assert slugs(articles(archive.session, Filters.parse(until="9999-12-31T23:59:59"))) == dated


# --- stories, versions, aliases: what the archive knows beyond a record --------------------------

RELEASE = (
    "Η Περιφέρεια Θεσσαλίας ανακοινώνει ότι από τη Δευτέρα ξεκινά το πρόγραμμα ενίσχυσης των "
    "κτηνοτρόφων της Λάρισας, των Τρικάλων, της Καρδίτσας και της Μαγνησίας. Οι αιτήσεις "
    "υποβάλλονται ηλεκτρονικά έως το τέλος του μήνα, ενώ οι δικαιούχοι θα ενημερωθούν με γραπτό "
    "μήνυμα για την έγκριση της αίτησής τους από τις αρμόδιες υπηρεσίες της Περιφέρειας."
)
CORRECTED = RELEASE.replace("έως το τέλος του μήνα", "έως τις 28 Φεβρουαρίου")
SAME_DAY = (
    "Σε σύσκεψη στο Διοικητήριο της Λάρισας συζητήθηκαν σήμερα τα προβλήματα των κτηνοτρόφων του "
    "θεσσαλικού κάμπου, με τους εκπροσώπους των συλλόγων να ζητούν αποζημιώσεις για τις ζωονόσους "
    "και φθηνότερες ζωοτροφές, ενώ ο αντιπεριφερειάρχης υποσχέθηκε νέα συνάντηση τον Μάρτιο."
)
TV_URL = "https://www.thessaliatv.gr/news/9001/"
NET_URL = "https://www.larissanet.gr/2026/02/10/enisxysi-ktinotrofon/"
NET_ALIAS = "https://www.larissanet.gr/2026/02/10/enisxysi/"
OTHER_URL = "https://www.larissanet.gr/2026/02/10/syskepsi-ktinotrofon/"


def fetched(day: int, hour: int) -> datetime:
    return datetime(2026, 2, day, hour, 0, tzinfo=UTC)


def storied_articles() -> list[Article]:
    """In the order stored: thessaliatv runs the Region's release, larissanet the same release
    (published earlier, with a line of its own), then under a second URL, then an unrelated
    article on the same day; thessaliatv corrects its copy (version 2)."""

    def copy(url: str, site: str, headline: str, body: str, published: int, when: datetime) -> Any:
        made = article("x", site=site, headline=headline, body=body)
        made.url = made.canonical_url = url
        made.fetched_at = when
        made.published_at = athens(2026, 2, 10, published, 0)
        made.tags = ["Περιφέρεια", "κτηνοτρόφοι"]
        made.content_hash = content_hash(made.headline, made.lead, made.body)
        return made

    net_body = RELEASE + " Πληροφορίες στο 2413 506000."
    return [
        copy(TV_URL, "thessaliatv", "Ενίσχυση κτηνοτρόφων", RELEASE, 12, fetched(10, 11)),
        copy(NET_URL, "larissanet", "Ξεκινά η ενίσχυση", net_body, 9, fetched(10, 12)),
        copy(NET_ALIAS, "larissanet", "Ξεκινά η ενίσχυση", net_body, 9, fetched(10, 13)),
        copy(
            OTHER_URL, "larissanet", "Σύσκεψη για τους κτηνοτρόφους", SAME_DAY, 14, fetched(10, 15)
        ),
        copy(
            TV_URL,
            "thessaliatv",
            "Ενίσχυση κτηνοτρόφων: αιτήσεις έως 28 Φεβρουαρίου",
            CORRECTED,
            12,
            fetched(11, 9),
        ),
    ]


def build_storied(url: str) -> None:
    """An archive of `storied_articles`: a story of two copies, an alias, a second version."""
    with Archive(url) as opened:
        results = [opened.store(item).result.value for item in storied_articles()]
    assert results == ["new", "new", "duplicate", "new", "updated"]


@pytest.fixture
def storied(db_url: str) -> Iterator[Archive]:
    build_storied(db_url)
    with Archive(db_url, read_only=True) as opened:
        yield opened


def test_a_story_lists_its_first_publisher_and_every_copy(storied: Archive) -> None:
    (story,) = stories(storied.session)
    data = story_record(story)
    assert list(data) == list(STORY_FIELDS)
    assert data["key"] == TV_URL  # the story's first member names it
    assert (data["first_site"], data["first_url"]) == ("larissanet", NET_URL)  # published first
    assert data["first_published_at"] == "2026-02-10T09:00:00+02:00"
    assert data["outlets"] == ["larissanet", "thessaliatv"]
    assert data["copies"] == [
        {
            "site": "larissanet",
            "url": NET_URL,
            "headline": "Ξεκινά η ενίσχυση",
            "published_at": "2026-02-10T09:00:00+02:00",
        },
        {
            "site": "thessaliatv",
            "url": TV_URL,
            "headline": "Ενίσχυση κτηνοτρόφων: αιτήσεις έως 28 Φεβρουαρίου",
            "published_at": "2026-02-10T12:00:00+02:00",
        },
    ]


@pytest.mark.parametrize(
    ("values", "count"),
    [
        ({}, 1),
        ({"sites": ("thessaliatv",)}, 1),  # a story with a copy there: every copy shown
        ({"since": athens(2026, 2, 10, 10, 0)}, 1),  # its thessaliatv copy is within
        ({"since": athens(2026, 2, 10, 13, 0)}, 0),  # only the unrelated article is
        ({"until": athens(2026, 2, 9, 23, 0)}, 0),
        ({"region": "magnisia"}, 0),
        ({"limit": 1}, 1),
    ],
)
def test_stories_take_the_filters(storied: Archive, values: dict[str, Any], count: int) -> None:
    found = list(stories(storied.session, Filters(**values)))
    assert len(found) == count
    assert all(len(story.copies) == 2 for story in found)


def test_an_article_alone_is_in_no_story(storied: Archive) -> None:
    (row,) = search(storied.session, "συσκεψη")
    (item,) = archived(storied.session, [row])
    assert item.story is None
    (story,) = stories(storied.session)
    assert OTHER_URL not in {copy.url for copy in story.copies}


def test_search_and_export_records_carry_story_versions_history_and_aliases(
    storied: Archive,
) -> None:
    rows = {row.canonical_url: row for row in articles(storied.session)}
    items = {
        item.row.canonical_url: item for item in archived(storied.session, rows.values(), full=True)
    }
    shown = archived_record(items[TV_URL])
    assert list(shown) == list(ARCHIVED_FIELDS)
    assert (shown["story"], shown["versions"]) == (TV_URL, 2)
    assert shown["headline"] == "Ενίσχυση κτηνοτρόφων: αιτήσεις έως 28 Φεβρουαρίου"
    exported = export_record(items[TV_URL])
    assert list(exported) == [*EXPORT_FIELDS, "history"]
    (earlier,) = exported["history"]
    assert list(earlier) == ["number", "fetched_at", "extractor_version", "changed", "record"]
    assert (earlier["number"], earlier["changed"]) == (1, [])
    assert earlier["fetched_at"] == "2026-02-10T13:00:00+02:00"
    assert list(earlier["record"]) == list(VERSION_FIELDS)
    assert (
        earlier["record"]["body"] == RELEASE
        and earlier["record"]["headline"] == "Ενίσχυση κτηνοτρόφων"
    )
    assert earlier["record"]["fetched_at"] == earlier["fetched_at"]  # in Athens time, as records
    net = export_record(items[NET_URL])
    assert (net["story"], net["versions"], net["aliases"]) == (TV_URL, 1, [NET_ALIAS])
    assert "history" not in net
    flat = export_record(items[NET_URL], nested=False)
    assert list(flat) == list(EXPORT_FIELDS)
    other = archived_record(items[OTHER_URL])
    assert (other["story"], other["versions"]) == (None, 1)


@pytest.mark.parametrize(
    "url",
    [
        TV_URL,
        "http://thessaliatv.gr/news/9001/?utm_source=facebook",  # canonicalized by the site's rules
        NET_ALIAS,  # an alias: the article it is another URL of
    ],
)
def test_history_finds_an_article_by_any_of_its_urls(storied: Archive, url: str) -> None:
    found = history(storied.session, url)
    assert found is not None
    expected = NET_URL if url == NET_ALIAS else TV_URL
    assert found.canonical_url == expected


def test_history_gives_each_version_with_the_word_diff_of_what_changed(storied: Archive) -> None:
    found = history(storied.session, TV_URL)
    assert found is not None and found.site == "thessaliatv"
    first, second = found.versions
    assert (first.number, first.changed, first.diffs) == (1, (), {})
    assert second.number == 2 and second.changed == ("headline", "body")
    assert second.fetched_at == fetched(11, 9)
    assert second.record["headline"] == "Ενίσχυση κτηνοτρόφων: αιτήσεις έως 28 Φεβρουαρίου"
    assert second.diffs == {
        "headline": "Ενίσχυση [-κτηνοτρόφων-]{+κτηνοτρόφων: αιτήσεις έως 28 Φεβρουαρίου+}",
        "body": "… αιτήσεις υποβάλλονται ηλεκτρονικά έως [-το τέλος του μήνα,-]"
        "{+τις 28 Φεβρουαρίου,+} ενώ οι δικαιούχοι θα …",
    }


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("Κλειστός ο δρόμος", "Κλειστός ο δρόμος", ""),
        ("", "Νέος υπότιτλος", "{+Νέος υπότιτλος+}"),
        ("Παλιός υπότιτλος", "", "[-Παλιός υπότιτλος-]"),
        ("Κλειστός ο δρόμος", "Ανοιχτός ο δρόμος", "[-Κλειστός-]{+Ανοιχτός+} ο δρόμος"),
        (
            "ένα δύο τρία τέσσερα πέντε έξι επτά οκτώ",
            "ένα δύο τρία τέσσερα πέντε έξι επτά εννέα",
            "… τέσσερα πέντε έξι επτά [-οκτώ-]{+εννέα+}",
        ),
        (  # two changes far apart: each with its own context, the words between elided
            "α β γ δ ε ζ η θ ι κ λ μ ν",
            "Α β γ δ ε ζ η θ ι κ λ μ Ν",
            "[-α-]{+Α+} β γ δ ε … ι κ λ μ [-ν-]{+Ν+}",
        ),
        (  # a word added in the middle of a paragraph; white space does not count
            "Η Τροχαία Λάρισας\n\nέχει εκτρέψει την κυκλοφορία",
            "Η Τροχαία Λάρισας έχει  ήδη εκτρέψει την κυκλοφορία",
            "Η Τροχαία Λάρισας έχει {+ήδη+} εκτρέψει την κυκλοφορία",
        ),
    ],
)
def test_word_diff(before: str, after: str, expected: str) -> None:
    assert word_diff(before, after) == expected

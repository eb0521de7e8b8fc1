"""The store path (`Archive.store`): stories of copies across sites, versions, aliases; the same
outcome on SQLite and PostgreSQL (every test runs on both where one is configured)."""

from __future__ import annotations

import dataclasses
import random
import re
import zlib
from datetime import timedelta
from typing import Any

import pytest
from datasketch import MinHash
from sqlalchemy import func, select

from newsarchive.archive import Archive, UpsertResult, ingest, similarity
from newsarchive.archive.models import (
    AliasRow,
    ArticleRow,
    BandRow,
    NewBandRow,
    StoryRow,
    VersionRow,
)
from newsarchive.items import Article
from newsarchive.search import run
from newsarchive.text import content_hash, fold
from tests.test_similarity import TEXTS

PUBLISHED = sorted(TEXTS, key=lambda name: TEXTS[name].article.published_at or 0)
COPIES = sorted(name for name, text in TEXTS.items() if text.role == "copy")
ORDERS = {
    "as published": PUBLISHED,
    "newest first": PUBLISHED[::-1],
    "by name": sorted(TEXTS),
    "shortened copy first": [
        "release_trikalanews",
        *(n for n in PUBLISHED if n != "release_trikalanews"),
    ],
}


def changed(article: Article, **changes: Any) -> Article:
    """The article with other values, its content hash made again."""
    new = dataclasses.replace(article, **changes)
    new.content_hash = content_hash(new.headline, new.lead, new.body)
    return new


def story_of(archive: Archive, canonical_url: str) -> int | None:
    query = select(ArticleRow.story_id).where(ArticleRow.canonical_url == canonical_url)
    return archive.session.scalar(query)


def count(archive: Archive, table: type) -> int:
    return archive.session.scalar(select(func.count()).select_from(table)) or 0


@pytest.mark.parametrize("order", list(ORDERS), ids=list(ORDERS))
def test_the_republished_release_is_one_story_of_all_its_copies(db_url: str, order: str) -> None:
    with Archive(db_url) as archive:
        results = [archive.store(TEXTS[name].article) for name in ORDERS[order]]
        assert {result.result for result in results} == {UpsertResult.NEW}
        stories = archive.session.scalars(select(StoryRow)).all()
        assert len(stories) == 1
        story = stories[0]
        members = archive.session.scalars(
            select(ArticleRow.canonical_url).where(ArticleRow.story_id == story.id)
        ).all()
        assert sorted(members) == sorted(TEXTS[name].article.canonical_url for name in COPIES)
        first = archive.session.get(ArticleRow, story.first_article_id)
        assert first is not None
        assert first.site == "thessaly_gov"  # the earliest published, whatever came first
        for name, text in TEXTS.items():
            if text.role != "copy":
                assert story_of(archive, text.article.canonical_url) is None, name


def test_a_copy_stored_later_reports_its_story(db_url: str) -> None:
    with Archive(db_url) as archive:
        original = archive.store(TEXTS["release_region"].article)
        assert original.story_id is None
        copy = archive.store(TEXTS["release_onlarissa"].article)
        assert copy.story_id is not None
        assert story_of(archive, TEXTS["release_region"].article.canonical_url) == copy.story_id
        story = archive.session.get(StoryRow, copy.story_id)
        assert story is not None
        assert story.key == TEXTS["release_region"].article.canonical_url
        assert story.first_article_id == original.article_id


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"lead": "Στο Πάρκο Καινοτομίας JOIST, Δευτέρα 19 Ιανουαρίου"}, ("lead",)),
        ({"headline": "Ημερίδα για την κοινωνική καινοτομία (ΒΙΝΤΕΟ)"}, ("headline",)),
        (
            {"body": TEXTS["release_larissanet"].article.body + "\n\nΗ είσοδος είναι ελεύθερη."},
            ("body",),
        ),
        ({"headline": "Κοινωνική καινοτομία στη Λάρισα", "lead": None}, ("headline", "lead")),
    ],
)
def test_a_changed_page_is_a_new_version_naming_what_changed(
    db_url: str, changes: dict[str, Any], fields: tuple[str, ...]
) -> None:
    first = TEXTS["release_larissanet"].article
    with Archive(db_url) as archive:
        stored = archive.store(first)
        later = changed(first, fetched_at=first.fetched_at + timedelta(hours=3), **changes)
        again = archive.store(later)
        assert again.result is UpsertResult.UPDATED
        assert (again.article_id, again.version, again.changed) == (stored.article_id, 2, fields)
        version = archive.session.scalars(select(VersionRow).where(VersionRow.number == 2)).one()
        assert tuple(version.changed) == fields
        assert version.record["headline"] == later.headline
        row = archive.session.get(ArticleRow, stored.article_id)
        assert row is not None
        assert (row.headline, row.lead, row.version_count) == (later.headline, later.lead, 2)
        assert row.current_version_id == version.id


def test_a_batch_that_changes_its_own_articles_leaves_the_search_index_in_step(
    db_url: str,
) -> None:
    # The index's changes wait for the end of the batch's transaction: an article added and
    # changed in one batch is found by its new words only, and once.
    first = TEXTS["release_larissanet"].article
    later = changed(
        first,
        fetched_at=first.fetched_at + timedelta(hours=3),
        headline="Ημερίδα για το κρουαζιερόπλοιο στον Βόλο",
        lead=(first.lead or "").replace("JOIST", "λιμάνι"),
        body=first.body.replace("JOIST", "λιμάνι"),
    )
    other = TEXTS["short_kyprou"].article
    with Archive(db_url) as archive:
        batch = archive.store_many([first, other, later])
        assert [stored.result for stored in batch.outcomes] == [  # type: ignore[union-attr]
            UpsertResult.NEW,
            UpsertResult.NEW,
            UpsertResult.UPDATED,
        ]
        assert not batch.one_by_one
    assert run.search_page(db_url, "κρουαζιερόπλοιο").total == 1
    assert run.search_page(db_url, "JOIST").total == 0  # the first version's word, gone
    assert run.search_page(db_url, "Κύπρου").total == 1


def test_an_unchanged_page_only_moves_last_seen(db_url: str) -> None:
    first = TEXTS["release_ethessalia"].article
    with Archive(db_url) as archive:
        stored = archive.store(first)
        later = dataclasses.replace(first, fetched_at=first.fetched_at + timedelta(days=2))
        again = archive.store(later)
        assert again.result is UpsertResult.UNCHANGED
        assert (again.article_id, again.version, again.changed) == (stored.article_id, 1, ())
        assert count(archive, VersionRow) == 1
        archive.session.expire_all()
        row = archive.session.get(ArticleRow, stored.article_id)
        assert row is not None
        assert row.last_seen_at == later.fetched_at
        assert row.fetched_at == first.fetched_at
        # An older fetch arriving late does not move it back.
        archive.store(dataclasses.replace(first, fetched_at=first.fetched_at + timedelta(hours=1)))
        archive.session.expire_all()
        assert archive.session.scalar(select(ArticleRow.last_seen_at)) == later.fetched_at


def test_versions_are_numbered_one_two_three(db_url: str) -> None:
    article = TEXTS["interview_ethessalia"].article
    edits = [
        {},
        {"lead": "Η ερευνήτρια μιλά για τις υπηρεσίες της Περιφέρειας"},
        {"lead": "Η ερευνήτρια μιλά για τις υπηρεσίες της Περιφέρειας"},  # unchanged
        {"body": article.body.replace("πιάσει τόπο", "πιάσει τόπο, καταλήγει")},
    ]
    with Archive(db_url) as archive:
        outcomes = []
        for hours, edit in enumerate(edits):
            edit = {"lead": edits[1]["lead"], **edit} if hours == 3 else edit
            moment = article.fetched_at + timedelta(hours=hours)
            outcomes.append(archive.store(changed(article, fetched_at=moment, **edit)))
        assert [(o.result, o.version) for o in outcomes] == [
            (UpsertResult.NEW, 1),
            (UpsertResult.UPDATED, 2),
            (UpsertResult.UNCHANGED, 2),
            (UpsertResult.UPDATED, 3),
        ]
        versions = archive.session.execute(
            select(VersionRow.number, VersionRow.changed).order_by(VersionRow.number)
        ).all()
        assert [(number, list(fields)) for number, fields in versions] == [
            (1, []),
            (2, ["lead"]),
            (3, ["body"]),
        ]


def test_the_same_body_under_two_urls_of_one_site_is_one_article_with_an_alias(
    db_url: str,
) -> None:
    article = TEXTS["report_larissanet"].article
    alias_url = "https://www.larissanet.gr/2026/01/19/ergastirio-sto-joist/"
    alias = dataclasses.replace(article, url=alias_url, canonical_url=alias_url)
    with Archive(db_url) as archive:
        first = archive.store(article)
        second = archive.store(alias)
        assert second.result is UpsertResult.DUPLICATE
        assert second.article_id == first.article_id
        assert count(archive, ArticleRow) == 1
        assert archive.session.scalars(select(AliasRow.url)).all() == [alias_url]
        # A re-fetch through the alias finds the article: unchanged, then a version.
        later = dataclasses.replace(alias, fetched_at=alias.fetched_at + timedelta(days=1))
        assert archive.store(later).result is UpsertResult.UNCHANGED
        edited = changed(later, headline="Εργαστήριο τεχνητής νοημοσύνης στο JOIST")
        again = archive.store(edited)
        assert (again.result, again.article_id, again.version) == (
            UpsertResult.UPDATED,
            first.article_id,
            2,
        )
        assert count(archive, ArticleRow) == 1
        # Changed through its alias, the article keeps the URL it is known by.
        archive.session.expire_all()
        assert archive.session.scalars(select(ArticleRow.canonical_url)).all() == [
            article.canonical_url
        ]


def test_the_same_body_on_another_site_is_a_copy_kept_in_a_story(db_url: str) -> None:
    article = TEXTS["release_region"].article
    url = "https://www.larissanet.gr/2026/01/10/deltio-typou-perifereias/"
    elsewhere = dataclasses.replace(article, url=url, canonical_url=url, site="larissanet")
    with Archive(db_url) as archive:
        first = archive.store(article)
        copy = archive.store(elsewhere)
        assert copy.result is UpsertResult.NEW
        assert copy.article_id != first.article_id
        assert copy.story_id is not None
        assert story_of(archive, article.canonical_url) == copy.story_id
        assert count(archive, AliasRow) == 0


def band_rows(archive: Archive) -> set[tuple[str, int, int]]:
    """Every band row of the archive: which table, its key and its article."""
    return {
        (table.__tablename__, key, article)
        for table in (BandRow, NewBandRow)
        for key, article in archive.session.execute(select(table.key, table.article_id))
    }


def keys_of(article: Article) -> set[int]:
    return set(ingest.terms_of(article).band_keys)


def merge_every_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    """New band rows are moved into `story_bands` at the end of every transaction."""
    monkeypatch.setattr(ingest, "MERGE_ROWS", 1)
    monkeypatch.setattr(ingest, "MERGE_CHECK_ROWS", 1)


@pytest.mark.parametrize("merged", [False, True], ids=["new", "merged"])
def test_an_edited_copy_keeps_its_story_and_its_band_rows_follow_it(
    db_url: str, merged: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if merged:
        merge_every_transaction(monkeypatch)
    original = TEXTS["release_larissanet"].article
    table = "story_bands" if merged else "story_bands_new"
    with Archive(db_url) as archive:
        archive.store(TEXTS["release_region"].article)
        copy = archive.store(original)
        mine = {(table, key, copy.article_id) for key in keys_of(original)}
        assert mine <= band_rows(archive)
        edited = changed(original, body="Ενημέρωση: η προθεσμία παρατάθηκε.\n\n" + original.body)
        again = archive.store(edited)
        assert (again.result, again.story_id) == (UpsertResult.UPDATED, copy.story_id)
        assert keys_of(edited) != keys_of(original)
        now = {row for row in band_rows(archive) if row[2] == copy.article_id}
        assert now == {(table, key, copy.article_id) for key in keys_of(edited)}


def test_new_band_rows_wait_until_merge_rows_then_move_in_key_order(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["release_region", "report_thessaliatv", "release_larissanet"]
    monkeypatch.setattr(ingest, "MERGE_CHECK_ROWS", 1)
    with Archive(db_url) as archive:
        first = archive.store(TEXTS[names[0]].article)
        waiting = len(keys_of(TEXTS[names[0]].article))
        monkeypatch.setattr(ingest, "MERGE_ROWS", waiting + 1)  # the next article's rows move
        assert {row[0] for row in band_rows(archive)} == {"story_bands_new"}
        second = archive.store(TEXTS[names[1]].article)
        expected = {
            ("story_bands", key, stored.article_id)
            for name, stored in zip(names, [first, second], strict=False)
            for key in keys_of(TEXTS[name].article)
        }
        assert band_rows(archive) == expected
        # The original's rows were moved: its copy finds it in story_bands.
        copy = archive.store(TEXTS[names[2]].article)
        assert copy.story_id is not None
        assert story_of(archive, TEXTS[names[0]].article.canonical_url) == copy.story_id
        assert {row[0] for row in band_rows(archive) if row[2] == copy.article_id} == {
            "story_bands_new"
        }


@pytest.mark.parametrize("order", ["as published", "newest first"])
def test_stories_are_found_wherever_the_band_rows_are(
    db_url: str, order: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copies meet whether their originals' band rows were moved or not (moved after every
    other article)."""
    monkeypatch.setattr(ingest, "MERGE_CHECK_ROWS", 1)
    with Archive(db_url) as archive:
        for number, name in enumerate(ORDERS[order]):
            monkeypatch.setattr(ingest, "MERGE_ROWS", 1 if number % 2 else 10**9)
            archive.store(TEXTS[name].article)
        assert count(archive, BandRow) and count(archive, NewBandRow)
        stories = archive.session.scalars(select(StoryRow.id)).all()
        assert len(stories) == 1
        members = archive.session.scalars(
            select(ArticleRow.canonical_url).where(ArticleRow.story_id == stories[0])
        ).all()
        assert sorted(members) == sorted(TEXTS[name].article.canonical_url for name in COPIES)


OUTCOMES = [
    # (fixture, result, version, in the story)
    ("release_region", UpsertResult.NEW, 1, True),
    ("release_larissanet", UpsertResult.NEW, 1, True),
    ("report_thessaliatv", UpsertResult.NEW, 1, False),
    ("release_thessaliatv", UpsertResult.NEW, 1, True),
    ("short_kyprou", UpsertResult.NEW, 1, False),
    ("short_papanastasiou", UpsertResult.NEW, 1, False),
    ("release_larissanet", UpsertResult.UNCHANGED, 1, True),
]


def test_sqlite_and_postgresql_give_the_same_outcomes(db_url: str) -> None:
    """One table for every backend the db_url fixture runs: they agree."""
    with Archive(db_url) as archive:
        for name, result, version, _ in OUTCOMES:
            stored = archive.store(TEXTS[name].article)
            assert (stored.result, stored.version) == (result, version), name
        for name, _, _, in_story in OUTCOMES:
            assert (story_of(archive, TEXTS[name].article.canonical_url) is not None) == in_story
        row = archive.session.scalars(
            select(ArticleRow).where(ArticleRow.site == "thessaly_gov")
        ).one()
        assert row.published_at == TEXTS["release_region"].article.published_at
        assert row.body == TEXTS["release_region"].article.body
        record = archive.session.scalar(
            select(VersionRow.record).where(VersionRow.id == row.current_version_id)
        )
        assert record == TEXTS["release_region"].article.to_dict()


# --- the signatures: computed from each word's hash, the same values as datasketch's ------------


def datasketch_signature(folded: str) -> bytes | None:
    """The signature as datasketch computes it from the shingles' bytes (the reference)."""
    found = similarity.shingles(folded)
    if len(found) < similarity.MIN_SHINGLES:
        return None
    minhash = MinHash(
        num_perm=similarity.PERMUTATIONS,
        seed=similarity.SEED,
        scheme=similarity.SCHEME,
        hashfunc=zlib.crc32,
    )
    minhash.update_batch(list(found))
    return bytes(minhash.hashvalues.astype("<u4").tobytes())


def greek_texts(count: int, seed: int) -> list[str]:
    """Texts of the fixtures' Greek words in random order and length, words repeated."""
    words = sorted({w for t in TEXTS.values() for w in re.findall(r"\w+", fold(t.article.body))})
    chooser = random.Random(seed)
    return [" ".join(chooser.choices(words, k=chooser.randint(20, 900))) for _ in range(count)]


SIGNATURE_TEXTS = {
    **{name: text.article.body for name, text in TEXTS.items()},
    **{f"random {n}": text for n, text in enumerate(greek_texts(200, seed=9))},
    "a word longer than the tables": "Λάρισα " * 30 + "α" * 200 + " τέλος " * 30,
    "one phrase repeated": "η Περιφέρεια Θεσσαλίας ανακοινώνει " * 40,
    "26 shingles": " ".join(f"λέξη{n}" for n in range(28)),
    "24 shingles": " ".join(f"λέξη{n}" for n in range(26)),
    "Latin and digits": "Ο ΟΣΕ 2026 A1 Λάρισα–Βόλος e-thessalia.gr " * 12,
    "empty": "",
}


@pytest.mark.parametrize("name", list(SIGNATURE_TEXTS))
def test_signatures_equal_datasketchs_of_the_shingles(name: str) -> None:
    folded = fold(SIGNATURE_TEXTS[name])
    assert similarity.signature(folded, folded=True) == datasketch_signature(folded)

"""The golden test: every saved page gives exactly its expected record, with and without site rules.

Pages: the fixture sites' articles (`newsarchive/fixture_sites/<site>/articles/`) and the
extraction corpus (`tests/fixtures/pages/<family>/`, CMS families of SITES.md, most on sites
without rules of their own), all in the format of `newsarchive/golden.py`.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from newsarchive import golden, text
from newsarchive.golden import FixtureError
from newsarchive.items import Article, NotAnArticleError
from tests.corpus import (
    CorpusPage,
    all_pages,
    corpus_pages,
    precision_recall_f1,
    shingles,
    site_names,
)

PAGES = all_pages()
RECORDS = [page for page in PAGES if page.kind != "not_article"]
NOT_ARTICLES = [page for page in PAGES if page.kind == "not_article"]
KNOWN_SITE_ARTICLES = [page for page in PAGES if page.kind == "article" and page.known_site]
TEASER_SITES = {
    page.family for page in PAGES if page.place == "fixture_sites" and page.kind == "teaser"
} - {page.family for page in KNOWN_SITE_ARTICLES}
"""Aggregators whose fixture serves only teasers (thessalianews): their records are dropped by a
crawl, so only their site rules are held to the record (their teaser verdict is in the kind)."""


def ids(page: CorpusPage) -> str:
    return page.id


def collapse(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


# --- the pages as a whole ----------------------------------------------------------------------


def test_the_corpus_covers_the_cms_families() -> None:
    corpus = corpus_pages()
    assert len(corpus) >= 30
    families = {page.family for page in corpus}
    assert {"wordpress-tagdiv", "wordpress-jnews", "joomla-k2", "custom-php"} <= families
    kinds = {page.kind for page in corpus}
    assert kinds == set(golden.KINDS)


def test_there_are_fixtures_for_every_site() -> None:
    assert {page.family for page in PAGES if page.place == "fixture_sites"} == site_names()


def test_known_sites_are_tested_without_their_rules_too() -> None:
    assert {page.family for page in KNOWN_SITE_ARTICLES if page.place == "fixture_sites"} == (
        site_names() - TEASER_SITES
    )
    assert len(TEASER_SITES) <= 1
    assert any(page.place == "pages" for page in KNOWN_SITE_ARTICLES)


@pytest.mark.parametrize("page", PAGES, ids=ids)
def test_the_page_is_written_as_golden_writes_it(page: CorpusPage) -> None:
    """Key order, indent, unescaped Greek: savefixture and build_corpus write exactly this."""
    assert golden.dump(page.page.data()) == page.page.path.read_text(encoding="utf-8")


# --- with the site's rules: the complete record ------------------------------------------------


@pytest.mark.parametrize("page", RECORDS, ids=ids)
def test_the_record_is_the_expected_one(page: CorpusPage) -> None:
    article = page.page.extract()
    known = page.page.known_bugs
    assert article.url == page.url and article.fetched_at == page.fetched_at
    checked = [name for name in golden.RECORD_FIELDS if name not in known]
    wrong = golden.differences(article, page.expected, only=checked)
    assert not wrong, "\n".join(wrong)
    assert article.content_hash == text.content_hash(article.headline, article.lead, article.body)
    check_body(page, article)
    still_wrong = golden.differences(article, page.expected, only=known)
    fixed = sorted(set(known) - {line.split(":")[0] for line in still_wrong})
    assert not fixed, f"known bugs fixed: drop {', '.join(fixed)} from known_bugs"
    if known:
        pytest.xfail("known bugs: " + "; ".join(still_wrong))


def check_body(page: CorpusPage, article: Article) -> None:
    body = article.body
    assert body == unicodedata.normalize("NFC", body)
    assert "\n\n\n" not in body
    flat = collapse(body)
    for sentence in page.page.body_contains:
        assert collapse(sentence) in flat, f"missing: {sentence}"
    for phrase in page.page.body_excludes:
        assert collapse(phrase) not in flat, f"chrome left in: {phrase}"
    if page.kind == "article":
        precision, recall, _ = precision_recall_f1(body, page.expected["body"])
        assert precision >= 0.9 and recall >= 0.9, body


@pytest.mark.parametrize("page", NOT_ARTICLES, ids=ids)
def test_pages_that_are_not_articles_give_no_record(page: CorpusPage) -> None:
    with pytest.raises(NotAnArticleError) as refused:
        page.page.extract()
    if page.page.expected_reason:
        assert page.page.expected_reason in str(refused.value)


# --- without the site's rules: what the generic rules must still get right ---------------------


@pytest.mark.parametrize("page", KNOWN_SITE_ARTICLES, ids=ids)
def test_known_site_pages_come_out_right_without_their_rules(page: CorpusPage) -> None:
    article = page.page.extract(use_site_rules=False)
    wrong = golden.differences(article, page.expected, only=("headline", "published_at"))
    assert not wrong, "\n".join(wrong)
    expected = shingles(page.expected["body"])
    recall = len(expected & shingles(article.body)) / len(expected)
    assert recall >= 0.95, article.body


# --- the format ---------------------------------------------------------------------------------

SAMPLE = next(page for page in PAGES if page.kind == "article").page


def sample(**changes: Any) -> dict[str, Any]:
    data = json.loads(SAMPLE.path.read_text(encoding="utf-8"))
    data.update(changes)
    return data


def write_sample(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "page.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    path.with_suffix(".html").write_bytes(SAMPLE.raw())
    return path


def test_load_refuses_an_incomplete_record(tmp_path: Path) -> None:
    data = sample()
    del data["expected"]["tags"], data["expected"]["provenance"]
    with pytest.raises(FixtureError, match="expected lacks tags, provenance"):
        golden.load(write_sample(tmp_path, data))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expected_": {}}, "unknown key 'expected_'"),
        ({"kind": "story"}, "kind must be one of"),
        ({"kind": "teaser"}, "a teaser page must have is_teaser True"),
        ({"fetched_at": "2026-02-10T12:00"}, "fetched_at has no UTC offset"),
        ({"modeled_on": ""}, "modeled_on missing or empty"),
        ({"known_bugs": {"headlin": "typo"}}, "no expected field"),
        ({"expected_reason": "listing"}, "expected_reason is for pages that are not articles"),
    ],
)
def test_load_refuses_a_malformed_page(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(FixtureError, match=message):
        golden.load(write_sample(tmp_path, sample(**change)))


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("content_hash", "ab12", "content_hash: it is derived"),
        ("fetched_at", "2026-02-10T12:00:00+02:00", "it belongs at the top level"),
        ("summary", "", "'summary', which is no Article field"),
        ("tags", "Λάρισα", "expected tags is malformed"),
        ("published_at", "10/02/2026", "expected published_at is malformed"),
    ],
)
def test_load_refuses_fields_the_record_does_not_have(
    tmp_path: Path, name: str, value: Any, message: str
) -> None:
    data = sample()
    data["expected"][name] = value
    with pytest.raises(FixtureError, match=message):
        golden.load(write_sample(tmp_path, data))


def test_savefixture_output_round_trips_and_passes(tmp_path: Path) -> None:
    article = SAMPLE.extract()
    data = golden.fixture_of(article, modeled_on="a test", content_type=SAMPLE.content_type)
    path = golden.write(tmp_path / "saved.json", data, html=SAMPLE.raw())
    saved = golden.load(path)
    assert saved.expected == golden.expected_of(article)
    assert golden.differences(saved.extract(), saved.expected) == []
    assert "\\u03" not in path.read_text(encoding="utf-8")
    assert list(saved.expected or {}) == list(golden.RECORD_FIELDS)


def test_differences_name_each_field_and_compare_dates_as_moments() -> None:
    article = SAMPLE.extract()
    expected = golden.expected_of(article)
    assert article.published_at is not None
    expected["published_at"] = article.published_at.astimezone(UTC).isoformat()
    expected["authors"] = ["Κανείς"]
    expected["body"] = expected["body"].replace(".", ";", 1)
    lines = golden.differences(article, expected)
    assert [line.split(":")[0] for line in lines] == ["body", "authors"]
    assert "first difference at character" in lines[0]

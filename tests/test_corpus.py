"""Golden records and boilerplate assertions over the extraction corpus (`tests/fixtures/pages/`).

Each page carries the chrome of a CMS family of SITES.md; most are on sites without a spider, so
these records come from the generic rules alone.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

import pytest

from newsarchive.extract import extract
from newsarchive.items import NotAnArticleError
from tests.corpus import CorpusPage, corpus_pages, precision_recall_f1

PAGES = corpus_pages()
ARTICLES = [page for page in PAGES if page.kind == "article"]
TEASERS = [page for page in PAGES if page.kind == "teaser"]
NOT_ARTICLES = [page for page in PAGES if page.kind == "not_article"]
EXACT_FIELDS = ("headline", "lead", "section", "authors", "tags", "is_teaser", "source_credit")


def ids(page: CorpusPage) -> str:
    return page.id


def comparable(value: Any) -> Any:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def collapse(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_the_corpus_covers_the_cms_families() -> None:
    assert len(PAGES) >= 30
    families = {page.family for page in PAGES}
    assert {"wordpress-tagdiv", "wordpress-jnews", "joomla-k2", "custom-php"} <= families
    assert TEASERS and NOT_ARTICLES


@pytest.mark.parametrize("page", ARTICLES, ids=ids)
def test_article_fields(page: CorpusPage) -> None:
    record = extract(page.html(), page.url, fetched_at=page.fetched_at).to_dict()
    for name in EXACT_FIELDS:
        if name in page.expected:
            assert record[name] == page.expected[name], name
    if "published_at" in page.expected:
        assert comparable(record["published_at"]) == comparable(page.expected["published_at"])


@pytest.mark.parametrize("page", ARTICLES, ids=ids)
def test_article_body(page: CorpusPage) -> None:
    body = extract(page.html(), page.url, fetched_at=page.fetched_at).body
    assert body == unicodedata.normalize("NFC", body)
    assert "\n\n\n" not in body
    flat = collapse(body)
    for sentence in page.body_contains:
        assert collapse(sentence) in flat, f"missing: {sentence}"
    for phrase in page.body_excludes:
        assert collapse(phrase) not in flat, f"chrome left in: {phrase}"
    precision, recall, _ = precision_recall_f1(body, page.expected["body"])
    assert precision >= 0.9 and recall >= 0.9, body


@pytest.mark.parametrize("page", TEASERS, ids=ids)
def test_teasers_are_flagged_with_their_source(page: CorpusPage) -> None:
    record = extract(page.html(), page.url, fetched_at=page.fetched_at)
    assert record.is_teaser
    for name in ("headline", "source_credit"):
        if name in page.expected:
            assert getattr(record, name) == page.expected[name], name


@pytest.mark.parametrize("page", NOT_ARTICLES, ids=ids)
def test_pages_that_are_not_articles_give_no_record(page: CorpusPage) -> None:
    with pytest.raises(NotAnArticleError):
        extract(page.html(), page.url, fetched_at=page.fetched_at)


KNOWN_SITE_ARTICLES = [page for page in ARTICLES if page.known_site]


@pytest.mark.parametrize("page", KNOWN_SITE_ARTICLES, ids=ids)
def test_known_site_pages_come_out_right_without_their_selectors(page: CorpusPage) -> None:
    record = extract(page.html(), page.url, fetched_at=page.fetched_at, use_site_rules=False)
    assert record.headline == page.expected["headline"]
    assert record.published_at == comparable(page.expected["published_at"])
    _, recall, _ = precision_recall_f1(record.body, page.expected["body"])
    assert recall >= 0.95, record.body

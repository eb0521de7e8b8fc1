"""Every fixture site's article pages give their expected records, with and without site rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from newsarchive.extract import extract
from tests.conftest import SiteFixture, fixture_id, site_fixtures

FIXTURES = site_fixtures()


def shingles(text: str, size: int = 4) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i : i + size]) for i in range(max(len(words) - size + 1, 1))}


def comparable(name: str, value: Any) -> Any:
    if name in ("published_at", "modified_at") and isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


@pytest.mark.parametrize("fixture", FIXTURES, ids=fixture_id)
def test_record_field_by_field(fixture: SiteFixture) -> None:
    record = extract(fixture.read_html(), fixture.url, fetched_at=fixture.fetched_at).to_dict()
    record["published_at"] = comparable("published_at", record["published_at"])
    for name, expected in fixture.expected.items():
        assert comparable(name, record[name]) == comparable(name, expected), name


@pytest.mark.parametrize("fixture", FIXTURES, ids=fixture_id)
def test_generic_rules_alone_give_headline_date_and_body(fixture: SiteFixture) -> None:
    article = extract(
        fixture.read_html(), fixture.url, fetched_at=fixture.fetched_at, use_site_rules=False
    )
    assert article.headline == fixture.expected["headline"]
    assert article.published_at == comparable("published_at", fixture.expected["published_at"])
    expected = shingles(fixture.expected["body"])
    recall = len(expected & shingles(article.body)) / len(expected)
    assert recall >= 0.95, article.body


def test_there_are_fixtures_for_every_site() -> None:
    from newsarchive import sites

    assert {fixture.site for fixture in FIXTURES} == {site.name for site in sites.all()}

"""Shared test helpers: the bundled fixture sites and their expected records."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests.corpus import site_pages

REPO = Path(__file__).resolve().parent.parent

# CI draws the same examples on every run, so a submission lands or fails on its own code, not
# on the examples one run happened to draw; elsewhere each run explores new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@dataclass(frozen=True)
class SiteFixture:
    """One article page of a fixture site and its expected record (golden format)."""

    site: str
    slug: str
    html: Path
    url: str
    fetched_at: datetime
    expected: dict[str, Any]
    """The complete record but `url`, `fetched_at` and `content_hash`, less any known bugs."""

    def read_html(self) -> str:
        return self.html.read_text(encoding="utf-8")


def site_fixtures() -> list[SiteFixture]:
    """Every article page of every fixture site."""
    return [
        SiteFixture(
            site=found.family,
            slug=found.slug,
            html=found.page.html_path,
            url=found.url,
            fetched_at=found.fetched_at,
            expected={
                name: value
                for name, value in found.expected.items()
                if name not in found.page.known_bugs
            },
        )
        for found in site_pages()
    ]


def fixture_id(fixture: SiteFixture) -> str:
    return f"{fixture.site}/{fixture.slug}"


POSTGRES_URL = os.environ.get("NEWSARCHIVE_TEST_POSTGRES_URL")
"""A PostgreSQL database the tests may empty at will (.ci/run starts one and sets this)."""

if not POSTGRES_URL and os.environ.get("CI"):
    raise RuntimeError("CI runs the archive tests on PostgreSQL: set NEWSARCHIVE_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
if not POSTGRES_URL:
    print("tests: PostgreSQL skipped (set NEWSARCHIVE_TEST_POSTGRES_URL to run the tests on it)")


def empty_postgres(url: str) -> None:
    """Drop every table of the test database, so each test starts from nothing."""
    from sqlalchemy import MetaData, create_engine

    engine = create_engine(url)
    tables = MetaData()
    tables.reflect(engine)
    tables.drop_all(engine)
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty archive URL: SQLite always, PostgreSQL too where one is configured."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'archive.db'}"
        return
    assert POSTGRES_URL is not None
    # A server archive keeps its raw pages in ./newsarchive-warc/ unless told: keep them here.
    monkeypatch = request.getfixturevalue("monkeypatch")
    if "NEWSARCHIVE_WARC_DIR" not in os.environ:
        monkeypatch.setenv("NEWSARCHIVE_WARC_DIR", str(tmp_path / "warc"))
    empty_postgres(POSTGRES_URL)
    yield POSTGRES_URL
    empty_postgres(POSTGRES_URL)

"""Shared test helpers: the bundled fixture sites and their expected records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from newsarchive.fixture_server import fixture_root

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SiteFixture:
    """One article page of a fixture site and its expected record."""

    site: str
    slug: str
    html: Path
    url: str
    fetched_at: datetime
    expected: dict[str, Any]

    def read_html(self) -> str:
        return self.html.read_text(encoding="utf-8")


def site_fixtures() -> list[SiteFixture]:
    """Every article page of every fixture site."""
    found = []
    for spec in sorted(fixture_root().glob("*/articles/*.json")):
        data = json.loads(spec.read_text(encoding="utf-8"))
        found.append(
            SiteFixture(
                site=spec.parent.parent.name,
                slug=spec.stem,
                html=spec.with_suffix(".html"),
                url=data["url"],
                fetched_at=datetime.fromisoformat(data["fetched_at"]),
                expected=data["expected"],
            )
        )
    return found


def fixture_id(fixture: SiteFixture) -> str:
    return f"{fixture.site}/{fixture.slug}"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'archive.db'}"

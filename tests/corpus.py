"""The extraction corpus (`tests/fixtures/pages/`) and the fixture sites' articles, as one list.

Shared by `tests/test_corpus.py` and `bench/extraction.py`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from newsarchive.encoding import decode_html
from newsarchive.fixture_server import fixture_root
from newsarchive.sites import for_url as spider_for_url

CORPUS = Path(__file__).resolve().parent / "fixtures" / "pages"


@dataclass(frozen=True)
class CorpusPage:
    """A saved page, how the server labels it, and what extraction must give."""

    family: str
    slug: str
    url: str
    fetched_at: datetime
    kind: str
    """`article`, `teaser` or `not_article`."""
    raw: bytes
    content_type: str | None = None
    expected: dict[str, Any] = field(default_factory=dict)
    body_contains: list[str] = field(default_factory=list)
    body_excludes: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.family}/{self.slug}"

    @property
    def known_site(self) -> bool:
        """Whether a spider (with its own selectors) covers the page's site."""
        return spider_for_url(self.url) is not None

    def html(self) -> str:
        decoded = decode_html(self.raw, self.content_type)
        assert decoded is not None, f"{self.id}: undecodable"
        return decoded


def _load(spec: Path, family: str, default_kind: str = "article") -> CorpusPage:
    data = json.loads(spec.read_text(encoding="utf-8"))
    return CorpusPage(
        family=family,
        slug=spec.stem,
        url=data["url"],
        fetched_at=datetime.fromisoformat(data["fetched_at"]),
        kind=data.get("kind", default_kind),
        raw=spec.with_suffix(".html").read_bytes(),
        content_type=data.get("content_type"),
        expected=data.get("expected") or {},
        body_contains=data.get("body_contains", []),
        body_excludes=data.get("body_excludes", []),
    )


def corpus_pages() -> list[CorpusPage]:
    """Every page of `tests/fixtures/pages/<family>/`."""
    return [_load(spec, spec.parent.name) for spec in sorted(CORPUS.glob("*/*.json"))]


def site_pages() -> list[CorpusPage]:
    """Every article page of the bundled fixture sites."""
    return [
        _load(spec, f"site-{spec.parent.parent.name}")
        for spec in sorted(fixture_root().glob("*/articles/*.json"))
    ]


def all_pages() -> list[CorpusPage]:
    return site_pages() + corpus_pages()


def shingles(text: str, size: int = 4) -> set[tuple[str, ...]]:
    """The text's word 4-grams (the unit of the public article-extraction benchmarks)."""
    words = text.lower().split()
    return {tuple(words[i : i + size]) for i in range(max(len(words) - size + 1, 1))}


def precision_recall_f1(extracted: str, expected: str) -> tuple[float, float, float]:
    """Body quality by shared 4-word shingles."""
    got, want = shingles(extracted or ""), shingles(expected or "")
    if not got or not want:
        return (0.0, 0.0, 0.0) if got or want else (1.0, 1.0, 1.0)
    shared = len(got & want)
    precision, recall = shared / len(got), shared / len(want)
    f1 = 2 * precision * recall / (precision + recall) if shared else 0.0
    return precision, recall, f1

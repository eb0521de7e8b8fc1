"""Every golden page, as one list: the fixture sites' articles and the extraction corpus.

Both hold pages in the format of `newsarchive/golden.py`. Shared by `tests/test_golden.py`,
`tests/conftest.py` and `bench/extraction.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from newsarchive import golden
from newsarchive.fixture_server import fixture_root
from newsarchive.golden import GoldenPage

CORPUS = Path(__file__).resolve().parent / "fixtures" / "pages"
"""The extraction corpus: `<family>/<slug>.{html,json}`."""


@dataclass(frozen=True)
class CorpusPage:
    """A golden page and where it lives: `fixture_sites/<site>` or `pages/<family>`."""

    place: str
    family: str
    """The fixture site (`larissanet`) or the corpus family (`joomla-k2`)."""
    page: GoldenPage

    @property
    def slug(self) -> str:
        return self.page.path.stem

    @property
    def id(self) -> str:
        return f"{self.place}/{self.family}/{self.slug}"

    @property
    def url(self) -> str:
        return self.page.url

    @property
    def fetched_at(self) -> datetime:
        return self.page.fetched_at

    @property
    def kind(self) -> str:
        return self.page.kind

    @property
    def expected(self) -> dict[str, Any]:
        return self.page.expected or {}

    @property
    def known_site(self) -> bool:
        """Whether the site has its own page rules (selectors) in `newsarchive.sites`."""
        return known_site(self.url)

    def html(self) -> str:
        return self.page.html()


def known_site(url: str) -> bool:
    from newsarchive import sites

    return sites.for_url(url) is not None


def site_names() -> set[str]:
    """The names of the sites the registry knows."""
    from newsarchive import sites

    return {site.name for site in sites.all()}


def site_pages() -> list[CorpusPage]:
    """Every article page of the bundled fixture sites."""
    return [
        CorpusPage("fixture_sites", spec.parent.parent.name, golden.load(spec))
        for spec in sorted(fixture_root().glob("*/articles/*.json"))
    ]


def corpus_pages() -> list[CorpusPage]:
    """Every page of `tests/fixtures/pages/<family>/`."""
    return [
        CorpusPage("pages", spec.parent.name, golden.load(spec))
        for spec in sorted(CORPUS.glob("*/*.json"))
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

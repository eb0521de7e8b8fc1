"""The article-extraction benchmark of Scrapinghub (now Zyte), read from a local copy.

The benchmark (github.com/scrapinghub/article-extraction-benchmark, MIT) holds 181 gzipped
article pages of English-language news and blogs saved in November 2019, and one
`ground-truth.json` mapping each page's id to its `url` and hand-made `articleBody`. It scores
the body only. Its README ranks trafilatura, readability, newspaper4k, news-please, goose3 and
others on it, so it is the peers' own benchmark. Get a copy outside this repository:

    git clone https://github.com/scrapinghub/article-extraction-benchmark /path/to/aeb

Scoring follows the benchmark's `evaluate.py`, restated here: tokens are runs of word
characters (case kept), shingles are 4 tokens (a text of fewer tokens is one shingle), and a
page's true/false positives and false negatives are counted with multiplicity, then divided by
their sum so that every page weighs the same. Precision and recall are averaged over pages, F1
is the harmonic mean of those two averages, and "accuracy" is the share of pages whose tokens
are exactly the truth's.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean

CLONE_URL = "https://github.com/scrapinghub/article-extraction-benchmark"
FETCHED_AT = datetime(2019, 12, 1, 12, 0, tzinfo=UTC)
"""After the pages were saved (the benchmark's first evaluation is dated November 2019). The
body does not depend on it; relative and year-less dates would."""

TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class AebPage:
    """One benchmark page and its true body."""

    id: str
    url: str
    path: Path
    body: str

    def html_bytes(self) -> bytes:
        return gzip.decompress(self.path.read_bytes())

    def html(self) -> str:
        """The page as text, as the benchmark's own runners read it (UTF-8)."""
        return self.html_bytes().decode("utf-8", errors="replace")


def load(root: Path) -> list[AebPage]:
    """Every page of the benchmark that has its HTML file, in id order."""
    truth_file = root / "ground-truth.json"
    if not truth_file.is_file():
        raise SystemExit(f"{truth_file} not found: clone {CLONE_URL} and pass its path")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        path = root / "html" / f"{page_id}.html.gz"
        if path.is_file():
            entry = truth[page_id]
            pages.append(AebPage(page_id, entry.get("url") or "", path, entry["articleBody"]))
    return pages


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text or "")


def shingle_counts(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    words = tokens(text)
    return Counter(tuple(words[i : i + size]) for i in range(max(len(words) - size + 1, 1)))


def matching(true: str, predicted: str) -> tuple[float, float, float]:
    """The page's (tp, fp, fn) shares over shingles counted with multiplicity."""
    want, got = shingle_counts(true), shingle_counts(predicted)
    want.pop((), None)
    got.pop((), None)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


@dataclass(frozen=True)
class Scores:
    f1: float
    precision: float
    recall: float
    accuracy: float


def score(pairs: list[tuple[str, str]]) -> Scores:
    """The benchmark's figures over (true, predicted) bodies."""
    counts = [matching(true, predicted) for true, predicted in pairs]
    precisions = [precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [recall(*c) for c in counts if c[0] + c[2] > 0]
    p = mean(precisions) if precisions else 0.0
    r = mean(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    accuracy = mean(float(tokens(true) == tokens(predicted)) for true, predicted in pairs)
    return Scores(f1, p, r, accuracy)

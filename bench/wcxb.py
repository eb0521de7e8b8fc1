"""The WCXB benchmark's dev-split article pages, read from a local copy (nothing is fetched).

WCXB (Web Content eXtraction Benchmark, Murrough Foley, CC-BY-4.0) holds gzipped HTML pages
with hand-reviewed ground truth: main text, title, author, publication date and page type. Get
a copy outside this repository and pass its path to `bench/extraction.py --wcxb PATH`:

    git clone https://github.com/Murrough-Foley/web-content-extraction-benchmark /path/to/wcxb

Layout: `dev/html/<id>.html.gz`, `dev/ground-truth/<id>.json` with `url`,
`_internal.page_type.primary` (the label the benchmark's own `evaluate.py` reads; `category`
counts as `collection`) and `ground_truth.{title,publish_date,main_content}`. Pages are chosen
by that per-file label, as `evaluate.py` does (`metadata.json` disagrees on a few files and
puts 139 files of `dev/` in the test split, so it is not used). Pages whose ground truth has no
main text cannot be scored and are left out.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

CLONE_URL = "https://github.com/Murrough-Foley/web-content-extraction-benchmark"
DEFAULT_FETCHED_AT = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
"""When the pages were saved, for files without `downloaded_at`: after the latest publication
date in dev (2026-03-13), before the release (April 2026). Only year-less and relative dates
depend on it."""


@dataclass(frozen=True)
class WcxbPage:
    """One benchmark page and its ground truth."""

    id: str
    url: str
    """The page's URL from the ground truth, or a synthetic one on a reserved domain."""
    path: Path
    title: str | None
    day: date | None
    """The publication day, when the ground truth gives a full `YYYY-MM-DD`."""
    main_content: str
    fetched_at: datetime

    def html(self) -> str:
        """The page as text: the files are UTF-8 (the benchmark reads them so)."""
        return gzip.decompress(self.path.read_bytes()).decode("utf-8", errors="replace")


def page_type(data: dict[str, Any]) -> str:
    """The page's type as the benchmark's `evaluate.py` reads it."""
    found = (data.get("_internal") or {}).get("page_type", {})
    kind = found.get("primary", "article") if isinstance(found, dict) else found
    kind = kind if isinstance(kind, str) else "article"
    return "collection" if kind == "category" else kind


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _fetched_at(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        return DEFAULT_FETCHED_AT
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def load(root: Path, split: str = "dev", kind: str = "article") -> tuple[list[WcxbPage], int]:
    """The split's pages of one type, and how many of them had no main text to score."""
    truth_dir = root / split / "ground-truth"
    if not truth_dir.is_dir():
        raise SystemExit(f"{truth_dir} not found: clone {CLONE_URL} and pass its path")
    pages: list[WcxbPage] = []
    unscorable = 0
    for spec in sorted(truth_dir.glob("*.json")):
        data = json.loads(spec.read_text(encoding="utf-8"))
        truth = data.get("ground_truth")
        if not isinstance(truth, dict) or page_type(data) != kind:
            continue
        main_content = truth.get("main_content") or ""
        if not main_content.strip():
            unscorable += 1
            continue
        page_id = spec.stem
        pages.append(
            WcxbPage(
                id=page_id,
                url=data.get("url") or f"https://wcxb.invalid/{split}/{page_id}",
                path=root / split / "html" / f"{page_id}.html.gz",
                title=truth.get("title") or None,
                day=_day(truth.get("publish_date")),
                main_content=main_content,
                fetched_at=_fetched_at(data.get("downloaded_at")),
            )
        )
    return pages, unscorable

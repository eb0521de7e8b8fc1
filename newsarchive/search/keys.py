"""The search key: the rowid of an article in SQLite's full-text index.

It is the article's publication second shifted left by `ID_BITS`, with the article's id in the
low bits, so that the index's own rowid order is newest first (`ORDER BY rowid DESC` stops after
a page of hits, however common the word) and a date range is a rowid range. Undated articles
have second 0 (after every dated one, newest first).
"""

from __future__ import annotations

import math
from datetime import datetime

ID_BITS = 30
"""Low bits for the article id: over a billion articles."""
ID_MASK = (1 << ID_BITS) - 1
SECOND_BITS = 33
"""High bits for the second since 1970 (to the year 2242); a 63-bit key in all."""
LAST_SECOND = (1 << SECOND_BITS) - 1
DATED = 1 << ID_BITS
"""The smallest key of a dated article."""
MAX_KEY = (LAST_SECOND << ID_BITS) | ID_MASK


def second_of(moment: datetime | None) -> int:
    """The key's second: 0 undated; dates before 1970 are second 1, after 2242 the last."""
    if moment is None:
        return 0
    return min(max(1, math.floor(moment.timestamp())), LAST_SECOND)


def search_key(article_id: int, published_at: datetime | None) -> int:
    """The article's rowid in the full-text index."""
    if not 0 < article_id <= ID_MASK:
        raise ValueError(f"article id {article_id} does not fit the search key")
    return (second_of(published_at) << ID_BITS) | article_id


def key_range(since: datetime | None, until: datetime | None) -> tuple[int, int]:
    """The keys of articles published within [since, until] (to the second), undated left out
    when either bound is given, as the filters leave them out."""
    if since is None and until is None:
        return 0, MAX_KEY
    low = DATED if since is None else max(DATED, math.ceil(since.timestamp()) << ID_BITS)
    high = MAX_KEY if until is None else (second_of(until) << ID_BITS) | ID_MASK
    return low, high

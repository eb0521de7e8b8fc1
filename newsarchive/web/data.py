"""What each page and endpoint shows, as JSON-ready data from the read side.

One function per view; its dict is both the `/api/` response and the template's context, so the
UI never shows what the API does not give. Times are ISO 8601 in Europe/Athens, text NFC.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsarchive.archive.models import ArticleRow, RawPageRow, VersionRow
from newsarchive.dates import ATHENS
from newsarchive.query import (
    Archived,
    Filters,
    Story,
    archived,
    articles,
    export_record,
    history,
    record,
    stories,
    story_record,
)

if TYPE_CHECKING:
    from newsarchive.search.run import Fragment, Hit
    from newsarchive.stats import Counts

DIFF_PART = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.S)
"""A removed (`[-…-]`) or added (`{+…+}`) run of a word diff (`newsarchive.query.word_diff`)."""


def when(moment: datetime | None) -> str | None:
    return moment.astimezone(ATHENS).isoformat() if moment is not None else None


def fragments(marked: Sequence[Fragment]) -> list[list[Any]]:
    """Marked text as JSON: `[text, is_a_match]` pairs."""
    return [[text, bool(match)] for text, match in marked]


# --- search -------------------------------------------------------------------------------------


def hit_data(hit: Hit) -> dict[str, Any]:
    """One search result: the article's summary, its marked headline and snippet (as pairs and
    as escaped HTML with `<mark>`)."""
    from newsarchive.search.run import snippet_html

    return {
        "id": hit.id,
        "canonical_url": hit.canonical_url,
        "url": hit.url,
        "site": hit.site,
        "region": hit.region,
        "headline": hit.headline,
        "lead": hit.lead,
        "section": hit.section,
        "published_at": when(hit.published_at),
        "story": hit.story,
        "versions": hit.versions,
        "score": hit.score,
        "headline_marked": fragments(hit.headline_marked),
        "snippet": fragments(hit.snippet),
        "headline_html": snippet_html(hit.headline_marked),
        "snippet_html": snippet_html(hit.snippet),
    }


def search_data(
    db_url: str, q: str, filters: Filters, *, sort: str, limit: int, offset: int
) -> dict[str, Any]:
    """A page of search results: `total` matches within the filters, `hits` from `offset`.
    Raises BadQueryError for a query that cannot be searched."""
    from newsarchive.search.run import search_page

    page = search_page(db_url, q, filters, sort=sort, limit=limit, offset=offset)
    return {
        "q": q,
        "sort": sort,
        "offset": offset,
        "limit": limit,
        "total": page.total,
        "hits": [hit_data(hit) for hit in page.hits],
    }


def summary(item: Archived) -> dict[str, Any]:
    """An article as a list shows it (no body)."""
    row = item.row
    return {
        "id": row.id,
        "canonical_url": row.canonical_url,
        "url": row.url,
        "site": row.site,
        "region": row.region,
        "headline": record(row)["headline"],
        "lead": row.lead,
        "section": row.section,
        "published_at": when(row.published_at),
        "story": item.story,
        "versions": row.version_count,
    }


def recent_data(session: Session, filters: Filters, *, limit: int, offset: int) -> dict[str, Any]:
    """The newest articles within the filters (what the search page lists without a query)."""
    rows = articles(session, dataclasses.replace(filters, limit=offset + limit + 1))
    found = list(itertools.islice(archived(session, rows), offset, offset + limit + 1))
    return {
        "offset": offset,
        "limit": limit,
        "more": len(found) > limit,
        "articles": [summary(item) for item in found[:limit]],
    }


# --- one article --------------------------------------------------------------------------------


def raw_link(raw_page_id: int | None) -> str | None:
    return f"/raw/{raw_page_id}" if raw_page_id is not None else None


def article_data(session: Session, article_id: int) -> dict[str, Any] | None:
    """An article: its record, its versions (with word diffs and raw pages), its other URLs
    and its story's copies; None when there is no such article."""
    row = session.get(ArticleRow, article_id)
    if row is None:
        return None
    item = next(archived(session, [row], full=True))
    kept = select(VersionRow.number, VersionRow.raw_page_id).where(VersionRow.article_id == row.id)
    raw_pages = {number: raw_page_id for number, raw_page_id in session.execute(kept)}
    found = history(session, row.canonical_url)
    versions = [
        {
            "number": version.number,
            "fetched_at": when(version.fetched_at),
            "extractor_version": version.extractor_version,
            "changed": list(version.changed),
            "diffs": version.diffs,
            "raw_page": raw_link(raw_pages.get(version.number)),
        }
        for version in (found.versions if found is not None else ())
    ]
    return {
        "id": row.id,
        "article": export_record(item, nested=False),
        "aliases": list(item.aliases),
        "versions": versions,
        "raw_page": versions[-1]["raw_page"] if versions else None,
        "story": story_of(session, item.story, row.id) if item.story else None,
    }


def story_of(session: Session, key: str, article_id: int) -> dict[str, Any] | None:
    """The story of this key with every copy, `this` marking the article's own."""
    found = next(stories(session, Filters(story=key)), None)
    if found is None:
        return None
    data = story_data(session, [found])[0]
    for copy in data["copies"]:
        copy["this"] = copy["id"] == article_id
    return data


def diff_parts(diff: str) -> list[tuple[str, str]]:
    """A word diff as `(text, kind)` runs, kind `del`, `ins` or `` (unchanged), to show."""
    parts: list[tuple[str, str]] = []
    position = 0
    for change in DIFF_PART.finditer(diff):
        if change.start() > position:
            parts.append((diff[position : change.start()], ""))
        removed, added = change.group(1), change.group(2)
        parts.append((removed, "del") if removed is not None else (added, "ins"))
        position = change.end()
    if position < len(diff):
        parts.append((diff[position:], ""))
    return parts


# --- stories ------------------------------------------------------------------------------------


def story_data(session: Session, found: Iterable[Story]) -> list[dict[str, Any]]:
    """Stories as JSON, each copy with its article's `id` and whether it is the first."""
    listed = [story_record(story) for story in found]
    urls = {copy["url"] for data in listed for copy in data["copies"]}
    known = select(ArticleRow.canonical_url, ArticleRow.id).where(
        ArticleRow.canonical_url.in_(urls)
    )
    ids = {url: article_id for url, article_id in session.execute(known)}
    for data in listed:
        for index, copy in enumerate(data["copies"]):
            copy["id"] = ids.get(copy["url"])
            copy["first"] = index == 0
    return listed


def stories_data(session: Session, filters: Filters, *, limit: int, offset: int) -> dict[str, Any]:
    """A page of stories with a copy within the filters, newest first."""
    found = stories(session, dataclasses.replace(filters, limit=offset + limit + 1))
    page = list(itertools.islice(found, offset, offset + limit + 1))
    return {
        "offset": offset,
        "limit": limit,
        "more": len(page) > limit,
        "stories": story_data(session, page[:limit]),
    }


# --- raw pages ----------------------------------------------------------------------------------


def raw_page_text(session: Session, folder: Path, raw_page_id: int) -> str | None:
    """The source of a stored page as the extractor decoded it (newsarchive.encoding), or None
    when there is no such page; raises WarcError when its WARC record cannot be read."""
    from newsarchive.archive.warc import read_response
    from newsarchive.encoding import decode_html

    raw = session.get(RawPageRow, raw_page_id)
    if raw is None:
        return None
    stored = read_response(folder, raw.warc_file, raw.warc_offset, raw.warc_length)
    text = decode_html(stored.body, stored.content_type)
    return text if text is not None else stored.body.decode("utf-8", errors="replace")


# --- trends -------------------------------------------------------------------------------------


def stats_data(found: Counts) -> dict[str, Any]:
    """Counts per period and series (`newsarchive.stats.counts`), and as tidy rows."""
    from newsarchive.stats import counts_rows

    return {
        "every": found.every,
        "by": found.by,
        "q": found.query,
        "periods": found.periods,
        "series": found.series,
        "total": found.total,
        "undated": found.undated,
        "rows": counts_rows(found),
    }

"""The store path: one record into the archive, deduplicated on three levels, in one transaction.

1. The canonical URL (or a URL known as an alias of it): the same article. Changed content
   (headline, lead or body; with `any_change`, any record field) adds a version; unchanged
   content only moves `last_seen_at`.
2. Exact content: the same headline, lead and body under another URL of the same site is the
   same article, and the URL becomes its alias.
3. Near-duplicates across sites: a new article whose body's MinHash shares an LSH band with
   archived ones, and is similar enough to one (`similarity.THRESHOLD`), joins that one's story.
   Copies are kept and linked, never dropped. The lookup reads the band index, so its cost
   does not grow with the archive.

Crawls, `import` and `reextract` all store through `store()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from newsarchive import __version__
from newsarchive.archive import similarity
from newsarchive.archive.models import (
    AliasRow,
    ArticleRow,
    BandRow,
    SourceRow,
    StoryRow,
    VersionRow,
)
from newsarchive.items import Article
from newsarchive.text import fold

COMPARED_FIELDS = (
    "headline",
    "lead",
    "body",
    "section",
    "tags",
    "authors",
    "images",
    "published_at",
    "published_raw",
    "modified_at",
    "modified_raw",
    "language",
    "region",
    "is_teaser",
    "source_credit",
)
"""The record fields a version's `changed` list names (not the fetch's own: URL, time, rules)."""
MAX_CANDIDATES = 50
"""Story candidates checked per article, those sharing most bands first: a text that shares a
band with more archived articles than this is boilerplate, not a story."""


class UpsertResult(StrEnum):
    """What storing a record did."""

    NEW = "new"
    UPDATED = "updated"
    """Its content changed: a new version."""
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    """The same content as an article of the site under another URL: now an alias of it."""


@dataclass(frozen=True)
class Stored:
    """The outcome of storing one record."""

    result: UpsertResult
    article_id: int
    version: int
    """The article's version number now."""
    changed: tuple[str, ...] = ()
    """With UPDATED: the fields that differ from the version before."""
    story_id: int | None = None


def record_of(article: Article) -> dict[str, Any]:
    """The record as a version keeps it (JSON-ready)."""
    return article.to_dict()


def search_key(article: Article) -> tuple[str, str]:
    """The folded search text of a record, and its folded body (for the story signature)."""
    body = fold(article.body)
    parts = [article.headline, article.lead, article.section, *article.tags]
    folded = [fold(part) for part in parts if part]
    return " ".join(part for part in (*folded, body) if part), body


def row_values(article: Article, search_text: str) -> dict[str, Any]:
    """Column values of the articles row that carries a record as its current version."""
    values = {name: getattr(article, name) for name in ARTICLE_COLUMNS}
    values["images"] = [{"url": image.url, "caption": image.caption} for image in article.images]
    values["search_text"] = search_text
    return values


ARTICLE_COLUMNS = (
    "url canonical_url site region headline lead body section tags authors images "
    "published_at published_raw modified_at modified_raw language fetched_at content_hash "
    "provenance is_teaser source_credit"
).split()


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    """The compared fields whose values differ between two records."""
    return tuple(name for name in COMPARED_FIELDS if before.get(name) != after.get(name))


class Ingest:
    """Stores records through one session (the caller commits)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sources: set[str] = set()

    def store(
        self,
        article: Article,
        *,
        run_id: int | None = None,
        raw_page_id: int | None = None,
        story_key: str | None = None,
        any_change: bool = False,
        extractor_version: str = __version__,
    ) -> Stored:
        """Store one record: see the module's docstring for what happens to it."""
        self._source(article.site, article.fetched_at)
        found = self._article_of(article.canonical_url)
        record = record_of(article)
        context = {
            "run_id": run_id,
            "raw_page_id": raw_page_id,
            "extractor_version": extractor_version,
        }
        if found is not None:
            return self._again(found, article, record, any_change=any_change, **context)
        same = self._same_content(article)
        if same is not None:
            return self._alias(same, article)
        return self._new(article, record, story_key=story_key, **context)

    # --- identity ------------------------------------------------------------------------------

    def _article_of(self, canonical_url: str) -> Any:
        columns = (
            ArticleRow.id,
            ArticleRow.content_hash,
            ArticleRow.version_count,
            ArticleRow.current_version_id,
            ArticleRow.story_id,
            ArticleRow.last_seen_at,
        )
        row = self.session.execute(
            select(*columns).where(ArticleRow.canonical_url == canonical_url)
        ).one_or_none()
        if row is not None:
            return row
        alias = select(AliasRow.article_id).where(AliasRow.url == canonical_url)
        return self.session.execute(
            select(*columns).where(ArticleRow.id == alias.scalar_subquery())
        ).one_or_none()

    def _same_content(self, article: Article) -> Any:
        query = select(ArticleRow.id, ArticleRow.version_count, ArticleRow.story_id).where(
            ArticleRow.site == article.site, ArticleRow.content_hash == article.content_hash
        )
        return self.session.execute(query.limit(1)).one_or_none()

    def _alias(self, same: Any, article: Article) -> Stored:
        self.session.execute(
            insert(AliasRow).values(
                url=article.canonical_url, article_id=same.id, first_seen_at=article.fetched_at
            )
        )
        self._seen(same.id, article.fetched_at)
        return Stored(UpsertResult.DUPLICATE, same.id, same.version_count, story_id=same.story_id)

    def _seen(self, article_id: int, moment: datetime) -> None:
        self.session.execute(
            update(ArticleRow)
            .where(ArticleRow.id == article_id)
            .where((ArticleRow.last_seen_at.is_(None)) | (ArticleRow.last_seen_at < moment))
            .values(last_seen_at=moment)
        )

    def _source(self, name: str, moment: datetime) -> None:
        if name in self.sources:
            return
        exists = self.session.scalar(select(SourceRow.name).where(SourceRow.name == name))
        if exists is None:
            from newsarchive import sites

            try:
                site: sites.Site | None = sites.get(name)
            except sites.UnknownSiteError:  # a page given by URL: its host is the source
                site = None
            self.session.execute(
                insert(SourceRow).values(
                    name=name,
                    outlet=site.outlet if site else None,
                    region=site.region if site else None,
                    base_url=site.base_url if site else None,
                    first_seen_at=moment,
                )
            )
        self.sources.add(name)

    # --- versions ------------------------------------------------------------------------------

    def _version(
        self,
        article_id: int,
        number: int,
        article: Article,
        record: dict[str, Any],
        changed: tuple[str, ...],
        *,
        run_id: int | None,
        raw_page_id: int | None,
        extractor_version: str,
    ) -> int:
        result = self.session.execute(
            insert(VersionRow)
            .values(
                article_id=article_id,
                number=number,
                fetched_at=article.fetched_at,
                content_hash=article.content_hash,
                extractor_version=extractor_version,
                crawl_run_id=run_id,
                raw_page_id=raw_page_id,
                changed=list(changed),
                record=record,
            )
            .returning(VersionRow.id)
        )
        return int(result.scalar_one())

    def _again(
        self,
        found: Any,
        article: Article,
        record: dict[str, Any],
        *,
        any_change: bool,
        **context: Any,
    ) -> Stored:
        """A record of an archived article: a new version if it changed, else a sighting."""
        same_content = found.content_hash == article.content_hash
        changed: tuple[str, ...] = ()
        if not same_content or any_change:
            before = self.session.scalar(
                select(VersionRow.record).where(VersionRow.id == found.current_version_id)
            )
            changed = changed_fields(before or {}, record)
            if same_content and not changed:
                changed = ()
            elif not changed:
                changed = ("content",)  # the hash says so, though no compared field does
        if not changed:
            self._seen(found.id, article.fetched_at)
            return Stored(
                UpsertResult.UNCHANGED, found.id, found.version_count, story_id=found.story_id
            )
        number = found.version_count + 1
        version_id = self._version(found.id, number, article, record, changed, **context)
        search_text, body = search_key(article)
        signature = similarity.signature(body, folded=True)
        self.session.execute(
            update(ArticleRow)
            .where(ArticleRow.id == found.id)
            .values(
                **row_values(article, search_text),
                version_count=number,
                current_version_id=version_id,
                last_seen_at=func.coalesce(ArticleRow.last_seen_at, article.fetched_at),
                minhash=signature,
            )
        )
        self._seen(found.id, article.fetched_at)
        self._index_bands(found.id, signature, replace=True)
        return Stored(UpsertResult.UPDATED, found.id, number, changed, found.story_id)

    def _new(
        self, article: Article, record: dict[str, Any], *, story_key: str | None, **context: Any
    ) -> Stored:
        search_text, body = search_key(article)
        signature = similarity.signature(body, folded=True)
        article_id = int(
            self.session.execute(
                insert(ArticleRow)
                .values(
                    **row_values(article, search_text),
                    first_seen_at=datetime.now(UTC),
                    last_seen_at=article.fetched_at,
                    version_count=1,
                    minhash=signature,
                )
                .returning(ArticleRow.id)
            ).scalar_one()
        )
        version_id = self._version(article_id, 1, article, record, (), **context)
        if story_key is not None:
            story_id: int | None = self._story_by_key(story_key, article_id)
        else:
            story_id = self._story_of_copy(article_id, signature)
        self.session.execute(
            update(ArticleRow)
            .where(ArticleRow.id == article_id)
            .values(current_version_id=version_id, story_id=story_id)
        )
        if story_id is not None:
            self._first_publisher(story_id, article_id, article)
        self._index_bands(article_id, signature)
        return Stored(UpsertResult.NEW, article_id, 1, story_id=story_id)

    # --- stories -------------------------------------------------------------------------------

    def _index_bands(
        self, article_id: int, signature: bytes | None, *, replace: bool = False
    ) -> None:
        if replace:
            self.session.execute(delete(BandRow).where(BandRow.article_id == article_id))
        if signature is None:
            return
        keys = set(similarity.band_keys(signature))
        self.session.execute(
            insert(BandRow), [{"key": key, "article_id": article_id} for key in keys]
        )

    def _story_of_copy(self, article_id: int, signature: bytes | None) -> int | None:
        """The story the new article is a copy in (made now if its original had none)."""
        if signature is None:
            return None
        keys = similarity.band_keys(signature)
        shared = func.count().label("shared")
        candidates = (
            select(BandRow.article_id)
            .where(BandRow.key.in_(keys))
            .group_by(BandRow.article_id)
            .order_by(shared.desc(), BandRow.article_id)
            .limit(MAX_CANDIDATES)
        )
        rows = self.session.execute(
            select(
                ArticleRow.id, ArticleRow.minhash, ArticleRow.story_id, ArticleRow.canonical_url
            ).where(ArticleRow.id.in_(candidates.scalar_subquery()))
        ).all()
        best = None
        best_score = similarity.THRESHOLD
        for row in rows:
            if row.minhash is None or row.id == article_id:
                continue
            score = similarity.similarity(signature, row.minhash)
            if score >= best_score:
                best, best_score = row, score
        if best is None:
            return None
        if best.story_id is not None:
            return int(best.story_id)
        story_id = self._make_story(best.canonical_url, best.id)
        self.session.execute(
            update(ArticleRow).where(ArticleRow.id == best.id).values(story_id=story_id)
        )
        return story_id

    def _story_by_key(self, key: str, article_id: int) -> int:
        """The story named `key` (an exported story), made with this article if it is new."""
        found = self.session.scalar(select(StoryRow.id).where(StoryRow.key == key))
        return int(found) if found is not None else self._make_story(key, article_id)

    def _make_story(self, key: str, first_article_id: int) -> int:
        result = self.session.execute(
            insert(StoryRow)
            .values(key=key, first_article_id=first_article_id, created_at=datetime.now(UTC))
            .returning(StoryRow.id)
        )
        return int(result.scalar_one())

    def _first_publisher(self, story_id: int, article_id: int, article: Article) -> None:
        """Makes the article the story's first publisher if it was published before it."""
        first = self.session.execute(
            select(ArticleRow.id, ArticleRow.published_at, ArticleRow.first_seen_at)
            .join(StoryRow, StoryRow.first_article_id == ArticleRow.id)
            .where(StoryRow.id == story_id)
        ).one_or_none()
        if first is None or first.id == article_id:
            return
        theirs = first.published_at or first.first_seen_at
        ours = article.published_at or datetime.now(UTC)
        if theirs is None or ours < theirs:
            self.session.execute(
                update(StoryRow).where(StoryRow.id == story_id).values(first_article_id=article_id)
            )

"""The full-text index in the database, kept in step with the articles by the store path.

Both backends index the same terms (`tokens.term_string` of the headline, and of the lead and
body), kept on each article as `search_title` and `search_text`:
- SQLite: `articles_fts`, a contentless FTS5 table of two columns (title, text) whose rowid is
  the article's search key (`keys.search_key`). Contentless keeps the index small (the terms are
  already in the articles row); deleting a row from it needs the terms it was given, which
  `search_title`/`search_text` hold.
- PostgreSQL: `articles.search_vector`, a tsvector generated from the two columns (`simple`
  configuration: our terms are already folded and stemmed; title weight A, text weight B), with
  a GIN index: PostgreSQL keeps it in step by itself.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from newsarchive.search.keys import search_key
from newsarchive.search.tokens import FOLDED_WORD, index_terms, stems
from newsarchive.text import fold

FTS_TABLE = "articles_fts"
TITLE_WEIGHT = 4.0
"""bm25 weight of a match in the headline against one in the lead or body: a headline names
what the article is about, a body mentions much in passing."""
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    # The terms are folded and stemmed already: the tokenizer only splits them at the spaces.
    "title, text, content='', tokenize='unicode61 remove_diacritics 0')"
)
SET_RANK = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES('rank', 'bm25({TITLE_WEIGHT}, 1.0)')"
ADD_ROW = f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (?, ?, ?)"
DROP_ROW = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) VALUES ('delete', ?, ?, ?)"
DROP_ALL = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')"
PG_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, coalesce(search_title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(search_text, '')), 'B')"
)
PG_ADD_VECTOR = (
    f"ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({PG_VECTOR}) "
    "STORED"
)
PG_ADD_GIN = "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)"


def text_terms(lead: str | None, folded_body: str) -> str:
    """The `search_text` of an article: the terms of its lead, then of its body."""
    return text_terms_of(lead, FOLDED_WORD.findall(folded_body))


def text_terms_of(lead: str | None, body_words: list[str]) -> str:
    """`text_terms` of the body whose folded words (`tokens.folded_words`) these are."""
    words = FOLDED_WORD.findall(fold(lead)) if lead else []
    return " ".join(stems(words + body_words))


def outside_models(name: str | None) -> bool:
    """A table, column or index of the full-text index, made by the migration and not in the
    models (FTS5's own tables, the tsvector column and its index): what schema comparisons
    leave out; also the common terms' buckets (`impacts.TABLES`)."""
    from newsarchive.search import impacts  # (it imports this module)

    return bool(name) and (
        str(name).startswith(FTS_TABLE)
        or name in impacts.TABLES
        or name in ("search_vector", "ix_articles_search_vector")
    )


def title_terms(headline: str | None) -> str:
    """The `search_title` of an article."""
    return " ".join(index_terms(headline))


Change = tuple[str, tuple[Any, ...]]
"""One change to SQLite's index: a statement and its values (`added`, `dropped`)."""


def added(article_id: int, published_at: datetime | None, title: str, text: str) -> Change:
    """The change that indexes an article."""
    return ADD_ROW, (search_key(article_id, published_at), title, text)


def dropped(article_id: int, published_at: datetime | None, title: str, text: str) -> Change:
    """The change that takes an article out of the index, given the terms and date it was
    indexed with."""
    return DROP_ROW, (search_key(article_id, published_at), title, text)


def write(cursor: Any, changes: list[Change]) -> None:
    """Makes the changes, in order (SQLite: a DBAPI cursor in the store's transaction), each
    run of one statement as one executemany.

    FTS5 writes the terms it holds in memory to a new segment of the index at every savepoint
    of the transaction, and SQLite makes one for each statement that writes a table and its
    indexes: the store path gathers a transaction's changes and writes them last, so that they
    make one segment, not one per article (FTS5 then merges them)."""
    for sql, run in itertools.groupby(changes, key=lambda change: change[0]):
        cursor.executemany(sql, [values for _, values in run])


def create(connection: Any) -> None:
    """Make the index of a schema without one (SQLAlchemy connection; the migration's)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(CREATE_FTS)
        connection.exec_driver_sql(SET_RANK)
    else:
        connection.exec_driver_sql(PG_ADD_VECTOR)
        connection.exec_driver_sql(PG_ADD_GIN)


def rebuild(connection: Any, *, batch: int = 2000) -> int:
    """Recompute every article's terms from its headline, lead and body, and refill the index
    (SQLAlchemy connection, in its transaction). Returns the number of articles indexed."""
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql(DROP_ALL)
    count = 0
    last = 0
    while True:
        rows = _articles_after(connection, last, batch)
        if not rows:
            return count
        terms = [
            (row[0], title_terms(row[1]), text_terms(row[2], fold(row[3] or ""))) for row in rows
        ]
        _store_terms(connection, terms)
        if sqlite:
            cursor = connection.connection.driver_connection.cursor()
            cursor.executemany(
                ADD_ROW,
                [
                    (search_key(row[0], row[4]), title, text)
                    for row, (_, title, text) in zip(rows, terms, strict=True)
                ],
            )
        count += len(rows)
        last = rows[-1][0]


def _articles_after(connection: Any, last: int, batch: int) -> list[Any]:
    from sqlalchemy import select

    from newsarchive.archive.models import ArticleRow

    statement = (
        select(
            ArticleRow.id,
            ArticleRow.headline,
            ArticleRow.lead,
            ArticleRow.body,
            ArticleRow.published_at,
        )
        .where(ArticleRow.id > last)
        .order_by(ArticleRow.id)
        .limit(batch)
    )
    return list(connection.execute(statement).all())


def _store_terms(connection: Any, terms: list[tuple[int, str, str]]) -> None:
    from sqlalchemy import bindparam, update

    from newsarchive.archive.models import ArticleRow

    statement = (
        update(ArticleRow)
        .where(ArticleRow.id == bindparam("article"))
        .values(search_title=bindparam("title"), search_text=bindparam("text"))
    )
    connection.execute(
        statement, [{"article": id_, "title": title, "text": text} for id_, title, text in terms]
    )

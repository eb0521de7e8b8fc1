"""What the store path computes of a record before any statement: its full-text index terms,
its body's MinHash signature and band keys.

They depend only on the headline, lead and body, so they can be computed where the record is
made (a crawl's extraction processes, `newsarchive.extraction_workers`) and handed over with it:
`remember` keeps them for the store path's `terms_of`, which computes them itself when none
were handed over. No SQLAlchemy here: an extraction process imports this module.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from newsarchive.archive import similarity
from newsarchive.items import Article
from newsarchive.search import index
from newsarchive.search.tokens import folded_words
from newsarchive.text import fold_tokens

REMEMBERED_AT_MOST = 1000
"""Terms handed over and not yet taken: a crawl's batch holds NEWSARCHIVE_STORE_BATCH (200)
records at most; the terms of records the store does not index again (dropped, unchanged) are
forgotten oldest first. Each holds about the body's size again."""


@dataclass(frozen=True)
class Terms:
    """What the full-text index holds of a record, and its body's signature."""

    title: str
    text: str
    signature: bytes | None
    """`similarity.signature` of the body."""
    band_keys: tuple[int, ...]
    """The signature's distinct band keys (`similarity.band_keys`), in order; none without one."""


_Key = tuple[str | None, str | None, str]
_remembered: OrderedDict[_Key, tuple[Terms, int]] = OrderedDict()
"""Terms handed over by texts, with how many records of those texts will take them (two
records of a crawl's batch can share their texts: copies of one release on two sites)."""


def _key(article: Article) -> _Key:
    return (article.headline, article.lead, article.body)


def computed(article: Article) -> Terms:
    """The record's index terms (`newsarchive.search.index`) and signature, from one fold of
    its body and one split of it into words."""
    tokens = fold_tokens(article.body)
    words = folded_words(tokens)
    # The shingles' words (\w+) are the index's unless the text has an _ (folds keep them).
    shingled = words if "_" not in article.body else similarity.words(" ".join(tokens))
    signature = similarity.signature_of_words(shingled)
    keys = tuple(sorted(set(similarity.band_keys(signature)))) if signature else ()
    return Terms(
        index.title_terms(article.headline),
        index.text_terms_of(article.lead, words),
        signature,
        keys,
    )


def remember(article: Article, terms: Terms) -> None:
    """Keep the terms computed elsewhere for this record's texts, for `terms_of`."""
    key = _key(article)
    _, takers = _remembered.pop(key, (terms, 0))
    _remembered[key] = (terms, takers + 1)
    while len(_remembered) > REMEMBERED_AT_MOST:
        _remembered.popitem(last=False)


def terms_of(article: Article) -> Terms:
    """The record's terms: those remembered for its texts (taken once per `remember`), else
    computed."""
    key = _key(article)
    found = _remembered.get(key)
    if found is None:
        return computed(article)
    terms, takers = found
    if takers > 1:
        _remembered[key] = (terms, takers - 1)
    else:
        del _remembered[key]
    return terms

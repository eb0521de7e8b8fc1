"""Index terms: the words of a text folded (`newsarchive.text.fold`) and stemmed with
Snowball's Greek stemmer, the same for documents, queries and highlights on both backends."""

from __future__ import annotations

import itertools
import operator
import re
import threading
from collections.abc import Iterator, Sequence

import Stemmer

from newsarchive.text import fold, fold_tokens

WORD = re.compile(r"[\w\u0300-\u036f]+")
"""A word of the original text, with any combining accents (decomposed input)."""
FOLDED_WORD = re.compile(r"[^\W_]+")
"""A word of folded text (no accents left); `_` separates words, as FTS5 and PostgreSQL read it."""

_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    # A PyStemmer object keeps a cache and is not safe to share between threads (the web server).
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("greek")
        # `stems` keeps every word's term itself: PyStemmer's own cache would only cost its
        # upkeep (about 2 µs a new word, half of the stemming).
        stemmer.maxCacheSize = 0
    return stemmer


def _settled(stemmed: str, folded: str) -> str:
    """Snowball's stem, made the same for the case forms it leaves apart.

    Two of its gaps: a few words stem to nothing (`όταν`, `ίδιο`: the word is kept as it is),
    and nouns in -ία/-ιά/-ιο keep an `ι` in some cases only (`Θεσσαλία` → `θεσσαλ`,
    `Θεσσαλίας` → `θεσσαλι`; `Πήλιο`/`Πηλίου`, `πυρκαγιά`/`πυρκαγιές`): a final `ι` is dropped,
    which splits no case forms apart (`Περιφέρεια`, `Περιφέρειας` → `περιφερε`)."""
    if not stemmed:
        return folded
    if len(stemmed) >= 3 and stemmed.endswith("ι"):
        return stemmed[:-1]
    return stemmed


TERMS_KEPT = 200_000
"""Words whose index terms `stems` keeps; past this it starts again."""
_terms: dict[str, str] = {}
"""Each folded word met, and its index term (the same in every thread)."""


def stems(folded_words: list[str]) -> list[str]:
    """The index terms of words already folded."""
    global _terms
    known = _terms
    if len(known) >= TERMS_KEPT:
        known = _terms = {}
    if len(folded_words) > 1:
        try:
            return list(operator.itemgetter(*folded_words)(known))
        except KeyError:
            pass
    new = list(set(folded_words).difference(known))  # the words not met yet, found in C
    for word, stemmed in zip(new, _stemmer().stemWords(new), strict=True):
        known[word] = _settled(stemmed, word)
    if len(folded_words) > 1:
        return list(operator.itemgetter(*folded_words)(known))
    return [known[word] for word in folded_words]


_words: dict[str, tuple[str, ...]] = {}
"""Each folded token met, and its words (FOLDED_WORD)."""


def folded_words(folded_tokens: Sequence[str]) -> list[str]:
    """The words of the folded text these tokens make (`text.fold_tokens`): what FOLDED_WORD
    finds in the text, found once per token."""
    global _words
    known = _words
    if len(known) >= TERMS_KEPT:
        known = _words = {}
    if len(folded_tokens) < 2:
        found = [known.get(token) or _learn(known, token) for token in folded_tokens]
        return list(itertools.chain.from_iterable(found))
    try:
        parts = operator.itemgetter(*folded_tokens)(known)
    except KeyError:
        for token in set(folded_tokens).difference(known):  # the new ones, found in C
            _learn(known, token)
        parts = operator.itemgetter(*folded_tokens)(known)
    return list(itertools.chain.from_iterable(parts))


def _learn(known: dict[str, tuple[str, ...]], token: str) -> tuple[str, ...]:
    words = known[token] = tuple(FOLDED_WORD.findall(token))
    return words


LATIN_LETTER = re.compile("[A-Za-z]")


def _folded_alone(words: set[str]) -> dict[str, str]:
    """`fold` of each word by itself, the words without a Latin letter folded as one text."""
    # `fold` repairs look-alikes in every word of a text that has a Latin letter touching a
    # Greek one: only words with a Latin letter can be that, and they are folded alone.
    plain = [word for word in words if not LATIN_LETTER.search(word)]
    parts = fold_tokens(" ".join(plain))
    if len(parts) != len(plain):  # a word folding to nothing: each is folded alone
        plain, parts = [], []
    found = dict(zip(plain, parts, strict=True))
    for word in words:
        if word not in found:
            found[word] = fold(word)
    return found


def index_terms(text: str | None) -> list[str]:
    """The text's index terms, in order: `ΛΑΡΙΣΑ`, `Λάρισας`, `Λαρίσης` all give `λαρισ`.

    Latin-script words and numbers are folded only (the Greek stemmer leaves them as they are).
    """
    if not text:
        return []
    return stems(FOLDED_WORD.findall(fold(text)))


def term(word: str) -> str:
    """One word's index term ('' for a word that folds to nothing)."""
    terms = index_terms(word)
    return terms[0] if len(terms) == 1 else " ".join(terms)


def stem(folded: str) -> str:
    """The index term of one word already folded."""
    return _settled(str(_stemmer().stemWord(folded)), folded)


def term_string(text: str | None) -> str:
    """The index terms of a text as one space-separated string (what the index is fed)."""
    return " ".join(index_terms(text))


_spelled: dict[str, str] = {}
"""Each word of an original text met, and its index term ('' for a word that folds to none)."""


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Each word of an original text: its start, end and index term (for highlighting)."""
    global _spelled
    known = _spelled
    if len(known) >= TERMS_KEPT:
        known = _spelled = {}
    found = list(WORD.finditer(text))
    new = {match[0] for match in found}.difference(known)
    if new:
        _learn_spellings(known, new)
    for match in found:
        terms = known[match[0]]
        if terms:
            yield match.start(), match.end(), terms


def _learn_spellings(known: dict[str, str], words: set[str]) -> None:
    """The index terms of words of an original text, each word folded alone (as a highlight
    compares it), their stems found in one call."""
    folded = {word: FOLDED_WORD.findall(part) for word, part in _folded_alone(words).items()}
    terms = iter(stems(list(itertools.chain.from_iterable(folded.values()))))
    for word, parts in folded.items():
        known[word] = " ".join(itertools.islice(terms, len(parts)))

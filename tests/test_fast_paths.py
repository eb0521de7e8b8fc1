"""The store path's fast forms give what the plain ones gave: folds, index terms, signatures,
band keys and records, checked against the plain code (kept here as the reference) on the
project's Greek texts and on generated ones."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import Stemmer
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive import text
from newsarchive.archive import similarity
from newsarchive.archive.terms import terms_of
from newsarchive.dates import ATHENS
from newsarchive.items import Article, Image
from newsarchive.search import index, tokens

REPO = Path(__file__).resolve().parent.parent


# --- the plain forms ----------------------------------------------------------------------------


def reference_fold(value: str) -> str:
    """`text.fold` as it was: the whole text in one piece."""
    value = unicodedata.normalize("NFD", value)
    if text.MIXED_SCRIPT.search(value):
        value = text.fix_lookalikes(value)
    bare = text.COMBINING_MARK.sub("", value.lower())
    return " ".join(unicodedata.normalize("NFC", bare).replace("ς", "σ").split())


_stemmer = Stemmer.Stemmer("greek")


def reference_terms(value: str | None) -> list[str]:
    """The index terms, each word stemmed by Snowball then settled (`tokens._settled`)."""
    words = tokens.FOLDED_WORD.findall(reference_fold(value)) if value else []
    return [
        tokens._settled(stem, word)
        for stem, word in zip(_stemmer.stemWords(words), words, strict=True)
    ]


def reference_band_keys(signature: bytes) -> list[int]:
    width = similarity.ROWS * 4
    return [
        int.from_bytes(
            hashlib.blake2b(
                signature[band * width : (band + 1) * width],
                digest_size=8,
                salt=band.to_bytes(16, "little"),
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(similarity.BANDS)
    ]


def reference_record(article: Article) -> dict[str, Any]:
    """`Article.to_dict` as it was, by `dataclasses.asdict`."""
    data = dataclasses.asdict(article)
    for key in ("published_at", "modified_at", "fetched_at"):
        data[key] = data[key].isoformat() if data[key] is not None else None
    return data


# --- texts ----------------------------------------------------------------------------------------


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [found for item in value.values() for found in _strings(item)]
    if isinstance(value, list):
        return [found for item in value for found in _strings(item)]
    return []


def corpus() -> list[str]:
    """Every text of the fixtures' records and expected results (headlines, bodies, names), and
    every line of their saved pages (markup, scripts and mojibake among them)."""
    found: list[str] = []
    for root in (REPO / "tests" / "fixtures", REPO / "newsarchive" / "fixture_sites"):
        for path in sorted(root.rglob("*.json")):
            found += _strings(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(root.rglob("*.html")):
            found += path.read_bytes().decode("utf-8", "replace").splitlines()
    return found


CORPUS = corpus()
GREEK = "".join(chr(code) for code in range(0x370, 0x400)) + "ἀἁἂἄἆὰάᾳᾴᾶᾷῤῥ"
ALPHABET = (
    GREEK
    + "ΑΒΕΗΙΚΜΝΟΡΤΧΥΖαικορυνχγ"  # look-alike targets
    + "ABEHIKMNOPTXYZaikopuvxyébçÉ_019"  # Latin, look-alikes among them
    + "\u0300\u0301\u0308\u0342\u0345\u20d7"  # combining marks
    + " \t\n\u00a0\u2000\u2001\u3000\x1c\x85\u200b\u00ad"  # spaces, and what is not one
    + ".,;:!?«»()-–'’/&%"
)
greek_texts = st.text(alphabet=ALPHABET, max_size=80)
texts = st.one_of(greek_texts, st.text(max_size=40), st.sampled_from(CORPUS))


def test_the_corpus_is_large_and_greek() -> None:
    assert len(CORPUS) > 9000
    assert sum(len(value) for value in CORPUS) > 1_000_000
    assert sum(len(text.GREEK_LETTER.findall(value)) for value in CORPUS) > 200_000


def test_every_text_of_the_corpus_folds_as_before() -> None:
    assert [text.fold(value) for value in CORPUS] == [reference_fold(value) for value in CORPUS]


@pytest.mark.parametrize(
    "value",
    [
        "ΛAΡIΣA a1γ",  # a look-alike repair anywhere repairs every word, this one too
        "a1γ",
        "Kαρδίτσα",
        "ΟΔΟΣ  Σ\u0301 ς",
        "\u0301 α \u0301",  # tokens of marks alone fold to nothing
        "e\u0301α",
        "Ε\u2000Ι\u2001Σ",
        "",
        " \n ",
    ],
)
def test_fold_of_edge_cases(value: str) -> None:
    assert text.fold(value) == reference_fold(value)


@settings(max_examples=600, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4))
def test_fold_is_the_fold_of_the_whole_text(values: list[str]) -> None:
    # Texts folded one after another: what is learnt of one's tokens never changes another's.
    for value in values:
        assert text.fold(value) == reference_fold(value)
        assert " ".join(text.fold_tokens(value)) == reference_fold(value)


def test_fold_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "TOKENS_KEPT", 50)
    monkeypatch.setattr(text, "_folded", text._FoldedTokens())
    sample = [*CORPUS[:300], "ΛAΡIΣA Λάρισα"]
    assert [text.fold(value) for value in sample] == [reference_fold(value) for value in sample]
    assert len(text._folded.folded) < 50 + max(len(value.split()) for value in sample)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_index_terms_are_snowballs_settled(value: str) -> None:
    assert tokens.index_terms(value) == reference_terms(value)
    folded = reference_fold(value)
    assert tokens.folded_words(text.fold_tokens(value)) == tokens.FOLDED_WORD.findall(folded)


def _article(body: str, lead: str | None = "Η Περιφέρεια Θεσσαλίας ανακοίνωσε") -> Article:
    return Article(
        url="https://www.larissanet.gr/2026/02/09/a/",
        canonical_url="https://www.larissanet.gr/2026/02/09/a/",
        site="larissanet",
        region="larisa",
        headline="Κλειστή η οδός Παπαναστασίου στη Λάρισα",
        lead=lead,
        body=body,
        section="ΛΑΡΙΣΑ",
        tags=["Λάρισα", "κυκλοφορία"],
        authors=["Σύνταξη"],
        images=[Image(url="https://www.larissanet.gr/a.jpg", caption="Η οδός")],
        published_at=datetime(2026, 2, 9, 10, 55, tzinfo=ATHENS),
        published_raw="09.02.2026 | 10:55",
        fetched_at=datetime(2026, 2, 9, 9, 0, tzinfo=UTC),
        content_hash=text.content_hash("a", lead, body),
        provenance={"headline": "jsonld", "body": "selector"},
    )


BODIES = [value for value in CORPUS if len(value) > 400]


@pytest.mark.parametrize("body", [*BODIES[:40], "λέξη_με_κάτω παύλα " * 20, "ΛAΡIΣA " * 30])
def test_terms_and_signature_of_a_record_are_as_before(body: str) -> None:
    article = _article(body)
    terms = terms_of(article)
    folded = reference_fold(body)
    assert terms.title == " ".join(reference_terms(article.headline))
    assert terms.text == " ".join(reference_terms(article.lead) + reference_terms(body))
    assert terms.signature == similarity.signature(folded, folded=True)
    assert index.text_terms(article.lead, folded) == terms.text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted({w for v in BODIES for w in v.split()})), max_size=300))
def test_signature_and_band_keys_are_as_before(words: list[str]) -> None:
    body = " ".join(words)
    signature = similarity.signature(body)
    assert signature == similarity.signature_of_words(similarity.words(reference_fold(body)))
    if signature is not None:
        assert similarity.band_keys(signature) == reference_band_keys(signature)


@pytest.mark.parametrize(
    "article",
    [
        _article("Σώμα κειμένου."),
        _article("Σώμα", lead=None),
        dataclasses.replace(_article("Σώμα"), images=[], tags=[], provenance={}),
        dataclasses.replace(_article("Σώμα"), modified_at=datetime(2026, 2, 10, tzinfo=ATHENS)),
    ],
)
def test_records_are_as_asdict_made_them(article: Article) -> None:
    record = article.to_dict()
    assert record == reference_record(article)
    assert list(record) == list(reference_record(article))  # the same order in the JSON
    for name in ("tags", "authors", "images", "provenance"):
        assert record[name] is not getattr(article, name)  # copies, as asdict's

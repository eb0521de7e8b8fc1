"""Near-duplicates: the Region's release as outlets republish it is one text, articles written
on the same event are not, and folding (capitals, accents, final sigma, look-alikes) changes
nothing. The fixtures are tests/fixtures/stories (modeled on how regional outlets republish)."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from newsarchive import sites
from newsarchive.archive import similarity
from newsarchive.items import Article
from newsarchive.text import content_hash, fold, strip_accents

STORIES = Path(__file__).resolve().parent / "fixtures" / "stories"


@dataclass(frozen=True)
class StoryText:
    """One fixture article: a copy of the release, an unrelated article, or a short notice."""

    name: str
    role: str
    """`copy`, `unrelated` or `short`."""
    article: Article


def story_texts() -> dict[str, StoryText]:
    """Every fixture of tests/fixtures/stories, by file name."""
    found = {}
    for path in sorted(STORIES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        published = datetime.fromisoformat(data["published_at"])
        body = "\n\n".join(data["body"])
        article = Article(
            url=data["url"],
            canonical_url=sites.canonicalize(data["url"]),
            site=data["site"],
            region=data["region"],
            headline=data["headline"],
            lead=data["lead"],
            body=body,
            published_at=published,
            published_raw=data["published_at"],
            fetched_at=published + timedelta(minutes=20),
            content_hash=content_hash(data["headline"], data["lead"], body),
        )
        found[path.stem] = StoryText(path.stem, data["role"], article)
    return found


TEXTS = story_texts()
COMPARED = [name for name, text in TEXTS.items() if text.role != "short"]
PAIRS = list(itertools.combinations(COMPARED, 2))
COPIES = {name for name in COMPARED if TEXTS[name].role == "copy"}

COPIES_AT_LEAST = 0.54
"""Exact Jaccard of the least similar two copies (0.547: the shortened copy and the one with
its first sentence rewritten); `similarity.THRESHOLD`'s docstring says 0.55."""
OTHERS_AT_MOST = 0.26
"""Exact Jaccard of the most similar copy and other article (0.254: the real report)."""
MARGIN = 0.05
"""How far from THRESHOLD every estimate stays, either way."""


def exact(first: str, second: str) -> float:
    """The exact Jaccard similarity of two texts' shingle sets."""
    one, two = similarity.shingles(fold(first)), similarity.shingles(fold(second))
    return len(one & two) / len(one | two)


def estimated(first: str, second: str) -> float:
    one, two = similarity.signature(first), similarity.signature(second)
    assert one is not None and two is not None
    return similarity.similarity(one, two)


def test_the_fixtures_hold_what_the_threshold_was_chosen_on() -> None:
    roles = [text.role for text in TEXTS.values()]
    assert roles.count("copy") == 6
    assert roles.count("unrelated") >= 5
    assert roles.count("short") == 2
    for path in STORIES.glob("*.json"):
        assert "not fetched" in json.loads(path.read_text(encoding="utf-8"))["modeled"]


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=[f"{a}~{b}" for a, b in PAIRS])
def test_copies_are_similar_and_other_articles_are_not(first: str, second: str) -> None:
    one, two = TEXTS[first].article.body, TEXTS[second].article.body
    if {first, second} <= COPIES:
        assert exact(one, two) >= COPIES_AT_LEAST
        assert estimated(one, two) >= similarity.THRESHOLD + MARGIN
    else:
        assert exact(one, two) <= OTHERS_AT_MOST
        assert estimated(one, two) <= similarity.THRESHOLD - MARGIN


@pytest.mark.parametrize(("first", "second"), PAIRS, ids=[f"{a}~{b}" for a, b in PAIRS])
def test_band_keys_make_candidates_of_copies(first: str, second: str) -> None:
    one = similarity.signature(TEXTS[first].article.body)
    two = similarity.signature(TEXTS[second].article.body)
    assert one is not None and two is not None
    shared = set(similarity.band_keys(one)) & set(similarity.band_keys(two))
    if {first, second} <= COPIES:
        assert shared
    assert len(similarity.band_keys(one)) == similarity.BANDS


def test_short_notices_join_nothing_though_they_share_half_their_words() -> None:
    first, second = (TEXTS[name].article.body for name in ("short_kyprou", "short_papanastasiou"))
    assert exact(first, second) >= 0.4
    assert similarity.signature(first) is None
    assert similarity.signature(second) is None


def capitals(text: str) -> str:
    """Written in capitals without accents, as Greek headlines and some outlets do."""
    return strip_accents(text).upper()


def typed_final_sigma(text: str) -> str:
    return text.replace("ς", "σ")


LOOKALIKES = str.maketrans("οακΚΤΑΕΟ", "oakKTAEO")


def lookalikes(text: str) -> str:
    """Latin o, a, k, K, T, A, E, O typed inside Greek words (a Greek letter always left)."""
    return re.sub(r"\w{3,}", lambda word: word[0][0] + word[0][1:].translate(LOOKALIKES), text)


@pytest.mark.parametrize(
    ("name", "variant"),
    [
        ("capitals without accents", capitals),
        ("final sigma typed as σ", typed_final_sigma),
        ("Latin look-alikes", lookalikes),
        ("all three", lambda text: lookalikes(typed_final_sigma(capitals(text)))),
    ],
)
def test_folding_leaves_the_signature_as_it_was(name: str, variant: object) -> None:
    assert callable(variant)
    body = TEXTS["release_region"].article.body
    changed = variant(body)
    assert changed != body
    assert similarity.signature(changed) == similarity.signature(body)
    # Unfolded, the variant would share few shingles: folding is what makes them one text.
    raw = {" ".join(words) for words in itertools.pairwise(changed.split())}
    assert len(raw & {" ".join(words) for words in itertools.pairwise(body.split())}) < len(raw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Η Περιφέρεια Θεσσαλίας συνδιοργανώνει ημερίδα",
            {
                "η περιφερεια θεσσαλιασ",
                "περιφερεια θεσσαλιασ συνδιοργανωνει",
                "θεσσαλιασ συνδιοργανωνει ημεριδα",
            },
        ),
        ("στη Λάρισα", set()),
        ("", set()),
    ],
)
def test_shingles_are_three_folded_words(text: str, expected: set[str]) -> None:
    assert similarity.shingles(fold(text)) == {shingle.encode() for shingle in expected}


@pytest.mark.parametrize("seed", [similarity.SEED, 7])
def test_the_permutations_are_datasketchs(seed: int) -> None:
    import numpy as np
    from datasketch import MinHash

    drawn = MinHash(num_perm=similarity.PERMUTATIONS, seed=seed, scheme=similarity.SCHEME)
    ours = similarity._affine_permutations(seed, similarity.PERMUTATIONS)
    assert ours.dtype == drawn.permutations.dtype
    assert np.array_equal(ours, drawn.permutations)

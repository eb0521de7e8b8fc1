"""Near-duplicate texts: MinHash signatures of a body's word shingles, and their LSH bands.

A press release republished by several outlets keeps most of its sentences and changes a few
(its own headline, a first line, a trimmed last paragraph). Its 3-word shingles, taken over the
folded text so that accents, case and Latin look-alikes do not count, keep a Jaccard similarity
well above what two different articles about the same event share (they share names and places,
rarely three words in a row). The archive stores each signature's band keys; articles with a
band key in common are candidates, and the signatures decide.
"""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np
from datasketch import MinHash

from newsarchive.text import fold

SHINGLE_WORDS = 3
"""Words per shingle. On the fixtures (tests/fixtures/stories) 2 to 5 words leave the same gap
between copies and other articles (0.28–0.30 of exact Jaccard); 3 keeps the copies highest
(every pair of copies ≥ 0.55) while two texts that share only names and places share almost
no shingle (≤ 0.04)."""
PERMUTATIONS = 128
BANDS = 42
ROWS = 3
"""42 bands of 3 rows (126 of the 128 values): texts with a Jaccard similarity at THRESHOLD
(0.4) share a band with probability 0.94, at 0.55 (the least similar copies of the fixtures)
0.9995, at 0.1 0.04 and at 0.05 0.005 (1 - (1 - s**3) ** 42). 32 bands of 4 rows missed one
pair in twenty at 0.55."""
THRESHOLD = 0.4
"""Estimated Jaccard similarity from which two texts are one story; chosen on the fixtures
(tests/fixtures/stories, measured by tests/test_similarity.py). The Region's release as six
outlets run it (own headline and first line, paragraphs merged or cut, a typo fixed, a
sentence added) keeps 0.55–0.96 exact, 0.46–0.97 estimated, between any two copies. Articles
written on the same event the same day (a report, a notice, an interview, a reaction) share
0.00–0.04 with the copies; the real thessaliatv report of the day, which reuses whole phrases
of the release, 0.21–0.25 exact, 0.21–0.29 estimated. 0.4 lies halfway between 0.25 and 0.55:
at either end the estimate's standard error (sqrt(s(1-s)/128), 0.04) is under a third of the
margin."""
MIN_SHINGLES = 25
"""Bodies with fewer shingles (under ~27 words) join no story: two different one-sentence
notices of the fixtures (`Κλειστή θα παραμείνει αύριο … η οδός …`) share half their shingles."""
SEED = 1
SCHEME = "affine32"  # datasketch 2 default; named so stored signatures stay comparable

_WORD = re.compile(r"\w+")
_SALTS = [band.to_bytes(16, "little") for band in range(BANDS)]
"""Each band's own salt: equal rows in two different bands are different keys."""
_PERMUTATIONS = MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME).permutations


def shingles(folded: str) -> set[bytes]:
    """The 3-word shingles of a folded text (`newsarchive.text.fold`), as UTF-8 bytes."""
    words = _WORD.findall(folded)
    runs = zip(*(words[n:] for n in range(SHINGLE_WORDS)), strict=False)
    return {" ".join(run).encode() for run in runs}


def signature(text: str, *, folded: bool = False) -> bytes | None:
    """The MinHash signature of the text (PERMUTATIONS 32-bit values), or None when the text is
    too short to be compared. `folded=True` says the text is folded already."""
    found = shingles(text if folded else fold(text))
    if len(found) < MIN_SHINGLES:
        return None
    # CRC-32 for the shingles: a set of a few thousand shingles has no collision to fear, and
    # it costs a third of datasketch's default SHA-1.
    minhash = MinHash(
        num_perm=PERMUTATIONS,
        seed=SEED,
        scheme=SCHEME,
        permutations=_PERMUTATIONS,
        hashfunc=zlib.crc32,
    )
    minhash.update_batch(list(found))
    return bytes(minhash.hashvalues.astype("<u4").tobytes())


def values(signature: bytes) -> np.ndarray:
    """A stored signature's hash values."""
    return np.frombuffer(signature, dtype="<u4")


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of the two texts whose signatures these are."""
    return float(np.count_nonzero(values(first) == values(second))) / PERMUTATIONS


def band_keys(signature: bytes) -> list[int]:
    """The signature's LSH band keys: signed 64-bit integers (a database BIGINT), one per band."""
    width = ROWS * 4
    return [
        int.from_bytes(
            hashlib.blake2b(
                signature[band * width : (band + 1) * width], digest_size=8, salt=_SALTS[band]
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(BANDS)
    ]

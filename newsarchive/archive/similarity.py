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
"""Words per shingle: 3 joins rewordings of one text and keeps apart texts that share only
names and places (with 1 or 2, any two articles about one event share a quarter of them)."""
PERMUTATIONS = 128
BANDS = 32
ROWS = PERMUTATIONS // BANDS
"""32 bands of 4 rows: texts with a Jaccard similarity of 0.5 share a band with probability 0.87,
of 0.7 with 0.9996, of 0.2 with 0.05 (1 - (1 - s**4) ** 32)."""
THRESHOLD = 0.5
"""Estimated Jaccard similarity from which two texts are one story. The Region's release as
republished on the fixture sites (own headline and first line, a paragraph cut) keeps 0.6–0.9;
different articles on the same event the same day share under 0.1 (tests/test_similarity.py)."""
MIN_SHINGLES = 25
"""Bodies with fewer shingles (under ~27 words) join no story: a short notice of one sentence
matches other short notices by chance."""
SEED = 1
SCHEME = "affine32"  # datasketch 2 default; named so stored signatures stay comparable

_WORD = re.compile(r"\w+")
_PERMUTATIONS = MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME).permutations


def shingles(folded: str) -> set[bytes]:
    """The 3-word shingles of a folded text (`newsarchive.text.fold`), as UTF-8 bytes."""
    words = _WORD.findall(folded)
    return {
        " ".join(words[index : index + SHINGLE_WORDS]).encode()
        for index in range(len(words) - SHINGLE_WORDS + 1)
    }


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
                bytes([band]) + signature[band * width : (band + 1) * width], digest_size=8
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(BANDS)
    ]

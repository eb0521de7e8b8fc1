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
import operator
import re
import zlib

import numpy as np

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


def _affine_permutations(seed: int, count: int) -> np.ndarray:
    """The `a·h + b mod 2³²` permutations datasketch's MinHash draws for `seed` in its
    `affine32` scheme (`tests/test_similarity.py` holds them equal). Drawn here so that the
    band keys an archive stores never change with a datasketch release, and so that a crawl
    does not import datasketch (and scipy with it) before it meets an over-long word."""
    draw = np.random.RandomState(seed)
    a = draw.randint(0, 1 << 31, count, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, count, dtype=np.uint32)
    return np.array([a, b])


_PERMUTATIONS = _affine_permutations(SEED, PERMUTATIONS)


def shingles(folded: str) -> set[bytes]:
    """The 3-word shingles of a folded text (`newsarchive.text.fold`), as UTF-8 bytes."""
    return _shingles_of(_WORD.findall(folded))


def words(folded: str) -> list[str]:
    """The words of a folded text, as its shingles are made of them."""
    return _WORD.findall(folded)


def signature(text: str, *, folded: bool = False) -> bytes | None:
    """The MinHash signature of the text (PERMUTATIONS 32-bit values), or None when the text is
    too short to be compared. `folded=True` says the text is folded already."""
    return signature_of_words(words(text if folded else fold(text)))


def signature_of_words(words: list[str]) -> bytes | None:
    """`signature` of the folded text whose `words` these are."""
    hashes = _shingle_hashes(words)
    if hashes is None:  # a word too long for the tables: each shingle hashed on its own
        return _signature_of(list(_shingles_of(words)))
    if len(hashes) < MIN_SHINGLES or _distinct(hashes, words) < MIN_SHINGLES:
        return None
    return _min_hash(hashes)


def _signature_of(found: list[bytes]) -> bytes | None:
    """The MinHash of the shingles, by datasketch."""
    if len(set(found)) < MIN_SHINGLES:
        return None
    from datasketch import MinHash  # heavy (scipy): only for a text with an over-long word

    # CRC-32 for the shingles: a set of a few thousand shingles has no collision to fear, and
    # it costs a third of datasketch's default SHA-1.
    minhash = MinHash(
        num_perm=PERMUTATIONS,
        seed=SEED,
        scheme=SCHEME,
        permutations=_PERMUTATIONS,
        hashfunc=zlib.crc32,
    )
    minhash.update_batch(found)
    return bytes(minhash.hashvalues.astype("<u4").tobytes())


_A, _B = (np.asarray(part, dtype=np.uint32) for part in _PERMUTATIONS)
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)
"""MurmurHash3's 32-bit finalizer, which datasketch's affine32 scheme applies to each hash
before its permutations (tests/test_similarity.py checks the values against datasketch's)."""


def _min_hash(hashes: np.ndarray) -> bytes:
    """What datasketch's affine32 MinHash makes of these CRC-32s, computed on the array."""
    first, one, second, two, third = _FMIX32
    mixed = hashes.astype(np.uint32)
    mixed ^= mixed >> np.uint32(first)
    mixed *= np.uint32(one)
    mixed ^= mixed >> np.uint32(second)
    mixed *= np.uint32(two)
    mixed ^= mixed >> np.uint32(third)
    permuted = np.multiply.outer(_A, mixed)  # uint32: wraps around, as datasketch's does
    permuted += _B[:, None]
    return bytes(permuted.min(axis=1).astype("<u4").tobytes())


def _shingles_of(words: list[str]) -> set[bytes]:
    runs = zip(*(words[n:] for n in range(SHINGLE_WORDS)), strict=False)
    return {" ".join(run).encode() for run in runs}


def _distinct(hashes: np.ndarray, words: list[str]) -> int:
    """How many different shingles: their hashes tell, unless two may have collided."""
    ordered = np.sort(hashes)
    count = 1 + int(np.count_nonzero(ordered[1:] != ordered[:-1])) if len(ordered) else 0
    if count >= MIN_SHINGLES:
        return count
    return len(set(zip(*(words[n:] for n in range(SHINGLE_WORDS)), strict=False)))


# --- CRC-32 of each shingle from its words' CRC-32s ---------------------------------------------
# zlib.crc32(data, start) is affine in `start`, and its linear part depends only on len(data):
# crc32(data, start) = A_len(start) ^ crc32(data, 0). So the CRC-32 of "w1 w2 w3" (what the
# shingle's bytes hash to) is A_L3(A_L2(crc32(w1)) ^ crc32(" w2", 0)) ^ crc32(" w3", 0), with L
# the bytes of " w": each word is hashed once, and the shingles are combined with numpy through
# byte tables of A_L. The values are the same CRC-32s, so the signatures are the same.

MAX_WORD_BYTES = 255
"""Words up to this long (UTF-8, with their space) have tables; a text with a longer one is
hashed shingle by shingle."""
_WORDS_CACHED = 500_000
"""Words whose hashes are kept (about 30 bytes each); past this the cache starts again."""


class _WordHashes:
    """Each word's CRC-32, the CRC-32 (from 0) of a space and the word, and that one's length,
    computed once per word and kept in arrays indexed by the word's number."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.whole = np.zeros(1024, dtype=np.uint32)
        self.spaced = np.zeros(1024, dtype=np.uint32)
        self.lengths = np.zeros(1024, dtype=np.int64)

    def of(self, words: list[str]) -> np.ndarray:
        """The numbers of the words (new words hashed and added)."""
        if len(words) > 1:
            try:
                return np.array(operator.itemgetter(*words)(self.numbers), dtype=np.int64)
            except KeyError:
                pass
        if len(self.numbers) + len(words) > _WORDS_CACHED:
            self.__init__()  # type: ignore[misc]
        for word in set(words).difference(self.numbers):  # the new ones, found in C
            self._add(word)
        if len(words) > 1:
            return np.array(operator.itemgetter(*words)(self.numbers), dtype=np.int64)
        return np.array([self.numbers[word] for word in words], dtype=np.int64)

    def _add(self, word: str) -> int:
        number = self.numbers.get(word)
        if number is not None:
            return number
        number = self.numbers[word] = len(self.numbers)
        if number >= len(self.whole):
            for name in ("whole", "spaced", "lengths"):
                old = getattr(self, name)
                grown = np.zeros(2 * len(old), dtype=old.dtype)
                grown[: len(old)] = old
                setattr(self, name, grown)
        encoded = word.encode()
        spaced = b" " + encoded
        self.whole[number] = zlib.crc32(encoded)
        self.spaced[number] = zlib.crc32(spaced, 0)
        self.lengths[number] = len(spaced)
        return number


_words = _WordHashes()


def _linear_tables() -> np.ndarray:
    """For each length L and each byte of a 32-bit start value: A_L of that byte's values."""
    bits = (np.arange(256)[:, None] >> np.arange(8)) & 1  # (256, 8)
    tables = np.zeros((MAX_WORD_BYTES + 1, 4, 256), dtype=np.uint32)
    for length in range(MAX_WORD_BYTES + 1):
        zeros = bytes(length)
        base = zlib.crc32(zeros, 0)
        basis = np.array([zlib.crc32(zeros, 1 << bit) ^ base for bit in range(32)], np.uint32)
        for byte in range(4):
            chosen = np.where(bits == 1, basis[8 * byte : 8 * byte + 8], np.uint32(0))
            tables[length, byte] = np.bitwise_xor.reduce(chosen, axis=1)
    return tables


_TABLES = _linear_tables()


_FLAT_TABLES = _TABLES.reshape(-1)
_BYTE_OFFSETS = np.arange(4) * 256


def _advance(start: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """A_L(start) for each start value and its length."""
    # Each start value's four bytes (little-endian) index its length's four tables.
    places = start.astype("<u4").view(np.uint8).reshape(-1, 4) + _BYTE_OFFSETS
    places += (lengths * 1024)[:, None]
    parts = _FLAT_TABLES.take(places)
    # Four xors of columns, not np.bitwise_xor.reduce over axis 1: a reduction along an axis of
    # four loops per row (bench/ingest.py's bodies: 92 to 79 µs an article for the shingles).
    result: np.ndarray = parts[:, 0] ^ parts[:, 1]
    result ^= parts[:, 2]
    result ^= parts[:, 3]
    return result


def _shingle_hashes(words: list[str]) -> np.ndarray | None:
    """The CRC-32 of each shingle's bytes, in text order (repeats included); None when a word is
    longer than the tables."""
    if len(words) < SHINGLE_WORDS:
        return np.zeros(0, dtype=np.uint32)
    numbers = _words.of(words)
    lengths = _words.lengths[numbers]
    if int(lengths.max()) > MAX_WORD_BYTES:
        return None
    whole = _words.whole[numbers]
    spaced = _words.spaced[numbers]
    hashes: np.ndarray = whole[: -(SHINGLE_WORDS - 1)]
    for n in range(1, SHINGLE_WORDS):
        end = len(words) - (SHINGLE_WORDS - 1) + n
        hashes = _advance(hashes, lengths[n:end]) ^ spaced[n:end]
    return hashes


def values(signature: bytes) -> np.ndarray:
    """A stored signature's hash values."""
    return np.frombuffer(signature, dtype="<u4")


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of the two texts whose signatures these are."""
    return float(np.count_nonzero(values(first) == values(second))) / PERMUTATIONS


_BAND_HASHES = [hashlib.blake2b(digest_size=8, salt=salt) for salt in _SALTS]
"""Each band's BLAKE2b, salted and not yet fed (copied for each signature)."""


def band_keys(signature: bytes) -> list[int]:
    """The signature's LSH band keys: signed 64-bit integers (a database BIGINT), one per band:
    the 64-bit little-endian BLAKE2b of the band's bytes, salted with the band's number."""
    width = ROWS * 4
    digests = []
    for band, salted in enumerate(_BAND_HASHES):
        hashed = salted.copy()
        hashed.update(signature[band * width : (band + 1) * width])
        digests.append(hashed.digest())
    keys: list[int] = np.frombuffer(b"".join(digests), dtype="<i8").tolist()
    return keys

"""Bytes to text for Greek pages whose declared charset is wrong or missing, and mojibake repair.

Greek sites are served as UTF-8, windows-1253 or iso-8859-7, and their headers and `<meta>` tags
do not always say which (SITES.md §4). A byte order mark is believed first, then UTF-16 evident
from its NUL bytes (declared or not), then UTF-8 (valid UTF-8 is unmistakable, and so is UTF-8
with a stray byte or two among many multi-byte letters); among the single-byte encodings the one
that yields Greek letters wins (windows-1253 and iso-8859-7 differ only in a few places, `Ά`
among them). A few bytes that the chosen encoding leaves undefined (`0xD2`, `0xFF`) cost one
character each, never the page: each becomes U+FFFD. Text that was already decoded wrongly once
(iso-8859-7 read as latin-1: `Ößëïé` for `Φίλοι`) is re-decoded.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

GREEK_ENCODINGS = ("windows-1253", "iso-8859-7")
GREEK_LETTER = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
LATIN1_LETTER = re.compile(r"[\u00c0-\u00ff]")
"""Letters that iso-8859-7/windows-1253 bytes become when read as latin-1 (`Ößëïé`)."""
MOJIBAKE_SHARE = 0.3
"""Text is mojibake when at least this share of its non-ASCII letters are latin-1 accents."""

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
PRESCAN_BYTES = 16_384
"""Where a page declares its charset: the `<meta>` belongs in the first 1024 bytes (HTML §13.2.3.2);
pages with a long `<head>` get more room, but the scan stays bounded, so it is linear."""
META_CHARSET = re.compile(rb"<meta\b[^<>]{0,1024}?charset\s*=\s*[\"']?\s*([-\w.:]{1,40})", re.I)
XML_ENCODING = re.compile(rb"^\s{0,100}<\?xml\b[^<>]{0,200}?encoding\s*=\s*[\"']([-\w.:]{1,40})")
FEW_ERRORS = 16
"""Undefined bytes a decoding may meet and still be the page's encoding (one character each) …"""
FEW_ERRORS_PER_BYTE = 1 / 1000
"""… or this share of the page's bytes, when that is more."""
UTF8_EVIDENCE = 4
"""UTF-8 with undefined bytes is believed when it decodes this many non-ASCII characters per
undefined byte (Greek single-byte text read as UTF-8 fails at nearly every letter)."""
UTF16_SAMPLE = 4096


def charset_of(content_type: bytes | str | None) -> str | None:
    """The `charset=` of a Content-Type header, lower case."""
    if not content_type:
        return None
    value = content_type.decode("latin-1") if isinstance(content_type, bytes) else content_type
    for part in value.split(";"):
        key, _, charset = part.strip().partition("=")
        if key.lower() == "charset" and charset:
            return charset.strip("\"' ").lower()
    return None


def decode_html(body: bytes, content_type: bytes | str | None = None) -> str | None:
    """The page's text, or None when no encoding gives readable text."""
    text = _decode(body, content_type)
    if text is None:
        return None
    repaired = repair_mojibake(text)
    return None if repaired is None or _unreadable(repaired) else repaired


@dataclass(frozen=True)
class _Decoding:
    """The text of the page in one encoding, undefined bytes replaced by U+FFFD."""

    encoding: str
    text: str
    errors: int
    """Undefined bytes (U+FFFD put in their place)."""

    @property
    def greek(self) -> int:
        return len(GREEK_LETTER.findall(self.text))


def _decode(body: bytes, content_type: bytes | str | None) -> str | None:
    for mark, encoding in BOMS:
        if body.startswith(mark):
            return _decoding(body[len(mark) :], encoding).text
    wide = _utf16_order(body)
    if wide is not None:  # NUL bytes in every other place: UTF-16, declared so or not
        return _decoding(body, wide).text
    utf8 = _decoding(body, "utf-8")
    if utf8.errors == 0 or _plausible_utf8(utf8, len(body)):
        return utf8.text
    declared = [_canonical(charset_of(content_type)), _canonical(declared_encoding(body))]
    candidates: list[_Decoding] = []
    for label in dict.fromkeys([*declared, *GREEK_ENCODINGS]):
        if label is None or label.startswith(("utf-8", "utf-16", "utf-32")):
            continue  # UTF-8 was tried; UTF-16 without its NUL bytes is a false declaration
        decoded = _decoding(body, label)
        if decoded.encoding and _few(decoded.errors, len(body)):
            candidates.append(decoded)
    if not candidates:  # no encoding explains the bytes: the one with the fewest undefined
        tries = [_decoding(body, greek) for greek in GREEK_ENCODINGS]
        return min([utf8, *tries], key=lambda decoded: decoded.errors).text
    # The first decoding with the most Greek letters: the declared one unless it loses Greek.
    return max(candidates, key=lambda decoded: decoded.greek).text


def _decoding(body: bytes, encoding: str) -> _Decoding:
    try:
        text = body.decode(encoding, errors="replace")
    except (LookupError, UnicodeError, ValueError):  # not a text encoding (`base64`)
        return _Decoding("", "", len(body) + 1)
    # A U+FFFD that the page itself holds is no error (only UTF encodings can spell one).
    own = body.count("\ufffd".encode(encoding)) if encoding.startswith("utf") else 0
    return _Decoding(encoding, text, max(text.count("\ufffd") - own, 0))


def _few(errors: int, size: int) -> bool:
    return errors <= max(FEW_ERRORS, int(size * FEW_ERRORS_PER_BYTE))


def _plausible_utf8(decoded: _Decoding, size: int) -> bool:
    """UTF-8 with a few stray bytes among many well-formed multi-byte characters."""
    if not _few(decoded.errors, size):
        return False
    non_ascii = len(decoded.text) - len(decoded.text.encode("ascii", "ignore")) - decoded.errors
    return non_ascii >= UTF8_EVIDENCE * decoded.errors


def _utf16_order(body: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` when the NUL bytes say so (ASCII markup in UTF-16), else None."""
    sample = body[:UTF16_SAMPLE]
    if len(sample) < 16:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= half // 8 and even * 8 <= odd:
        return "utf-16-le"
    if even >= half // 8 and odd * 8 <= even:
        return "utf-16-be"
    return None


def declared_encoding(body: bytes) -> str | None:
    """The charset the page's XML declaration or `<meta>` names, in its first bytes."""
    head = body[:PRESCAN_BYTES]
    found = XML_ENCODING.search(head) or META_CHARSET.search(head)
    return found[1].decode("ascii", "replace").lower() if found else None


def _canonical(encoding: str | None) -> str | None:
    """Python's name of an encoding (`windows-1253` → `cp1253`); None for unknown names."""
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding).name
    except (LookupError, ValueError):
        return None
    return {"cp1253": "windows-1253", "iso8859-7": "iso-8859-7"}.get(name, name)


MOJIBAKE_RUN = re.compile(
    r"[\u00a0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]+"
)
"""A run of characters that Greek bytes become when read as latin-1 or windows-1252."""


def repair_mojibake(text: str) -> str | None:
    """Greek text once decoded as latin-1 or windows-1252, decoded right; None if beyond repair.

    Each run of such characters is re-decoded on its own, so a page whose template is right and
    whose article text is mojibake comes out whole (ASCII is the same in all these encodings).
    """
    if not _is_mojibake(text):
        return text
    # iso-8859-7 first (what latin-1 readers broke); windows-1253 when it explains more letters
    # (it puts `Ά` at 0xA2 where iso-8859-7 has a quote mark).
    tries = [_redecode_runs(text, right) for right in GREEK_ENCODINGS[::-1]]
    repaired = max(tries, key=lambda tried: len(GREEK_LETTER.findall(tried)))
    return None if _is_mojibake(repaired) else repaired


def _redecode_runs(text: str, right: str) -> str:
    return MOJIBAKE_RUN.sub(lambda run: _redecode(run[0], right), text)


def _redecode(run: str, right: str) -> str:
    for wrong in ("latin-1", "windows-1252"):
        try:
            return run.encode(wrong).decode(right)
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return run


def _is_mojibake(text: str) -> bool:
    latin = len(LATIN1_LETTER.findall(text))
    if latin < 20:  # (most pages: no need to count the Greek letters, a tenth of an extraction)
        return False
    greek = len(GREEK_LETTER.findall(text))
    return latin >= MOJIBAKE_SHARE * (latin + greek)


def _unreadable(text: str) -> bool:
    """Mostly replacement characters: bytes no encoding explains."""
    return text.count("\ufffd") > max(20, len(text) // 100)

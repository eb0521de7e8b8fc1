"""Bytes to text for Greek pages whose declared charset is wrong or missing, and mojibake repair.

Greek sites are served as UTF-8, windows-1253 or iso-8859-7, and their headers and `<meta>` tags
do not always say which (SITES.md §4). Valid UTF-8 is unmistakable, so it is tried first; among
the single-byte Greek encodings the one that yields Greek letters wins (windows-1253 and
iso-8859-7 differ only in a few places, `Ά` among them). Text that was already decoded wrongly
once (iso-8859-7 read as latin-1: `Ößëïé` for `Φίλοι`) is re-decoded.
"""

from __future__ import annotations

import re

from bs4.dammit import EncodingDetector, UnicodeDammit

GREEK_ENCODINGS = ("windows-1253", "iso-8859-7")
GREEK_LETTER = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
LATIN1_LETTER = re.compile(r"[\u00c0-\u00ff]")
"""Letters that iso-8859-7/windows-1253 bytes become when read as latin-1 (`Ößëïé`)."""
MOJIBAKE_SHARE = 0.3
"""Text is mojibake when at least this share of its non-ASCII letters are latin-1 accents."""


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


def _decode(body: bytes, content_type: bytes | str | None) -> str | None:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = [charset_of(content_type), EncodingDetector.find_declared_encoding(body, True)]
    decoded: list[str] = []
    for encoding in [*declared, *GREEK_ENCODINGS]:
        if encoding and encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
            try:
                decoded.append(body.decode(encoding))
            except (UnicodeDecodeError, LookupError):
                continue
    if not decoded:
        return UnicodeDammit(body, is_html=True).unicode_markup
    # The first decoding with the most Greek letters: the declared one unless it loses Greek.
    return max(decoded, key=lambda text: len(GREEK_LETTER.findall(text)))


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
    greek = len(GREEK_LETTER.findall(text))
    return latin >= 20 and latin >= MOJIBAKE_SHARE * (latin + greek)


def _unreadable(text: str) -> bool:
    """Mostly replacement characters: bytes no encoding explains."""
    return text.count("\ufffd") > max(20, len(text) // 100)

"""Bytes to text for Greek pages whose declared charset is wrong, missing or mojibake."""

from __future__ import annotations

from bs4.dammit import UnicodeDammit

GREEK_ENCODINGS = ["utf-8", "windows-1253", "iso-8859-7"]
"""Tried in this order when the page's declaration does not decode it."""


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
    declared = charset_of(content_type)
    candidates = [declared] if declared else []
    dammit = UnicodeDammit(body, known_definite_encodings=candidates + GREEK_ENCODINGS,
                           is_html=True)
    return dammit.unicode_markup

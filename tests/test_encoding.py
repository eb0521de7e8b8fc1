"""Decoding Greek pages whose charset is wrong or missing, and repairing mojibake."""

from __future__ import annotations

import pytest

from newsarchive.encoding import charset_of, decode_html, repair_mojibake

GREEK = "Άνοιξε η αγορά του Βόλου· «Φίλοι επισκέπτες», είπε ο Δήμαρχος. ΆΡΤΑ, Ύδρα, Ώρα."


def page(body: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>Τίτλος</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("encoding", "content_type", "meta"),
    [
        ("utf-8", "text/html; charset=utf-8", ""),
        ("utf-8", "text/html; charset=windows-1253", ""),  # mislabeled UTF-8
        ("utf-8", None, '<meta charset="iso-8859-7">'),
        ("windows-1253", "text/html; charset=utf-8", ""),  # mislabeled windows-1253
        ("windows-1253", None, ""),
        ("windows-1253", "text/html; charset=windows-1253", ""),
        (
            "iso-8859-7",
            "text/html",
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-7">',
        ),
        ("iso-8859-7", "text/html; charset=iso-8859-7", ""),
        ("iso-8859-7", None, ""),  # no declaration: Ά decides against windows-1253
        ("iso-8859-7", "text/html; charset=iso-8859-1", ""),  # a Latin label on Greek bytes
    ],
)
def test_greek_pages_decode_whatever_their_label_says(
    encoding: str, content_type: str | None, meta: str
) -> None:
    raw = page(GREEK, meta).encode(encoding)
    decoded = decode_html(raw, content_type)
    assert decoded is not None
    assert GREEK in decoded


def test_mojibake_is_repaired() -> None:
    broken = GREEK.encode("iso-8859-7").decode("latin-1")
    assert "Ößëïé" in broken
    decoded = decode_html(page(broken).encode("utf-8"), "text/html; charset=utf-8")
    assert decoded is not None and GREEK in decoded


def test_windows_1252_mojibake_is_repaired() -> None:
    broken = GREEK.encode("windows-1253").decode("windows-1252", errors="strict")
    assert repair_mojibake(page(broken)) == page(GREEK)


def test_greek_text_is_left_alone() -> None:
    assert repair_mojibake(page(GREEK)) == page(GREEK)


def test_latin_text_with_a_few_accents_is_left_alone() -> None:
    text = page("Café Olé in Volos: a review of the best crêpes of Thessaly. " * 3)
    assert repair_mojibake(text) == text


def test_bytes_no_encoding_explains_are_refused() -> None:
    garbage = bytes(range(128, 256)) * 200
    assert decode_html(garbage, "text/html; charset=utf-8") is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html; charset=UTF-8", "utf-8"),
        (b'text/html;charset="windows-1253"', "windows-1253"),
        ("text/html", None),
        (None, None),
    ],
)
def test_charset_of(header: str | bytes | None, expected: str | None) -> None:
    assert charset_of(header) == expected

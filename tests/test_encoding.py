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


ARTICLE = page(GREEK * 20)
"""A page long enough that one undefined byte is one in thousands."""


@pytest.mark.parametrize("encoding", ["windows-1253", "iso-8859-7"])
@pytest.mark.parametrize("stray", [b"\xd2", b"\xff"])
@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_one_undefined_byte_costs_one_character(encoding: str, stray: bytes, where: float) -> None:
    raw = ARTICLE.encode(encoding)
    cut = int(len(raw) * where)
    decoded = decode_html(raw[:cut] + stray + raw[cut:], f"text/html; charset={encoding}")
    assert decoded is not None
    assert decoded == ARTICLE[:cut] + "\ufffd" + ARTICLE[cut:]


@pytest.mark.parametrize("encoding", ["windows-1253", "iso-8859-7"])
def test_undeclared_greek_page_with_a_stray_byte_stays_greek(encoding: str) -> None:
    raw = ARTICLE.encode(encoding)
    decoded = decode_html(raw[:300] + b"\xff" + raw[300:], None)
    assert decoded is not None and decoded.count(GREEK) >= 19


def test_utf8_page_with_a_stray_byte_stays_utf8() -> None:
    head, tail = ARTICLE[:300].encode("utf-8"), ARTICLE[300:].encode("utf-8")
    decoded = decode_html(head + b"\xff" + tail, "text/html; charset=windows-1253")
    assert decoded == ARTICLE[:300] + "\ufffd" + ARTICLE[300:]


def test_a_few_undefined_bytes_are_replaced_many_are_not() -> None:
    raw = ARTICLE.encode("windows-1253")
    sprinkled = b"\xd2".join(raw[i : i + 400] for i in range(0, len(raw), 400))
    decoded = decode_html(sprinkled, "text/html; charset=windows-1253")
    assert decoded is not None and GREEK in decoded


@pytest.mark.parametrize(
    ("encoding", "content_type"),
    [
        ("utf-16", None),  # with its byte order mark
        ("utf-16", "text/html; charset=windows-1253"),  # the mark wins over a wrong label
        ("utf-16-le", "text/html; charset=utf-16"),
        ("utf-16-be", "text/html; charset=utf-16"),
        ("utf-16-le", "text/html"),  # no mark, no label: the NUL bytes tell
        ("utf-16-be", None),
        ("utf-32", None),
        ("utf-8-sig", "text/html; charset=windows-1253"),
    ],
)
def test_utf16_and_marked_pages_are_read(encoding: str, content_type: str | None) -> None:
    decoded = decode_html(ARTICLE.encode(encoding), content_type)
    assert decoded is not None
    assert decoded.lstrip("\ufeff") == ARTICLE


@pytest.mark.parametrize("encoding", ["utf-8", "windows-1253", "iso-8859-7"])
@pytest.mark.parametrize("where", [0, 1, 10, 60])
def test_a_nul_byte_near_the_top_is_kept_as_text(encoding: str, where: int) -> None:
    raw = page(GREEK, f'<meta charset="{encoding}">').encode(encoding)
    decoded = decode_html(raw[:where] + b"\x00" + raw[where:], "text/html")
    assert decoded is not None and GREEK in decoded


def test_meta_charset_declaration_scan_is_bounded() -> None:
    raw = b"<meta " * 100_000 + ARTICLE.encode("iso-8859-7")
    decoded = decode_html(raw, None)
    assert decoded is not None and GREEK in decoded


def test_a_non_text_codec_label_is_ignored() -> None:
    raw = page(GREEK).encode("windows-1253")
    assert decode_html(raw, "text/html; charset=base64") is not None
    assert decode_html(raw, "text/html; charset=no-such-codec") is not None

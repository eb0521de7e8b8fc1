"""Text normalization: Unicode and whitespace cleanup, boilerplate stripping, search folding."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
BLANK_RUN = re.compile(r"\n{3,}")

LATIN_LOOKALIKES = str.maketrans("abehikmnoptxyz", "αβεηικμνοπτχυζ")
"""Lower-case Latin letters that stand for Greek ones when typed inside a Greek word."""
LATIN_LOOKALIKES_UPPER = str.maketrans("ABEHIKMNOPTXYZ", "ΑΒΕΗΙΚΜΝΟΡΤΧΥΖ")
GREEK_LETTER = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    """NFC, no invisible characters, single spaces, trimmed lines, at most one blank line."""
    text = unicodedata.normalize("NFC", text).translate(INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = (SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


def normalize_line(text: str) -> str:
    """`normalize`, then everything on one line."""
    return " ".join(normalize(text).split())


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """Paragraphs as one text, one blank line between them; empty ones dropped."""
    cleaned = (normalize_line(paragraph) for paragraph in paragraphs)
    return "\n\n".join(paragraph for paragraph in cleaned if paragraph)


def fix_lookalikes(text: str) -> str:
    """Latin look-alike capitals and letters inside Greek words, replaced by the Greek ones."""

    def repair(match: re.Match[str]) -> str:
        word = match[0]
        if not GREEK_LETTER.search(word):
            return word
        return word.translate(LATIN_LOOKALIKES_UPPER).translate(LATIN_LOOKALIKES)

    return WORD.sub(repair, text)


def strip_accents(text: str) -> str:
    """Text without accents or diaeresis (NFC again afterwards)."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare)


def fold(text: str) -> str:
    """Search key: lower case, no accents, final ς→σ, Latin look-alikes in Greek words → Greek."""
    lowered = strip_accents(fix_lookalikes(unicodedata.normalize("NFC", text))).lower()
    return " ".join(lowered.replace("ς", "σ").split())


def content_hash(*parts: str | None) -> str:
    """SHA-256 of the given texts, so that an unchanged article hashes the same."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update((part or "").encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


# --- boilerplate --------------------------------------------------------------------------

TICKER_ITEM = re.compile(
    r"(?:^|\s)-\s*[A-ZΑ-ΩΆ-Ώ][A-ZΑ-ΩΆ-Ώ ]{2,30}\s*\|\s*\d{1,2}\.\d{1,2}\.\d{4}\s*\|\s*\d{1,2}:\d{2}"
)
"""A thessaliatv-style ticker marker `- ΚΑΡΔΙΤΣΑ | 09.02.2026 | 10:55` (crawl-time news)."""

SOCIAL_WORDS = frozenset(
    "facebook twitter x youtube instagram rss feed viber linkedin pinterest tiktok email "
    "e-mail messenger whatsapp telegram google news share κοινοποίηση".split()
)

CHROME_LINE = re.compile(
    r"^(?:"
    r"(?:διαβάστε|δείτε|δες|διάβασε)\s+(?:επίσης|ακόμη|ακόμα|περισσότερα)\b.*"
    r"|σχετικά\s+(?:άρθρα|νέα)\b.*|διαβάζονται\s+(?:τώρα|πάντα)\b.*|τα\s+πιο\s+δημοφιλή\b.*"
    r"|(?:προηγούμενο|επόμενο)\s+άρθρο\b.*"
    r"|ακολουθήστε\s+(?:το|μας)\b.*(?:google\s+news|facebook|viber|instagram|twitter).*"
    r"|ελάτε\s+στην\s+ομάδα\s+μας\s+στο\s+viber\b.*"
    r"|(?:αφήστε|δημοσίευση)\s+(?:μια\s+απάντηση|σχολίου)\b.*|δεν\s+υπάρχουν\s+σχόλια\b.*"
    r"|(?:απαγορεύεται\s+η\s+αναδημοσίευση)\b.*|.*©\s*\d{4}.*"
    r"|χρησιμοποιούμε\s+cookies\b.*|αποδοχή(?:\s+cookies)?"
    r"|read\s+more|share\s+on\s+\w+.*|δείτε\s+εικόνες\s*:?|δείτε\s+φωτογραφίες\s*:?"
    r")$",
    re.IGNORECASE,
)
"""Whole lines of site chrome: related links, follow prompts, comment chrome, footers."""


def _is_social_line(line: str) -> bool:
    words = line.lower().replace("/", " ").split()
    return bool(words) and all(word in SOCIAL_WORDS for word in words)


def _cut_ticker(lines: list[str]) -> list[str]:
    """Lines without a ticker block: from its first marker to the title after its last one."""
    marked = [index for index, line in enumerate(lines) if TICKER_ITEM.search(line)]
    if len(marked) < 2:
        return [line for line in lines if not TICKER_ITEM.match(line)]
    end = marked[-1] + 1
    if end < len(lines) and lines[end].strip():  # the last marker's own headline
        end += 1
    return lines[: marked[0]] + lines[end:]


def strip_boilerplate(text: str) -> str:
    """Text without tickers, site chrome and prompts; every sentence of the article kept."""
    lines = _cut_ticker(normalize(text).split("\n"))
    kept = [
        line
        for line in lines
        if not (line and (CHROME_LINE.match(line) or _is_social_line(line)))
    ]
    return normalize("\n".join(kept))

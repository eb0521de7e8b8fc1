"""Greek and English dates as news pages write them, to aware datetimes in Europe/Athens.

A fast path of precompiled patterns over a folded copy of the text (lower case, no accents,
Latin look-alikes mapped to Greek) handles the forms news pages use; dateparser is only a
fallback, imported lazily, for texts that name a month or a relative day the fast path missed.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

ATHENS = ZoneInfo("Europe/Athens")

_MONTH_STEMS = {
    1: ("ιανουαρ", "ιαν", "γεναρ", "january", "jan"),
    2: ("φεβρουαρ", "φεβ", "φλεβαρ", "february", "feb"),
    3: ("μαρτ", "μαρ", "march", "mar"),
    4: ("απριλ", "απρ", "april", "apr"),
    5: ("μαι", "μαη", "may"),
    6: ("ιουν", "june", "jun"),
    7: ("ιουλ", "july", "jul"),
    8: ("αυγουστ", "αυγ", "august", "aug"),
    9: ("σεπτεμβρ", "σεπτ", "σεπ", "september", "sept", "sep"),
    10: ("οκτωβρ", "οκτ", "october", "oct"),
    11: ("νοεμβρ", "νοεμ", "νοε", "november", "nov"),
    12: ("δεκεμβρ", "δεκ", "december", "dec"),
}
# Endings after a stem: genitive -ιου, nominative -ιος, accusative -ιο, colloquial -η/-ης.
_GREEK_ENDINGS = "(?:ιου|ιοσ|ιο|ου|οσ|ο|ησ|η|ι)"
MONTHS: dict[str, int] = {}
_month_words = []
for _number, _stems in _MONTH_STEMS.items():
    for _stem in _stems:
        _month_words.append(_stem)
        MONTHS[_stem] = _number
_MONTH = (
    r"(?P<month>(?:"
    + "|".join(sorted(_month_words, key=len, reverse=True))
    + r")(?:"
    + _GREEK_ENDINGS
    + r"|[a-z]*)(?![α-ωa-z]))\.?"
)

_LOOKALIKE = str.maketrans("abehikmnoptxyzABEHIKMNOPTXYZ", "αβεηικμνορτχυζαβεηικμνορτχυζ")
_GREEK = re.compile(r"[α-ω]")
_WORD = re.compile(r"[^\W\d_]+")

ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
RFC822 = re.compile(r"^\s*(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{2}:\d{2}")
NUMERIC = re.compile(r"(?<![\d/.\-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d]|[./-]\d)")
YEAR_FIRST = re.compile(r"(?<![\d/.\-])(\d{4})([/.])(\d{1,2})\2(\d{1,2})(?![\d/.])")
TEXT_DMY = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})(?:η|ησ|th|st|nd|rd)?\s+"
    + _MONTH
    + r"(?:\s*,?\s*(?P<year>\d{4})(?!\d))?"
)
TEXT_MDY = re.compile(_MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})(?!\d)")
SHORT_DM = re.compile(
    r"(?:\(|(?:δευτερα|τριτη|τεταρτη|πεμπτη|παρασκευη|σαββατο|κυριακη)\s+)"
    r"(\d{1,2})/(\d{1,2})(?![\d/])"
)
TIME = re.compile(
    r"(?<![\d.,/:])(\d{1,2})(?:[:.](\d{2})(?::(\d{2}))?)?\s*"
    r"(π\.?\s?μ\.?|μ\.?\s?μ\.?|a\.?m\.?|p\.?m\.?)?(?![\d%€])"
)
_TIME_GAP = re.compile(r"^[\s,|\-–—]*(?:(?:στισ|και\s+ωρα|ωρα|at|@)\s*)?$")
_TIME_GAP_BEFORE = re.compile(
    r"^[\s,|\-–—]*(?:(?:δευτερα|τριτη|τεταρτη|πεμπτη|παρασκευη|σαββατο|κυριακη)[\s,]*)?$"
)
_PERIOD = re.compile(r"^\s*(?:το|τo)\s+(πρωι|μεσημερι|απογευμα|βραδυ)")

_UNITS = {
    "δευτερολεπτ": timedelta(seconds=1),
    "λεπτ": timedelta(minutes=1),
    "ωρ": timedelta(hours=1),
    "ημερ": timedelta(days=1),
    "μερ": timedelta(days=1),
    "εβδομαδ": timedelta(weeks=1),
    "second": timedelta(seconds=1),
    "minute": timedelta(minutes=1),
    "min": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}
_UNIT = (
    r"(?P<unit>δευτερολεπτ|λεπτ|ωρ|ημερ|μερ|εβδομαδ|μην|χρον"
    r"|second|minute|min|hour|day|week|month|year)\w*"
)
_COUNT = r"(?P<count>\d+|μια|μιαν|ενα|ενασ|a|an|one)"
RELATIVE = re.compile(r"πριν\s+(?:απο\s+)?" + _COUNT + r"\s+" + _UNIT)
RELATIVE_AFTER = re.compile(_COUNT + r"\s+" + _UNIT + r"\s+(?:πριν|ago)(?![α-ω])")
DAY_WORDS = re.compile(
    r"(?<![α-ω])(?P<word>μολισ\s+τωρα|just\s+now|σημερα|today|χθεσ|χτεσ|yesterday|προχθεσ|προχτεσ)"
    r"(?![α-ω])"
)
_DAY_OFFSET = {
    "σημερα": 0,
    "today": 0,
    "χθεσ": 1,
    "χτεσ": 1,
    "yesterday": 1,
    "προχθεσ": 2,
    "προχτεσ": 2,
}
_FALLBACK_HINT = re.compile(_MONTH.replace("(?P<month>", "(?:") + "|πριν|ago|χθεσ|σημερα")


def _accent_table() -> dict[int, str]:
    """Greek and Latin letters with accents or diaeresis → their bare letters."""
    table = {}
    for code in [*range(0xC0, 0x250), *range(0x370, 0x400), *range(0x1F00, 0x2000)]:
        bare = _strip(chr(code))
        if bare != chr(code) and len(bare) == 1:
            table[code] = bare
    return table


_LATIN = re.compile(r"[A-Za-z]")
_GREEK_MONTH_START = re.compile("|".join(stem for stem in MONTHS if _GREEK.search(stem)))
_LETTERS = re.compile(r"[a-zα-ω]{3}")
_CAPITAL_WORD = re.compile(r"[A-Z]{3}")  # may be a Greek word typed in Latin look-alikes


def fold_for_dates(text: str) -> str:
    """Lower case, no accents, final sigma as σ, Latin look-alikes in Greek words as Greek."""
    if text.isascii() and _CAPITAL_WORD.search(text) is None:
        return text.lower()
    text = unicodedata.normalize("NFC", text)
    if _LATIN.search(text) is not None:
        text = _WORD.sub(_fold_word, text)
    return text.translate(_ACCENTS).lower().replace("ς", "σ")


def _fold_word(match: re.Match[str]) -> str:
    token = match[0]
    folded = token.translate(_LOOKALIKE)
    if _GREEK.search(_strip(token).lower()) or _is_greek_lookalike(folded):
        return folded
    return token


def _strip(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _is_greek_lookalike(folded: str) -> bool:
    """An all-Latin capital word that spells a Greek month or weekday (`AYPIO` is not one)."""
    return _GREEK_MONTH_START.match(_strip(folded).lower()) is not None


_ACCENTS = _accent_table()


def to_athens(value: datetime, *, assume_local: bool = False) -> datetime:
    """Naive → Athens wall clock; aware → Athens (`assume_local` reads its wall clock as Athens)."""
    if value.tzinfo is None or assume_local:
        local = value.replace(tzinfo=ATHENS, fold=0)
        # Round trip through UTC: a wall time in the spring gap moves forward by an hour.
        return local.astimezone(UTC).astimezone(ATHENS)
    return value.astimezone(ATHENS)


def _now(now: datetime | None) -> datetime:
    return to_athens(now) if now is not None else datetime.now(ATHENS)


def _year(two_or_four: str, now: datetime) -> int:
    year = int(two_or_four)
    if len(two_or_four) == 2:
        year += 2000 if year <= now.year % 100 + 1 else 1900
    return year


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(word: str) -> int | None:
    word = word.rstrip(".")
    for length in range(len(word), 2, -1):
        number = MONTHS.get(word[:length])
        if number is not None:
            return number
    return None


def _recent_year(month: int, day: int, now: datetime) -> date | None:
    """The most recent such day not after `now` + 1 day (dates written without a year)."""
    for year in (now.year + 1, now.year, now.year - 1):
        found = _make_date(year, month, day)
        if found is not None and found <= (now + timedelta(days=1)).date():
            return found
    return None


def _time_near(text: str, start: int, end: int) -> time | None:
    """A time just after the date (`| 09:46`, `, στις 18:30`) or just before it (`09:02 - `)."""
    for match in TIME.finditer(text, end, min(len(text), end + 30)):
        if _TIME_GAP.match(text[end : match.start()]):
            found = _clock(match, text[match.end() :])
            if found is not None:
                return found
        break
    for match in TIME.finditer(text, max(0, start - 25), start):
        if _TIME_GAP_BEFORE.match(text[match.end() : start]):
            return _clock(match, "")
    return None


def _clock(match: re.Match[str], after: str) -> time | None:
    hour, minute, second = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    meridiem = (match[4] or "").replace(".", "").replace(" ", "")
    period = _PERIOD.match(after)
    if match[2] is None and not meridiem and period is None:
        return None  # a lone number is no time
    afternoon = meridiem in ("μμ", "pm") or (period is not None and period[1] != "πρωι")
    if afternoon and hour < 12:
        hour += 12
    elif meridiem in ("πμ", "am") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _combine(day: date, clock: time | None) -> datetime:
    return to_athens(datetime.combine(day, clock or time(0, 0)))


Candidate = tuple[int, int, date]


def _numeric(text: str, now: datetime) -> list[Candidate]:
    found = []
    for match in NUMERIC.finditer(text):
        day = _make_date(_year(match[4], now), int(match[3]), int(match[1]))
        if day is not None and not _is_reference(text, match.start()):
            found.append((match.start(), match.end(), day))
    for match in YEAR_FIRST.finditer(text):
        day = _make_date(int(match[1]), int(match[3]), int(match[4]))
        if day is not None:
            found.append((match.start(), match.end(), day))
    return found


def _is_reference(text: str, start: int) -> bool:
    """Law, decision and protocol numbers: `ν. 4555/2018`, `αρ. πρωτ. 12/3/2020`."""
    return bool(
        re.search(r"(?:ν|αρ|αριθ|πρωτ|φεκ|αποφαση|σελ)\.?\s*$", text[max(0, start - 12) : start])
    )


def _textual(text: str, now: datetime) -> list[Candidate]:
    found = []
    for pattern in (TEXT_DMY, TEXT_MDY):
        for match in pattern.finditer(text):
            month = _month_number(match["month"])
            if month is None:
                continue
            day_number = int(match["day"])
            day = (
                _make_date(int(match["year"]), month, day_number)
                if match["year"]
                else _recent_year(month, day_number, now)
            )
            if day is not None:
                found.append((match.start(), match.end(), day))
    return found


def _short(text: str, now: datetime) -> list[Candidate]:
    found = []
    for match in SHORT_DM.finditer(text):
        day = _recent_year(int(match[2]), int(match[1]), now)
        if day is not None:
            found.append((match.start(1), match.end(), day))
    return found


def _absolute(text: str, now: datetime) -> datetime | None:
    candidates = _numeric(text, now)
    if _LETTERS.search(text) is not None:  # a month name needs letters
        candidates += _textual(text, now)
    if not candidates:
        candidates = _short(text, now)
    if not candidates:
        return None
    start, end, day = min(candidates)
    return _combine(day, _time_near(text, start, end))


def _relative(text: str, now: datetime) -> datetime | None:
    match = RELATIVE.search(text) or RELATIVE_AFTER.search(text)
    if match is not None:
        count_word = match["count"]
        count = int(count_word) if count_word.isdigit() else 1
        unit = match["unit"]
        if unit in ("μην", "month"):
            return now - timedelta(days=30 * count)
        if unit in ("χρον", "year"):
            return now - timedelta(days=365 * count)
        return to_athens((now - _UNITS[unit] * count).astimezone(UTC))
    words = DAY_WORDS.search(text)
    if words is None:
        return None
    if words["word"] in ("μολισ τωρα", "just now") or " " in words["word"]:
        return now
    day = now.date() - timedelta(days=_DAY_OFFSET[words["word"]])
    clock = _time_near(text, words.start(), words.end())
    if clock is None and words.end() < len(text):
        rest = text[words.end() :]
        clock = next((_clock(m, rest[m.end() :]) for m in TIME.finditer(rest)), None)
    return _combine(day, clock)


def _iso(text: str) -> datetime | None:
    match = ISO.search(text)
    if match is None:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    found = _make_date(year, month, day)
    if found is None:
        return None
    if match[4] is None:
        return _combine(found, None)
    clock = time(int(match[4]), int(match[5]), int(match[6] or 0))
    value = datetime.combine(found, clock)
    zone = match[7]
    if zone:
        value = value.replace(tzinfo=_offset(zone))
    return to_athens(value)


def _offset(zone: str) -> timezone:
    """`z`, `+02:00` or `+0200` as a fixed offset."""
    if zone == "z":
        return UTC
    digits = zone[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:])
    return timezone(timedelta(minutes=-minutes if zone[0] == "-" else minutes))


def _rfc822(text: str) -> datetime | None:
    if not RFC822.match(text):
        return None
    try:
        value = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return to_athens(value)


def parse_date(text: str, *, now: datetime | None = None) -> datetime | None:
    """A date on a news page as an aware Europe/Athens datetime; None when the text has none."""
    if not text or not text.strip():
        return None
    folded = fold_for_dates(text)
    reference = _now(now)
    for parse in (_iso, _rfc822):
        found = parse(folded)
        if found is not None:
            return found
    found = _absolute(folded, reference) or _relative(folded, reference)
    if found is not None or not _FALLBACK_HINT.search(folded):
        return found
    return _dateparser(text, reference)


def _dateparser(text: str, now: datetime) -> datetime | None:
    import dateparser  # slow to import: only for what the fast path cannot read

    settings: dict[str, Any] = {
        "DATE_ORDER": "DMY",
        "TIMEZONE": "Europe/Athens",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "past",
        "STRICT_PARSING": False,
        "REQUIRE_PARTS": ["day", "month"],
    }
    value = dateparser.parse(text, languages=["el", "en"], settings=settings)
    if value is None or not 1900 <= value.year <= now.year + 1:
        return None
    return to_athens(value)

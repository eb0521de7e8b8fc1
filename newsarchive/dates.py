"""Greek and English dates as news pages write them, to aware datetimes in Europe/Athens.

A fast path of precompiled patterns over a folded copy of the text (lower case, no accents,
Latin look-alikes mapped to Greek) handles the forms news pages use and the whole Greek
vocabulary of dateparser (relative forms past and future, single or compound, named periods
such as `προηγούμενος μήνας`, month and weekday names and their abbreviations, `πμ`/`μμ`);
dateparser is only a fallback, imported lazily, for texts that name a month or a relative day
the fast path missed. Where a text could mean two things (`σε 5 ώρες 10:00`, a count with no
unit after a compound form), the answer is None, without asking dateparser.

`parse_date` never raises and runs in time linear in its input: every pattern is linear
(possessive quantifiers where a run could be split two ways), and the input is bounded by
`MAX_TEXT`.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

from newsarchive.text import LATIN_LOOKALIKES

ATHENS = ZoneInfo("Europe/Athens")

MAX_TEXT = 200
"""Longest text read as a date (after trimming). A date line is short: the date texts of the
pages of SITES.md are at most 75 characters (`pages.DATE_LINE_MAX` is 80), and a label, a
byline and a category around a date stay well under 200. A longer text is prose, and a date in
prose is not the page's date; bounding it also bounds the work of the dateparser fallback."""
MIN_YEAR, MAX_YEAR = 1000, 9998
"""Four-digit years whose dates convert to Athens time and back without overflow; a year
outside (`0001-01-01`, a placeholder) is no date."""

_MONTH_STEMS = {
    1: ("ιανουαρ", "ιαν", "γεναρ", "january", "jan"),
    2: ("φεβρουαρ", "φεβ", "φλεβαρ", "february", "feb"),
    3: ("μαρτ", "μαρ", "march", "mar"),
    4: ("απριλ", "απρ", "april", "apr"),
    5: ("μαι", "μαη", "μαησ", "may"),  # `Μάης`: the stem `μαη` takes no `-σ` alone
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
MONTHS: dict[str, int] = {stem: number for number, stems in _MONTH_STEMS.items() for stem in stems}
_LONGEST_STEM = max(map(len, MONTHS))
_MONTH = (
    r"(?<![α-ωa-z])(?P<month>(?:"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")(?:"
    + _GREEK_ENDINGS
    + r"|[a-z]*+)(?![α-ωa-z]))\.?"
)
_WEEKDAY = (
    r"(?:δευτερα|τριτη|τεταρτη|πεμπτη|παρασκευη|σαββατο|κυριακη"
    r"|δευ|τρι|τετ|πεμ|παρ|σαβ|κυρ)(?![α-ω])\.?"
)

_GREEK = re.compile(r"[α-ωΑ-Ω]")
_WORD = re.compile(r"[^\W\d_]+")

ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d++)?)?"
    r"\s*+(z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
RFC822 = re.compile(r"^\s*+(?:[a-z]{3},\s*+)?\d{1,2}\s++[a-z]{3}\s++(\d{4})\s++\d{2}:\d{2}")
NUMERIC = re.compile(r"(?<![\d/.\-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d]|[./-]\d)")
YEAR_FIRST = re.compile(r"(?<![\d/.\-])(\d{4})([/.])(\d{1,2})\2(\d{1,2})(?![\d/.])")
TEXT_DMY = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})(?:η|ησ|th|st|nd|rd)?\s++"
    + _MONTH
    + r"(?:\s*+,?\s*+(?P<year>\d{4})(?!\d))?"
)
TEXT_MDY = re.compile(_MONTH + r"\s++(?P<day>\d{1,2}),?\s++(?P<year>\d{4})(?!\d)")
SHORT_DM = re.compile(r"(?:\(|(?<![α-ω])" + _WEEKDAY + r",?\s++)(\d{1,2})/(\d{1,2})(?![\d/])")
# A day and month beside a clock time (`06/12 10:15`, `10:15, 6/12`), as tickers and updated
# stamps write the current year's dates; alone, `1/2` is as likely a fraction.
_CLOCK = r"(?<![\d:.,/])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])"
DM_CLOCK = re.compile(
    r"(?<![\d/.,:])(\d{1,2})/(\d{1,2})(?![\d/.])(?=[\s,|\-–—]*+" + _CLOCK + r")"
    r"|(?<=:\d\d)[\s,|\-–—]++(\d{1,2})/(\d{1,2})(?![\d/.:])"
)
_MERIDIEM = r"π\.?\s?μ\.?|μ\.?\s?μ\.?|a\.?m\.?|p\.?m\.?"
TIME = re.compile(
    r"(?<![\d.,/:])(\d{1,2})(?:[:.](\d{2})(?::(\d{2}))?)?\s*"
    r"(" + _MERIDIEM + r")?(?![\d%€])"
)
# What may stand between a date and its time: spaces, commas, bars, dashes, bullets and middle
# dots (`06.12.2026 • 10:15`, `3 Δεκεμβρίου 2026 | Ώρα: 10:15`).
_GAP_MARKS = r"[\s,|\-–—•·●∙/]"
_TIME_GAP = re.compile(r"^" + _GAP_MARKS + r"*+(?:(?:στισ|και\s+ωρα|ωρα|at|@)\s*+:?\s*+)?$")
_TIME_GAP_BEFORE = re.compile(r"^" + _GAP_MARKS + r"*+(?:" + _WEEKDAY + r"[\s,]*+)?$")
_PERIOD = re.compile(r"^\s*+(?:το|τo)\s++(πρωι|μεσημερι|απογευμα|βραδυ)")

# --- relative forms -----------------------------------------------------------------------
# A count and a unit (`5 ώρες`, `45 δευτ`), or several (`5 ώρες 6 λεπτά`), before `πριν`,
# after `πριν (από)`, or after `σε` (then the whole line).

_UNIT_WORDS = {
    "second": r"δευτερολεπτ(?:α|ο|ων)|δευτ|δ|seconds?|secs?",
    "minute": r"λεπτ(?:α|ο|ων)|λεπ|λ|minutes?|mins?",
    "hour": r"ωρ(?:α|εσ|ων)?|ω|hours?|hrs?",
    "day": r"ημερ(?:α|εσ|ων)|μερ(?:α|εσ|ων)|ημ|days?",
    "week": r"εβδομαδ(?:α|εσ|ων)|εβδ|weeks?",
    "month": r"μην(?:α|εσ|ων|ασ)?|μ|months?",
    "year": r"ετ(?:η|οσ|ων)|χρον(?:ια|ο|οσ|ων)|years?",
}
_COUNT_WORDS = {
    "μιαν": 1.0,
    "μια": 1.0,
    "ενασ": 1.0,
    "ενα": 1.0,
    "μιση": 0.5,
    "an": 1.0,
    "a": 1.0,
    "one": 1.0,
}
_COUNT = (  # not the tail of `1,5` or of a time, a date or a word
    r"(?<![\w:/])(?<!\d[.,])(?:\d{1,6}(?:[.,]\d{1,3})?+(?!\d)|" + "|".join(_COUNT_WORDS) + r")\s++"
)
_UNIT_END = r"(?![α-ωa-z])(?!\.\s?[α-ω]\.)"  # not the `μ` of `μ.μ.`
PAIR = re.compile(
    r"(?P<count>"
    + _COUNT.removesuffix(r"\s++")
    + r")\s++(?:"
    + "|".join(f"(?P<{unit}>{words})" for unit, words in _UNIT_WORDS.items())
    + r")"
    + _UNIT_END
)
_PAIR = _COUNT + r"(?:" + "|".join(_UNIT_WORDS.values()) + r")" + _UNIT_END
_SEP = r"\.?\s*+(?:(?:,|και|and)\s*+)?"
RUN = re.compile(_PAIR + r"(?:" + _SEP + _PAIR + r")*+")
_PRIOR = re.compile(r"(?<![α-ωa-z])πριν(?:\s++απο)?\s++$")
_AGO = re.compile(r"\s++(?:πριν|ago)(?![α-ωa-z])")
_IN = re.compile(r"(?<![α-ωa-z])(?:σε|in)\s++$")
_DANGLING = re.compile(
    r"[\s.,]*+(?:(?:και|and)\s++)?(?!\d{1,2}(?:[:.]\d{2}(?!\d)|\s*+(?:" + _MERIDIEM + r")))"
    r"\d++(?:[.,]\d++)?+\s*+(?![α-ωa-z]{3})"
)
"""A number after a compound form, neither a time nor a count of a word (`πριν 1 ώρα 30`)."""

_CALENDAR_UNITS = ("year", "month")
_WALL_UNITS = {"week": timedelta(weeks=1), "day": timedelta(days=1)}
_ELAPSED_UNITS = {
    "hour": timedelta(hours=1),
    "minute": timedelta(minutes=1),
    "second": timedelta(seconds=1),
}

_PHRASES: dict[str, tuple[str, int]] = {
    phrase: (unit, amount)
    for unit, amount, phrases in (
        ("second", 0, "τωρα"),
        ("minute", 0, "τρεχον λεπτο|αυτο το λεπτο"),
        ("hour", 0, "τρεχουσα ωρα|αυτην την ωρα|αυτη την ωρα"),
        ("day", 1, "αυριο"),
        ("day", 2, "μεθαυριο"),
        ("week", 0, "τρεχ εβδ|τρεχ εβδομαδα|τρεχουσα εβδομαδα"),
        ("week", 0, "αυτην την εβδομαδα|αυτη την εβδομαδα"),
        ("week", -1, "προηγ εβδ|προηγ εβδομαδα|προηγουμενη εβδομαδα"),
        ("week", 1, "επομ εβδ|επομ εβδομαδα|επομενη εβδομαδα"),
        ("month", 0, "τρεχ μηνασ|τρεχων μηνασ"),
        ("month", -1, "προηγ μηνασ|προηγουμενοσ μηνασ"),
        ("month", 1, "επομ μηνασ|επομενοσ μηνασ"),
        ("year", 0, "φετοσ"),
        ("year", -1, "περσι|περυσι"),
        ("year", 1, "επομενο ετοσ"),
    )
    for phrase in phrases.split("|")
}
"""Named periods (dateparser's Greek `relative-type`), read only when they are the whole line,
with at most a time of day before or after the day-long ones."""
PHRASE = re.compile(
    r"(?<![α-ωa-z])(?:"
    + "|".join(
        phrase.replace(" ", r"\.?\s++") for phrase in sorted(_PHRASES, key=len, reverse=True)
    )
    + r")(?![α-ωa-z])"
)
_EDGE = r"[\s'’,\-./;@\[\]|，–—]*+"  # dateparser's skip characters
_CLOCK_EDGE = re.compile(
    _EDGE
    + r"(?:(?:(?:στισ|at)\s++)?(?P<clock>\d{1,2}(?:[:.]\d{2}){0,2}(?:\s*+(?:"
    + _MERIDIEM
    + r"))?)"
    + _EDGE
    + r")?"
)
"""What may stand beside a relative form that must be the whole line: nothing or a time."""

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


_DATE_LINE_WORD = re.compile(
    "|".join(
        [
            _MONTH.replace("(?P<month>", "(?:").removesuffix(r"\.?"),
            _WEEKDAY.removesuffix(r"\.?"),
            r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?",
            *_UNIT_WORDS.values(),
            DAY_WORDS.pattern.replace("(?P<word>", "(?:"),
            r"[a-z]?[ecmp][sd]t|gmt|utc|cet|cest|eet|eest|bst",  # `EST`, `PDT`, `AEST`
            # The labels and joints of a date stamp: `Δημοσιεύθηκε: 27.02.2026 στις 09:46`,
            # `Updated on Jan 10 at 9 am`, `Τελευταία ενημέρωση πριν από 5 ώρες`,
            # `Written by … · 3 min read`.
            r"δημοσιευ\w*|ενημερω\w*|αναρτη\w*|τελευταια|published|updated|posted|modified",
            r"last|on|at|am|pm|στισ|ωρα|και|and|πριν|απο|ago|σε|in|του|τησ|the|of",
            r"by|via|written|min|read|reading",
        ]
    )
)


def words_besides_date(text: str) -> list[str]:
    """The words of a text that belong to no date stamp (`Λάρισα, 12 Μαρτίου 2026` has one:
    `Λάρισα`), as written."""
    return [
        word
        for word in _WORD.findall(unicodedata.normalize("NFC", text))
        if len(word) > 1 and _DATE_LINE_WORD.fullmatch(fold_for_dates(word)) is None
    ]


class _Unsure(Exception):
    """The text is a date form that could mean two things: None, without asking dateparser."""


# --- folding ------------------------------------------------------------------------------


def _strip(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _accent_table() -> dict[int, str | None]:
    """Greek and Latin letters with accents or diaeresis → their bare letters; combining marks
    (left by capitals with no precomposed form, `ΜΑΪ́ΟΥ`) → nothing."""
    table: dict[int, str | None] = dict.fromkeys(range(0x300, 0x370))
    for code in [*range(0xC0, 0x250), *range(0x370, 0x400), *range(0x1F00, 0x2000)]:
        bare = _strip(chr(code))
        if bare != chr(code) and len(bare) == 1:
            table[code] = bare
    return table


_ACCENTS = _accent_table()
_LATIN = re.compile(r"[A-Za-z]")
_GREEK_MONTH_START = re.compile("|".join(stem for stem in MONTHS if _GREEK.search(stem)))
_LETTERS = re.compile(r"[a-zα-ω]{3}")
_CAPITAL_WORD = re.compile(r"[A-Z]{3}")  # may be a Greek word typed in Latin look-alikes


def fold_for_dates(text: str) -> str:
    """Lower case, no accents, final sigma as σ, Latin look-alikes in Greek words as Greek.

    The look-alikes are `text.LATIN_LOOKALIKES`, the table of `text.fold`; a capital word all
    in Latin look-alikes is read as Greek too when it spells a Greek month (`5 MAPTIOY 2020`).
    """
    if text.isascii() and _CAPITAL_WORD.search(text) is None:
        return text.lower()
    text = unicodedata.normalize("NFC", text).translate(_ACCENTS)
    if _LATIN.search(text) is not None:
        text = _WORD.sub(_fold_word, text)
    return text.lower().replace("ς", "σ")


def _fold_word(match: re.Match[str]) -> str:
    token = match[0]
    folded = token.translate(LATIN_LOOKALIKES)
    if _GREEK.search(token) or _is_greek_lookalike(folded):
        return folded
    return token


def _is_greek_lookalike(folded: str) -> bool:
    """An all-Latin capital word that spells a Greek month or weekday (`AYPIO` is not one)."""
    return _GREEK_MONTH_START.match(folded.lower()) is not None


# --- time zones and arithmetic ------------------------------------------------------------


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
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _add_months(value: datetime, months: int) -> datetime:
    """The same wall-clock time `months` calendar months on, the day clamped to the month's end."""
    year, month = divmod(value.year * 12 + value.month - 1 + months, 12)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Unsure
    day = min(value.day, calendar.monthrange(year, month + 1)[1])
    return value.replace(year=year, month=month + 1, day=day)


def _shift(now: datetime, amounts: dict[str, float]) -> datetime:
    """`now` moved by the amounts (negative: back): calendar months and years first, then
    days and weeks on the wall clock, then hours, minutes and seconds of elapsed time."""
    months = sum(amounts.get(unit, 0) * (12 if unit == "year" else 1) for unit in _CALENDAR_UNITS)
    if months != int(months):
        raise _Unsure  # `1.5 μήνες`: no calendar day is meant
    days = sum((step * amounts.get(unit, 0) for unit, step in _WALL_UNITS.items()), timedelta())
    elapsed = sum(
        (step * amounts.get(unit, 0) for unit, step in _ELAPSED_UNITS.items()), timedelta()
    )
    try:
        base = now
        if months or days:  # on the wall clock (a naive copy would lose `now`'s DST fold)
            base = to_athens(_add_months(now.replace(tzinfo=None), int(months)) + days)
        found = (base.astimezone(UTC) + elapsed).astimezone(ATHENS)
    except (OverflowError, ValueError) as error:
        raise _Unsure from error
    if not MIN_YEAR <= found.year <= MAX_YEAR:
        raise _Unsure
    return found


# --- absolute dates -----------------------------------------------------------------------


def _month_number(word: str) -> int | None:
    word = word.rstrip(".")
    for length in range(min(len(word), _LONGEST_STEM), 2, -1):
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
            found = _clock(match, text[match.end() : match.end() + 40])
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
        first, second = int(match[1]), int(match[3])
        if second > 12 >= first:  # `09/25/2025`: a month-first date, the only way it reads
            first, second = second, first
        day = _make_date(_year(match[4], now), second, first)
        if day is not None and not _is_reference(text, match.start()):
            found.append((match.start(), match.end(), day))
    for match in YEAR_FIRST.finditer(text):
        day = _make_date(int(match[1]), int(match[3]), int(match[4]))
        if day is not None:
            found.append((match.start(), match.end(), day))
    return found


_REFERENCE = re.compile(r"(?:ν|αρ|αριθ|πρωτ|φεκ|αποφαση|σελ)\.?\s*+$")


def _is_reference(text: str, start: int) -> bool:
    """Law, decision and protocol numbers: `ν. 4555/2018`, `αρ. πρωτ. 12/3/2020`."""
    return _REFERENCE.search(text, max(0, start - 12), start) is not None


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
    if not found and ":" in text:
        for match in DM_CLOCK.finditer(text):
            group = 1 if match[1] else 3
            day = _recent_year(int(match[group + 1]), int(match[group]), now)
            if day is not None:
                found.append((match.start(group), match.end(group + 1), day))
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


# --- relative dates -----------------------------------------------------------------------


def _amounts(run: str) -> dict[str, float]:
    """`5 ωρεσ 6 λεπτα` → {"hour": 5, "minute": 6}."""
    amounts: dict[str, float] = {}
    for match in PAIR.finditer(run):
        count = match["count"]
        number = _COUNT_WORDS.get(count) or float(count.replace(",", "."))
        unit = match.lastgroup or ""
        amounts[unit] = amounts.get(unit, 0) + number
    return amounts


def _takes_a_clock(amounts: dict[str, float]) -> bool:
    """Whether a time of day may go with the form: whole days or weeks (`αύριο 10:00`, `πριν 2
    ημέρες 10:00`); a time with hours, months or a year (`φέτος 10:00`) names no one day."""
    return all(unit in _WALL_UNITS and value == int(value) for unit, value in amounts.items())


def _at(now: datetime, amounts: dict[str, float], clock: time | None) -> datetime:
    moved = _shift(now, amounts)
    if clock is None:
        return moved
    if not _takes_a_clock(amounts):
        raise _Unsure  # `σε 5 ώρες 10:00`: two times, or `φέτος 10:00`: no day
    return _combine(moved.date(), clock)


def _edge_clock(text: str, start: int, end: int) -> tuple[bool, time | None]:
    """Whether text[start:end], beside a whole-line form, is empty or a time, and that time."""
    match = _CLOCK_EDGE.fullmatch(text, start, end)
    if match is None:
        return False, None
    if match["clock"] is None:
        return True, None
    clock = TIME.fullmatch(match["clock"])
    found = _clock(clock, "") if clock is not None else None
    if found is None:
        raise _Unsure  # `αύριο 25:00`
    return True, found


def _whole_line(text: str, start: int, end: int) -> tuple[bool, time | None]:
    """Whether text[start:end] is the whole line but for a time before or after it."""
    alone_before, before = _edge_clock(text, 0, start)
    alone_after, after = _edge_clock(text, end, len(text))
    if before is not None and after is not None:
        raise _Unsure
    return alone_before and alone_after, before or after


def _runs(text: str, now: datetime) -> datetime | None:
    """The first count-and-unit form with `πριν` before or after it, or `σε` before it."""
    for run in RUN.finditer(text):
        start, end = run.span()
        prior = _PRIOR.search(text, max(0, start - 12), start)
        ago = _AGO.match(text, end)
        if prior is not None or ago is not None:
            if _DANGLING.match(text, end):
                raise _Unsure  # `πριν 1 ώρα 30`: a part of the form we cannot read
            span_start = prior.start() if prior is not None else start
            span_end = ago.end() if ago is not None else end
            back = {unit: -value for unit, value in _amounts(run[0]).items()}
            return _at(now, back, _time_near(text, span_start, span_end))
        ahead = _IN.search(text, max(0, start - 6), start)
        if ahead is not None:
            whole, clock = _whole_line(text, ahead.start(), end)
            if whole:
                return _at(now, _amounts(run[0]), clock)
    return None


def _phrase(text: str, now: datetime) -> datetime | None:
    """A named period (`προηγούμενος μήνας`, `επόμενη εβδομάδα 12:09 μμ`) as the whole line."""
    match = PHRASE.search(text)
    if match is None:
        return None
    whole, clock = _whole_line(text, match.start(), match.end())
    if not whole:
        return None
    unit, amount = _PHRASES[" ".join(match[0].replace(".", " ").split())]
    return _at(now, {unit: amount}, clock)


def _day_words(text: str, now: datetime) -> datetime | None:
    words = DAY_WORDS.search(text)
    if words is None:
        return None
    if words["word"] not in _DAY_OFFSET:  # μόλις τώρα, just now
        return now
    day = now.date() - timedelta(days=_DAY_OFFSET[words["word"]])
    clock = _time_near(text, words.start(), words.end())
    if clock is None and words.end() < len(text):
        rest = text[words.end() :]
        clock = next((_clock(m, rest[m.end() : m.end() + 40]) for m in TIME.finditer(rest)), None)
    return _combine(day, clock)


def _relative(text: str, now: datetime) -> datetime | None:
    return _runs(text, now) or _phrase(text, now) or _day_words(text, now)


# --- machine-readable dates ---------------------------------------------------------------


def _iso(match: re.Match[str]) -> datetime | None:
    found = _make_date(int(match[1]), int(match[2]), int(match[3]))
    if found is None:
        return None
    if match[4] is None:
        return _combine(found, None)
    hour, minute, second = int(match[4]), int(match[5]), int(match[6] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    value = datetime.combine(found, time(hour, minute, second))
    zone = _offset(match[7]) if match[7] else None
    if match[7] and zone is None:
        return None
    return to_athens(value.replace(tzinfo=zone) if zone else value)


def _offset(zone: str) -> timezone | None:
    """`z`, `+02:00` or `+0200` as a fixed offset; None past ±18 hours (no zone is that far)."""
    if zone == "z":
        return UTC
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 18 or minutes > 59:
        return None
    total = timedelta(hours=hours, minutes=minutes)
    return timezone(-total if zone[0] == "-" else total)


def _rfc822(text: str) -> datetime | None:
    match = RFC822.match(text)
    if match is None or not MIN_YEAR <= int(match[1]) <= MAX_YEAR:
        return None
    try:
        value = parsedate_to_datetime(text.strip())
        if value.year != int(match[1]):  # the email module reads `0001` as 2001
            return None
        return to_athens(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# --- the parser ---------------------------------------------------------------------------


def parse_date(text: str, *, now: datetime | None = None) -> datetime | None:
    """A date on a news page as an aware Europe/Athens datetime; None when the text has none.

    Never raises: a text that is no date, longer than `MAX_TEXT`, or holds a value out of
    range (`2026-02-10T25:00`, `πριν 100000 χρόνια`) gives None.
    """
    text = text.strip() if text else ""
    if not text or len(text) > MAX_TEXT:
        return None
    reference = _now(now)
    try:
        return _parse(text, reference)
    except _Unsure:
        return None
    except (OverflowError, ValueError):  # a value out of range that no check above caught
        return None


def _parse(text: str, now: datetime) -> datetime | None:
    """`parse_date` without the bound on its input: the fast path, then dateparser."""
    folded = fold_for_dates(text)
    found = _fast_path(folded, now)
    if found is not None or not _FALLBACK_HINT.search(folded):
        return found
    return _dateparser(text, now)


def _fast_path(folded: str, now: datetime) -> datetime | None:
    """The date in a `fold_for_dates`-folded text, by the precompiled patterns alone.

    Linear in the length of the text (`tests/test_dates.py` checks it). Raises `_Unsure` for
    a form that could mean two things.
    """
    iso = ISO.search(folded)
    if iso is not None:
        return _iso(iso)  # a machine-readable value, right or out of range, is the answer
    return _rfc822(folded) or _absolute(folded, now) or _relative(folded, now)


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
    try:
        value = dateparser.parse(text, languages=["el", "en"], settings=settings)
    except Exception:  # a third-party parser on arbitrary text: any failure means no date
        return None
    if value is None or not 1900 <= value.year <= now.year + 1:
        return None
    return to_athens(value)

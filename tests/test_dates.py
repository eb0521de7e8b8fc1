"""Greek dates: every form seen on Thessaly news pages, non-dates, time zones and DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.dates import ATHENS, parse_date, to_athens

NOW = datetime(2026, 2, 9, 12, 0, tzinfo=ATHENS)
"""A Monday: relative forms and dates without a year are read against it."""


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """Athens wall-clock time (first occurrence in the repeated autumn hour)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=ATHENS)


# Every month in every way it is written: genitive, capitals without accents, nominative (a
# CMS bug), accusative, colloquial, abbreviations with and without a dot.
MONTH_FORMS: dict[int, list[str]] = {
    1: ["Ιανουαρίου", "ΙΑΝΟΥΑΡΙΟΥ", "Ιανουάριος", "Ιανουάριο", "Γενάρη", "Ιαν.", "Ιαν"],
    2: ["Φεβρουαρίου", "ΦΕΒΡΟΥΑΡΙΟΥ", "Φεβρουάριος", "Φεβρουάριο", "Φλεβάρη", "Φεβ.", "Φεβ"],
    3: ["Μαρτίου", "ΜΑΡΤΙΟΥ", "Μάρτιος", "Μάρτιο", "Μάρτη", "Μαρ.", "Μαρ"],
    4: ["Απριλίου", "ΑΠΡΙΛΙΟΥ", "Απρίλιος", "Απρίλιο", "Απρίλη", "Απρ.", "Απρ"],
    5: ["Μαΐου", "ΜΑΪΟΥ", "Μάιος", "Μάιο", "Μάη", "ΜΑΙΟΥ", "μαΐου"],
    6: ["Ιουνίου", "ΙΟΥΝΙΟΥ", "Ιούνιος", "Ιούνιο", "Ιούνη", "Ιουν.", "Ιουν"],
    7: ["Ιουλίου", "ΙΟΥΛΙΟΥ", "Ιούλιος", "Ιούλιο", "Ιούλη", "Ιουλ.", "Ιουλ"],
    8: ["Αυγούστου", "ΑΥΓΟΥΣΤΟΥ", "Αύγουστος", "Αύγουστο", "αυγούστου", "Αυγ.", "Αυγ"],
    9: ["Σεπτεμβρίου", "ΣΕΠΤΕΜΒΡΙΟΥ", "Σεπτέμβριος", "Σεπτέμβριο", "Σεπτέμβρη", "Σεπτ.", "Σεπ"],
    10: ["Οκτωβρίου", "ΟΚΤΩΒΡΙΟΥ", "Οκτώβριος", "Οκτώβριο", "Οκτώβρη", "Οκτ.", "Οκτ"],
    11: ["Νοεμβρίου", "ΝΟΕΜΒΡΙΟΥ", "Νοέμβριος", "Νοέμβριο", "Νοέμβρη", "Νοέμ.", "Νοε"],
    12: ["Δεκεμβρίου", "ΔΕΚΕΜΒΡΙΟΥ", "Δεκέμβριος", "Δεκέμβριο", "Δεκέμβρη", "Δεκ.", "Δεκ"],
}
MONTH_CASES = [
    (f"{month + 10} {form} 2024", NOW, at(2024, month, month + 10))
    for month, forms in MONTH_FORMS.items()
    for form in forms
]

NUMERIC_CASES = [
    (text.format(sep=sep), NOW, expected)
    for sep in (".", "/", "-")
    for text, expected in [
        ("27{sep}02{sep}2026", at(2026, 2, 27)),
        ("9{sep}1{sep}2026", at(2026, 1, 9)),
        ("09{sep}01{sep}26", at(2026, 1, 9)),
        ("27{sep}02{sep}2026 | 09:46", at(2026, 2, 27, 9, 46)),
        ("27{sep}02{sep}2026 09:46", at(2026, 2, 27, 9, 46)),
        ("09:02 - 20{sep}12{sep}2025", at(2025, 12, 20, 9, 2)),
        ("(18{sep}6{sep}2025)", at(2025, 6, 18)),
        ("31{sep}12{sep}99", at(1999, 12, 31)),
    ]
]

SEEN_CASES = [
    # SITES.md §3, verbatim
    ("27.02.2026 | 09:46", NOW, at(2026, 2, 27, 9, 46)),
    ("- ΚΑΡΔΙΤΣΑ | 28.02.2026 | 23:04", NOW, at(2026, 2, 28, 23, 4)),
    ("Πέμπτη, 5 Φεβρουαρίου 2026", NOW, at(2026, 2, 5)),
    ("Δευτέρα, 19 Μαρτίου 2018", NOW, at(2018, 3, 19)),
    ("18 Μαρτίου 2018, 16:05", NOW, at(2018, 3, 18, 16, 5)),
    ("19 Μαρτίου 2018 - 20:26", NOW, at(2018, 3, 19, 20, 26)),
    ("08/09/2022", NOW, at(2022, 9, 8)),
    ("03/12/2025", NOW, at(2025, 12, 3)),
    ("22/02/2026 20:10", NOW, at(2026, 2, 22, 20, 10)),
    ("10/03/2026 6' διάβασμα", NOW, at(2026, 3, 10)),
    ("09:02 - 20/12/2025", NOW, at(2025, 12, 20, 9, 2)),
    ("2026-01-12 09:35:47", NOW, at(2026, 1, 12, 9, 35, 47)),
    ("Last updated: 2026/02/22 at 4:54 ΜΜ", NOW, at(2026, 2, 22, 16, 54)),
    ("Published 22/02/2026", NOW, at(2026, 2, 22)),
    ("09-05-2024", NOW, at(2024, 5, 9)),
    ("(18-6-2025)", NOW, at(2025, 6, 18)),
    ("την (23-10-2014)", NOW, at(2014, 10, 23)),
    ("(24/1)", NOW, at(2026, 1, 24)),
    ("(31/1)", NOW, at(2026, 1, 31)),
    ("Τρίτη 27/1", NOW, at(2026, 1, 27)),
    ("Σήμερα Παρασκευή 20 Ιανουαρίου, στις 6 μ.μ.", NOW, at(2026, 1, 20, 18)),
    ("Την Πέμπτη 12 Μαρτίου, στις 7μμ.", NOW, at(2025, 3, 12, 19)),
    ("15 Γενάρη", NOW, at(2026, 1, 15)),
    ("18 Απρίλη 1944", NOW, at(1944, 4, 18)),
    ("14 Νοέμβριος 2013", NOW, at(2013, 11, 14)),
    ("ΔΕΥΤΕΡΑ 1 ΟΚΤΩΒΡΙΟΥ 2018", NOW, at(2018, 10, 1)),
    ("ΠΕΜΠΤΗ 22 ΙΟΥΛΙΟΥ 2021", NOW, at(2021, 7, 22)),
    ("AYPIO ΠAPAΣKEYH 5/12/2025", NOW, at(2025, 12, 5)),  # A, Y, P, K, E, H are Latin
    ("ΔEYTEPA 1 OKTΩBPIOY 2018", NOW, at(2018, 10, 1)),  # Latin look-alikes inside
    ("5 MAPTIOY 2020", NOW, at(2020, 3, 5)),  # all Latin letters, read as Greek
    ("για τις 5/9/2003 συνεδρίαση", NOW, at(2003, 9, 5)),
    ("αναβάλλεται για την Πέμπτη 7/9/2023", NOW, at(2023, 9, 7)),
    # labels and time words around the date
    ("Δημοσίευση: 12/01/2026 14:05", NOW, at(2026, 1, 12, 14, 5)),
    ("Δημοσιεύθηκε: 3 Φεβρουαρίου 2026, 08:15", NOW, at(2026, 2, 3, 8, 15)),
    ("Ενημερώθηκε: Πέμπτη, 5 Φεβρουαρίου 2026 στις 14:30", NOW, at(2026, 2, 5, 14, 30)),
    ("Τελευταία ενημέρωση: 06.02.2026 | 11:20", NOW, at(2026, 2, 6, 11, 20)),
    ("Τρίτη 3 Φεβρουαρίου 2026 και ώρα 19:30", NOW, at(2026, 2, 3, 19, 30)),
    ("Κυριακή 1 Φεβρουαρίου 2026 στις 11.00 το πρωί", NOW, at(2026, 2, 1, 11)),
    ("Σάββατο 31 Ιανουαρίου 2026 στις 8 το απόγευμα", NOW, at(2026, 1, 31, 20)),
    ("Σάββατο 31 Ιανουαρίου 2026, 11:00 π.μ", NOW, at(2026, 1, 31, 11)),
    ("Σάββατο 31 Ιανουαρίου 2026, 12:30 π.μ.", NOW, at(2026, 1, 31, 0, 30)),
    ("31/01/2026 8:05 μ.μ.", NOW, at(2026, 1, 31, 20, 5)),
    ("31/01/2026 8:05 μμ", NOW, at(2026, 1, 31, 20, 5)),
    ("31/01/2026 8:05 ΜΜ", NOW, at(2026, 1, 31, 20, 5)),
    ("31/01/2026 8:05 πμ", NOW, at(2026, 1, 31, 8, 5)),
    ("31/01/2026 8:05 ΠΜ", NOW, at(2026, 1, 31, 8, 5)),
    ("31/01/2026 12:05 μ.μ.", NOW, at(2026, 1, 31, 12, 5)),
    ("31/01/2026 8:05 PM", NOW, at(2026, 1, 31, 20, 5)),
    ("31/01/2026 8:05 am", NOW, at(2026, 1, 31, 8, 5)),
    ("14:00 - 05.02.2026", NOW, at(2026, 2, 5, 14)),
    ("14:00, Πέμπτη 5 Φεβρουαρίου 2026", NOW, at(2026, 2, 5, 14)),
    ("5 Φεβρουαρίου 2026 | 14:00", NOW, at(2026, 2, 5, 14)),
    ("5 Φεβρουαρίου 2026 - 14:00", NOW, at(2026, 2, 5, 14)),
    ("5η Φεβρουαρίου 2026", NOW, at(2026, 2, 5)),
    ("Φεβ. 3, 2026", NOW, at(2026, 2, 3)),
    ("3 Σεπτ. 2025", NOW, at(2025, 9, 3)),
    ("3 Νοέμ. 2025", NOW, at(2025, 11, 3)),
    ("3 νοεμβριου 2025", NOW, at(2025, 11, 3)),
    ("3 ΝΟΕΜΒΡΊΟΥ 2025", NOW, at(2025, 11, 3)),
    ("30 Ιουνίου 2025, 23:59", NOW, at(2025, 6, 30, 23, 59)),
    ("2026/02/22", NOW, at(2026, 2, 22)),
    ("2026.02.22", NOW, at(2026, 2, 22)),
    # English
    ("March 5, 2024", NOW, at(2024, 3, 5)),
    ("5 Mar 2024", NOW, at(2024, 3, 5)),
    ("5 March 2024 10:30", NOW, at(2024, 3, 5, 10, 30)),
    ("Sep 12, 2025", NOW, at(2025, 9, 12)),
    ("12th September 2025", NOW, at(2025, 9, 12)),
    # feeds and machine-readable forms
    ("2018-03-18T16:05:59+00:00", NOW, at(2018, 3, 18, 18, 5, 59)),
    ("2026-01-12T09:35:47Z", NOW, at(2026, 1, 12, 11, 35, 47)),
    ("2026-01-12T09:35:47.123456+02:00", NOW, at(2026, 1, 12, 9, 35, 47)),
    ("2026-01-12T09:35:47+0200", NOW, at(2026, 1, 12, 9, 35, 47)),
    ("2026-01-12T09:35", NOW, at(2026, 1, 12, 9, 35)),
    ("2026-01-12", NOW, at(2026, 1, 12)),
    ("2025-07-01T06:30:00Z", NOW, at(2025, 7, 1, 9, 30)),
    ("Mon, 09 Feb 2026 10:55:00 +0200", NOW, at(2026, 2, 9, 10, 55)),
    ("Mon, 09 Feb 2026 08:55:00 GMT", NOW, at(2026, 2, 9, 10, 55)),
    ("Tue, 01 Jul 2025 06:30:00 +0000", NOW, at(2025, 7, 1, 9, 30)),
    ("09 Feb 2026 10:55:00 +0200", NOW, at(2026, 2, 9, 10, 55)),
]

RELATIVE_CASES = [
    ("πριν 5 λεπτά", NOW, NOW - timedelta(minutes=5)),
    ("πριν από 5 λεπτά", NOW, NOW - timedelta(minutes=5)),
    ("πριν 1 λεπτό", NOW, NOW - timedelta(minutes=1)),
    ("πριν 2 ώρες", NOW, NOW - timedelta(hours=2)),
    ("πριν από 2 ώρες", NOW, NOW - timedelta(hours=2)),
    ("Πριν 1 ώρα", NOW, NOW - timedelta(hours=1)),
    ("πριν μία ώρα", NOW, NOW - timedelta(hours=1)),
    ("πριν μια ώρα", NOW, NOW - timedelta(hours=1)),
    ("2 ώρες πριν", NOW, NOW - timedelta(hours=2)),
    ("ΠΡΙΝ 3 ΩΡΕΣ", NOW, NOW - timedelta(hours=3)),
    ("πριν 3 ημέρες", NOW, NOW - timedelta(days=3)),
    ("πριν 3 μέρες", NOW, NOW - timedelta(days=3)),
    ("πριν από μία ημέρα", NOW, NOW - timedelta(days=1)),
    ("πριν μια μέρα", NOW, NOW - timedelta(days=1)),
    ("πριν 2 εβδομάδες", NOW, NOW - timedelta(weeks=2)),
    ("πριν μια εβδομάδα", NOW, NOW - timedelta(weeks=1)),
    ("πριν 30 δευτερόλεπτα", NOW, NOW - timedelta(seconds=30)),
    ("5 λεπτά πριν", NOW, NOW - timedelta(minutes=5)),
    ("μόλις τώρα", NOW, NOW),
    ("Μόλις τώρα", NOW, NOW),
    ("σήμερα 10:15", NOW, at(2026, 2, 9, 10, 15)),
    ("Σήμερα στις 10:15", NOW, at(2026, 2, 9, 10, 15)),
    ("ΣΗΜΕΡΑ 10:15", NOW, at(2026, 2, 9, 10, 15)),
    ("χθες στις 18:30", NOW, at(2026, 2, 8, 18, 30)),
    ("Χθες 18:30", NOW, at(2026, 2, 8, 18, 30)),
    ("χτες 18:30", NOW, at(2026, 2, 8, 18, 30)),
    ("χθες", NOW, at(2026, 2, 8)),
    ("προχθές", NOW, at(2026, 2, 7)),
    ("προχτές στις 9:00", NOW, at(2026, 2, 7, 9)),
    ("5 minutes ago", NOW, NOW - timedelta(minutes=5)),
    ("2 hours ago", NOW, NOW - timedelta(hours=2)),
    ("yesterday 10:00", NOW, at(2026, 2, 8, 10)),
    ("today 09:30", NOW, at(2026, 2, 9, 9, 30)),
    # a naive `now` is Athens wall-clock time
    ("σήμερα 10:15", datetime(2026, 2, 9, 12, 0), at(2026, 2, 9, 10, 15)),
    # χθες is the Athens calendar day before, even when UTC is still on the day before
    ("χθες 23:30", datetime(2026, 2, 9, 0, 30, tzinfo=ATHENS), at(2026, 2, 8, 23, 30)),
    ("χθες 23:30", datetime(2026, 2, 8, 22, 30, tzinfo=UTC), at(2026, 2, 8, 23, 30)),
]

NO_YEAR_CASES = [
    # the most recent such date not after now + 1 day
    ("20 Ιανουαρίου", NOW, at(2026, 1, 20)),
    ("10 Φεβρουαρίου", NOW, at(2026, 2, 10)),  # tomorrow: still this year
    ("11 Φεβρουαρίου", NOW, at(2025, 2, 11)),  # the day after tomorrow: last year
    ("25 Δεκεμβρίου", NOW, at(2025, 12, 25)),
    ("(24/1)", datetime(2026, 1, 2, 9, 0, tzinfo=ATHENS), at(2025, 1, 24)),
    ("Τρίτη 30/12", datetime(2026, 1, 2, 9, 0, tzinfo=ATHENS), at(2025, 12, 30)),
    ("29 Φεβρουαρίου", NOW, at(2024, 2, 29)),  # the most recent 29 February
]

NON_DATES = [
    "3 Min Read",
    "6' διάβασμα",
    "Χρόνος ανάγνωσης: 4 Λεπτά",
    "ν. 4555/2018",
    "Ν. 4555/2018",
    "ΦΕΚ 123/Β/2019",
    "αρ. πρωτ. 1234/2020",
    "Απόφαση 45/2021",
    "σελ. 12/24",
    "Αρ. φύλλου 1234",
    "2410 123456",
    "+30 2421 012345",
    "2-1",
    "ΑΕΛ - Ολυμπιακός 2-1",
    "12,50 €",
    "1.200 ευρώ",
    "1/2",
    "3/4 των πολιτών",
    "42",
    "",
    "   ",
    "31/02/2026",
    "30.02.2026",
    "25:61",
    "14:00",
    "Τρίτη",
    "ΕΙΔΗΣΕΙΣ, ΝΕΑ ΓΙΑ ΛΑΡΙΣΑ",
    "Facebook Twitter Youtube RSS Feed",
    "Η Λάρισα ετοιμάζεται για τις γιορτές",
    "έκπτωση 20% έως 31",
    "Ψήφισαν 120 από τους 300",
    "ΔΙΑΒΑΖΟΝΤΑΙ ΤΩΡΑ",
    "Μάρτιος",
    "13/13/2026",
    "0/0/2020",
]

DST_CASES = [
    # 2026: summer time from Sunday 29 March 03:00 (→04:00) to Sunday 25 October 04:00 (→03:00)
    ("29.03.2026 02:59", NOW, datetime(2026, 3, 29, 0, 59, tzinfo=UTC)),
    ("29.03.2026 04:00", NOW, datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
    ("29.03.2026 03:30", NOW, datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),  # no such time: 04:30
    ("28.03.2026 12:00", NOW, datetime(2026, 3, 28, 10, 0, tzinfo=UTC)),
    ("30.03.2026 12:00", NOW, datetime(2026, 3, 30, 9, 0, tzinfo=UTC)),
    ("25.10.2026 02:59", NOW, datetime(2026, 10, 24, 23, 59, tzinfo=UTC)),
    ("25.10.2026 03:30", NOW, datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # first occurrence
    ("25.10.2026 04:00", NOW, datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
    ("26.10.2026 12:00", NOW, datetime(2026, 10, 26, 10, 0, tzinfo=UTC)),
    # 2025: 30 March and 26 October
    ("30/03/2025 02:30", NOW, datetime(2025, 3, 30, 0, 30, tzinfo=UTC)),
    ("30/03/2025 04:30", NOW, datetime(2025, 3, 30, 1, 30, tzinfo=UTC)),
    ("26/10/2025 03:15", NOW, datetime(2025, 10, 26, 0, 15, tzinfo=UTC)),
    ("26/10/2025 05:00", NOW, datetime(2025, 10, 26, 3, 0, tzinfo=UTC)),
    # UTC instants on either side of the changes
    ("2026-03-29T00:59:00Z", NOW, datetime(2026, 3, 29, 0, 59, tzinfo=UTC)),
    ("2026-03-29T01:00:00Z", NOW, datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
    ("2026-10-25T00:30:00Z", NOW, datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
    ("2026-10-25T01:30:00Z", NOW, datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
    ("2025-10-26T00:59:59+00:00", NOW, datetime(2025, 10, 26, 0, 59, 59, tzinfo=UTC)),
    ("2025-10-26T01:00:00+00:00", NOW, datetime(2025, 10, 26, 1, 0, tzinfo=UTC)),
]

CASES = MONTH_CASES + NUMERIC_CASES + SEEN_CASES + RELATIVE_CASES + NO_YEAR_CASES + DST_CASES


def test_the_table_is_large() -> None:
    assert len(CASES) + len(NON_DATES) >= 250


@pytest.mark.parametrize(("text", "now", "expected"), CASES, ids=lambda value: str(value)[:40])
def test_parse_date(text: str, now: datetime, expected: datetime) -> None:
    parsed = parse_date(text, now=now)
    assert parsed is not None and parsed.tzinfo is ATHENS
    # Compared as instants: Python never equates aware values across zones in a repeated hour.
    assert parsed.astimezone(UTC) == expected.astimezone(UTC)


@pytest.mark.parametrize("text", NON_DATES)
def test_not_a_date(text: str) -> None:
    assert parse_date(text, now=NOW) is None


def test_to_athens_reads_a_mislabeled_offset_as_local_time() -> None:
    labeled = datetime(2018, 3, 18, 16, 5, 59, tzinfo=UTC)
    assert to_athens(labeled) == at(2018, 3, 18, 18, 5, 59)
    assert to_athens(labeled, assume_local=True) == at(2018, 3, 18, 16, 5, 59)


# --- properties ---------------------------------------------------------------------------

GENITIVE = [forms[0] for forms in MONTH_FORMS.values()]
CAPITALS = [forms[1] for forms in MONTH_FORMS.values()]
WEEKDAYS = ["Δευτέρα", "Τρίτη", "Τετάρτη", "Πέμπτη", "Παρασκευή", "Σάββατο", "Κυριακή"]
instants = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
).map(lambda value: value.astimezone(ATHENS))


def same_minute(parsed: datetime | None, value: datetime) -> bool:
    # Wall clocks compared: in the repeated autumn hour the text cannot say which one it was.
    wall = value.replace(second=0, microsecond=0, tzinfo=None)
    return parsed is not None and parsed.replace(tzinfo=None) == wall


@settings(max_examples=300, deadline=None)
@given(
    instants,
    st.sampled_from([".", "/", "-"]),
    st.sampled_from(["{d} | {t}", "{d} {t}", "{t} - {d}"]),
)
def test_numeric_forms_round_trip(value: datetime, sep: str, layout: str) -> None:
    day = f"{value.day:02d}{sep}{value.month:02d}{sep}{value.year}"
    text = layout.format(d=day, t=f"{value:%H:%M}")
    assert same_minute(parse_date(text, now=NOW), value)


@settings(max_examples=300, deadline=None)
@given(instants, st.booleans(), st.booleans())
def test_greek_month_forms_round_trip(value: datetime, capitals: bool, weekday: bool) -> None:
    month = (CAPITALS if capitals else GENITIVE)[value.month - 1]
    day_name = WEEKDAYS[value.weekday()]
    prefix = f"{day_name.upper() if capitals else day_name}, " if weekday else ""
    text = f"{prefix}{value.day} {month} {value.year}, {value:%H:%M}"
    assert same_minute(parse_date(text, now=NOW), value)

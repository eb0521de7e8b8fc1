"""Greek dates: every form seen on Thessaly news pages, non-dates, time zones and DST."""

from __future__ import annotations

import contextlib
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from dateparser.data.date_translation_data.el import info as DATEPARSER_EL
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive import dates, text
from newsarchive.dates import ATHENS, MAX_TEXT, parse_date, to_athens

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
# The colloquial nominative, as headings and some bylines write the month (`Μάης 2026`).
COLLOQUIAL_NOMINATIVES = (
    "Γενάρης Φλεβάρης Μάρτης Απρίλης Μάης Ιούνης Ιούλης ΑΥΓΟΥΣΤΟΣ Σεπτέμβρης Οκτώβρης Νοέμβρης "
    "Δεκέμβρης"
).split()
MONTH_CASES = [
    (f"{month + 10} {form} 2024", NOW, at(2024, month, month + 10))
    for month, forms in MONTH_FORMS.items()
    for form in [*forms, COLLOQUIAL_NOMINATIVES[month - 1]]
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
    # bullets, middle dots, slashes and an `Ώρα:` label between the date and its time
    ("Κυριακή 08 Φεβρουαρίου 2026 • 10:15", NOW, at(2026, 2, 8, 10, 15)),
    ("08.02.2026 · 10:15", NOW, at(2026, 2, 8, 10, 15)),
    ("08/02/2026 / 10:15", NOW, at(2026, 2, 8, 10, 15)),
    ("Πέμπτη, 5 Φεβρουαρίου 2026 | Ώρα: 18:40", NOW, at(2026, 2, 5, 18, 40)),
    ("10:15 ● 08.02.2026", NOW, at(2026, 2, 8, 10, 15)),
    ("08.02.2026 · 5 σχόλια", NOW, at(2026, 2, 8)),
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
    # month first, where only that reading is a date (Drupal's `D, m/d/Y - H:i`)
    ("09/25/2025", NOW, at(2025, 9, 25)),
    ("Thu, 09/25/2025 - 11:38", NOW, at(2025, 9, 25, 11, 38)),
    ("12-31-2025", NOW, at(2025, 12, 31)),
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
    # a day and month beside a clock time, as tickers and updated stamps write them
    ("06/12 10:15", NOW, at(2025, 12, 6, 10, 15)),
    ("10:15, 6/2", NOW, at(2026, 2, 6, 10, 15)),
    ("Ενημέρωση: 9/2 - 18:40:05", NOW, at(2026, 2, 9, 18, 40, 5)),
    ("23:10 | 31/12", datetime(2026, 1, 2, 9, 0, tzinfo=ATHENS), at(2025, 12, 31, 23, 10)),
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
    "3/4 των πολιτών στις 10",
    "σελ. 12/24 10:00",  # a page range, then a time: no such month
    "1/2 10.15",  # a clock time is written with a colon
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


# --- dateparser's Greek vocabulary ----------------------------------------------------------
# Everything dateparser reads in Greek (its `el` locale data), read right: future and compound
# relative forms, named periods, abbreviations, `πμ`/`μμ`. Months and years move by the
# calendar; days and weeks on the wall clock; hours, minutes and seconds as elapsed time.

VOCABULARY_CASES = [
    # future forms: `σε` and a count of a unit, the whole line
    ("σε 5 ώρες", NOW, NOW + timedelta(hours=5)),
    ("σε 1 ώρα", NOW, NOW + timedelta(hours=1)),
    ("ΣΕ 5 ΩΡΕΣ", NOW, NOW + timedelta(hours=5)),
    ("σε 5 ώρ", NOW, NOW + timedelta(hours=5)),
    ("σε 5 ώ", NOW, NOW + timedelta(hours=5)),
    ("σε 30 λεπτά", NOW, NOW + timedelta(minutes=30)),
    ("σε 5 λεπ", NOW, NOW + timedelta(minutes=5)),
    ("σε 5 λ", NOW, NOW + timedelta(minutes=5)),
    ("σε 45 δευτερόλεπτα", NOW, NOW + timedelta(seconds=45)),
    ("σε 5 δευτ", NOW, NOW + timedelta(seconds=5)),
    ("σε 5 δ", NOW, NOW + timedelta(seconds=5)),
    ("σε 3 ημέρες", NOW, NOW + timedelta(days=3)),
    ("σε 3 ημ", NOW, NOW + timedelta(days=3)),
    ("σε 2 εβδομάδες", NOW, NOW + timedelta(weeks=2)),
    ("σε 2 εβδ", NOW, NOW + timedelta(weeks=2)),
    ("σε 3 μήνες", NOW, at(2026, 5, 9, 12)),  # summer time by then: the wall clock is kept
    ("σε 3 μ", NOW, at(2026, 5, 9, 12)),
    ("σε 1 έτος", NOW, at(2027, 2, 9, 12)),
    ("σε 2 έτη", NOW, at(2028, 2, 9, 12)),
    ("σε 1.5 ώρες", NOW, NOW + timedelta(minutes=90)),
    ("σε 2,5 ημέρες", NOW, at(2026, 2, 12)),
    ("σε 0 λεπτά", NOW, NOW),
    ("in 5 minutes", NOW, NOW + timedelta(minutes=5)),
    # compound forms
    ("πριν από 5 ώρες 6 λεπτά 7 δευτερόλεπτα", NOW, NOW - timedelta(hours=5, minutes=6, seconds=7)),
    ("σε 4 λεπτά 45 δευτ", NOW, NOW + timedelta(minutes=4, seconds=45)),
    ("πριν από 2 ώρ 5 λεπ", NOW, NOW - timedelta(hours=2, minutes=5)),
    ("πριν από 2 ώρες και 30 λεπτά", NOW, NOW - timedelta(hours=2, minutes=30)),
    ("πριν από 1 εβδομάδα, 2 ημέρες", NOW, NOW - timedelta(days=9)),
    ("5 ώρες 6 λεπτά πριν", NOW, NOW - timedelta(hours=5, minutes=6)),
    ("σε 1 ημέρα 2 ώρες", NOW, NOW + timedelta(days=1, hours=2)),
    ("σε 3 ώρες 20 λεπτά 10 δευτερόλεπτα", NOW, NOW + timedelta(hours=3, minutes=20, seconds=10)),
    ("πριν από 1 έτος 2 μήνες", NOW, at(2024, 12, 9, 12)),
    ("2 hours 5 minutes ago", NOW, NOW - timedelta(hours=2, minutes=5)),
    ("Δημοσιεύθηκε πριν από 1 ώρα και 15 λεπτά", NOW, NOW - timedelta(hours=1, minutes=15)),
    # months and years by the calendar, the day clamped to the month's end
    ("πριν από 3 μήνες", NOW, at(2025, 11, 9, 12)),
    ("πριν από 1 μήνα", NOW, at(2026, 1, 9, 12)),
    ("3 μ πριν", NOW, at(2025, 11, 9, 12)),
    ("πριν από 2 έτη", NOW, at(2024, 2, 9, 12)),
    ("1 έτος πριν", NOW, at(2025, 2, 9, 12)),
    ("πριν 2 χρόνια", NOW, at(2024, 2, 9, 12)),
    ("πριν 1 μήνα", at(2026, 3, 31, 9), at(2026, 2, 28, 9)),
    ("πριν 1 χρόνο", at(2024, 2, 29, 9), at(2023, 2, 28, 9)),
    ("πριν από 1,5 έτη", NOW, at(2024, 8, 9, 12)),  # eighteen months
    # named periods (dateparser's `relative-type`), alone or with a time of day
    ("προηγούμενος μήνας", NOW, at(2026, 1, 9, 12)),
    ("προηγ μήνας", NOW, at(2026, 1, 9, 12)),
    ("προηγ. μήνας", NOW, at(2026, 1, 9, 12)),
    ("επόμενος μήνας", NOW, at(2026, 3, 9, 12)),
    ("επόμ μήνας", NOW, at(2026, 3, 9, 12)),
    ("τρέχων μήνας", NOW, NOW),
    ("τρέχ μήνας", NOW, NOW),
    ("επόμενη εβδομάδα", NOW, at(2026, 2, 16, 12)),
    ("επόμενη εβδομάδα 12:09 μμ", NOW, at(2026, 2, 16, 12, 9)),
    ("12:09 μμ επόμενη εβδομάδα", NOW, at(2026, 2, 16, 12, 9)),
    ("επόμ. εβδ.", NOW, at(2026, 2, 16, 12)),
    ("Προηγούμενη Εβδομάδα", NOW, at(2026, 2, 2, 12)),
    ("προηγ εβδ 8:30 πμ", NOW, at(2026, 2, 2, 8, 30)),
    ("τρέχουσα εβδομάδα", NOW, NOW),
    ("αυτήν την εβδομάδα", NOW, NOW),
    ("αυτή την εβδομάδα", NOW, NOW),
    ("αυτήν την ώρα", NOW, NOW),
    ("αυτή την ώρα", NOW, NOW),
    ("τρέχουσα ώρα", NOW, NOW),
    ("τρέχον λεπτό", NOW, NOW),
    ("αυτό το λεπτό", NOW, NOW),
    ("τώρα", NOW, NOW),
    ("φέτος", NOW, NOW),
    ("πέρσι", NOW, at(2025, 2, 9, 12)),
    ("πέρυσι", NOW, at(2025, 2, 9, 12)),
    ("επόμενο έτος", NOW, at(2027, 2, 9, 12)),
    ("αύριο", NOW, at(2026, 2, 10, 12)),
    ("αύριο 10:00", NOW, at(2026, 2, 10, 10)),
    ("αύριο στις 10:00", NOW, at(2026, 2, 10, 10)),
    ("10:00 αύριο", NOW, at(2026, 2, 10, 10)),
    ("αύριο 12:09 πμ", NOW, at(2026, 2, 10, 0, 9)),
    ("μεθαύριο", NOW, at(2026, 2, 11, 12)),
    ("χθες 12:09 πμ", NOW, at(2026, 2, 8, 0, 9)),
    ("σήμερα 12:09 μμ", NOW, at(2026, 2, 9, 12, 9)),
    # a time of day with a count of days or weeks
    ("πριν από 5 ημέρες 10:00", NOW, at(2026, 2, 4, 10)),
    ("πριν από 2 εβδομάδες 10:00 μμ", NOW, at(2026, 1, 26, 22)),
    ("σε 5 ημέρες 10:00", NOW, at(2026, 2, 14, 10)),
    ("10:15 πριν από 3 ημέρες", NOW, at(2026, 2, 6, 10, 15)),
    # month and weekday names and abbreviations, πμ/μμ
    ("πέμ 5 φεβ 2026 10:15 μμ", NOW, at(2026, 2, 5, 22, 15)),
    ("σάβ, 3 ιούλ 2021", NOW, at(2021, 7, 3)),
    ("δευ, 9 φεβ 2026", NOW, at(2026, 2, 9)),
    ("9 φεβρουαρίου 2026 12:30 πμ", NOW, at(2026, 2, 9, 0, 30)),
    ("5 μάρ 2024", NOW, at(2024, 3, 5)),
    ("5 μαΐ 2024", NOW, at(2024, 5, 5)),
    ("5 μάι 2024", NOW, at(2024, 5, 5)),
    ("5 ιούν 2024", NOW, at(2024, 6, 5)),
    ("5 αύγ 2024", NOW, at(2024, 8, 5)),
    ("5 αύγουστος 2024", NOW, at(2024, 8, 5)),
    ("5 νοέ 2024", NOW, at(2024, 11, 5)),
    ("μαΐου 5 2024", NOW, at(2024, 5, 5)),
    ("ΠΑΡΑΣΚΕΥΉ, 7 ΜΑΐΟΥ 2021 02:06".upper(), NOW, at(2021, 5, 7, 2, 6)),  # Ϊ́: no one letter
    ("7 μαΐ 2016".upper(), NOW, at(2016, 5, 7)),
    ("τρί 27/1", NOW, at(2026, 1, 27)),
    ("Σάβ. 31/1", NOW, at(2026, 1, 31)),
    # daylight saving time: elapsed time for hours, the wall clock for days
    (
        "πριν 5 λεπτά",
        datetime(2026, 10, 25, 3, 2, fold=1, tzinfo=ATHENS),
        datetime(2026, 10, 25, 0, 57, tzinfo=UTC),
    ),
    ("σε 1 ημέρα", at(2026, 3, 28, 12), at(2026, 3, 29, 12)),
    ("σε 24 ώρες", at(2026, 3, 28, 12), at(2026, 3, 29, 13)),
]


@pytest.mark.parametrize(("text", "now", "expected"), VOCABULARY_CASES, ids=lambda v: str(v)[:40])
def test_dateparser_vocabulary(text: str, now: datetime, expected: datetime) -> None:
    parsed = parse_date(text, now=now)
    assert parsed is not None and parsed.tzinfo is ATHENS
    assert parsed.astimezone(UTC) == expected.astimezone(UTC)


UNSURE = [
    # two times, or a time with no one day: None, and dateparser is not asked
    "σε 5 ώρες 10:00",
    "πριν από 5 ώρες 10:00",
    "πριν 2 ώρες | 10:00",
    "τώρα 10:00",
    "αυτήν την ώρα 18:28",
    "φέτος 10:00",
    "επόμενος μήνας 10:00",
    "πριν από 5 μήνες 12:09 πμ",
    "αύριο 25:00",
    "αύριο 10",
    "10:00 αύριο 11:00",
    # a count with no unit after a compound form
    "πριν 1 ώρα 30",
    "πριν από 5 ώρες 6",
    "σε 4 λεπτά 45",
    # a fraction of a month names no day
    "πριν από 1.5 μήνες",
    "σε 1,5 μήνα",
    # `σε`, a named period or `τώρα` inside a sentence is no date of the page
    "Ολοκληρώθηκε σε 5 ώρες",
    "Λάρισα: σε 2 εβδομάδες η απόφαση",
    "Αύριο η συνεδρίαση του δημοτικού συμβουλίου",
    "Την επόμενη εβδομάδα οι πληρωμές",
    # a weekday, a month, a time or a month and year alone name no one day
    "Τρίτη",
    "τρί",
    "δευ 10:00",
    "Μάρτιος 2024",
    "12:09 μμ",
    # not the `μ` of months: `μ.μ.`
    "σε 5 μ.μ.",
]


@pytest.mark.parametrize("text", UNSURE)
def test_unsure_forms_are_no_date(text: str) -> None:
    assert parse_date(text, now=NOW) is None


MONTH_KEYS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
WEEKDAY_KEYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def moved(amounts: dict[str, float]) -> datetime:
    """NOW moved as dateparser's relative forms mean (an oracle apart from `parse_date`)."""
    months = int(12 * amounts.get("year", 0) + amounts.get("month", 0))
    wall = NOW.replace(tzinfo=None) + relativedelta(months=months)
    wall += timedelta(weeks=amounts.get("week", 0), days=amounts.get("day", 0))
    elapsed = timedelta(
        hours=amounts.get("hour", 0),
        minutes=amounts.get("minute", 0),
        seconds=amounts.get("second", 0),
    )
    return (wall.replace(tzinfo=ATHENS).astimezone(UTC) + elapsed).astimezone(ATHENS)


def dateparser_relative_forms() -> list[tuple[str, datetime]]:
    """Every `relative-type` phrase and every `relative-type-regex` pattern of dateparser's
    Greek, the latter with the count 7, each with its value against NOW."""
    forms = []
    for key, phrases in DATEPARSER_EL["relative-type"].items():
        words = key.split()  # `0 day ago`, `in 1 week`
        future = words[0] == "in"
        count, unit = (words[1], words[2]) if future else (words[0], words[1])
        value = moved({unit: int(count) * (1 if future else -1)})
        forms += [(phrase, value) for phrase in phrases]
    for key, patterns in DATEPARSER_EL["relative-type-regex"].items():
        words = key.split()  # `\1 day ago`, `in \1 hour`
        future = words[0] == "in"
        unit = words[2] if future else words[1]
        value = moved({unit: 7 * (1 if future else -1)})
        forms += [(re.sub(r"\(.*?\)", "7", pattern), value) for pattern in patterns]
    return forms


@pytest.mark.parametrize(("text", "expected"), dateparser_relative_forms())
def test_every_relative_form_of_dateparser(text: str, expected: datetime) -> None:
    parsed = parse_date(text, now=NOW)
    assert parsed is not None
    if text in ("σήμερα", "χθες"):  # a calendar day: read as its midnight
        assert parsed.date() == expected.date()
    else:
        assert parsed.astimezone(UTC) == expected.astimezone(UTC)


@pytest.mark.parametrize("key", MONTH_KEYS)
def test_every_month_name_of_dateparser(key: str) -> None:
    month = MONTH_KEYS.index(key) + 1
    for name in DATEPARSER_EL[key]:
        for line in (f"3 {name} 2024", f"{name} 3, 2024", f"3 {name.upper()} 2024"):
            assert parse_date(line, now=NOW) == at(2024, month, 3), line


@pytest.mark.parametrize("key", WEEKDAY_KEYS)
def test_every_weekday_name_of_dateparser(key: str) -> None:
    day = 2 + WEEKDAY_KEYS.index(key)  # 2 February 2026 was a Monday
    for name in DATEPARSER_EL[key]:
        text = f"{name}, {day} φεβ 2026 8:05 {DATEPARSER_EL['pm'][0]}"
        assert parse_date(text, now=NOW) == at(2026, 2, day, 20, 5), text
        assert parse_date(f"{name} {day}/2", now=NOW) == at(2026, 2, day), name


# --- never raises, linear time ------------------------------------------------------------

OUT_OF_RANGE = [
    "πριν 100000 χρόνια",
    "πριν 9999 χρόνια",
    "σε 9999 έτη",
    "πριν από 9999 έτη 9999 μήνες",
    "2026-02-10T25:00",
    "2026-02-10T10:61",
    "2026-02-10T10:00:60",
    "2026-02-10T10:00+99:99",
    "2026-02-10T10:00+24:00",
    "0001-01-01T00:00:00",
    "0001-01-01",
    "9999-12-31T23:59:59-05:00",
    "Mon, 01 Jan 0001 00:00:00 +0000",  # the email module alone would read 2001
    "31/12/0001",
    "1 Ιανουαρίου 0001",
    "(31/2)",
]


@pytest.mark.parametrize("text", OUT_OF_RANGE)
def test_out_of_range_values_are_no_date(text: str) -> None:
    assert parse_date(text, now=NOW) is None


def test_long_texts_are_no_date() -> None:
    line = "Δημοσιεύθηκε: 5 Φεβρουαρίου 2026, 14:30"
    assert parse_date(line.ljust(MAX_TEXT, "."), now=NOW) == at(2026, 2, 5, 14, 30)
    assert parse_date(line.ljust(MAX_TEXT + 1, "."), now=NOW) is None
    assert parse_date(f"   {line}   ".center(MAX_TEXT + 40), now=NOW) == at(2026, 2, 5, 14, 30)
    assert parse_date("1" * 30000, now=NOW) is None


def is_athens_or_none(parsed: datetime | None) -> bool:
    return parsed is None or (parsed.tzinfo is ATHENS and parsed.utcoffset() is not None)


DATE_TOKENS = [
    *"0123456789",
    "12",
    "2026",
    "0001",
    "9999",
    "-",
    "/",
    ".",
    ":",
    ",",
    " ",
    "  ",
    "T",
    "Z",
    "+02:00",
    "-0530",
    "+99:99",
    "|",
    "(",
    "πμ",
    "μ.μ.",
    "στις",
    "πριν",
    "από",
    "σε",
    "και",
    "ώρες",
    "λεπτά",
    "δευτ",
    "μ",
    "ημέρες",
    "μήνες",
    "χρόνια",
    "έτη",
    "σήμερα",
    "χθες",
    "αύριο",
    "επόμενη εβδομάδα",
    "τώρα",
    "Τρίτη",
    "σάβ",
    "ago",
    "Mon,",
    "Feb",
    *GENITIVE,
    *CAPITALS,
    "ΜAPTIOY",
]
token_soup = st.lists(st.sampled_from(DATE_TOKENS), max_size=24).map("".join)


def digits(size: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=1, max_size=size)


zones = st.sampled_from(["", "Z", "z", "+02:00", "-0530", "+99:99", "+24:00", "-23:59"])
shaped = st.one_of(
    # ISO 8601 with any digits: hour 25, year 0001, offset +99:99
    st.builds("{}-{}-{}T{}:{}:{}{}".format, *(digits(n) for n in (4, 2, 2, 2, 2, 2)), zones),
    st.builds("{}-{}-{} {}:{}".format, *(digits(n) for n in (4, 2, 2, 2, 2))),
    # numeric and Greek dates with any digits
    st.builds(
        "{}{}{}{}{} {}:{}".format,
        digits(2),
        st.sampled_from("./-"),
        digits(2),
        st.sampled_from("./-"),
        digits(4),
        digits(2),
        digits(2),
    ),
    st.builds(
        "{} {} {}, {}:{} {}".format,
        digits(2),
        st.sampled_from(GENITIVE + CAPITALS),
        digits(4),
        digits(2),
        digits(2),
        st.sampled_from(["", "πμ", "μ.μ.", "ΜΜ"]),
    ),
    st.builds(
        "Mon, {} Feb {} {}:{}:{} {}".format,
        digits(2),
        digits(4),
        digits(2),
        digits(2),
        digits(2),
        st.sampled_from(["+0200", "GMT", "+9999", "-0000"]),
    ),
    # relative forms with any counts, compound or not
    st.builds(
        "{} {} {} {}".format,
        st.sampled_from(["πριν", "πριν από", "σε", ""]),
        digits(7),
        st.sampled_from(["χρόνια", "έτη", "μήνες", "εβδομάδες", "ημέρες", "ώρες"]),
        st.sampled_from(["", "πριν", "10:00", "5 λεπτά", "25:99", "και 3 μήνες"]),
    ),
)
date_like = st.one_of(shaped, token_soup)
any_now = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(ATHENS)
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(date_like, st.text(max_size=300)), any_now)
def test_never_raises(text: str, now: datetime) -> None:
    assert is_athens_or_none(parse_date(text, now=now))


@settings(max_examples=400, deadline=None)
@given(date_like, any_now)
def test_the_checks_not_the_safety_net_keep_values_in_range(text: str, now: datetime) -> None:
    """Without `parse_date`'s last `except`, the parser raises nothing but its own `_Unsure`."""
    try:
        parsed = dates._parse(text, now)
    except dates._Unsure:
        return
    assert is_athens_or_none(parsed)


ADVERSARIAL = [
    "1",
    "1 ",
    "12/",
    "1-",
    "1.",
    "ΑB",
    "5 ώρες ",
    "5 ώρες και ",
    "πριν 5 ώρες ",
    "5 λεπτά πριν ",
    "σε 5 ώρες ",
    "1 ιαν ",
    "1 janu",
    "μαρ",
    "Φεβρουαρίου ",
    "2026-01-01T",
    "10:00 ",
    "αύριο ",
    "(1/",
    " ",
]


def cost(text: str) -> float:
    """Best CPU time of the fast path (no input bound, no dateparser) over a text."""
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        with contextlib.suppress(dates._Unsure):
            dates._fast_path(dates.fold_for_dates(text), NOW)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("unit", ADVERSARIAL)
def test_the_fast_path_is_linear(unit: str) -> None:
    """8× the text costs about 8× the time, not 64× (quadratic): `'1' * 30000` took 7 s."""
    small = unit * (2000 // len(unit))
    ratio = cost(small * 8) / max(cost(small), 1e-6)
    assert ratio < 24, f"{unit!r}: 8× the input cost {ratio:.0f}× the time"


def test_parse_date_costs_the_same_past_its_bound() -> None:
    ratio = cost_public("1" * 20000 * 8) / max(cost_public("1" * 20000), 1e-6)
    assert ratio < 24


def cost_public(text: str) -> float:
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        parse_date(text, now=NOW)
        best = min(best, time.process_time() - started)
    return best


# --- one look-alike table -----------------------------------------------------------------


def test_dates_fold_with_the_table_of_text_fold() -> None:
    assert dates.LATIN_LOOKALIKES is text.LATIN_LOOKALIKES


@pytest.mark.parametrize("word", ["Λαpισα", "ΛAΡIΣA", "Kαρδίτσα", "ΦEBPOYAPIOY", "Mαΐου"])
def test_fold_for_dates_agrees_with_text_fold(word: str) -> None:
    assert dates.fold_for_dates(word) == text.fold(word)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5 Φεβρουαpίου 2026", at(2026, 2, 5)),  # Latin p for ρ
        ("5 ΦEBPOYAPIOY 2026", at(2026, 2, 5)),
        ("ΠPIN 3 ΩPEΣ", NOW - timedelta(hours=3)),
        ("ΣE 3 ΩPEΣ", NOW + timedelta(hours=3)),
    ],
)
def test_latin_lookalikes_in_dates(raw: str, expected: datetime) -> None:
    assert parse_date(raw, now=NOW) == expected

"""Greek dates: `parse_date` against dateparser (its best settings) over the same corpus.

The corpus is built from the forms of SITES.md §3 over many random instants (fixed seed), each
string with its known value, plus strings that hold no date. Prints the throughput of each
parser, the ratio, the accuracy of each, and every string where they disagree. Exits 1 if a
string that dateparser reads right is read wrong by `parse_date`.

    .venv/bin/python bench/dates.py [--strings 1500] [--show 25]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from newsarchive.dates import ATHENS, parse_date

NOW = datetime(2026, 2, 9, 12, 0, tzinfo=ATHENS)
GENITIVE = [
    "Ιανουαρίου",
    "Φεβρουαρίου",
    "Μαρτίου",
    "Απριλίου",
    "Μαΐου",
    "Ιουνίου",
    "Ιουλίου",
    "Αυγούστου",
    "Σεπτεμβρίου",
    "Οκτωβρίου",
    "Νοεμβρίου",
    "Δεκεμβρίου",
]
CAPITALS = [
    "ΙΑΝΟΥΑΡΙΟΥ",
    "ΦΕΒΡΟΥΑΡΙΟΥ",
    "ΜΑΡΤΙΟΥ",
    "ΑΠΡΙΛΙΟΥ",
    "ΜΑΪΟΥ",
    "ΙΟΥΝΙΟΥ",
    "ΙΟΥΛΙΟΥ",
    "ΑΥΓΟΥΣΤΟΥ",
    "ΣΕΠΤΕΜΒΡΙΟΥ",
    "ΟΚΤΩΒΡΙΟΥ",
    "ΝΟΕΜΒΡΙΟΥ",
    "ΔΕΚΕΜΒΡΙΟΥ",
]
COLLOQUIAL = [
    "Γενάρη",
    "Φλεβάρη",
    "Μάρτη",
    "Απρίλη",
    "Μάη",
    "Ιούνη",
    "Ιούλη",
    "Αυγούστου",
    "Σεπτέμβρη",
    "Οκτώβρη",
    "Νοέμβρη",
    "Δεκέμβρη",
]
NOMINATIVE = [
    "Ιανουάριος",
    "Φεβρουάριος",
    "Μάρτιος",
    "Απρίλιος",
    "Μάιος",
    "Ιούνιος",
    "Ιούλιος",
    "Αύγουστος",
    "Σεπτέμβριος",
    "Οκτώβριος",
    "Νοέμβριος",
    "Δεκέμβριος",
]
WEEKDAYS = ["Δευτέρα", "Τρίτη", "Τετάρτη", "Πέμπτη", "Παρασκευή", "Σάββατο", "Κυριακή"]
LOOKALIKE = str.maketrans("ΑΒΕΗΙΚΜΝΟΡΤΧΥΖ", "ABEHIKMNOPTXYZ")

Template = Callable[[datetime], str]
TEMPLATES: list[tuple[str, Template, bool]] = [
    # (name, format, whether the string carries the time)
    ("dd.mm.yyyy | HH:MM", lambda d: f"{d:%d.%m.%Y} | {d:%H:%M}", True),
    ("ticker", lambda d: f"- ΛΑΡΙΣΑ | {d:%d.%m.%Y} | {d:%H:%M}", True),
    ("dd/mm/yyyy HH:MM", lambda d: f"{d:%d/%m/%Y} {d:%H:%M}", True),
    ("HH:MM - dd/mm/yyyy", lambda d: f"{d:%H:%M} - {d:%d/%m/%Y}", True),
    ("d-m-yyyy", lambda d: f"({d.day}-{d.month}-{d.year})", False),
    (
        "weekday d genitive yyyy",
        lambda d: f"{WEEKDAYS[d.weekday()]}, {d.day} {GENITIVE[d.month - 1]} {d.year}",
        False,
    ),
    (
        "d genitive yyyy, HH:MM",
        lambda d: f"{d.day} {GENITIVE[d.month - 1]} {d.year}, {d:%H:%M}",
        True,
    ),
    (
        "d genitive yyyy - HH:MM",
        lambda d: f"{d.day} {GENITIVE[d.month - 1]} {d.year} - {d:%H:%M}",
        True,
    ),
    (
        "capitals",
        lambda d: f"{WEEKDAYS[d.weekday()].upper()} {d.day} {CAPITALS[d.month - 1]} {d.year}",
        False,
    ),
    (
        "Latin look-alikes",
        lambda d: f"{d.day} {CAPITALS[d.month - 1].translate(LOOKALIKE)} {d.year}",
        False,
    ),
    ("colloquial", lambda d: f"{d.day} {COLLOQUIAL[d.month - 1]} {d.year}", False),
    ("nominative", lambda d: f"{d.day} {NOMINATIVE[d.month - 1]} {d.year}", False),
    (
        "label + στις",
        lambda d: f"Ενημερώθηκε: {d.day} {GENITIVE[d.month - 1]} {d.year} στις {d:%H:%M}",
        True,
    ),
    (
        "WP English",
        lambda d: (
            f"Last updated: {d:%Y/%m/%d} at {d.hour % 12 or 12}:{d:%M} "
            f"{'ΜΜ' if d.hour >= 12 else 'ΠΜ'}"
        ),
        True,
    ),
    ("ISO", lambda d: d.isoformat(timespec="seconds"), True),
    ("ISO UTC", lambda d: d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), True),
    ("RFC 822", lambda d: d.strftime("%a, %d %b %Y %H:%M:%S %z"), True),
]
RELATIVE: list[tuple[str, datetime]] = [
    ("πριν 5 λεπτά", NOW - timedelta(minutes=5)),
    ("πριν από 2 ώρες", NOW - timedelta(hours=2)),
    ("3 ώρες πριν", NOW - timedelta(hours=3)),
    ("πριν μία ημέρα", NOW - timedelta(days=1)),
    ("πριν 4 μέρες", NOW - timedelta(days=4)),
    ("χθες στις 18:30", NOW.replace(day=8, hour=18, minute=30)),
    ("σήμερα 10:15", NOW.replace(hour=10, minute=15)),
    ("μόλις τώρα", NOW),
]
NON_DATES = [
    "3 Min Read",
    "6' διάβασμα",
    "ν. 4555/2018",
    "ΦΕΚ 123/Β/2019",
    "2410 123456",
    "ΑΕΛ - Ολυμπιακός 2-1",
    "12,50 €",
    "1/2",
    "Χρόνος ανάγνωσης: 4 Λεπτά",
    "σελ. 12/24",
    "Απόφαση 45/2021",
    "1.200 ευρώ",
]


def corpus(size: int, seed: int = 2026) -> list[tuple[str, datetime | None, bool]]:
    """(text, expected, expected carries a time) triples, deterministic for a seed."""
    rng = random.Random(seed)
    start = datetime(2015, 1, 1, tzinfo=UTC).timestamp()
    span = datetime(2026, 2, 1, tzinfo=UTC).timestamp() - start
    items: list[tuple[str, datetime | None, bool]] = []
    items += [(text, value, True) for text, value in RELATIVE]
    items += [(text, None, False) for text in NON_DATES]
    while len(items) < size:
        instant = datetime.fromtimestamp(start + rng.random() * span, UTC).astimezone(ATHENS)
        instant = instant.replace(second=0, microsecond=0)
        _, template, timed = rng.choice(TEMPLATES)
        items.append((template(instant), instant, timed))
    return items


def dateparser_parse() -> Callable[[str], datetime | None]:
    import dateparser

    settings: dict[str, Any] = {
        "DATE_ORDER": "DMY",
        "TIMEZONE": "Europe/Athens",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": NOW.replace(tzinfo=None),
    }
    parser = dateparser.DateDataParser(languages=["el", "en"], settings=settings)

    def parse(text: str) -> datetime | None:
        return parser.get_date_data(text).date_obj

    return parse


def right(found: datetime | None, expected: datetime | None, timed: bool) -> bool:
    if expected is None or found is None:
        return found is expected
    found = found.astimezone(ATHENS) if found.tzinfo else found.replace(tzinfo=ATHENS)
    if not timed:
        return found.date() == expected.date()
    return abs(found - expected) < timedelta(seconds=60)


def run(
    parse: Callable[[str], datetime | None], texts: list[str], repeat: int
) -> tuple[list[Any], float]:
    """Results and the best CPU time of `repeat` runs (CPU time: other processes do not count)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        results = [parse(text) for text in texts]
        best = min(best, time.process_time() - started)
    return results, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strings", type=int, default=1500)
    parser.add_argument("--show", type=int, default=25, help="disagreements to print")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the best is kept")
    args = parser.parse_args()
    items = corpus(args.strings)
    texts = [text for text, _, _ in items]
    peer = dateparser_parse()
    peer(texts[0])  # load dateparser's language data before timing
    parse_date(texts[0], now=NOW)
    ours, ours_seconds = run(lambda text: parse_date(text, now=NOW), texts, args.repeat)
    theirs, theirs_seconds = run(peer, texts, args.repeat)
    ours_right = [right(f, e, t) for f, (_, e, t) in zip(ours, items, strict=True)]
    theirs_right = [right(f, e, t) for f, (_, e, t) in zip(theirs, items, strict=True)]
    print(f"{len(texts)} strings")
    print(f"{'parser':<12}{'strings/s':>12}{'accuracy':>10}")
    for name, seconds, good in (
        ("parse_date", ours_seconds, ours_right),
        ("dateparser", theirs_seconds, theirs_right),
    ):
        print(f"{name:<12}{len(texts) / seconds:>12.0f}{sum(good) / len(good):>10.1%}")
    print(f"parse_date is {theirs_seconds / ours_seconds:.0f}× dateparser's throughput")
    disagreements = [
        i
        for i in range(len(texts))
        if ours_right[i] != theirs_right[i] or (ours[i] is None) != (theirs[i] is None)
    ]
    print(f"{len(disagreements)} strings where the two disagree (first {args.show}):")
    for i in disagreements[: args.show]:
        print(
            f"  {texts[i]!r}: parse_date {ours[i]}, dateparser {theirs[i]}, expected {items[i][1]}"
        )
    worse = [i for i in range(len(texts)) if theirs_right[i] and not ours_right[i]]
    print(f"strings dateparser reads right and parse_date wrong: {len(worse)}")
    sys.exit(1 if worse else 0)


if __name__ == "__main__":
    main()

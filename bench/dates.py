"""Greek dates: `parse_date` against dateparser (its best settings) over the same corpus.

Two corpora, each string with its known value against a fixed `NOW`:

- news-page strings: the forms of SITES.md §3 over many random instants (fixed seed), plus
  strings that hold no date; the throughput ratio is measured on these;
- dateparser's own Greek vocabulary, generated from its locale data (`el`): every named period
  (`relative-type`, alone and with a time of day), every count-and-unit pattern
  (`relative-type-regex`) with whole and decimal counts, compounds of them (`σε 4 λεπτά 45 δευτ`),
  and dates written with every month and weekday name and abbreviation and with `πμ`/`μμ`.

Months and years move by the calendar (`πριν από 3 μήνες` on 9 February is 9 November,
`1,5 έτη` is 18 months). Vocabulary strings that name no one day (a bare weekday, month or
time, `Μάρτιος 2024`, a time after `σε 5 ώρες` or `φέτος`) are not scored: they are printed
with both answers.

Prints the throughput of each parser, the ratio, the accuracy of each, and every string where
they disagree. Exits 1 if a string that dateparser reads right is read wrong by `parse_date`.

    .venv/bin/python bench/dates.py [--strings 1500] [--show 25] [--repeat 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time as time_module
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

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

Item = tuple[str, datetime | None, bool]
"""(text, expected, whether the expected value carries a time)."""
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


def corpus(size: int, seed: int = 2026) -> list[Item]:
    """(text, expected, expected carries a time) triples, deterministic for a seed."""
    rng = random.Random(seed)
    start = datetime(2015, 1, 1, tzinfo=UTC).timestamp()
    span = datetime(2026, 2, 1, tzinfo=UTC).timestamp() - start
    items: list[Item] = []
    items += [(text, value, True) for text, value in RELATIVE]
    items += [(text, None, False) for text in NON_DATES]
    while len(items) < size:
        instant = datetime.fromtimestamp(start + rng.random() * span, UTC).astimezone(ATHENS)
        instant = instant.replace(second=0, microsecond=0)
        _, template, timed = rng.choice(TEMPLATES)
        items.append((template(instant), instant, timed))
    return items


UNITS = ("year", "month", "week", "day", "hour", "minute", "second")
SUB_DAY = ("hour", "minute", "second")
COUNT = r"(\d++[.,]?\d*+)"
"""The count group of dateparser's relative patterns."""


def moved(amounts: dict[str, float]) -> datetime:
    """NOW moved by the amounts: months and years by the calendar, days and weeks on the wall
    clock, hours, minutes and seconds of elapsed time."""
    months = 12 * amounts.get("year", 0) + amounts.get("month", 0)
    assert months == int(months), "a fraction of a month names no day"
    wall = NOW.replace(tzinfo=None) + relativedelta(months=int(months))
    wall += timedelta(weeks=amounts.get("week", 0), days=amounts.get("day", 0))
    elapsed = timedelta(
        hours=amounts.get("hour", 0),
        minutes=amounts.get("minute", 0),
        seconds=amounts.get("second", 0),
    )
    return (wall.replace(tzinfo=ATHENS).astimezone(UTC) + elapsed).astimezone(ATHENS)


def at_clock(day: datetime, clock: time) -> datetime:
    return datetime.combine(day.date(), clock, tzinfo=ATHENS)


def clock_texts(info: dict[str, Any], rng: random.Random) -> list[tuple[str, time]]:
    """A few times of day as dateparser's Greek writes them: `18:30`, `6:30 μμ`, `12:09 πμ`."""
    clocks = [time(rng.randrange(24), rng.randrange(60)) for _ in range(3)] + [time(0, 9)]
    texts = []
    for clock in clocks:
        texts.append((f"{clock:%H:%M}", clock))
        meridiem = info["pm"][0] if clock.hour >= 12 else info["am"][0]
        texts.append((f"{clock.hour % 12 or 12}:{clock:%M} {meridiem}", clock))
    return texts


def relative_key(key: str) -> tuple[str, int, str | None]:
    """`in 1 week` → ("week", 1, "1"); `\\1 day ago` → ("day", -1, None): unit, sign, count."""
    words = key.replace("\\1", "N").split()
    future = words[0] == "in"
    count, unit = (words[1], words[2]) if future else (words[0], words[1])
    return unit, 1 if future else -1, None if count == "N" else count


def named_periods(info: dict[str, Any], rng: random.Random) -> tuple[list[Item], list[str]]:
    """Every `relative-type` phrase alone; the day-long ones with a time before or after."""
    items: list[Item] = []
    unscored: list[str] = []
    for key, phrases in info["relative-type"].items():
        unit, sign, count = relative_key(key)
        value = moved({unit: sign * int(count or 0)})
        for phrase in phrases:
            items.append((phrase, value, unit in SUB_DAY))
            text, clock = rng.choice(clock_texts(info, rng))
            if unit in ("day", "week"):
                items.append((f"{phrase} {text}", at_clock(value, clock), True))
                items.append((f"{text} {phrase}", at_clock(value, clock), True))
            else:
                unscored.append(f"{phrase} {text}")
    return items, unscored


def unit_words(info: dict[str, Any]) -> dict[str, list[str]]:
    """The unit words of dateparser's Greek count-and-unit patterns (`ημ`, `ώρες`, `δευτ`)."""
    words: dict[str, set[str]] = {unit: set() for unit in UNITS}
    for key, patterns in info["relative-type-regex"].items():
        unit = relative_key(key)[0]
        for pattern in patterns:
            tail = pattern.split(COUNT)[1].strip()
            if tail and tail != "πριν":
                words[unit].add(tail.removesuffix(" πριν"))
    return {unit: sorted(found) for unit, found in words.items()}


def counted(info: dict[str, Any], rng: random.Random) -> tuple[list[Item], list[str]]:
    """Every `relative-type-regex` pattern with whole and decimal counts, some with a time."""
    items: list[Item] = []
    unscored: list[str] = []
    for key, patterns in info["relative-type-regex"].items():
        unit, sign, _ = relative_key(key)
        counts = ["1", "5", "12"] + ([] if unit == "month" else ["1.5", "2,5"])
        for pattern, count in ((p, c) for p in patterns for c in counts):
            text = pattern.replace(COUNT, count)
            value = moved({unit: sign * float(count.replace(",", "."))})
            items.append((text, value, unit in SUB_DAY))
            clock_text, clock = rng.choice(clock_texts(info, rng))
            if unit in ("day", "week") and "." not in count and "," not in count:
                items.append((f"{text} {clock_text}", at_clock(value, clock), True))
            elif count == "5":
                unscored.append(f"{text} {clock_text}")
        if unit == "month":
            unscored.append(patterns[0].replace(COUNT, "1.5"))
    return items, unscored


def compounds(info: dict[str, Any], rng: random.Random, size: int = 200) -> list[Item]:
    """Two or three units, largest first: `πριν από 5 ώρες 6 λεπτά`, `σε 4 λεπτά 45 δευτ`."""
    words = unit_words(info)
    items: list[Item] = []
    for _ in range(size):
        units = sorted(rng.sample(UNITS, rng.choice((2, 3))), key=UNITS.index)
        counts = {unit: rng.randint(1, 59 if unit in SUB_DAY else 11) for unit in units}
        joiner = rng.choice((" ", " ", " και ", ", "))
        pairs = joiner.join(f"{counts[unit]} {rng.choice(words[unit])}" for unit in units)
        form, sign = rng.choice(
            ((f"πριν από {pairs}", -1), (f"{pairs} πριν", -1), (f"σε {pairs}", 1))
        )
        value = moved({unit: sign * count for unit, count in counts.items()})
        items.append((form, value, any(unit in SUB_DAY for unit in units)))
    return items


WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH_KEYS = (
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
)


def named_dates(info: dict[str, Any], rng: random.Random, size: int = 300) -> list[Item]:
    """Dates with every Greek month and weekday name and abbreviation, and `πμ`/`μμ` times."""
    start = datetime(2015, 1, 1, tzinfo=UTC).timestamp()
    span = datetime(2026, 2, 1, tzinfo=UTC).timestamp() - start
    items: list[Item] = []
    for _ in range(size):
        instant = datetime.fromtimestamp(start + rng.random() * span, UTC).astimezone(ATHENS)
        instant = instant.replace(second=0, microsecond=0)
        month = rng.choice(info[MONTH_KEYS[instant.month - 1]])
        weekday = rng.choice(info[WEEKDAY_KEYS[instant.weekday()]])
        case = rng.choice((str.lower, str.title, str.upper))
        meridiem = info["pm"][0] if instant.hour >= 12 else info["am"][0]
        twelve = f"{instant.hour % 12 or 12}:{instant:%M} {meridiem}"
        d, y = instant.day, instant.year
        for text, timed in (
            (f"{d} {month} {y}", False),
            (f"{weekday} {d} {month} {y}", False),
            (f"{weekday}, {d} {month} {y} {instant:%H:%M}", True),
            (f"{d} {month} {y} {twelve}", True),
            (f"{month} {d} {y}", False),
        ):
            items.append((case(text), instant, timed))
    return items


def recent_without_year(info: dict[str, Any]) -> list[Item]:
    """`5 φεβ` for the days of this year up to NOW: no other year can be meant."""
    items: list[Item] = []
    day = datetime(NOW.year, 1, 1, tzinfo=ATHENS)
    while day <= NOW:
        for month in info[MONTH_KEYS[day.month - 1]]:
            items.append((f"{day.day} {month}", day, False))
        day += timedelta(days=3)
    return items


def no_one_day(info: dict[str, Any]) -> list[str]:
    """Vocabulary strings that name no one day: printed with both answers, not scored."""
    texts = [form for key in WEEKDAY_KEYS for form in info[key]]
    texts += [form for key in MONTH_KEYS for form in info[key][-1:]]
    texts += [f"{info[key][-1]} 2024" for key in MONTH_KEYS[:3]]
    texts += ["14:00", f"12:09 {info['pm'][0]}", f"{info['monday'][0]} 10:00"]
    return texts


def vocabulary_corpus(seed: int = 2026) -> tuple[list[Item], list[str]]:
    """dateparser's Greek vocabulary as scored items, and the strings left unscored."""
    from dateparser.data.date_translation_data.el import info

    rng = random.Random(seed)
    periods, unscored_periods = named_periods(info, rng)
    counts, unscored_counts = counted(info, rng)
    items = periods + counts + compounds(info, rng) + named_dates(info, rng)
    items += recent_without_year(info)
    return items, unscored_periods + unscored_counts + no_one_day(info)


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
        started = time_module.process_time()
        results = [parse(text) for text in texts]
        best = min(best, time_module.process_time() - started)
    return results, best


def compare(
    name: str, items: list[Item], peer: Callable[[str], datetime | None], args: argparse.Namespace
) -> list[int]:
    """Prints throughput, accuracy and disagreements on one corpus; the strings made worse."""
    texts = [text for text, _, _ in items]
    ours, ours_seconds = run(lambda text: parse_date(text, now=NOW), texts, args.repeat)
    theirs, theirs_seconds = run(peer, texts, args.repeat)
    ours_right = [right(f, e, t) for f, (_, e, t) in zip(ours, items, strict=True)]
    theirs_right = [right(f, e, t) for f, (_, e, t) in zip(theirs, items, strict=True)]
    print(f"\n{name}: {len(texts)} strings")
    print(f"{'parser':<12}{'strings/s':>12}{'accuracy':>10}")
    for parser, seconds, good in (
        ("parse_date", ours_seconds, ours_right),
        ("dateparser", theirs_seconds, theirs_right),
    ):
        print(f"{parser:<12}{len(texts) / seconds:>12.0f}{sum(good) / len(good):>10.1%}")
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
    return [i for i in range(len(texts)) if theirs_right[i] and not ours_right[i]]


def show_unscored(texts: list[str], peer: Callable[[str], datetime | None], show: int) -> None:
    print(f"\n{len(texts)} vocabulary strings that name no one day, not scored (first {show}):")
    for text in texts[:show]:
        print(f"  {text!r}: parse_date {parse_date(text, now=NOW)}, dateparser {peer(text)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strings", type=int, default=1500)
    parser.add_argument("--show", type=int, default=25, help="disagreements to print")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the best is kept")
    args = parser.parse_args()
    items = corpus(args.strings)
    vocabulary, unscored = vocabulary_corpus()
    peer = dateparser_parse()
    peer(items[0][0])  # load dateparser's language data before timing
    parse_date(items[0][0], now=NOW)
    worse = compare("news-page strings", items, peer, args)
    worse_vocabulary = compare("dateparser's Greek vocabulary", vocabulary, peer, args)
    show_unscored(unscored, peer, args.show)
    for name, found, corpus_items in (
        ("news-page", worse, items),
        ("vocabulary", worse_vocabulary, vocabulary),
    ):
        print(f"{name} strings dateparser reads right and parse_date wrong: {len(found)}")
        for i in found[: args.show]:
            print(f"  {corpus_items[i][0]!r}: expected {corpus_items[i][1]}")
    sys.exit(1 if worse or worse_vocabulary else 0)


if __name__ == "__main__":
    main()

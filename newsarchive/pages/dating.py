"""When a page says its article was published: structured dates, `<time>`, date lines, the URL.

Structured values are trusted first; a visible date line counts only after (or beside) the
headline, never in a ticker or the page header, and only when the URL's date does not deny it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import islice
from typing import cast

from lxml import etree
from lxml.etree import _Element

from newsarchive import text, urls
from newsarchive.dates import ATHENS, parse_date
from newsarchive.pages import dom
from newsarchive.pages.document import Document
from newsarchive.pages.found import Found

DATE_LINE_REACH = 80
"""Elements after the headline where its date line may be: the article's header, never the
related-article cards further down."""
UTC_SUFFIX = re.compile(r"(?:[+-]00:?00|Z)$")
DATE_LINE_MAX = 80
"""A date line is short: `27.02.2026 | 09:46`, `Δημοσίευση: 5 Φεβρουαρίου 2026, 14:30`."""
PUBLISHED_CLASS = re.compile(r"publish|entry-date|post-date|created|date", re.IGNORECASE)
PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "article:published",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.issued",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "published",
    "datepublished",  # `<meta itemprop=datePublished>` outside any scope (Squarespace)
    "citation_publication_date",
    "citation_date",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "article_date_original",
    "og:article:published_time",
    "dc.date.created",
    "datecreated",
)
NOT_DATE_LINES = dom.DROP_TAGS | {"a", "h2", "h3", "h4", "h5", "h6", "title"}
"""Elements whose text is never the article's date line: headlines, links, chrome."""
MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "dc.date.modified",
    "dcterms.modified",
    "datemodified",
    "article.updated",
    "lastmod",
)


def structured(
    doc: Document, found: Found[str] | None, now: datetime, *, local_labeled_utc: bool = False
) -> Found[datetime] | None:
    """A machine-readable date; a `+00:00` label on Athens wall-clock time is read as local."""
    if found is None:
        return None
    parsed = parse_date(found.value, now=now)
    if parsed is None:
        return None
    if UTC_SUFFIX.search(found.value.strip()) and (
        local_labeled_utc or _shown_as_local(doc, found.value, now)
    ):
        parsed = _reread_as_local(found.value, parsed, now)
    return Found(parsed, found.rule, raw=found.value)


def _shown_as_local(doc: Document, raw: str, now: datetime) -> bool:
    """Whether the page shows the `+00:00` value's clock time as is (e-thessalia's markup)."""
    wall = parse_date(UTC_SUFFIX.sub("", raw.strip()), now=now)
    if wall is None:
        return False
    for element in doc.root.iter("time"):
        shown = parse_date(dom.text_of(element), now=now)
        if shown is not None and shown.replace(second=0) == wall.replace(second=0):
            return True
    return False


def _reread_as_local(raw: str, parsed: datetime, now: datetime) -> datetime:
    """Read a `+00:00`-labeled value as Athens wall-clock time (e-thessalia's markup)."""
    naive = UTC_SUFFIX.sub("", raw.strip())
    if naive == raw.strip():
        return parsed
    return parse_date(naive, now=now) or parsed


def visible(found: Found[str] | None, now: datetime) -> Found[datetime] | None:
    """A date written for readers, as a site selector found it."""
    if found is None:
        return None
    parsed = parse_date(found.value, now=now)
    return Found(parsed, found.rule, raw=found.value) if parsed else None


def time_element(doc: Document) -> Found[str] | None:
    """The `<time datetime>` of the article: marked as published, or the first after the h1."""
    times = [
        element
        for element in doc.root.iter("time")
        if (element.get("datetime") or "").strip() and not dom.in_navigation(element)
    ]
    marked = [t for t in times if PUBLISHED_CLASS.search(f"{t.get('class')} {t.get('itemprop')}")]
    after_h1 = [t for t in times if doc.follows(t, doc.main_h1)]
    chosen = next(iter(after_h1 or marked or (times if len(times) == 1 else [])), None)
    return Found(str(chosen.get("datetime")).strip(), "time") if chosen is not None else None


YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)|(?<![\d.])\d{1,2}[./-]\d{1,2}[./-]\d{2}(?![\d.])")
"""A year written in the line: `2026`, or the short year of `05/02/26`."""
CLOCK = re.compile(r"(?<!\d)\d{1,2}[:.]\d{2}(?!\d)")
RELATIVE_WORD = re.compile(
    r"πριν|μετα απο|σημερα|χθεσ|προχθεσ|αυριο|τωρα|αυτη τη|αυτην την|τρεχ|προηγουμεν|"
    r"επομεν|\bago\b|today|yesterday|tomorrow|just now|\bin \d|\bσε \d"
)
RELATIVE_COUNT = re.compile(
    r"\d+\s*(?:δευτ|λεπτ|ωρ|ημερ|μερ|εβδομαδ|μην|χρον|sec|min|hour|hr|day|week|month|year)"
)
RECENT = timedelta(days=42)
"""A yearless date this close before the fetch is of the fetch's year (news is read fresh)."""


@dataclass(frozen=True)
class LineVerdict:
    """A date line taken, or the reason it was not."""

    found: Found[datetime] | None = None
    refused: str | None = None


def judge_line(
    line: Found[datetime], url_day: Found[datetime] | None, now: datetime
) -> LineVerdict:
    """Whether a date line may be the published date: a yearless one needs evidence of its year."""
    raw = text.fold(line.raw or "")
    if url_day is not None:  # the URL's day is evidence enough, and agreement is required
        agrees = line.value.date() == url_day.value.date()
        return LineVerdict(found=line if agrees else url_day)
    if YEAR.search(raw):
        return LineVerdict(found=line)
    if RELATIVE_WORD.search(raw):
        if CLOCK.search(raw) or RELATIVE_COUNT.search(raw):
            return LineVerdict(found=line)
        return LineVerdict(refused=f"relative date line without a time: {line.raw!r}")
    if timedelta(days=-1) <= now - line.value <= RECENT:
        return LineVerdict(found=line)
    return LineVerdict(refused=f"date line without a year: {line.raw!r}")


STRUCTURED_RULES = frozenset({"jsonld", "meta", "microdata"})


def line_before_last_save(
    doc: Document,
    anchor: _Element | None,
    published: Found[datetime],
    modified: Found[datetime] | None,
    now: datetime,
) -> Found[datetime] | None:
    """The date line under the headline, when the structured date is the record's last save.

    A structured `datePublished` no earlier than its `dateModified` is one save time written
    to both (a CMS's, an import's); a date line with its year, under the headline, that names
    an earlier day is then the article's own date.
    """
    if modified is None or published.value < modified.value:
        return None
    line = date_line(doc, anchor, now)
    if line is None or not YEAR.search(text.fold(line.raw or "")):
        return None
    return line if line.value.date() < published.value.date() else None


def line_or_url(doc: Document, anchor: _Element | None, now: datetime) -> LineVerdict:
    """The date line under the headline when its year is known and it agrees with the URL; a
    `Last updated` line when it is the only one (the publication is no later than it)."""
    line = date_line(doc, anchor, now) or update_line(doc, anchor, now)
    day = url_date(doc.url)
    if line is None:
        return LineVerdict(found=day)
    return judge_line(line, day, now)


def url_date(url: str) -> Found[datetime] | None:
    day = urls.date_in_url(url)
    if day is None:
        return None
    raw = f"/{day:%Y/%m/%d}/"
    return Found(datetime.combine(day, time(0, 0), tzinfo=ATHENS), "url", raw=raw)


UPDATE_LABEL = re.compile(
    r"^\W*(?:τελευταια\s+)?(?:ενημερ|τροποποι|ανανεω)|"
    r"^\W*(?:last\s+)?(?:updated|modified|update\b|edited)|"
    r"^\W*(?:aktualisiert|mis a jour|actualizado|aggiornato|bijgewerkt)"
)
"""A date line that opens with an update label (folded): `Τελευταία τροποποίηση στις …`,
`Last updated: …`. It dates the last edit, never the publication; a line opening with its
date or a publication label (`12.02.2026 (ενημέρωση 14:00)`) is the published date's."""


def date_line(doc: Document, anchor: _Element | None, now: datetime) -> Found[datetime] | None:
    """The first short date-only element after the headline (or beside it), never a ticker
    and never an update line."""
    return shown_dates(doc, anchor, now)[0]


def update_line(doc: Document, anchor: _Element | None, now: datetime) -> Found[datetime] | None:
    """The article's `Last updated: …` line near its headline."""
    return shown_dates(doc, anchor, now)[1]


ShownDates = tuple[Found[datetime] | None, Found[datetime] | None]
"""The first date line near the headline that is no update line, and the first update line."""


def shown_dates(doc: Document, anchor: _Element | None, now: datetime) -> ShownDates:
    """Both date lines, from one walk of the elements near the headline (kept on the page)."""
    key = (anchor, now)
    if key not in doc.memo:
        doc.memo[key] = _walk_date_lines(doc, anchor, now)
    return cast(ShownDates, doc.memo[key])


def _walk_date_lines(doc: Document, anchor: _Element | None, now: datetime) -> ShownDates:
    line = update = None
    if anchor is None:
        return line, update
    start = doc.order.get(anchor, 0)
    following = doc.elements[start + 1 : start + 1 + DATE_LINE_REACH]
    for element in (*following, *islice(_beside(anchor), DATE_LINE_REACH)):
        found = _date_only_text(element, now)
        if found is None:
            continue
        if UPDATE_LABEL.search(text.fold(found.raw or "")):
            update = update or found
        else:
            line = line or found
        if line is not None and update is not None:
            break
    return line, update


def _beside(anchor: _Element) -> Iterator[_Element]:
    """The elements before the headline in its block: its preceding siblings, nearest first,
    each with what it holds (`<div><svg/> Dec 12, 2025</div><h1>…`)."""
    for sibling in anchor.itersiblings(preceding=True):
        yield from sibling.iter()


LETTER_WORD = re.compile(r"[^\W\d_]+")
DATE_LINE_WORDS = 6
"""Words a date line has besides its numbers: `Δημοσίευση: Πέμπτη, 5 Φεβρουαρίου 2026`,
`Posted on January 10, 2019 by admin`; a sentence that mentions a date has more."""


def _reads_as_date_line(own: str) -> bool:
    words = len(LETTER_WORD.findall(own))
    if not any(char.isdigit() for char in own):
        return words <= 3  # `Χθες`, `Σήμερα το πρωί`: never a sentence with `today` in it
    return words <= DATE_LINE_WORDS


def _own_text(element: _Element) -> str:
    """The text directly in an element, beside its children (`<i class=icon></i> 12.02.2026`)."""
    parts = [element.text or "", *(child.tail or "" for child in element)]
    return " ".join(" ".join(parts).split())[: DATE_LINE_MAX + 1]


def _date_only_text(element: _Element, now: datetime) -> Found[datetime] | None:
    if not isinstance(element.tag, str) or element.tag in NOT_DATE_LINES:
        return None
    own = _own_text(element)
    if not own or len(own) > DATE_LINE_MAX or text.TICKER_ITEM.search(f" {own}"):
        return None
    # Headlines of other articles (teasers, related links) are never the page's date line.
    if dom.in_navigation(element) or dom.in_link(element) or not _reads_as_date_line(own):
        return None
    parsed = parse_date(own, now=now)
    return Found(parsed, "fallback", raw=own) if parsed else None


TEXT_SEARCH_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
"""Languages htmldate's text search reads dates in (Greek ones are ours: see `date_line`)."""


@cache
def _htmldate() -> Callable[..., str | None]:
    """htmldate's `find_date`, its dateparser fallback told which languages to try.

    Left alone, htmldate has dateparser guess among all of its 200 locales for every candidate
    string, which cost more than the rest of the extraction together on pages without a date.
    """
    import htmldate.extractors
    from dateparser import DateDataParser
    from htmldate import find_date

    parser = DateDataParser(
        languages=list(TEXT_SEARCH_LANGUAGES),
        settings={
            "NORMALIZE": True,
            "PARSERS": ["custom-formats", "absolute-time"],
            "PREFER_DATES_FROM": "past",
            "PREFER_LOCALE_DATE_ORDER": True,
            "RETURN_AS_TIMEZONE_AWARE": False,
            "STRICT_PARSING": True,
        },
    )
    htmldate.extractors.get_external_parser = lambda: parser  # type: ignore[assignment]
    return find_date


def from_htmldate(doc: Document, now: datetime, language: str) -> Found[datetime] | None:
    """htmldate's reading of the page's markup: the last resort, when no rule of ours found one.

    Only its markup search (meta tags, date-classed elements, scripts), never its text search:
    on pages where it was the only source, that search took a copyright line's year for the
    date (`© 2026` → 1 January 2026) four times in five, and the date lines it found beside
    those are ours to read (`date_line`, which knows Greek dates and the crawl-day headers of
    Greek sites). A date it finds must also be one `parse_date` reads, and not after the fetch.
    """
    find_date = _htmldate()
    try:
        # The parsed tree, serialized: the raw HTML would skip every bound the parse applied.
        markup = etree.tostring(doc.root, encoding="unicode")
        found = find_date(markup, extensive_search=False, original_date=True)
    except Exception:  # htmldate raises on markup it cannot parse; then it found nothing
        return None
    parsed = parse_date(found, now=now) if found else None
    if parsed is None or parsed > now + timedelta(days=1) or parsed.date() in _chrome_days(doc):
        return None
    return Found(parsed, "fallback", raw=found)


def _chrome_days(doc: Document) -> set[date]:
    """Days of the `<time>` elements in sidebars and navigation, which our rules refused."""
    days = set()
    for element in doc.root.iter("time"):
        value = (element.get("datetime") or "")[:40]
        if value and dom.in_chrome(element):
            parsed = parse_date(value)
            days |= {parsed.date()} if parsed else set()
    return days

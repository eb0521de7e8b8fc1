"""The article text: paragraphs from the first body rule that finds some, then cleaned.

Rules in order: the site's selector, microdata `articleBody`, the generic density rule
(`density.py`), trafilatura. A rule whose paragraphs the cleanup empties found nothing, and the
next one is asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from lxml.etree import _Element

from newsarchive import text
from newsarchive.dates import parse_date, words_besides_date
from newsarchive.pages import bylines, dom
from newsarchive.pages.document import squash

MIN_BODY_CHARS = 80
"""Less text than a sentence or two: a caption or a share bar, not a body."""
LINK_DENSE = 0.6
"""A paragraph mostly made of links is a list of related articles or tags."""
SIGNATURE_MAX = 80
"""A line naming the site is its signature or slogan when it is this short."""
DATE_ONLY_MAX = 60
NAME_WORDS = 3
"""A person's name is at most three words (`Jonathan M. Gitlin`)."""
EXCERPT_MAX = 700
"""A text this short ending in a read-more link is an excerpt (an aggregator's teaser)."""


FUTURE_WORD = re.compile(r"\b(?:μεθ)?αυριο\b|\btomorrow\b|\b(?:σε|in) \d|\bεπομεν|\bnext\b")
"""Words a date stamp never has (stamps date the past): a line with one is the text's own
(`ΑΥΡΙΟ ΠΑΡΑΣΚΕΥΗ 6/3/2026` opening an announcement)."""
GREEK = re.compile(r"[α-ω]")


def is_stamp(words: list[str]) -> bool:
    """Whether the words beside a date make it a stamp: a place (`Λάρισα, 12 Μαρτίου 2026`) or
    a name signing it (`Jennifer Ouellette – 3/7/2026`). Text that names a date has words of
    its own (`5η αγωνιστική: 30 Μαρτίου – Ελασσόνα`, `Lenovo Tech World: January 6, 2026 |
    Las Vegas, NV`)."""
    return len(words) <= 1 or (len(words) <= NAME_WORDS and all(w[0].isupper() for w in words))


def names_the_future(line: str) -> bool:
    """Whether a line points ahead (`αύριο`, `tomorrow`, `σε 5 ώρες`), in any look-alike."""
    folded = text.fold(line)
    if GREEK.search(folded):  # a Greek line: an all-Latin `AYPIO` is Greek too
        folded = text.fold(line.translate(text.LATIN_LOOKALIKES))
    return FUTURE_WORD.search(folded) is not None


SECOND_OPINION_SHARE = 0.4
"""Below this share of the page's paragraph score, the density rule may have missed text."""
FAR_MORE = 1.5
MIN_ARTICLE_CHARS = 150
"""Less text in sentences than two of them: a gallery, a video page, a cookie box."""


@lru_cache(maxsize=64)  # a page's body rules and its verdict ask again for the same texts
def prose_chars(body_text: str) -> int:
    """Characters of the paragraphs that end like sentences (in any script)."""
    return sum(len(p) for p in body_text.split("\n\n") if text.SENTENCE_END.search(p))


def reads_as_article(body_text: str) -> bool:
    return prose_chars(body_text) >= MIN_ARTICLE_CHARS


def far_more(body_text: str, than: str) -> bool:
    """Whether a text holds far more prose than another (a second opinion worth taking)."""
    return prose_chars(body_text) > prose_chars(than) * FAR_MORE


@dataclass(frozen=True)
class Body:
    """The body a rule found: its raw paragraphs and their cleaned text."""

    rule: str
    paragraphs: list[str]
    """Paragraphs before any cleanup (credit lines are read from these)."""
    text: str
    containers: list[_Element]
    """Where it was found (pictures are taken from there); empty for trafilatura."""


def paragraphs_of(containers: list[_Element], remove_css: tuple[str, ...]) -> list[dom.Paragraph]:
    """The paragraphs of cleaned copies of the containers, without link-dense ones."""
    found: list[dom.Paragraph] = []
    for container in containers:
        found.extend(dom.paragraphs(dom.cleaned_copy(container, remove_css)))
    kept = [paragraph for paragraph in found if paragraph.link_density < LINK_DENSE]
    return kept if sum(len(p.text) for p in kept) >= MIN_BODY_CHARS else []


def from_trafilatura(html: str, url: str) -> list[dom.Paragraph]:
    """trafilatura's text: the last rule, for pages whose markup nothing else reads."""
    import trafilatura  # heavy: imported only when no other rule finds the text

    extracted = trafilatura.extract(html, url=url, include_comments=False, include_tables=False)
    return [dom.Paragraph(line, 0) for line in extracted.split("\n")] if extracted else []


@dataclass(frozen=True)
class Cleanup:
    """What the body must not repeat or keep: the headline, the lead, the site's signature."""

    headline: str
    lead: str | None
    site_names: frozenset[str]
    now: datetime

    def clean(self, lines: list[str]) -> str:
        """The body text: no headline or lead repeated, no date-only lines, no chrome."""
        kept = [line for line in lines if not self.repeats_title(line) and not self.dated(line)]
        if sum(len(line) for line in kept) <= EXCERPT_MAX:
            # An excerpt's own `… Περισσότερα` goes, so the line is not taken for a teaser list's.
            kept = [text.TRAILING_READ_MORE.sub("", line) for line in kept]
        kept = self.without_signatures(kept)
        # The author's initials signing the text are its byline (`bylines.signed`), not its text.
        last = len(kept) - bylines.SIGNATURE_REACH
        kept = [
            line
            for at, line in enumerate(kept)
            if at < last or not bylines.signature(line, self.site_names)
        ]
        # One line per paragraph, its spaces collapsed: `strip_boilerplate` normalizes the whole
        # text (Unicode form, invisible characters, blank lines) in one pass, as
        # `join_paragraphs` would paragraph by paragraph.
        joined = "\n\n".join(" ".join(line.split()) for line in kept)
        return text.without_credit_line(text.strip_boilerplate(joined))

    def repeats_title(self, line: str) -> bool:
        """Whether a body line is the headline or the lead again."""
        for title in (self.headline, self.lead or ""):
            if title and abs(len(line) - len(title)) <= 3 and text.fold(line) == text.fold(title):
                return True
        return False

    def dated(self, line: str) -> bool:
        """Whether a line is only a date (`27.02.2026 | 09:46`)."""
        return (
            len(line) <= DATE_ONLY_MAX
            and any(char.isdigit() for char in line)
            and parse_date(line, now=self.now) is not None
            and not (text.SENTENCE_END.search(line) and len(line.split()) > 6)
            and not names_the_future(line)
            and is_stamp(words_besides_date(line))
        )

    def without_signatures(self, lines: list[str]) -> list[str]:
        """Lines without the site's signature (`Αρχείo Λάρισα News`, `Γ.Δ. kosmoslarissa.gr`)."""
        names = [name for name in self.site_names if len(name) >= 4]
        kept: list[str] = []
        for line in lines:
            squashed = squash(line) if len(line) <= SIGNATURE_MAX and names else ""
            if squashed and any(name in squashed for name in names):
                if kept and len(kept[-1]) < 25 and not text.SENTENCE_END.search(kept[-1]):
                    kept.pop()  # a dangling `από το` that led into the signature
                continue
            kept.append(line)
        return kept

"""Headline and lead: the title without its site suffix, and the subtitle beside it."""

from __future__ import annotations

import re

from lxml.etree import _Element

from newsarchive import text
from newsarchive.pages import dom
from newsarchive.pages.document import TITLE_SEPARATOR, Document, squash
from newsarchive.pages.found import Found

LEAD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:sub-?title|subheading|sub-?head|lead|standfirst|deck|(?<!with-)summary|"
    r"perilipsi|td-post-sub-title|jeg_post_subtitle)(?:$|[\s_-])",
    re.IGNORECASE,
)
"""Class words of a lead. Not Drupal's `field-type-text-with-summary`: that is the body field
(its summary is an excerpt the page does not show)."""
LEAD_CHARS = (20, 400)
"""A lead is a sentence or two: shorter is a label, longer is the text itself."""


def from_h1(doc: Document) -> Found[str] | None:
    if doc.main_h1 is None:
        return None
    return Found(dom.text_of(doc.main_h1), "fallback")


def from_title_tag(doc: Document) -> Found[str] | None:
    return Found(doc.title, "fallback") if doc.title else None


def strip_site_name(title: str, names: frozenset[str]) -> str:
    """A title without a trailing ` - Site`, ` | Site` or `– Site` (names squashed)."""
    while True:
        separators = list(TITLE_SEPARATOR.finditer(title))
        if not separators or squash(title[separators[-1].end() :]) not in names:
            return title.strip()
        title = title[: separators[-1].start()]


def prefer_full_title(title: str, h1: str) -> str:
    """The h1 when the structured title is a cut or suffixed form of it (`Τίτλος…`)."""
    stem = title.rstrip(".… ")
    if (
        h1
        and h1 != title
        and len(h1) > len(stem)
        and h1.startswith(stem)
        and (title.endswith(("…", "...")) or len(stem) >= 0.6 * len(h1))
    ):
        return h1
    if h1 and title.startswith(h1) and TITLE_SEPARATOR.match(title[len(h1) :]):
        return h1
    return title


SHOWN_OVERLAP = 0.2
"""Share of the shorter title's words the h1 must have in common with the structured title to
be the same article's headline shown in another wording (an SEO or social title): below it the
h1 may be a section's or a widget's."""
MAX_HEADLINE_CHARS = 300
_PUNCTUATION = {ord(c): " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~«»“”‘’–—…·"}


def _words(title: str) -> list[str]:
    return text.fold(title).translate(_PUNCTUATION).split()


def is_shown_headline(title: str, h1: str) -> bool:
    """Whether the page's h1 is the headline it shows for an article whose structured title
    (`og:title`, JSON-LD) is worded otherwise, and so the record's headline.

    Not when the two differ only in case or punctuation (capitals set by the page's CSS and
    typed in, quotes), nor when the h1 holds the title and more (a kicker, a date or the
    subtitle run into it), nor when the h1 has a character its page's bytes lost: the
    structured title is then the cleaner of the two.
    """
    if not h1 or len(h1) > MAX_HEADLINE_CHARS or "\ufffd" in h1:  # a byte the page lost
        return False
    title_words, h1_words = _words(title), _words(h1)
    if not title_words or f" {' '.join(title_words)} " in f" {' '.join(h1_words)} ":
        return False
    shared = len(set(title_words) & set(h1_words))
    return shared >= SHOWN_OVERLAP * min(len(set(title_words)), len(set(h1_words)))


def clean_headline(doc: Document, found: Found[str]) -> Found[str]:
    """The title without the site's name; the h1 instead of a cut structured title, or of one
    worded otherwise than the headline the page shows."""
    title = strip_site_name(text.normalize_line(found.value), doc.squashed_site_names)
    h1 = from_h1(doc)
    if h1 is None or found.rule == "selector":
        return Found(title, found.rule)
    shown = text.normalize_line(h1.value)
    if is_shown_headline(title, shown):
        return Found(shown, h1.rule)
    return Found(prefer_full_title(title, shown), found.rule)


def headline_element(doc: Document, headline: str) -> _Element | None:
    """The element showing the headline: the main `<h1>`, or the h2/h3 with its text (K2)."""
    if doc.main_h1 is not None:
        return doc.main_h1
    wanted = text.fold(headline)
    if not wanted:
        return None
    return next((e for e in doc.root.iter("h2", "h3") if text.fold(dom.text_of(e)) == wanted), None)


def lead_near_h1(doc: Document) -> Found[str] | None:
    """A subtitle element beside the headline (`td-post-sub-title`, `.subtitle`, `.lead`)."""
    h1 = doc.main_h1
    if h1 is None:
        return None
    for scope in (h1.getparent(), *list(dom.ancestors(h1))[1:2]):
        if scope is None:
            continue
        for element in scope.iter():
            if element is h1 or not isinstance(element.tag, str):
                continue
            marks = f"{element.get('class') or ''} {element.get('id') or ''}"
            value = dom.text_of(element) if LEAD_CLASS.search(marks) else ""
            if LEAD_CHARS[0] <= len(value) <= LEAD_CHARS[1]:
                return Found(value, "fallback")
    return None

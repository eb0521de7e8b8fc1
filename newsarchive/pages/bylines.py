"""Bylines: author names from structured data, byline elements and rel=author links, cleaned."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml.etree import _Element

from newsarchive import text
from newsarchive.pages import dom, metadata
from newsarchive.pages.document import squash

BYLINE_LABEL = re.compile(
    r"^(?:συντάκτης|συντάκτρια|συντάκτες|επιμέλεια|γράφει ο|γράφει η|γράφουν οι|γράφει|"
    r"γράφτηκε από|"
    r"του|της|των|από|by|posted by|author)\s*:?\s+",
    re.IGNORECASE,
)
INITIAL_END = re.compile(r"(?:^|[\s.])[^\W\d_]\.$")
"""A name ending in an initial keeps its period: `Β.Μ.`, `Γιάννης Π.`."""
NOT_A_PERSON = frozenset({"admin", "administrator", "newsroom", "συνταξη", "editor", "webmaster"})
"""Bylines that name a CMS account or the desk, not a person."""
BYLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:author|byline|writer|itemAuthor)(?:$|[\s_-]|-?name)", re.I
)
NAME_MAX = 60
"""Longer than a name: a sentence or a whole byline block."""
SIGNATURE = re.compile(
    r"^(?P<initials>(?:[Α-ΩΆ-ΏA-Z]\.\s?){1,3}[Α-ΩΆ-ΏA-Z]\.?)(?:\s+(?P<site>\S{4,40}))?$"
)
"""A text signed with its author's initials on its last line: `Α.Π`, `Χ.Ψ.`, `Γ.Δ. site.gr`."""


def signature(line: str, site_names: frozenset[str]) -> str | None:
    """The initials a signature line gives (followed by nothing or by the site's name)."""
    match = SIGNATURE.match(line.strip())
    if match is None:
        return None
    site = squash(match["site"]) if match["site"] else ""
    if site and not any(name and name in site for name in site_names):
        return None
    return match["initials"]


SIGNATURE_REACH = 2
"""A signature is the text's last line, or the one before its source or photo line."""


def signed(paragraphs: list[str], site_names: frozenset[str]) -> list[str]:
    """The initials signing the text, within its last SIGNATURE_REACH lines."""
    for paragraph in paragraphs[-SIGNATURE_REACH:][::-1]:
        initials = signature(paragraph, site_names)
        if initials:
            return [initials]
    return []


def near_headline(anchor: _Element | None) -> list[str]:
    """The text of an `author`/`byline`-classed element in the headline's block."""
    scope = anchor.getparent() if anchor is not None else None
    for block in (scope, scope.getparent() if scope is not None else None):
        if block is None:
            continue
        for element in block.iter():
            marks = f"{element.get('class') or ''} {element.get('id') or ''}"
            if isinstance(element.tag, str) and BYLINE_CLASS.search(marks):
                names = [dom.text_of(a) for a in element.iter("a")] or [dom.text_of(element)]
                names = [name for name in names if 0 < len(name) <= NAME_MAX]
                if names:
                    return names
    return []


def microdata_authors(scope: _Element | None) -> list[str]:
    if scope is None:
        return []
    return [metadata.microdata_value(e) for e in metadata.microdata(scope, "author")]


def named_meta(root: _Element, names: tuple[str, ...]) -> list[str]:
    """`<meta name=…>` contents (not `itemprop`: a CMS login outside any article scope)."""
    return [
        str(meta.get("content")).strip()
        for meta in root.iter("meta")
        if (meta.get("name") or meta.get("property") or "").strip().lower() in names
        and (meta.get("content") or "").strip()
    ]


def rel_author_links(root: _Element) -> list[str]:
    return [dom.text_of(a) for a in root.iter("a") if dom.has_rel(a, "author")]


def clean(names: Iterable[str], site_names: frozenset[str]) -> list[str]:
    """Bylines without labels, URLs, desk accounts or the site's own name (names squashed)."""
    cleaned = []
    for name in names:
        name = BYLINE_LABEL.sub("", text.normalize_line(name)).strip(" ,-–|")
        name = name.lstrip(".") if INITIAL_END.search(name) else name.strip(".")
        squashed = squash(name)
        if (
            name
            and "://" not in name
            and len(name) <= NAME_MAX
            and squashed not in site_names
            and not any(squashed.startswith(s) or squashed.endswith(s) for s in site_names if s)
            and text.fold(name) not in NOT_A_PERSON
        ):
            cleaned.append(name)
    return unique(cleaned)


def unique(values: Iterable[str]) -> list[str]:
    """Values in first-seen order, without duplicates or empty ones."""
    return list(dict.fromkeys(value for value in values if value))

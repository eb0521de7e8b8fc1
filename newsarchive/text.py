"""Text normalization: Unicode and whitespace cleanup, boilerplate stripping, search folding."""

from __future__ import annotations

import hashlib
import html
import operator
import re
import unicodedata
from collections.abc import Iterable, Sequence

INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
SPACES_TO_FIX = re.compile(
    r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000][ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*"
    r"| [ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+"
)
"""The runs of `SPACES` other than a lone space (which `SPACES` would replace by itself)."""
BLANK_RUN = re.compile(r"\n{3,}")

LATIN_LOOKALIKES = str.maketrans("ABEHIKMNOPTXYZaikopuvxy", "ΑΒΕΗΙΚΜΝΟΡΤΧΥΖαικορυνχγ")
"""Latin letters that look like Greek ones, as those Greek letters: the one table of `fold`
and `dates.fold_for_dates`. All fourteen look-alike capitals (`ΛAΡIΣA`, `Kαρδίτσα`), and only
the small letters drawn the same way: `p` is `ρ` (not the `π` of the Greek keyboard), `v` is
`ν`, `u` is `υ`, `y` is `γ`; `b`, `e`, `h`, `m`, `n`, `t`, `z` look like no small Greek letter."""
GREEK_LETTER = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
WORD = re.compile(r"[\w\u0300-\u036f]+")
"""A word, with its combining accents (decomposed text)."""


OTHER_SPACE = re.compile(r"[^\S \n]")
"""Whitespace that `SPACES` leaves alone but `str.strip` takes off a line's ends (`\u2028`)."""


def normalize(text: str) -> str:
    """NFC, no invisible characters, single spaces, trimmed lines, at most one blank line."""
    text = _visible_nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    # Spaces collapsed in the whole text at once (`SPACES` never spans a line break), so a
    # line's ends hold at most one space each: replaced in C, not stripped line by line.
    text = SPACES_TO_FIX.sub(" ", text)
    if OTHER_SPACE.search(text):
        text = "\n".join(line.strip() for line in text.split("\n"))
    else:
        text = text.replace(" \n", "\n").replace("\n ", "\n")
    return _single_blank_lines(text).strip()


def _single_blank_lines(text: str) -> str:
    """At most one blank line in a row (the regex only where a run is, found in C)."""
    return BLANK_RUN.sub("\n\n", text) if "\n\n\n" in text else text


def _visible_nfc(text: str) -> str:
    """The text in NFC, without invisible characters."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return INVISIBLE.sub("", text)


ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
"""A character reference written out in full (`&amp;`, `&#8211;`, `&#x2019;`): never `&copy`
without its `;`, which in text like `R&D &copy notes` is no reference."""


def unescape_entities(text: str) -> str:
    """Character references left in text as written, decoded, twice at most: JSON-LD is not
    HTML, so a CMS's `&#8211;` in it stays one, and a title escaped twice (`&amp;#8230;`)
    keeps one after the parser."""
    for _ in range(2):
        if "&" not in text or ENTITY.search(text) is None:
            break
        text = ENTITY.sub(lambda match: html.unescape(match[0]), text)
    return text


def normalize_line(text: str) -> str:
    """`normalize`, then everything on one line."""
    # `normalize` only turns whitespace into other whitespace, which the split drops anyway.
    return " ".join(_visible_nfc(text).split())


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """Paragraphs as one text, one blank line between them; empty ones dropped."""
    cleaned = (normalize_line(paragraph) for paragraph in paragraphs)
    return "\n\n".join(paragraph for paragraph in cleaned if paragraph)


def fix_lookalikes(text: str) -> str:
    """Latin look-alike capitals and letters inside Greek words, replaced by the Greek ones."""

    def repair(match: re.Match[str]) -> str:
        word = match[0]
        if not GREEK_LETTER.search(word):
            return word
        return word.translate(LATIN_LOOKALIKES)

    return WORD.sub(repair, text)


def strip_accents(text: str) -> str:
    """Text without accents or diaeresis (NFC again afterwards)."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare)


COMBINING_MARK = re.compile(r"[\u0300-\u036f]")


MIXED_SCRIPT = re.compile(
    r"[A-Za-z][\u0300-\u036f]*[\u0370-\u03ff\u1f00-\u1fff]"
    r"|[\u0370-\u03ff\u1f00-\u1fff][\u0300-\u036f]*[A-Za-z]"
)
"""A Latin letter touching a Greek one, accents between allowed: the only words
`fix_lookalikes` changes."""


def fold(text: str) -> str:
    """Search key: lower case, no accents, final ς→σ, Latin look-alikes in Greek words → Greek."""
    return " ".join(fold_tokens(text))


def fold_tokens(text: str) -> Sequence[str]:
    """The space-separated parts of `fold(text)`, which joins them with spaces."""
    # Each step of a fold works within a run of non-space characters (Unicode's decomposition
    # and composition, lower case, the look-alike repair of each word), so the text is folded
    # token by token, each token once: the look-alikes are repaired in every token, as in the
    # whole text, when any token has a Latin letter touching a Greek one.
    tokens = text.split()
    cache = _tokens()
    folded = cache.of(tokens)
    if cache.mixed and not cache.mixed.isdisjoint(tokens):
        folded = [cache.repaired_fold(token) for token in tokens]
    if "" in folded:
        folded = [token for token in folded if token]
    return folded


def _fold_whole(text: str, repair: bool | None = None) -> str:
    """`fold` of a text in one piece: repairing look-alikes where `repair` says, else where
    the text has a Latin letter touching a Greek one."""
    # Decomposed first, so that an accented Latin look-alike (`Eλασσóνα`) is a bare letter.
    text = unicodedata.normalize("NFD", text)
    if repair or (repair is None and MIXED_SCRIPT.search(text)):
        text = fix_lookalikes(text)
    bare = COMBINING_MARK.sub("", text.lower())
    return " ".join(unicodedata.normalize("NFC", bare).replace("ς", "σ").split())


TOKENS_KEPT = 200_000
"""Folded tokens kept by `fold` (a few hundred bytes each at most); past this it starts again."""


class _FoldedTokens:
    """Each token's fold without look-alike repair, the tokens that need the repair (a Latin
    letter touching a Greek one), and the repaired folds of tokens met in such texts."""

    def __init__(self) -> None:
        self.folded: dict[str, str] = {}
        self.mixed: set[str] = set()
        self.repaired: dict[str, str] = {}

    def of(self, tokens: list[str]) -> Sequence[str]:
        """The tokens' folds (without repair), new tokens folded and learnt."""
        if len(tokens) < 2:
            return [self.folded.get(token) or self._add(token) for token in tokens]
        try:
            found: tuple[str, ...] = operator.itemgetter(*tokens)(self.folded)
        except KeyError:
            for token in set(tokens).difference(self.folded):  # the new ones, found in C
                self._add(token)
            found = operator.itemgetter(*tokens)(self.folded)
        return found

    def _add(self, token: str) -> str:
        if MIXED_SCRIPT.search(unicodedata.normalize("NFD", token)):
            self.mixed.add(token)
        folded = self.folded[token] = _fold_whole(token, repair=False)
        return folded

    def repaired_fold(self, token: str) -> str:
        found = self.repaired.get(token)
        if found is None:
            found = self.repaired[token] = _fold_whole(token, repair=True)
        return found


_folded = _FoldedTokens()


def _tokens() -> _FoldedTokens:
    """The tokens known, started again when full (a new object: a thread folding meanwhile
    keeps the one it has)."""
    global _folded
    if len(_folded.folded) >= TOKENS_KEPT:
        _folded = _FoldedTokens()
    return _folded


def content_hash(*parts: str | None) -> str:
    """SHA-256 of the given texts, so that an unchanged article hashes the same."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update((part or "").encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


# --- boilerplate --------------------------------------------------------------------------
# Patterns run on `fold`ed lines (lower case, no accents, final sigma as σ), so that `ΔΕΙΤΕ ΕΠΙΣΗΣ`,
# `Δείτε επίσης` and `δειτε επισης` are one case. They describe kinds of chrome (SITES.md §4),
# not a list of the phrases seen.

TICKER_ITEM = re.compile(
    r"(?:^|\s)-\s*[A-ZΑ-ΩΆ-Ώ][A-ZΑ-ΩΆ-Ώ ]{2,30}\s*\|\s*\d{1,2}\.\d{1,2}\.\d{4}\s*\|\s*\d{1,2}:\d{2}"
)
"""A thessaliatv-style ticker marker `- ΚΑΡΔΙΤΣΑ | 09.02.2026 | 10:55` (crawl-time news)."""

SOCIAL_WORDS = frozenset(
    "facebook twitter x youtube instagram rss feed viber linkedin pinterest tiktok email "
    "e-mail messenger whatsapp telegram google news share κοινοποιηση μοιραστειτε print "
    "εκτυπωση on".split()
)

SHORT_LINE = 200
"""Chrome lines are short; an article sentence that mentions the same words is longer."""
CREDIT_LINE_MAX = 120

# Each group is matched as whole folded lines; the groups for short lines only where the line
# is that short, and the words of `CHROME_WORDS` anywhere in a short line. Split so, the lines
# that mention no chrome fail each group at once: a pattern reading `.*\bword\b.*` tried at
# every line's every position costs more than all the other rules of the cleanup.
CHROME_PATTERNS = (
    # related-content links and block headings
    r"(?:διαβαστε|διαβασε|δειτε|δεσ|διαβαστε) (?:επισησ|ακομη|ακομα|και|εδω|ολεσ|"
    r"περισσοτερα|το βιντεο|τισ φωτογραφιεσ|φωτογραφιεσ|εικονεσ|βιντεο)\b.*",
    r"(?:σχετικα|παρομοια|προτεινομενα|τελευταια|προσφατα) (?:αρθρα|νεα|θεματα|ειδησεισ)\b.*",
    r"(?:διαβαζονται|διαβαστηκαν) (?:τωρα|παντα|περισσοτερο)\b.*",
    r"τα πιο (?:δημοφιλη|διαβασμενα|πολυσυζητημενα)\b.*|δημοφιλη|ροη ειδησεων|πρωτοσελιδο",
    r"(?:προηγουμενο|επομενο) (?:αρθρο|αρθρο:)\b.*|(?:previous|next) (?:article|post)\b.*",
    r"αρθρα στην στηλη\b.*|posts in tag\b.*|(?:περισσοτερα|αλλα) (?:απο|στην?) .{0,40}",
    # share prompts, counters
    r"(?:share on \w+\s*)+|κοινοποιησεισ|αναγνωσεισ|προβολεσ|share|tweet|pin it",
    # comments
    r"(?:αφηστε|αφησε|γραψτε|γραψε|προσθεστε|υποβολη) (?:μια|ενα|το|τη)? ?(?:απαντηση|σχολιο)\b.*",
    r"(?:δεν υπαρχουν|κανενα|\d+) σχολι(?:α|ο)\b.*|σχολια(?: \(\d+\))?|σχολιαστε\b.*",
    r"πειτε τη γνωμη σασ\b.*|δημοσιευση σχολιου\b.*|leave a (?:reply|comment)\b.*",
    r"(?:το|η) (?:email|ηλ\. ταχυδρομειο) σασ δεν θα δημοσιευθει\b.*",
    # copyright, terms and cookie notices
    r"απαγορευεται (?:η|ρητα η) (?:αναδημοσιευση|αναπαραγωγη|χρηση)\b.*",
    r"οροι χρησησ\b.*|πολιτικη (?:απορρητου|cookies)\b.*",
    r"(?:αποδοχη|αποδεχομαι|απορριψη|συμφωνω|ρυθμισεισ)(?: ολων)?(?: cookies)?|accept(?: all)?",
    # labels, counters and widgets
    r"διαφημιση|advertisement|χορηγουμενο|sponsored|φορτωση.*|loading.*|κανενα αποτελεσμα",
    r"(?:tags|ετικετεσ|λεξεισ[ -]κλειδια|θεματα)\s*:.*",
    r"(?:κατηγορια|κατηγοριεσ|categor(?:y|ies)|filed under)\s*:.{0,80}",
    r"χρονοσ αναγνωσησ\b.*|\d+ min read|\d+['’΄] (?:διαβασμα|αναγνωση)\b.*",
    r"reading: .*|administrator\b.*|published \d.*|last updated\b.*|volos weather|find us!?",
    r"ειδησεισ, νεα για .{2,30}|"  # thessaliatv's section header
    r"συνεχησ ενημερωση.*|τελευταια ενημερωση\b.*|ενημερωθηκε\b.*",
    # read-more links
    r"\(?(?:φωτο|φωτογραφια|φωτογραφιεσ) αρχειου\)?\.?|\(?φωτο\)?",
    r"(?:διαβαστε|δειτε|διαβασε)?\s*(?:περισσοτερα|ολοκληρο το αρθρο|τη συνεχεια)\s*"
    r"(?:στο .{0,40}|\.\.\.|…|»|>>)?|read more.*|συνεχεια\s*(?:»|…|\.\.\.)",
)
ANY_CHROME_WORDS = (
    # (a piece every match holds, the pattern), as in SHORT_CHROME_WORDS
    ("uses cookies", r"\buses cookies\b"),
    ("περισσοτερα", r"(?:…|\.\.\.) περισσοτερα$"),
)
SHORT_CHROME_PATTERNS = (
    # follow, share and newsletter prompts
    r"(?:ελατε|μπειτε|γινετε μελοσ) .*\b(?:viber|ομαδα|καναλι|κοινοτητα)\b.*",
    r"(?:μοιραστειτε|μοιρασου|κοινοποιηστε|κοινοποιησε|share)\b.*",
    # copyright
    r"(?:©|\(c\)|copyright).*",
    # a CMS's submitted line (Drupal: `Υποβλήθηκε από X στις <date>`, `Submitted by X on …`)
    r"(?:υποβληθηκε|submitted) (?:απο|by) .{1,60} (?:στισ|on) .{4,40}",
)
SHORT_CHROME_WORDS = (
    # (a piece every match holds, the pattern): the pieces are searched first (below)
    ("ακολουθ|follow", r"\b(?:ακολουθηστε|ακολουθησε|ακολουθειστε|follow)\b"),
    (" like", r"\b(?:κανε|κανετε|δωστε) like\b"),
    (
        "εγγραφ|γραφτειτε|subscribe|sign ",
        r"\b(?:εγγραφειτε|εγγραφου|γραφτειτε|subscribe|sign (?:in|up))\b",
    ),
    ("newsletter", r"\bnewsletter\b"),
    ("©", r"©\s*(?:\d{4}|copyright)"),
    (
        "all rights reserved|επιφυλαξη παντοσ δικαιωματοσ",
        r"(?:all rights reserved|επιφυλαξη παντοσ δικαιωματοσ)",
    ),
    (" cookies", r"\b(?:χρησιμοποιουμε|χρησιμοποιει) cookies\b"),
)
CREDIT_PATTERN = (
    # photo and video credits
    r"\(?(?:φωτο|φωτογραφια|φωτογραφιεσ|φωτ\.|photos?|credits?|πηγη φωτογραφιασ|"
    r"βιντεο|video|φωτο-? ?βιντεο)\s*(?:αρχειου)?\s*[:/\-–].*"
)


def _whole_lines(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"^(?:" + "|".join(patterns) + r")$")


CHROME_LINE = _whole_lines(CHROME_PATTERNS)
"""Whole lines of site chrome, matched against the folded line."""
SHORT_CHROME_LINE = _whole_lines(SHORT_CHROME_PATTERNS)
"""Whole lines of chrome if at most `SHORT_LINE` long."""
ANYWHERE_CHROME = re.compile("|".join(pattern for _, pattern in ANY_CHROME_WORDS))
"""A cookie notice or an excerpt's read-more, however long the line."""
CHROME_WORDS = re.compile("|".join(pattern for _, pattern in SHORT_CHROME_WORDS))
"""Prompts and notices that make chrome of a line at most `SHORT_LINE` long."""
CHROME_WORD_HINTS = re.compile("|".join(piece for piece, _ in SHORT_CHROME_WORDS))
"""A piece of text that each of `SHORT_CHROME_WORDS` holds: a line without any has none of them
(found four times faster than by `CHROME_WORDS`, whose leading `\\b` makes it try every place)."""
ANYWHERE_HINTS = tuple(piece for piece, _ in ANY_CHROME_WORDS)
"""A piece of text that each of `ANY_CHROME_WORDS` holds."""
CREDIT_CHROME_LINE = _whole_lines((CREDIT_PATTERN,))
"""A picture's credit, if the line is at most `CREDIT_LINE_MAX` long."""

BLOCK_HEADING = re.compile(
    r"^(?:σχετικα (?:αρθρα|νεα|θεματα)|διαβαζονται τωρα|τα πιο (?:δημοφιλη|διαβασμενα)|"
    r"διαβαστε επισησ|δειτε επισησ|δειτε ακομα|δειτε ακομη|διαβαστε ακομη|δημοφιλη|"
    r"περισσοτερα νεα|τελευταια νεα|ροη ειδησεων|related(?: posts| articles)?|you may also like)"
    r"\s*:?$"
)
"""Headings of a related-links block: the titles under them are chrome too."""

CHROME_LINE_MAX = 300
"""Longer lines are article text, whatever words they start with."""
BARE_NUMBER = re.compile(r"^[\d.,:/ ]+$")
"""View counts and stray numbers on their own line (larisanews theme)."""
SENTENCE_MARK = ".!?;…。！？।॥؟"
"""Sentence ends in any script: Latin and Greek (`;` is the Greek question mark after NFC),
CJK full stops, Devanagari dandas, the Arabic question mark."""
SENTENCE_END = re.compile(f'[{SENTENCE_MARK}]["”’»)」』]*$|[»"”)]$')
SENTENCE_IN = re.compile(f"[{SENTENCE_MARK}»]")


def _is_social_line(folded: str) -> bool:
    words = folded.replace("/", " ").replace("|", " ").split()
    return bool(words) and all(word in SOCIAL_WORDS for word in words)


def is_chrome_line(line: str) -> bool:
    """Whether a whole line is site chrome (a prompt, a label, a credit, a footer)."""
    return len(line) <= CHROME_LINE_MAX and _is_chrome_folded(_fold_line(line))


def _fold_line(line: str) -> str:
    return fold(line).strip(" :-–|•·") if len(line) <= CHROME_LINE_MAX else ""


def _is_chrome_folded(folded: str) -> bool:
    if CHROME_LINE.match(folded) or _anywhere_chrome(folded):
        return True
    if _is_social_line(folded) or BARE_NUMBER.match(folded):
        return True
    if len(folded) > SHORT_LINE:
        return False
    if SHORT_CHROME_LINE.match(folded) or (
        CHROME_WORD_HINTS.search(folded) and CHROME_WORDS.search(folded)
    ):
        return True
    return len(folded) <= CREDIT_LINE_MAX and CREDIT_CHROME_LINE.match(folded) is not None


def _anywhere_chrome(folded: str) -> bool:
    """`ANYWHERE_CHROME` found, searched only in the lines that hold what it needs."""
    hinted = any(piece in folded for piece in ANYWHERE_HINTS)
    return hinted and ANYWHERE_CHROME.search(folded) is not None


def _cut_ticker(lines: list[str]) -> list[str]:
    """Lines without a ticker block: from its first marker to the title after its last one."""
    # A marker in a line is one in the whole text (a line starts after a `\n`, a space to
    # the pattern): most texts have none, found by one search instead of one per line.
    joined = "\n".join(lines)
    if "|" not in joined or TICKER_ITEM.search(joined) is None:  # a marker has a `|`
        return lines
    marked = [index for index, line in enumerate(lines) if TICKER_ITEM.search(line)]
    if len(marked) < 2:
        return [line for line in lines if not TICKER_ITEM.match(line)]
    end = marked[-1] + 1
    if end < len(lines) and lines[end].strip():  # the last marker's own headline
        end += 1
    return lines[: marked[0]] + lines[end:]


def _drop_link_blocks(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(line, folded) pairs without related-link blocks: a block heading and the titles under it."""
    kept: list[tuple[str, str]] = []
    in_block = False
    for line, folded in lines:
        if BLOCK_HEADING.match(folded):
            in_block = True
            continue
        if in_block and line and (len(line) > 160 or SENTENCE_END.search(line)):
            in_block = False
        if not in_block:
            kept.append((line, folded))
    return kept


def strip_boilerplate(text: str) -> str:
    """Text without tickers, site chrome and prompts; every sentence of the article kept."""
    lines = _cut_ticker(normalize(text).split("\n"))
    folded = _drop_link_blocks([(line, _fold_line(line)) for line in lines])
    kept = [line for line, key in folded if not (line and key and _is_chrome_folded(key))]
    # The lines are `normalize`'s already (NFC, spaces collapsed, trimmed): dropping some only
    # leaves blank runs and blank ends, what `normalize` would fix here.
    return _single_blank_lines("\n".join(kept)).strip()


CREDIT_LINE = re.compile(r"^(?:πηγή|source|via)\s*:\s*(?P<source>.{2,80})$", re.IGNORECASE)
"""A `Πηγή: …` line crediting the text's source."""
HOST_LINE = re.compile(r"^(?:https?://)?(?:www\.)?(?P<source>(?:[a-z0-9-]+\.)+[a-z]{2,})/?$", re.I)
"""A line that is only a site's name (`tirnavospress.gr`): the source of a republished text,
or the site's own signature."""


def credit_of(line: str) -> str | None:
    """The source a credit line names: `Πηγή: ΑΠΕ-ΜΠΕ`, or a bare `tirnavospress.gr`."""
    match = CREDIT_LINE.match(line) or HOST_LINE.match(line)
    return match["source"].strip(" .") if match else None


TRAILING_READ_MORE = re.compile(
    r"\s*(?:\.\.\.|…)?\s*(?:διαβάστε |δείτε )?(?:περισσότερα|read more)\s*(?:\.\.\.|…|»)?$",
    re.IGNORECASE,
)


def without_credit_line(body_text: str) -> str:
    """A body without the trailing `Πηγή: …` credit or read-more link."""
    paragraphs = body_text.split("\n\n")
    while paragraphs and credit_of(paragraphs[-1]):
        paragraphs.pop()
    if paragraphs:
        paragraphs[-1] = TRAILING_READ_MORE.sub("", paragraphs[-1]).rstrip()
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)

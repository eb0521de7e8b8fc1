"""The search language: what a user types, as a tree of index terms (`parse`; the tree in
`newsarchive.search.tree`), with that tree as an FTS5 and a PostgreSQL tsquery expression
(`to_fts5`, `to_tsquery`) and a pure evaluator of it over a text (`matches`), the reference both
databases are tested against (from `newsarchive.search.expressions`, re-exported here).

The language:

- words: every one must be in the article (`Λάρισα πλημμύρα`); a bare `AND` between words is
  accepted too. Case, accents, final sigma and Latin look-alike capitals do not matter, and a word
  finds its other case forms (`Λαρίσης` finds `Λάρισα`): words are compared as index terms
  (`newsarchive.search.tokens`).
- `"a phrase"`: these words one right after the other (`"Νέα Ιωνία"`).
- `OR` (upper case) or `|`: either side (`Βόλος OR Λάρισα`).
- `-word`, `-"a phrase"`, `-(a group)` or `NOT word`: must not be in the article.
- `prefix*`: any word starting so (`πλημμυρ*`), with at least 2 letters before the `*`; a whole
  word in any case form works too (`Λάρισας*` finds `Λάρισα`: its stem is used).
- parentheses group: `(Βόλος OR Λάρισα) πλημμύρα`. NOT binds tightest, then AND, then OR, so
  `Βόλος πλημμύρα OR Λάρισα` is `(Βόλος πλημμύρα) OR Λάρισα`.
- a word of several index terms (`Covid-19`, `e-mail`) is a phrase of them; punctuation alone
  is ignored (a `-` between spaces too); lower-case `or`, `and`, `not` are ordinary words.

A search must have something to find: `-Λάρισα` alone, or an OR side that only leaves words out
(`Βόλος OR -Λάρισα`), is refused, as are more than MAX_TERMS words, words longer than
MAX_WORD_LENGTH characters, more than MAX_DEPTH nested parentheses and searches longer than
MAX_LENGTH characters. Every refusal is a BadQueryError of one line saying what to change, with
an example.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsarchive.search.expressions import matches, pieces, to_fts5, to_tsquery
from newsarchive.search.tokens import index_terms, term
from newsarchive.search.tree import And, Node, Not, Or, Phrase, Query, Term
from newsarchive.text import fold

__all__ = [
    "And",
    "BadQueryError",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "Query",
    "Term",
    "matches",
    "parse",
    "to_fts5",
    "to_tsquery",
]

MAX_TERMS = 50
"""A search has at most this many index terms (each word is one, `Covid-19` two)."""
MAX_WORD_LENGTH = 200
"""A search word has at most this many characters (no Greek or Latin word comes near)."""
MAX_LENGTH = 20_000
"""A search has at most this many characters (50 long words and their operators fit)."""
MAX_DEPTH = 10
"""Parentheses nest at most this deep."""
MIN_PREFIX = 2
"""Letters a prefix needs before its `*`."""

EXAMPLES = {
    "word": "e.g. Λάρισα πλημμύρα",
    "quote": 'e.g. "Νέα Ιωνία"',
    "group": "e.g. (Βόλος OR Λάρισα) πλημμύρα",
    "OR": "e.g. Βόλος OR Λάρισα",
    "|": "e.g. Βόλος | Λάρισα",
    "AND": "e.g. Βόλος AND Λάρισα",
    "NOT": "e.g. Λάρισα NOT Βόλος",
    "-": "e.g. Λάρισα -Βόλος",
    "prefix": "e.g. πλημμυρ*",
}


class BadQueryError(ValueError):
    """A search that cannot be run as written; its message (one line) says what to change."""


# --- words and phrases --------------------------------------------------------------------------

FOLDED_WORD = re.compile(r"\w+")
"""A word of folded text, as `tokens.index_terms` splits it."""
SCAN = re.compile(
    r'(?P<space>\s+)|(?P<phrase>"[^"]*"\*?)|(?P<quote>")|(?P<op>[()|])|(?P<chunk>[^\s()|"]+)'
)
KEYWORDS = {"OR": "or", "AND": "and", "NOT": "not"}
OPERATORS = {"(": "(", ")": ")", "|": "or"}


def _prefix(word: str, folded: str, stem: str) -> Term:
    """A word typed with `*` as a prefix term: its stem if that starts it, else the folded word."""
    if len(folded) < MIN_PREFIX:
        raise BadQueryError(
            f"prefix {word} is too short: give at least {MIN_PREFIX} letters before *, "
            + EXAMPLES["prefix"]
        )
    return Term(stem if folded.startswith(stem) and len(stem) >= MIN_PREFIX else folded, True)


def _word_terms(word: str) -> list[Term]:
    """The terms of one typed word (a trailing `*` makes the last one a prefix)."""
    bare = word.rstrip("*")
    folded = FOLDED_WORD.findall(fold(bare))
    if not folded:
        return []
    longest = max(folded, key=len)
    if len(longest) > MAX_WORD_LENGTH:
        raise BadQueryError(
            f"search word of {len(longest)} characters: give words of at most "
            f"{MAX_WORD_LENGTH}, or the start of one with *, " + EXAMPLES["prefix"]
        )
    stems = index_terms(bare)  # one per folded word
    terms = [Term(piece) for stem in stems for piece in pieces(stem)]
    last = pieces(folded[-1])
    if bare == word or not last:
        return terms
    if pieces(stems[-1]):  # the last word's term (none when its stem is empty) is the prefix's
        terms.pop()
    return [*terms, _prefix(word, last[-1], term(last[-1]))]


def _node(terms: list[Term]) -> Term | Phrase | None:
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else Phrase(tuple(terms))


def _phrase(text: str) -> Term | Phrase | None:
    """A quoted phrase (`"a b"`, or `"a b"*` for a prefix last word)."""
    words = text[1 : text.rindex('"')].split()
    if text.endswith("*") and words:
        words[-1] += "*"
    return _node([term for word in words for term in _word_terms(word)])


# --- tokens -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str
    """`word` (a word or phrase), `or`, `and`, `not`, `(` or `)`."""
    text: str
    """As typed (for messages)."""
    node: Term | Phrase | None = None
    """A word's or phrase's terms; None for punctuation."""


def _nothing_after(operator: str) -> BadQueryError:
    what = "the word to leave out" if operator in ("NOT", "-") else "a word"
    return BadQueryError(
        f"{operator} with nothing after it: put {what} right after it, " + EXAMPLES[operator]
    )


def _chunk(chunk: str, after: str, *, last: bool) -> list[_Token]:
    """The tokens of a run of text between spaces, quotes and parentheses; `after` is the
    character after it, `last` whether only spaces follow."""
    if chunk in KEYWORDS:
        return [_Token(KEYWORDS[chunk], chunk)]
    word = chunk.lstrip("-")
    nots = [_Token("not", "-")] * (len(chunk) - len(word))
    if word:
        return [*nots, _Token("word", word, _node(_word_terms(word)))]
    if after in ('"', "("):
        return nots
    if last or after in (")", "|"):
        raise _nothing_after("-")
    return [_Token("word", chunk)]  # a dash between words


def _size(node: Term | Phrase | None) -> int:
    if node is None:
        return 0
    return len(node.terms) if isinstance(node, Phrase) else 1


def _tokens(text: str) -> Iterator[_Token]:
    """The search's tokens; raises as soon as there are more than MAX_TERMS terms."""
    count = 0
    end = len(text.rstrip())
    for match in SCAN.finditer(text):
        kind, found = match.lastgroup, match[0]
        if kind == "space":
            continue
        if kind == "quote":
            raise BadQueryError(
                'unclosed quote: end the phrase with another ", ' + EXAMPLES["quote"]
            )
        if kind == "op":
            yield _Token(OPERATORS[found], found)
            continue
        if kind == "phrase":
            tokens = [_Token("word", found, _phrase(found))]
        else:
            after = text[match.end() : match.end() + 1]
            tokens = _chunk(found, after, last=match.end() >= end)
        for token in tokens:
            count += _size(token.node)
            if count > MAX_TERMS:
                raise BadQueryError(
                    f"search of more than {MAX_TERMS} words: give at most {MAX_TERMS} "
                    "(Covid-19 counts as two), " + EXAMPLES["word"]
                )
            yield token


# --- the tree from the tokens -------------------------------------------------------------------


def _unique(nodes: Iterable[Node | None], kind: type[And] | type[Or]) -> list[Node]:
    """The nodes but empty ones, those of the same kind replaced by their parts, each once."""
    flat: list[Node] = []
    for node in nodes:
        if isinstance(node, kind):
            flat.extend(node.parts)
        elif node is not None:
            flat.append(node)
    return list(dict.fromkeys(flat))


def _and(parts: Iterable[Node | None]) -> Node | None:
    kept = _unique(parts, And)
    return (kept[0] if len(kept) == 1 else And(tuple(kept))) if kept else None


def _or(parts: Iterable[Node | None]) -> Node | None:
    kept = _unique(parts, Or)
    return (kept[0] if len(kept) == 1 else Or(tuple(kept))) if kept else None


def _not(node: Node | None) -> Node | None:
    if node is None:
        return None
    return node.part if isinstance(node, Not) else Not(node)


def _starts_operand(token: _Token | None) -> bool:
    return token is not None and token.kind in ("word", "(", "not")


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary ([AND] unary)*;
    unary := (NOT | -)* primary; primary := word | phrase | ( or )."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.at = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token | None:
        token = self.peek()
        self.at += 1
        return token

    def parse(self) -> Node | None:
        node = self.or_(None)
        if self.peek() is not None:
            raise BadQueryError(
                ') without "(": open each group before closing it, ' + EXAMPLES["group"]
            )
        return node

    def or_(self, opened_by: _Token | None) -> Node | None:
        branches = [self.and_(opened_by)]
        while (token := self.peek()) is not None and token.kind == "or":
            self.at += 1
            branches.append(self.and_(token))
        return _or(branches)

    def and_(self, after: _Token | None) -> Node | None:
        if not _starts_operand(self.peek()):
            raise self.misplaced(after)
        parts = [self.unary()]
        while (token := self.peek()) is not None and token.kind not in ("or", ")"):
            if token.kind == "and":
                self.at += 1
                if not _starts_operand(self.peek()):
                    raise _nothing_after(token.text)
                continue
            parts.append(self.unary())
        return _and(parts)

    def misplaced(self, after: _Token | None) -> BadQueryError:
        """The error of an AND group that cannot start where it should (`after` a token)."""
        token = self.peek()
        if token is not None and token.kind in ("or", "and"):
            example = EXAMPLES[token.text]
            return BadQueryError(
                f"{token.text} with nothing before it: put a word on each side of it, {example}"
            )
        if after is not None and after.kind == "or":
            return _nothing_after(after.text)
        if after is not None and token is not None:
            return BadQueryError("empty parentheses: put words inside, " + EXAMPLES["group"])
        if after is not None:
            return _unclosed()
        if token is not None:
            return BadQueryError(
                ') without "(": open each group before closing it, ' + EXAMPLES["group"]
            )
        return BadQueryError("empty search: give at least one word, " + EXAMPLES["word"])

    def unary(self) -> Node | None:
        nots: list[_Token] = []
        while (token := self.peek()) is not None and token.kind == "not":
            nots.append(token)
            self.at += 1
        if nots and not _starts_operand(self.peek()):
            raise _nothing_after(nots[-1].text)
        node = self.primary()
        for _ in nots:
            node = _not(node)
        return node

    def primary(self) -> Node | None:
        token = self.take()
        assert token is not None
        if token.kind == "word":
            return token.node
        if self.depth == MAX_DEPTH:
            raise BadQueryError(
                f"more than {MAX_DEPTH} nested parentheses: use fewer, " + EXAMPLES["group"]
            )
        self.depth += 1
        node = self.or_(token)
        if self.take() is None:
            raise _unclosed()
        self.depth -= 1
        return node


def _unclosed() -> BadQueryError:
    return BadQueryError('unclosed "(": close each group with ), ' + EXAMPLES["group"])


# --- what a search finds ------------------------------------------------------------------------


def _finds(node: Node) -> bool:
    """Whether the node looks for something (rather than only leaving things out)."""
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(_finds(part) for part in node.parts)
    if isinstance(node, Or):
        return all(_finds(part) for part in node.parts)
    return True


def _check(node: Node) -> None:
    """Raises unless every OR side and every group looks for something."""
    if isinstance(node, Not):
        _check(node.part)
        return
    if not isinstance(node, And | Or):
        return
    for part in node.parts:
        if isinstance(node, Or) and not _finds(part):
            raise BadQueryError(
                "an OR side only leaves words out (it would find nearly everything): give each "
                "side a word to find, e.g. Λάρισα OR Βόλος -πλημμύρα"
            )
        _check(part)
    if isinstance(node, And) and not _finds(node):
        raise BadQueryError(
            "a left-out group only leaves words out: put a word to find in it, "
            "e.g. Λάρισα -(Βόλος -πλημμύρα)"
        )


def _looked_for(node: Node) -> Iterator[Term]:
    """The terms the node looks for (not those under a Not)."""
    if isinstance(node, Term):
        yield node
    elif isinstance(node, Phrase):
        yield from node.terms
    elif isinstance(node, And | Or):
        for part in node.parts:
            yield from _looked_for(part)


def parse(text: str) -> Query:
    """The search as typed, parsed (see the module's docstring for the language).

    Raises BadQueryError (one line: what is wrong and how to write it) for an empty search, an
    unclosed quote or parenthesis, a misplaced OR, AND or NOT, a search that only leaves words out,
    a prefix under MIN_PREFIX letters, more than MAX_TERMS words, a word over MAX_WORD_LENGTH
    characters, more than MAX_DEPTH nested parentheses, more than MAX_LENGTH characters, or text
    that is not valid Unicode (lone surrogates).
    """
    if any("\ud800" <= char <= "\udfff" for char in text):
        raise BadQueryError(
            "the search is not valid text (it holds bytes that are not UTF-8): type it again, "
            + EXAMPLES["word"]
        )
    if len(text) > MAX_LENGTH:
        raise BadQueryError(
            f"search of {len(text)} characters: give at most {MAX_LENGTH}, " + EXAMPLES["word"]
        )
    root = _Parser(list(_tokens(text))).parse()
    if root is None:
        raise BadQueryError(
            "empty search (only punctuation): give at least one word, " + EXAMPLES["word"]
        )
    if isinstance(root, Not) or (isinstance(root, And) and not _finds(root)):
        raise BadQueryError(
            "nothing to find: the search only leaves words out; add a word to find, "
            + EXAMPLES["-"]
        )
    _check(root)
    found = list(_looked_for(root))
    return Query(
        root,
        frozenset(term.text for term in found if not term.prefix),
        tuple(dict.fromkeys(term.text for term in found if term.prefix)),
    )

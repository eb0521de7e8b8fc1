"""A parsed search as the databases' expressions (`to_fts5`, `to_tsquery`) and the reference
semantics both are tested against (`matches`): re-exported by `newsarchive.search.parse`."""

from __future__ import annotations

from newsarchive.search.tokens import index_terms
from newsarchive.search.tree import And, Node, Not, Or, Phrase, Query, Term


def pieces(term: str) -> list[str]:
    """An index term as the databases' tokenizers read it: split at `_`, empty ones dropped."""
    return [piece for piece in term.split("_") if piece]


def _fts5_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _fts5(node: Node) -> str:
    if isinstance(node, Term):
        return _fts5_string(node.text) + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        if not any(term.prefix for term in node.terms[:-1]):
            star = "*" if node.terms[-1].prefix else ""
            return _fts5_string(" ".join(term.text for term in node.terms)) + star
        return " + ".join(_fts5(term) for term in node.terms)
    if isinstance(node, Or):
        return " OR ".join(_fts5_part(part) for part in node.parts)
    if isinstance(node, Not):  # only under an And, which renders it; a NOT alone finds nothing
        raise ValueError("a Not renders only as a part of an And")
    positives = [part for part in node.parts if not isinstance(part, Not)]
    negatives = [part.part for part in node.parts if isinstance(part, Not)]
    found = " AND ".join(_fts5_part(part) for part in positives)
    if negatives and len(positives) > 1:
        found = f"({found})"
    return found + "".join(f" NOT {_fts5_part(part)}" for part in negatives)


def _fts5_part(node: Node) -> str:
    """A node's expression as an operand: in parentheses unless it is one phrase."""
    simple = isinstance(node, Term) or (
        isinstance(node, Phrase) and not any(term.prefix for term in node.terms[:-1])
    )
    return _fts5(node) if simple else f"({_fts5(node)})"


def to_fts5(query: Query) -> str:
    """The search as an FTS5 MATCH expression: every term double-quoted (`"λαρισ"`, a prefix
    `"λαρ"*`, a phrase `"νε ιων"`), FTS5's binary NOT after the group's positive parts."""
    return _fts5(query.root)


def _ts_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _ts(node: Node) -> str:
    if isinstance(node, Term):
        return _ts_string(node.text) + (":*" if node.prefix else "")
    if isinstance(node, Phrase):
        return " <-> ".join(_ts(term) for term in node.terms)
    if isinstance(node, Not):
        return "!" + _ts_part(node.part)
    operator = " & " if isinstance(node, And) else " | "
    return operator.join(_ts_part(part) for part in node.parts)


def _ts_part(node: Node) -> str:
    return _ts(node) if isinstance(node, Term | Not) else f"({_ts(node)})"


def to_tsquery(query: Query) -> str:
    """The search as a `to_tsquery('simple', …)` expression: `'λαρισ'`, a prefix `'λαρ':*`, a
    phrase `'νε' <-> 'ιων'`, `&`, `|`, `!` and parentheses."""
    return _ts(query.root)


# --- the reference semantics --------------------------------------------------------------------


class _Document:
    """A text's index terms and where each is."""

    def __init__(self, text: str) -> None:
        self.terms = [piece for term in index_terms(text) for piece in pieces(term)]
        self.distinct = frozenset(self.terms)

    def at(self, term: Term, position: int) -> bool:
        if position >= len(self.terms):
            return False
        found = self.terms[position]
        return found.startswith(term.text) if term.prefix else found == term.text

    def has(self, node: Node) -> bool:
        if isinstance(node, Term):
            if node.prefix:
                return any(found.startswith(node.text) for found in self.distinct)
            return node.text in self.distinct
        if isinstance(node, Phrase):
            return any(
                all(self.at(term, start + offset) for offset, term in enumerate(node.terms))
                for start in range(len(self.terms))
            )
        if isinstance(node, Not):
            return not self.has(node.part)
        if isinstance(node, And):
            return all(self.has(part) for part in node.parts)
        return any(self.has(part) for part in node.parts)


def matches(query: Query, text: str) -> bool:
    """Whether a text (an article's headline, lead and body) matches the search."""
    return _Document(text).has(query.root)

"""The tree of a parsed search (`newsarchive.search.parse`): terms, phrases, AND, OR and NOT,
and the `Query` holding it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """An index term; with `prefix`, the start of any index term."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Two or more terms, one right after the other."""

    terms: tuple[Term, ...]


@dataclass(frozen=True)
class And:
    """Every part (at least one of them not a `Not`)."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any part (none of them a `Not`)."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """Not this part (only ever a part of an `And`)."""

    part: Node


Node = Term | Phrase | And | Or | Not


@dataclass(frozen=True)
class Query:
    """A parsed search: its tree and the terms it looks for (for highlighting)."""

    root: Node
    terms: frozenset[str]
    """The index terms the search looks for (not those it leaves out), prefixes not included."""
    prefixes: tuple[str, ...]
    """The prefixes the search looks for (folded, or a word's stem), each once."""

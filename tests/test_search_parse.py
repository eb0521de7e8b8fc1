"""The search language (`newsarchive.search.parse`): queries as trees, as FTS5 and tsquery
expressions, every refusal with its message, and fuzzing: whatever is typed, either a
BadQueryError or expressions FTS5 and PostgreSQL accept, finding what `matches` finds."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.query import BadQueryError as ReExported
from newsarchive.search.index import CREATE_FTS, FTS_TABLE
from newsarchive.search.parse import (
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_TERMS,
    MAX_WORD_LENGTH,
    And,
    BadQueryError,
    Not,
    Or,
    Phrase,
    Query,
    Term,
    matches,
    parse,
    to_fts5,
    to_tsquery,
)
from newsarchive.search.tokens import FOLDED_WORD, WORD, index_terms, term_string, word_spans
from newsarchive.text import fold


def T(text: str, prefix: bool = False) -> Term:  # short names keep the tables readable
    return Term(text, prefix)


def P(*terms: str | Term) -> Phrase:
    return Phrase(tuple(T(one) if isinstance(one, str) else one for one in terms))


LARISA, VOLOS, TRIKALA, FLOOD = T("λαρισ"), T("βολ"), T("τρικαλ"), T("πλημμυρ")
NEA_IONIA = P("νε", "ιων")

TREES = {
    "Λάρισα": LARISA,
    "ΛΑΡΙΣΑ": LARISA,
    "λαρισα": LARISA,
    "Λαρίσης": LARISA,
    "ΛAΡIΣA": LARISA,  # Latin A and I
    "Λάρισα Λάρισας": LARISA,  # one term, once
    "((Λάρισα))": LARISA,
    "Λάρισα, !!! –": LARISA,  # punctuation alone is dropped
    "Λάρισα (!!!)": LARISA,
    "Λάρισα -!!!": LARISA,
    "Λάρισα πλημμύρες": And((LARISA, FLOOD)),
    "Λάρισα AND πλημμύρες": And((LARISA, FLOOD)),
    "Λάρισα - πλημμύρες": And((LARISA, FLOOD)),  # a dash between spaces is punctuation
    '"Νέα Ιωνία"': NEA_IONIA,
    '"Νέα Ιωνία"*': P("νε", T("ιων", True)),
    '"Νέα Ιων*"': P("νε", T("ιων", True)),  # ιων's stem is empty: the folded prefix
    '"Covid-19 μέτρα"': P("covid", "19", "μετρ"),
    '"Λάρισα"': LARISA,
    '""': None,
    "Covid-19": P("covid", "19"),
    "e-mail": P("e", "mail"),
    "Βόλος OR Λάρισα": Or((VOLOS, LARISA)),
    "Βόλος | Λάρισα": Or((VOLOS, LARISA)),
    "Βόλος|Λάρισα": Or((VOLOS, LARISA)),
    "Βόλος OR Βόλου": VOLOS,
    "Λάρισα -Βόλος": And((LARISA, Not(VOLOS))),
    "Λάρισα NOT Βόλος": And((LARISA, Not(VOLOS))),
    "-Βόλος Λάρισα": And((Not(VOLOS), LARISA)),
    "NOT Βόλος Λάρισα": And((Not(VOLOS), LARISA)),  # NOT binds tightest
    '-"Νέα Ιωνία" Βόλος': And((Not(NEA_IONIA), VOLOS)),
    "Λάρισα -(Βόλος OR Τρίκαλα)": And((LARISA, Not(Or((VOLOS, TRIKALA))))),
    "Λάρισα --Βόλος": And((LARISA, VOLOS)),
    "Λάρισα NOT -Βόλος": And((LARISA, VOLOS)),
    "Λάρισα -(-Βόλος)": And((LARISA, VOLOS)),
    "Λάρισα (-Βόλος -Τρίκαλα)": And((LARISA, Not(VOLOS), Not(TRIKALA))),
    "Λάρισας*": T("λαρισ", True),  # the stem starts the word: the stem
    "λαρ*": T("λαρ", True),
    "Βόλο*": T("βολ", True),
    "πλημμυρ*": T("πλημμυρ", True),
    "Covid-19*": P("covid", T("19", True)),
    "Βόλος Λάρισα OR πλημμύρα": Or((And((VOLOS, LARISA)), FLOOD)),
    "Βόλος OR Λάρισα πλημμύρα": Or((VOLOS, And((LARISA, FLOOD)))),
    "(Βόλος OR Λάρισα) πλημμύρα": And((Or((VOLOS, LARISA)), FLOOD)),
    "(Βόλος OR (Λάρισα OR Τρίκαλα))": Or((VOLOS, LARISA, TRIKALA)),
    "or not and": And((T("or"), T("not"), T("and"))),
    "NOT(Βόλος)Λάρισα": And((Not(VOLOS), LARISA)),
}


def _tree(text: str) -> object:
    try:
        return parse(text).root
    except BadQueryError:
        return None


@pytest.mark.parametrize("text", TREES)
def test_tree(text: str) -> None:
    assert _tree(text) == TREES[text]


@pytest.mark.parametrize(
    ("text", "terms", "prefixes"),
    [
        ("Λάρισα -Βόλος", {"λαρισ"}, ()),
        ('(Βόλος OR "Νέα Ιωνία") -πλημμύρα', {"βολ", "νε", "ιων"}, ()),
        ("λαρ* Βόλο* -Τρικ* λαρ*", set(), ("λαρ", "βολ")),
        ("Covid-19*", {"covid"}, ("19",)),
    ],
)
def test_terms_and_prefixes_are_the_positive_ones(
    text: str, terms: set[str], prefixes: tuple[str, ...]
) -> None:
    query = parse(text)
    assert (query.terms, query.prefixes) == (frozenset(terms), prefixes)


RENDERED = {
    "Λάρισα": ('"λαρισ"', "'λαρισ'"),
    "λαρ*": ('"λαρ"*', "'λαρ':*"),
    '"Νέα Ιωνία"': ('"νε ιων"', "'νε' <-> 'ιων'"),
    '"Νέα Ιωνία"*': ('"νε ιων"*', "'νε' <-> 'ιων':*"),
    '"Νέ* Ιωνία"': ('"νε"* + "ιων"', "'νε':* <-> 'ιων'"),
    "Λάρισα πλημμύρα": ('"λαρισ" AND "πλημμυρ"', "'λαρισ' & 'πλημμυρ'"),
    "Βόλος OR Λάρισα": ('"βολ" OR "λαρισ"', "'βολ' | 'λαρισ'"),
    "Λάρισα -Βόλος -Τρίκαλα": ('"λαρισ" NOT "βολ" NOT "τρικαλ"', "'λαρισ' & !'βολ' & !'τρικαλ'"),
    "-Βόλος Λάρισα πλημμύρα": (
        '("λαρισ" AND "πλημμυρ") NOT "βολ"',
        "!'βολ' & 'λαρισ' & 'πλημμυρ'",
    ),
    '(Βόλος OR Λάρισα) -"Νέα Ιωνία"': (
        '("βολ" OR "λαρισ") NOT "νε ιων"',
        "('βολ' | 'λαρισ') & !('νε' <-> 'ιων')",
    ),
    "Βόλος Λάρισα OR πλημμύρα": (
        '("βολ" AND "λαρισ") OR "πλημμυρ"',
        "('βολ' & 'λαρισ') | 'πλημμυρ'",
    ),
    "Λάρισα -(Βόλος -πλημμύρα)": (
        '"λαρισ" NOT ("βολ" NOT "πλημμυρ")',
        "'λαρισ' & !('βολ' & !'πλημμυρ')",
    ),
    "(Βόλος -Λάρισα) OR Τρίκαλα": (
        '("βολ" NOT "λαρισ") OR "τρικαλ"',
        "('βολ' & !'λαρισ') | 'τρικαλ'",
    ),
}


@pytest.mark.parametrize("text", RENDERED)
def test_fts5_and_tsquery(text: str) -> None:
    query = parse(text)
    assert (to_fts5(query), to_tsquery(query)) == RENDERED[text]


MANY = " ".join(f"λέξη{n}" for n in range(MAX_TERMS + 1))
ERRORS = {
    "": "empty search: give at least one word",
    "   ": "empty search: give at least one word",
    "!!! ... ;": "empty search (only punctuation): give at least one word",
    '""': "empty search (only punctuation)",
    '"Νέα Ιωνία': 'unclosed quote: end the phrase with another "',
    'Λάρισα "Νέα" "Ιωνία': "unclosed quote",
    "(Βόλος OR Λάρισα": 'unclosed "(": close each group with )',
    "(": 'unclosed "("',
    "Βόλος OR Λάρισα)": ') without "(": open each group before closing it',
    ")": ') without "("',
    "()": "empty parentheses: put words inside",
    "Λάρισα ()": "empty parentheses",
    "OR Λάρισα": "OR with nothing before it: put a word on each side of it",
    "Λάρισα OR": "OR with nothing after it: put a word right after it",
    "Λάρισα OR OR Βόλος": "OR with nothing before it",
    "Λάρισα | | Βόλος": "| with nothing before it",
    "Λάρισα |": "| with nothing after it",
    "(OR Λάρισα)": "OR with nothing before it",
    "(Λάρισα OR) Βόλος": "OR with nothing after it",
    "AND Λάρισα": "AND with nothing before it",
    "Λάρισα AND": "AND with nothing after it",
    "Λάρισα AND OR Βόλος": "AND with nothing after it",
    "Λάρισα NOT": "NOT with nothing after it: put the word to leave out right after it",
    "NOT": "NOT with nothing after it",
    "Λάρισα NOT OR Βόλος": "NOT with nothing after it",
    "Λάρισα -": "- with nothing after it: put the word to leave out right after it",
    "(Λάρισα -)": "- with nothing after it",
    "Λάρισα -|Βόλος": "- with nothing after it",
    "-Λάρισα": "nothing to find: the search only leaves words out",
    "NOT Λάρισα -Βόλος": "nothing to find",
    "-(Λάρισα Βόλος)": "nothing to find",
    "-(-Λάρισα -Βόλος)": "nothing to find",
    "Λάρισα OR -Βόλος": "an OR side only leaves words out",
    "(-Βόλος) | Λάρισα": "an OR side only leaves words out",
    "Λάρισα OR (-Βόλος -Τρίκαλα)": "an OR side only leaves words out",
    "Λάρισα -(-Βόλος -Τρίκαλα)": "a left-out group only leaves words out",
    "λ*": "prefix λ* is too short: give at least 2 letters before *",
    "Λ*": "prefix Λ* is too short",
    "Covid-1*": "prefix Covid-1* is too short",
    '"Νέα Ι*"': "prefix Ι* is too short",
    MANY: f"search of more than {MAX_TERMS} words: give at most {MAX_TERMS}",
    "Covid-19 " * (MAX_TERMS // 2 + 1): f"search of more than {MAX_TERMS} words",
    "α" * (MAX_WORD_LENGTH + 1): f"search word of {MAX_WORD_LENGTH + 1} characters: give words",
    f'"{"β" * (MAX_WORD_LENGTH + 1)}"': f"search word of {MAX_WORD_LENGTH + 1} characters",
    "(" * (MAX_DEPTH + 1) + "Λάρισα" + ")" * (MAX_DEPTH + 1): (
        f"more than {MAX_DEPTH} nested parentheses"
    ),
    "Λάρισα \ud800": "the search is not valid text",
    "Λάρισα " + "!" * MAX_LENGTH: f"search of {MAX_LENGTH + 7} characters: give at most",
}


@pytest.mark.parametrize("text", ERRORS, ids=lambda text: text[:40])
def test_refusals_say_what_to_change(text: str) -> None:
    with pytest.raises(BadQueryError) as raised:
        parse(text)
    message = str(raised.value)
    assert message.startswith(ERRORS[text])
    assert "\n" not in message
    assert ", e.g. " in message


def test_limits_are_inclusive() -> None:
    parse(" ".join(f"λέξη{n}" for n in range(MAX_TERMS)))
    parse("α" * MAX_WORD_LENGTH)
    parse("(" * MAX_DEPTH + "Λάρισα" + ")" * MAX_DEPTH)
    parse("λα*")
    parse("Λάρισα " + "!" * (MAX_LENGTH - 7))


def test_bad_query_error_is_re_exported_by_query() -> None:
    assert ReExported is BadQueryError


# --- the reference semantics --------------------------------------------------------------------

MATCHES = [
    ("Λάρισα", "Η αστυνομία της Λάρισας", True),
    ("Λάρισα -Βόλος", "Λάρισα και Βόλος", False),
    ('"Νέα Ιωνία"', "νέα έργα στην Ιωνία", False),
    ('"Νέα Ιωνία"', "στη Νέα Ιωνία Μαγνησίας", True),
    ('"Νέα Ιων*"', "στη Νέα Ιωνία", True),
    ('"Νέ* Ιωνία"', "οι νέοι Ιωνίας", True),  # Ιωνίας and Ιωνία: one term (tokens._settled)
    ('"Νέ* Ιωνία"', "οι νέοι της Ιωνίας", False),
    ('"Νέ* Ιωνία"', "η Νεότερη Ιωνία", True),
    ("or", "Βόλος or Λάρισα", True),
    ("Βόλος or Λάρισα", "Βόλος και Λάρισα", False),
    ("λαρ*", "Λαρισαίοι", True),
    ("λαρ*", "Βόλος", False),
    ("(Βόλος OR Λάρισα) πλημμύρα", "πλημμύρες στον Βόλο", True),
    ("(Βόλος OR Λάρισα) πλημμύρα", "πλημμύρες στα Τρίκαλα", False),
]


@pytest.mark.parametrize(("text", "document", "expected"), MATCHES)
def test_matches(text: str, document: str, expected: bool) -> None:
    assert matches(parse(text), document) == expected


# --- fuzzing: FTS5 and tsquery take whatever parse gives, and find what `matches` finds --------

FRAGMENTS = [
    *"Λάρισα Λάρισας ΛAΡIΣA Βόλος Βόλου Νέα Ιωνία Τρίκαλα πλημμύρες Covid-19 e-mail".split(),
    *"or not and ab λα λαρ* Βόλ* Ιων* Covid-1* x* _ λ".split(),
    *["OR", "AND", "NOT", "|", "-", "(", ")", '"', "*", "!", ",", "–", "_", "\u0301"],
    *[" "] * 8,
]
DOCUMENTS = [
    "Πλημμύρες στη Λάρισα και στον Βόλο",
    "Ο Βόλος και η Νέα Ιωνία",
    "Νέα μέτρα για τον Covid-19 στη Λάρισα",
    "Ιωνία νέα",
    "λαρισινή ομάδα, e-mail ab",
    "covid 19 ab or not and",
    "Τρίκαλα Τρικάλων email",
    "x_y __ λα",
]
fragments = st.lists(st.sampled_from(FRAGMENTS), max_size=14).map("".join)
anything = st.text(max_size=60)


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlite3.Connection]:
    """The archive's FTS5 table, in memory, holding DOCUMENTS (rowid = index)."""
    connection = sqlite3.connect(":memory:")
    connection.execute(CREATE_FTS)
    for rowid, document in enumerate(DOCUMENTS):
        connection.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (?, '', ?)",
            (rowid, term_string(document)),
        )
    yield connection
    connection.close()


def _fts5_found(connection: sqlite3.Connection, query: Query) -> set[int]:
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
    return {rowid for (rowid,) in connection.execute(sql, (to_fts5(query),))}


class TsQuery:
    """A checker of the to_tsquery expressions `to_tsquery` emits, with PostgreSQL's precedence
    (`!` tightest, then `<->`, `&`, `|`), `<->` only between lexemes; `evaluate` reads one."""

    TOKEN = re.compile(r"\s*(?:(?P<lexeme>'(?:[^'\\]|''|\\.)*'(?::\*)?)|(?P<op><->|[!&|()]))")

    def __init__(self, text: str) -> None:
        self.tokens: list[str] = []
        at = 0
        while at < len(text.rstrip()):
            match = self.TOKEN.match(text, at)
            assert match is not None, f"not a tsquery token at {at}: {text!r}"
            self.tokens.append(match["lexeme"] or match["op"])
            at = match.end()
        self.at = 0
        self.tree = self.or_()
        assert self.at == len(self.tokens), f"trailing tokens in {text!r}"

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        assert token is not None, "tsquery ends early"
        self.at += 1
        return token

    def binary(self, operator: str, operand: Callable[[], object]) -> object:
        parts = [operand()]
        while self.peek() == operator:
            self.at += 1
            parts.append(operand())
        return parts[0] if len(parts) == 1 else (operator, parts)

    def or_(self) -> object:
        return self.binary("|", lambda: self.binary("&", self.phrase))

    def phrase(self) -> object:
        found = self.binary("<->", self.unary)
        if isinstance(found, tuple) and found[0] == "<->":
            assert all(isinstance(part, Term) for part in found[1]), "<-> between non-lexemes"
        return found

    def unary(self) -> object:
        token = self.take()
        if token == "!":
            return ("!", [self.unary()])
        if token == "(":
            inner = self.or_()
            assert self.take() == ")", "unclosed ( in tsquery"
            return inner
        assert token.startswith("'"), f"{token!r} where a lexeme should be"
        prefix = token.endswith(":*")
        body = token[1 : -3 if prefix else -1].replace("''", "'")
        assert body, "empty lexeme"
        return Term(re.sub(r"\\(.)", r"\1", body), prefix)

    def evaluate(self, document: str) -> bool:
        terms = [piece for term in index_terms(document) for piece in term.split("_") if piece]

        def at(one: Term, position: int) -> bool:
            found = terms[position] if position < len(terms) else None
            if found is None:
                return False
            return found.startswith(one.text) if one.prefix else found == one.text

        def value(node: object) -> bool:
            if isinstance(node, Term):
                return any(at(node, position) for position in range(len(terms)))
            assert isinstance(node, tuple)
            operator, parts = node
            if operator == "!":
                return not value(parts[0])
            if operator == "<->":
                return any(
                    all(at(part, start + offset) for offset, part in enumerate(parts))
                    for start in range(len(terms))
                )
            results = [value(part) for part in parts]
            return all(results) if operator == "&" else any(results)

        return value(self.tree)


def _parsed(text: str) -> Query | None:
    try:
        return parse(text)
    except BadQueryError as error:
        assert "\n" not in str(error)
        return None


FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.one_of(fragments, anything))
def test_any_text_gives_a_refusal_or_expressions_both_databases_take(
    fts: sqlite3.Connection, text: str
) -> None:
    query = _parsed(text)
    if query is None:
        return
    _fts5_found(fts, query)  # raises sqlite3.OperationalError on a bad expression
    TsQuery(to_tsquery(query))


@FUZZ
@given(fragments)
def test_fts5_and_tsquery_find_what_matches_finds(fts: sqlite3.Connection, text: str) -> None:
    query = _parsed(text)
    if query is None:
        return
    expected = {rowid for rowid, document in enumerate(DOCUMENTS) if matches(query, document)}
    assert _fts5_found(fts, query) == expected, to_fts5(query)
    tsquery = TsQuery(to_tsquery(query))
    assert {n for n, document in enumerate(DOCUMENTS) if tsquery.evaluate(document)} == expected


def test_the_largest_searches_are_valid_fts5(fts: sqlite3.Connection) -> None:
    words = [f"λέξη{n}" for n in range(MAX_TERMS)]
    pairs = list(zip(words[::2], words[1::2], strict=True))
    nested = "(" * MAX_DEPTH + " OR ".join(words[:10]) + ")" * MAX_DEPTH
    for text in (
        " OR ".join(words),
        words[0] + " " + " ".join(f"-{word}" for word in words[1:]),
        " OR ".join(f"({a} -{b})" for a, b in pairs),
        nested + " " + " ".join(f"-({a} -{b})" for a, b in pairs[5:]),
    ):
        query = parse(text)
        _fts5_found(fts, query)
        TsQuery(to_tsquery(query))


@FUZZ
@given(st.one_of(fragments, anything))
def test_word_spans_give_each_word_its_own_terms(text: str) -> None:
    """However the words are learnt (several at once), each word's terms are those of the word
    folded alone, as a highlight compares it with the search's terms."""
    fresh = {}
    for match in WORD.finditer(text):
        folded = FOLDED_WORD.findall(fold(match[0]))
        if folded:
            fresh[match.start()] = (match.start(), match.end(), term_string(match[0]))
    assert list(word_spans(text)) == list(fresh.values())

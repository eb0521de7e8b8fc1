"""The search language on real Greek: each (query, document, should match) case through the
reference evaluator (`parse.matches`) and through a real archive on every backend (one article
per document, stored by the store path, found or not by `search.run.search_page`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from newsarchive import sites
from newsarchive.archive import Archive
from newsarchive.dates import ATHENS
from newsarchive.items import Article
from newsarchive.search.parse import matches, parse
from newsarchive.search.run import search_page
from newsarchive.text import content_hash
from tests.conftest import BACKENDS, POSTGRES_URL, empty_postgres


@dataclass(frozen=True)
class Case:
    query: str
    body: str
    match: bool
    headline: str | None = None
    """The article's headline; None: a neutral one (`Δοκιμή αναζήτησης N`) no query names."""


CASES = [
    # the case forms of the region's place names
    Case("Λάρισα", "Πλημμύρες στη Λάρισα μετά την καταιγίδα.", True),
    Case("Λάρισα", "Η αστυνομία της Λάρισας ανακοίνωσε δύο συλλήψεις.", True),
    Case("Λάρισα", "Ο Μητροπολίτης Λαρίσης τέλεσε τη λειτουργία.", True),
    Case("Λαρίσης", "Συνεδρίασε το δημοτικό συμβούλιο Λάρισας.", True),
    Case("Λάρισας", "Νέο γήπεδο στη Λάρισα.", True),
    Case("Βόλος", "Στο λιμάνι του Βόλου έδεσε κρουαζιερόπλοιο.", True),
    Case("Βόλου", "Ο Βόλος υποδέχεται τους επισκέπτες του Πηλίου.", True),
    Case("Βόλο", "Ο Βόλος γιορτάζει.", True),
    Case("Βόλος", "Επισκέφθηκε τον Βόλο ο υπουργός.", True),
    Case("Τρίκαλα", "Ο δήμαρχος Τρικάλων δήλωσε ότι το έργο προχωρά.", True),
    Case("Τρικάλων", "Στα Τρίκαλα άνοιξε η αγορά.", True),
    Case("Καρδίτσα", "Οι αγρότες της Καρδίτσας βγήκαν με τα τρακτέρ.", True),
    Case("Καρδίτσας", "Χιόνια στην Καρδίτσα.", True),
    Case("Ελασσόνα", "Σεισμική δόνηση αισθάνθηκε η Ελασσόνα.", True),
    Case("Ελασσόνας", "Στην Ελασσόνα έφτασαν οι πυροσβέστες.", True),
    Case("Φαρσάλων", "Τα Φάρσαλα τιμούν τους πεσόντες.", True),
    Case("Αλμυρός", "Πλημμύρισε ο δρόμος προς τον Αλμυρό.", True),
    Case("Τυρνάβου", "Ο Τύρναβος ετοιμάζει το καρναβάλι.", True),
    Case("Σκιάθο", "Η Σκιάθος γέμισε τουρίστες.", True),
    Case("Δομοκού", "Ο Δομοκός στο χάρτη των αιολικών.", True),
    # capitals without accents, final sigma, Latin look-alike capitals, odd case
    Case("ΛΑΡΙΣΑ", "Στη Λάρισα έβρεξε πολύ.", True),
    Case("λαρισα", "ΛΑΡΙΣΑ: κλειστά τα σχολεία.", True),
    Case("ΒΟΛΟΣ", "Ήπια σεισμική δόνηση στον Βόλο.", True),
    Case("ΤΡΙΚΑΛΑ", "Στα Τρίκαλα ο χριστουγεννιάτικος Μύλος.", True),
    Case("τΡίΚαΛα", "Ανακοίνωση του δήμου Τρικάλων.", True),
    Case("σεισμοσ", "Σεισμός 4,5 Ρίχτερ στη Θεσσαλία.", True),
    Case("σεισμός", "Ο ΣΕΙΣΜΟΣ ΤΗΣ ΝΥΧΤΑΣ", True),
    Case("ΛAΡIΣA", "Κυκλοφοριακές ρυθμίσεις στη Λάρισα.", True),  # Latin A and I
    Case("Kαρδίτσα", "Ο καιρός στην Καρδίτσα.", True),  # Latin K
    Case("Καρδίτσα", "Νέα έργα στην KAΡΔITΣA.", True),  # the look-alikes in the article
    Case("λαϊκή", "Οι λαϊκές αγορές της πόλης.", True),  # diaeresis
    # inflected nouns
    Case("πλημμύρες", "Η πλημμύρα έπληξε τον κάμπο.", True),
    Case("πλημμύρα", "Πλημμύρες στη Θεσσαλία από την κακοκαιρία.", True),
    Case("ΠΛΗΜΜΥΡΕΣ", "Η καταγραφή των πλημμυρών συνεχίζεται.", True),
    Case("αγρότες", "Η συγκέντρωση των αγροτών στη Νίκαια.", True),
    Case("δημάρχου", "Ο δήμαρχος Βόλου μίλησε στη Βουλή.", True),
    # other words sharing letters
    Case("Λάρισα", "Η λαρισινή ομάδα κέρδισε.", False),
    Case("Τρίκαλα", "Ο Τρικαλινός ποδοσφαιριστής μεταγράφηκε.", False),
    Case("πλημμύρα", "Η πλημμυρίδα της Βόρειας Θάλασσας.", False),
    Case("Καρδίτσα", "Οι Καρδιτσιώτες τίμησαν τον ήρωα.", False),
    Case("Βόλος", "Ο δρόμος βολεύτηκε από τα οχήματα.", False),
    Case("Λάρισα", "Οι Λαρισαίοι ψήφισαν.", False),
    # phrases
    Case('"Νέα Ιωνία"', "Εγκαίνια σχολείου στη Νέα Ιωνία Μαγνησίας.", True),
    Case('"Νέα Ιωνία"', "Νέα έργα ξεκινούν στην Ιωνία.", False),  # the words apart
    Case('"Νέα Ιωνία"', "Η Ιωνία νέα πόλη.", False),  # in the other order
    Case('"δήμου Λαρισαίων"', "Ανακοίνωση του Δήμου Λαρισαίων για τα απορρίμματα.", True),
    Case('"τρακτέρ στην εθνική"', "Τα τρακτέρ στην Εθνική οδό από το πρωί.", True),
    Case('"τρακτέρ στην εθνική"', "Στην εθνική βγήκαν τα τρακτέρ.", False),
    Case("Covid-19", "Νέα κρούσματα Covid-19 στη Λάρισα.", True),
    Case("Covid-19", "Κρούσματα covid 19 στα Τρίκαλα.", True),
    Case("Covid-19", "19 νέα κρούσματα covid.", False),
    Case("e-mail", "Στείλτε e-mail στον δήμο.", True),
    Case("e-mail", "Στείλτε email στον δήμο.", False),
    # OR
    Case("Βόλος OR Λάρισα", "Χιόνια στη Λάρισα.", True),
    Case("Βόλος OR Λάρισα", "Χιόνια στα Τρίκαλα.", False),
    Case("Βόλος | Τρίκαλα", "Ανακοίνωση του δήμου Τρικάλων.", True),
    Case("Βόλος or Λάρισα", "Συνάντηση Βόλου και Λάρισας.", False),  # lower-case or: a word
    Case("Βόλος OR Λάρισα πλημμύρα", "Ο Βόλος χωρίς νερό.", True),  # AND before OR
    Case("Βόλος OR Λάρισα πλημμύρα", "Η Λάρισα χωρίς νερό.", False),
    # NOT
    Case("Λάρισα -Βόλος", "Λάρισα και Βόλος συνεργάζονται.", False),
    Case("Λάρισα -Βόλος", "Λάρισα: νέα πλατεία.", True),
    Case("Λάρισα NOT Βόλου", "Οδική σύνδεση Λάρισας Βόλου.", False),
    Case("-Βόλος Λάρισα", "Η Λάρισα γιορτάζει τον πολιούχο.", True),
    Case('Λάρισα -"Νέα Ιωνία"', "Λάρισα: νέα μέτρα, ενώ στην Ιωνία όχι.", True),
    Case('Λάρισα -"Νέα Ιωνία"', "Από τη Λάρισα στη Νέα Ιωνία.", False),
    Case("πλημμύρα -(Βόλος OR Τρίκαλα)", "Πλημμύρα στα Τρίκαλα.", False),
    Case("πλημμύρα -(Βόλος OR Τρίκαλα)", "Πλημμύρα στην Καρδίτσα.", True),
    # prefixes
    Case("πλημμυρ*", "Η πλημμυρίδα ανέβηκε.", True),
    Case("Λάρισας*", "Δήμος Λάρισας και Λαρισαίοι.", True),
    Case("Λαρ*", "Οι Λαρισαίοι ψήφισαν.", True),
    Case("Λαρ*", "Ο Βόλος ψήφισε.", False),
    Case("Καρδ*", "ΚΑΡΔΙΤΣΑ: σύσκεψη για την ακρίβεια.", True),
    Case("Θεσσαλ*", "Η Περιφέρεια Θεσσαλίας ανακοίνωσε.", True),
    Case("Μαγνησ*", "Νέα Ιωνία Μαγνησίας.", True),
    # nouns in -ία/-ιο whose cases Snowball stems apart (tokens._settled joins them)
    Case("Θεσσαλία", "Η Περιφέρεια Θεσσαλίας ανακοίνωσε.", True),
    Case("ΜΑΓΝΗΣΙΑ", "Νέα Ιωνία Μαγνησίας.", True),
    Case("Πηλίου", "Χιόνια στο Πήλιο.", True),
    Case("πυρκαγιά", "Δύο πυρκαγιές στα Φάρσαλα.", True),
    Case("όταν", "Όταν έβρεχε, οι δρόμοι έκλεισαν.", True),  # a word Snowball stems to nothing
    Case('"Νέα Ιων*"', "Στη Νέα Ιωνία άνοιξε το κολυμβητήριο.", True),
    # parentheses
    Case("(Βόλος OR Λάρισα) πλημμύρα", "Πλημμύρες στον Βόλο.", True),
    Case("(Βόλος OR Λάρισα) πλημμύρα", "Ο Βόλος χωρίς βροχή.", False),
    Case("(Τρίκαλα OR Καρδίτσα) (αγρότες OR τρακτέρ)", "Τα τρακτέρ στην Καρδίτσα.", True),
    Case("(Τρίκαλα OR Καρδίτσα) (αγρότες OR τρακτέρ)", "Οι αγρότες στη Λάρισα.", False),
    # every word, AND, punctuation
    Case("Λάρισα Βόλος", "Η Λάρισα μόνο.", False),
    Case("Λάρισα AND Βόλος", "Σύνδεση Λάρισας και Βόλου.", True),
    Case("Λάρισα, Βόλος!", "Βόλος και Λάρισα.", True),
    Case("Λάρισα – Βόλος", "Λάρισα - Βόλος με το τρένο.", True),
    # the headline is searched too
    Case("Μετέωρα", "Ρεκόρ επισκεπτών φέτος.", True, headline="Μετέωρα: ρεκόρ επισκεπτών"),
    Case("Καλαμπάκα -Μετέωρα", "Στην πόλη ρεκόρ.", False, headline="Καλαμπάκα και Μετέωρα"),
]


def _headline(number: int, case: Case) -> str:
    return case.headline or f"Δοκιμή αναζήτησης {100 + number}"


def _article(number: int, case: Case) -> Article:
    url = f"https://www.larissanet.gr/2026/01/05/dokimi-anazitisis-{number}/"
    published = datetime(2026, 1, 5, 8, tzinfo=ATHENS) + timedelta(minutes=number)
    headline = _headline(number, case)
    return Article(
        url=url,
        canonical_url=sites.canonicalize(url),
        site="larissanet",
        region="larisa",
        headline=headline,
        body=case.body,
        published_at=published,
        published_raw=published.isoformat(),
        fetched_at=published + timedelta(minutes=5),
        content_hash=content_hash(headline, None, case.body),
    )


def _id(case: Case) -> str:
    return f"{case.query} {'~' if case.match else '!~'} {case.body[:30]}"


def _document(number: int) -> str:
    """What the reference evaluator reads of a case's article."""
    return f"{_headline(number, CASES[number])}\n{CASES[number].body}"


NUMBERS = pytest.mark.parametrize("number", range(len(CASES)), ids=[_id(case) for case in CASES])


@NUMBERS
def test_the_reference_evaluator(number: int) -> None:
    assert matches(parse(CASES[number].query), _document(number)) == CASES[number].match


@pytest.fixture(scope="module", params=BACKENDS)
def archive(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[int, str]]]:
    """An archive holding one article per case, on each backend: its URL and each case's
    article's canonical URL by the case's number."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('search_table') / 'archive.db'}"
    else:
        assert POSTGRES_URL is not None
        url = POSTGRES_URL
        empty_postgres(url)
    with pytest.MonkeyPatch.context() as patch:
        if "NEWSARCHIVE_WARC_DIR" not in os.environ:
            patch.setenv("NEWSARCHIVE_WARC_DIR", str(Path(tmp_path_factory.mktemp("warc"))))
        articles = [_article(number, case) for number, case in enumerate(CASES)]
        with Archive(url) as stored:
            for article in articles:
                stored.store(article)
        yield url, {number: article.canonical_url for number, article in enumerate(articles)}
    if request.param != "sqlite":
        empty_postgres(url)


@NUMBERS
def test_the_archive_finds_what_the_reference_finds(
    archive: tuple[str, dict[int, str]], number: int
) -> None:
    url, urls = archive
    case = CASES[number]
    page = search_page(url, case.query, limit=len(CASES) + 1)
    assert len(page.hits) == page.total  # every match is on the page
    found = {hit.canonical_url for hit in page.hits}
    assert (urls[number] in found) == case.match
    query = parse(case.query)
    expected = {urls[other] for other in urls if matches(query, _document(other))}
    assert found == expected  # the same on every other article too

"""A generated Greek vocabulary and synthetic articles made of it, for `bench/search.py`.

No text is copied: words are stems (real ones of Thessaly's news, and made-up ones built of
Greek syllables and prefixes) inflected by the endings of real Greek noun, adjective and verb
classes, accented by the rules of those classes (the accent moves in `ανθρώπου`, `αποφάσεις`,
`προγραμμάτων`, an augment appears in `έλυσα`), so that folding and stemming see what they see
in real text. Function words, place names of the region in all their cases, and two-word
collocations (`δημοτικό συμβούλιο`, agreeing in gender, case and number) come on top. Words are
drawn with Zipf-like frequencies (numpy, seeded: the same seed gives the same archive).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from newsarchive.dates import ATHENS

VERSION = 1
"""Changed whenever the same seed would give other articles (archives kept by the bench with
another version are made again)."""
VOWELS = frozenset("αεηιουωϊϋ")
DIGRAPHS = frozenset({"αι", "ει", "οι", "ου", "αυ", "ευ", "υι"})
ACUTE = {"α": "ά", "ε": "έ", "η": "ή", "ι": "ί", "ο": "ό", "υ": "ύ", "ω": "ώ", "ϊ": "ΐ", "ϋ": "ΰ"}
TONOS = "\u0301"
NUCLEUS = re.compile("|".join(sorted(DIGRAPHS)) + "|[" + "".join(sorted(VOWELS)) + "]")
"""A vowel group: a digraph first (ου, ει …), else one vowel."""

# --- accents and syllables ----------------------------------------------------------------------


def bare(text: str) -> str:
    """The text without its acute accents (the diaeresis kept)."""
    decomposed = unicodedata.normalize("NFD", text).replace(TONOS, "")
    return unicodedata.normalize("NFC", decomposed)


def nuclei(word: str) -> list[tuple[int, int]]:
    """The vowel groups of an unaccented word (one per syllable), as (start, end) offsets."""
    return [match.span() for match in NUCLEUS.finditer(word)]


def accent(word: str, syllable: int) -> str:
    """The word with an acute on its `syllable`th vowel group (from 0); monosyllables bare."""
    groups = nuclei(word)
    if len(groups) < 2:
        return word
    _, end = groups[max(0, min(syllable, len(groups) - 1))]
    where = end - 1  # a digraph takes the accent on its second letter: ού, εί, αύ
    return word[:where] + ACUTE[word[where]] + word[where + 1 :]


@functools.lru_cache(maxsize=4096)
def ending_accent(ending: str) -> int | None:
    return accented_syllable(ending)


def accented_syllable(word: str) -> int | None:
    """Which vowel group of an accented word carries the acute (from 0)."""
    plain = bare(word)
    for number, (start, end) in enumerate(nuclei(plain)):
        if any(TONOS in unicodedata.normalize("NFD", char) for char in word[start:end]):
            return number
    return None


# --- inflection classes -------------------------------------------------------------------------
# An ending is written as it is spelled; its mark says where the form's accent goes:
#   plain     the lemma's accented stem syllable, at most the antepenult (πρόσωπο, πρόσωπα)
#   !ending   the same, at most the penult (a long ending: προσώπου, ανθρώπων, προγραμμάτων)
#   ^ending   the stem's last syllable (αποφάσεις, αποφάσεων, να αποφασίσει)
#   <ending   the antepenult, with an augment when the form is too short (αποφάσισα, έλυσα)
#   an accented ending keeps its own accent (δημοτικός, μαθητών, ξεκινάμε).

SLOTS = ("sg nom", "sg gen", "sg acc", "pl nom", "pl gen", "pl acc")
"""The case and number slots of a noun's forms and of each gender of an adjective's."""


@dataclass(frozen=True)
class Inflection:
    name: str
    part: str
    """noun, adjective or verb."""
    endings: tuple[str, ...]
    """Nouns: one per SLOTS; adjectives: masculine, feminine, neuter SLOTS in a row; verbs: any."""
    gender: str = ""
    open_stem: bool = False
    """The stem ends in a vowel (σύστη-μα), not a consonant."""
    aorist: tuple[str, ...] = ()
    """Verbs: endings on the aorist stem."""
    participle: str = ""
    """Verbs: how the passive participle's stem ends (`σμέν`, `ημέν` …), endings of ADJ_OS."""


M_OS = Inflection("m-ος", "noun", ("ος", "!ου", "ο", "οι", "!ων", "!ους"), "m")
M_OS_OXY = Inflection("m-ός", "noun", ("ός", "ού", "ό", "οί", "ών", "ούς"), "m")
M_AS = Inflection("m-ας", "noun", ("ας", "α", "α", "ες", "!ων", "ες"), "m")
M_HS = Inflection("m-ης", "noun", ("ης", "η", "η", "ες", "ών", "ες"), "m")
M_HS_OXY = Inflection("m-ής", "noun", ("ής", "ή", "ή", "ές", "ών", "ές"), "m")
F_A = Inflection("f-α", "noun", ("α", "ας", "α", "ες", "ών", "ες"), "f")
F_A_OXY = Inflection("f-ά", "noun", ("ά", "άς", "ά", "ές", "ών", "ές"), "f")
F_H = Inflection("f-η", "noun", ("η", "ης", "η", "ες", "ών", "ες"), "f")
F_H_OXY = Inflection("f-ή", "noun", ("ή", "ής", "ή", "ές", "ών", "ές"), "f")
F_SH = Inflection("f-ση", "noun", ("η", "ης", "η", "^εις", "^εων", "^εις"), "f")
N_O = Inflection("n-ο", "noun", ("ο", "!ου", "ο", "α", "!ων", "α"), "n")
N_O_OXY = Inflection("n-ό", "noun", ("ό", "ού", "ό", "ά", "ών", "ά"), "n")
N_I = Inflection("n-ι", "noun", ("ι", "ιού", "ι", "ια", "ιών", "ια"), "n")
N_I_OXY = Inflection("n-ί", "noun", ("ί", "ιού", "ί", "ιά", "ιών", "ιά"), "n")
N_MA = Inflection(
    "n-μα", "noun", ("μα", "ματος", "μα", "ματα", "!ματων", "ματα"), "n", open_stem=True
)
N_OS = Inflection("n-ος", "noun", ("ος", "ους", "ος", "η", "ών", "η"), "n")
ADJ_MASCULINE = ("ος", "!ου", "ο", "οι", "!ων", "!ους")
ADJ_NEUTER = ("ο", "!ου", "ο", "α", "!ων", "α")
ADJ_OS = Inflection(
    "adj-ος-η", "adjective", (*ADJ_MASCULINE, "η", "ης", "η", "ες", "!ων", "ες", *ADJ_NEUTER)
)
ADJ_OS_A = Inflection(
    "adj-ος-α", "adjective", (*ADJ_MASCULINE, "α", "ας", "α", "ες", "!ων", "ες", *ADJ_NEUTER)
)
ADJ_OXY_MASCULINE = ("ός", "ού", "ό", "οί", "ών", "ούς")
ADJ_OXY_NEUTER = ("ό", "ού", "ό", "ά", "ών", "ά")
ADJ_OXY = Inflection(
    "adj-ός", "adjective", (*ADJ_OXY_MASCULINE, "ή", "ής", "ή", "ές", "ών", "ές", *ADJ_OXY_NEUTER)
)
VERB_A = Inflection(
    "verb-ω",
    "verb",
    ("^ω", "^εις", "^ει", "^ουμε", "^ετε", "^ουν", "^εται", "^ονται", "^ομαι"),
    aorist=("<α", "<ες", "<ε", "<αμε", "<ατε", "<αν", "^ω", "^ει", "^ουμε", "^ουν"),
    participle="σμέν",
)
VERB_B = Inflection(
    "verb-άω",
    "verb",
    ("ώ", "άς", "ά", "άμε", "άτε", "ούν", "ούσε", "ούσαν", "ιέται", "ιούνται"),
    aorist=("<ησα", "<ησε", "<ησαμε", "<ησαν", "ήσω", "ήσει", "ήσουμε", "ήσουν"),
    participle="ημέν",
)
VERB_E = Inflection(
    "verb-εί",
    "verb",
    ("ώ", "είς", "εί", "ούμε", "είτε", "ούν", "είται", "ούνται"),
    aorist=("<ησα", "<ησε", "<ησαμε", "<ησαν", "ήσω", "ήσει", "ήσουμε", "ήσουν"),
    participle="ημέν",
)
NOUNS: tuple[Inflection, ...] = (
    M_OS,
    M_OS_OXY,
    M_AS,
    M_HS,
    M_HS_OXY,
    F_A,
    F_A_OXY,
    F_H,
    F_H_OXY,
    F_SH,
    N_O,
    N_O_OXY,
)
NOUNS += (N_I, N_I_OXY, N_MA, N_OS)
NOUN_WEIGHTS = (10, 4, 4, 3, 3, 10, 1, 4, 3, 8, 9, 2, 3, 1, 3, 2)
ADJECTIVES = (ADJ_OS, ADJ_OS_A, ADJ_OXY)
ADJECTIVE_WEIGHTS = (4, 2, 5)
VERBS = (VERB_A, VERB_B, VERB_E)
VERB_WEIGHTS = (6, 2, 3)
AORIST_STEMS = {"ζ": "σ", "σσ": "ξ", "ττ": "ξ", "π": "ψ", "β": "ψ", "φ": "ψ", "πτ": "ψ"}
AORIST_STEMS |= {"φτ": "ψ", "κ": "ξ", "γ": "ξ", "χ": "ξ", "σκ": "ξ", "χν": "ξ", "γγ": "ξ"}
"""A present stem's last consonants and the aorist's (αποφασίζ-ω, αποφάσισ-α); others add ησ."""
PARTICIPLE_STEMS = {"σ": "σμέν", "ψ": "μμέν", "ξ": "γμέν"}


def form(stem: str, ending: str, syllable: int) -> str:
    """One form: the stem (unaccented) and an ending, accented as the ending's mark says;
    `syllable` is the lemma's accented syllable within the stem (from 0)."""
    mark = ending[0] if ending[0] in "!^<" else ""
    ending = ending[len(mark) :]
    if ending_accent(ending) is not None:
        return stem + ending
    word = stem + ending
    count = len(nuclei(word))
    in_stem = len(nuclei(stem))
    if mark == "^":
        return accent(word, max(in_stem - 1, 0))
    if mark == "<":
        if count < 3 and stem[:1] not in VOWELS:
            return accent("ε" + word, 0)
        return accent(word, count - 3)
    furthest = count - (2 if mark == "!" else 3)
    return accent(word, max(syllable, furthest, 0))


def aorist_stem(stem: str) -> str:
    for tail in sorted(AORIST_STEMS, key=len, reverse=True):
        if stem.endswith(tail):
            return stem[: -len(tail)] + AORIST_STEMS[tail]
    return stem + "ησ"


def inflect(stem: str, inflection: Inflection, syllable: int) -> list[str]:
    """Every form of a lemma (duplicates kept, so that slots stay in place)."""
    forms = [form(stem, ending, syllable) for ending in inflection.endings]
    if inflection.part != "verb":
        return forms
    if inflection.participle == "σμέν":
        past = aorist_stem(stem)
        participle = past[:-1] + PARTICIPLE_STEMS.get(past[-1], "ημέν")
    else:
        past, participle = stem, stem + inflection.participle
    forms += [form(past, ending, syllable) for ending in inflection.aorist]
    adjective = ("ος", "ου", "ο", "οι", "ων", "ους", "η", "ης", "ες", "α")
    return forms + [participle + ending for ending in adjective]


def lemma_stem(word: str, inflection: Inflection) -> tuple[str, int]:
    """A real word's stem (unaccented) and accented syllable, by its class's first ending."""
    first = bare(inflection.endings[0].lstrip("!^<"))
    plain = bare(word)
    if inflection.part == "verb" and not plain.endswith(first):
        first = "ω"
    if not plain.endswith(first):
        raise ValueError(f"{word} does not end in {first} ({inflection.name})")
    syllable = accented_syllable(word)
    return plain[: len(plain) - len(first)], syllable if syllable is not None else 0


# --- the words ----------------------------------------------------------------------------------

FUNCTION_WORDS = (
    ("και", 30), ("το", 25), ("της", 20), ("του", 18), ("η", 15), ("την", 14), ("των", 12),
    ("να", 10), ("ο", 10), ("με", 10), ("για", 10), ("από", 10), ("που", 9), ("τα", 8),
    ("στο", 7), ("στην", 7), ("οι", 7), ("σε", 6), ("είναι", 6), ("τον", 5), ("τις", 5),
    ("θα", 5), ("τους", 4), ("δεν", 4), ("ότι", 4), ("στη", 4), ("ένα", 3), ("μια", 3),
    ("στα", 3), ("στις", 3), ("στον", 3), ("στους", 2), ("ως", 2), ("κατά", 2), ("μετά", 2),
    ("όπως", 2), ("αλλά", 2), ("έχει", 2), ("ενώ", 1.5), ("ή", 1.5), ("ήταν", 1.5), ("προς", 1),
    ("έχουν", 1), ("επίσης", 1), ("πιο", 1), ("αυτό", 1), ("όταν", 1), ("πως", 1), ("μας", 0.8),
    ("αυτή", 0.8), ("σήμερα", 0.8), ("μέσα", 0.7), ("πολύ", 0.7), ("αν", 0.7), ("έναν", 0.7),
    ("ενός", 0.6), ("μίας", 0.5), ("έως", 0.5), ("χωρίς", 0.5), ("χθες", 0.5), ("αυτά", 0.5),
    ("ακόμη", 0.5), ("όλα", 0.4), ("όλοι", 0.4), ("μόνο", 0.4), ("πριν", 0.4), ("εδώ", 0.3),
    ("αύριο", 0.3), ("ήδη", 0.3), ("πάνω", 0.3), ("γύρω", 0.3), ("λόγω", 0.3), ("περίπου", 0.3),
)  # fmt: skip
"""Articles, prepositions, conjunctions and the like, with rough relative frequencies."""

PLACES = (
    (("Λάρισα", "Λάρισας", "Λαρίσης", "ΛΑΡΙΣΑ"), 10),
    (("Βόλος", "Βόλου", "Βόλο"), 7),
    (("Τρίκαλα", "Τρικάλων"), 5),
    (("Καρδίτσα", "Καρδίτσας"), 5),
    (("Θεσσαλία", "Θεσσαλίας"), 6),
    (("Μαγνησία", "Μαγνησίας"), 3),
    (("Τύρναβος", "Τυρνάβου", "Τύρναβο"), 2),
    (("Ελασσόνα", "Ελασσόνας"), 2),
    (("Φάρσαλα", "Φαρσάλων"), 2),
    (("Αγιά", "Αγιάς"), 1),
    (("Αλμυρός", "Αλμυρού", "Αλμυρό"), 1.5),
    (("Καλαμπάκα", "Καλαμπάκας"), 1.5),
    (("Σκιάθος", "Σκιάθου", "Σκιάθο"), 1),
    (("Σκόπελος", "Σκοπέλου", "Σκόπελο"), 1),
    (("Πήλιο", "Πηλίου"), 1.5),
    (("Μουζάκι", "Μουζακίου"), 1),
    (("Σοφάδες", "Σοφάδων"), 1),
    (("Παλαμάς", "Παλαμά"), 0.7),
    (("Πύλη", "Πύλης"), 0.5),
    (("Φαρκαδόνα", "Φαρκαδόνας"), 0.5),
    (("Μετέωρα", "Μετεώρων"), 0.7),
    (("Αλόννησος", "Αλοννήσου", "Αλόννησο"), 0.4),
    (("Πηνειός", "Πηνειού", "Πηνειό"), 0.8),
    (("Κάρλα", "Κάρλας"), 0.4),
    (("Όλυμπος", "Ολύμπου", "Όλυμπο"), 0.5),
)
"""The region's towns, islands, mountains and rivers, each in its cases (and a capitals form)."""

REAL_LEMMAS: tuple[tuple[str, Inflection], ...] = (
    *((word, M_OS) for word in "δήμος δήμαρχος πρόεδρος σύλλογος δρόμος χρόνος κάτοικος θάνατος "
      "σιδηρόδρομος κτηνοτρόφος αντιδήμαρχος".split()),
    *((word, M_OS_OXY) for word in "σεισμός υπουργός παραγωγός γιατρός καιρός οδηγός ποταμός "
      "τουρισμός πολιτισμός προϋπολογισμός".split()),
    *((word, M_AS) for word in "αγώνας μήνας άνδρας τραυματίας επιχειρηματίας".split()),
    *((word, M_HS) for word in "αγρότης πολίτης περιφερειάρχης επισκέπτης".split()),
    *((word, M_HS_OXY) for word in "μαθητής φοιτητής καθηγητής".split()),
    *((word, F_A) for word in "περιφέρεια καλλιέργεια αστυνομία γέφυρα ομάδα εβδομάδα ημέρα ώρα "
      "οικογένεια γυναίκα έρευνα θερμοκρασία κακοκαιρία ενέργεια εργασία ανεργία απεργία "
      "διαμαρτυρία συναυλία εκκλησία υγεία ασθένεια πλημμύρα κοινωνία προστασία".split()),
    *((word, F_A_OXY) for word in "αγορά φορά".split()),
    *((word, F_H) for word in "λίμνη τέχνη".split()),
    *((word, F_H_OXY) for word in "τιμή εκλογή βροχή υποδομή γιορτή αρχή ζωή".split()),
    *((word, F_SH) for word in "χρηματοδότηση ανακοίνωση εκδήλωση κυβέρνηση αποζημίωση "
      "συνεδρίαση απόφαση πόλη σύλληψη ύδρευση άρδευση επένδυση επιχείρηση συγκέντρωση "
      "κατάσταση".split()),
    *((word, N_O) for word in "συμβούλιο έργο νοσοκομείο σχολείο υπουργείο γήπεδο πανεπιστήμιο "
      "αυτοκίνητο δικαστήριο ξενοδοχείο πλοίο τρένο αεροδρόμιο σωματείο θέατρο μουσείο βιβλίο "
      "εμβόλιο φάρμακο".split()),
    *((word, N_O_OXY) for word in "νερό χωριό προσωπικό".split()),
    *((word, N_I) for word in "χιόνι βαμβάκι σιτάρι λιμάνι".split()),
    *((word, N_I_OXY) for word in "παιδί".split()),
    *((word, N_MA) for word in "πρόγραμμα ατύχημα σύστημα πρόβλημα θέμα όχημα ρεύμα φράγμα "
      "κρούσμα πρωτάθλημα".split()),
    *((word, N_OS) for word in "δάσος κράτος".split()),
    *((word, ADJ_OXY) for word in "δημοτικός περιφερειακός τοπικός σημαντικός εθνικός "
      "ευρωπαϊκός αγροτικός οικονομικός κοινωνικός πολιτικός γενικός λαϊκός ιστορικός "
      "θεσσαλικός ελληνικός ηλεκτρικός σοβαρός ειδικός".split()),
    *((word, ADJ_OS) for word in "μεγάλος πρώτος επόμενος άμεσος".split()),
    *((word, ADJ_OS_A) for word in "νέος δημόσιος τροχαίος τελευταίος".split()),
    *((word, VERB_A) for word in "αποφασίζω ανακοινώνω συνεχίζω δηλώνω αναφέρω τονίζω "
      "συμμετέχω ολοκληρώνω κατασκευάζω εγκαινιάζω οργανώνω τραυματίζω πλημμυρίζω "
      "καταγράφω".split()),
    *((word, VERB_B) for word in "ξεκινώ ζητώ".split()),
    *((word, VERB_E) for word in "πραγματοποιώ θεωρώ απαιτώ καλώ χρηματοδοτώ".split()),
)  # fmt: skip
"""Real lemmas of the region's news, inflected like the made-up ones."""

REAL_PHRASES = (
    ("δημοτικός", "συμβούλιο"),
    ("περιφερειακός", "συμβούλιο"),
    ("τροχαίος", "ατύχημα"),
    ("λαϊκός", "αγορά"),
    ("γενικός", "νοσοκομείο"),
    ("ευρωπαϊκός", "πρόγραμμα"),
    ("δημοτικός", "αρχή"),
    ("αγροτικός", "δρόμος"),
    ("τοπικός", "κοινωνία"),
    ("σοβαρός", "πρόβλημα"),
    ("δημόσιος", "έργο"),
    ("πολιτικός", "προστασία"),
)
"""Adjective + noun collocations of the region's news (inflected together)."""
FIXED_PHRASES = (
    ("Περιφέρεια Θεσσαλίας", "Περιφέρειας Θεσσαλίας"),
    ("Πανεπιστήμιο Θεσσαλίας", "Πανεπιστημίου Θεσσαλίας"),
    ("κακοκαιρία Daniel", "κακοκαιρίας Daniel"),
)

ONSETS: dict[str, float] = {
    "": 3,
    "π": 4,
    "τ": 5,
    "κ": 5,
    "μ": 4,
    "ν": 3,
    "λ": 4,
    "ρ": 3,
    "σ": 4,
    "δ": 3,
    "θ": 2,
}
ONSETS |= {"χ": 2, "φ": 2, "β": 2, "γ": 2, "ζ": 1, "ξ": 1, "ψ": 0.5, "στ": 2, "σπ": 1, "σκ": 1}
ONSETS |= {"τρ": 2, "πρ": 3, "κρ": 1, "γρ": 1, "δρ": 1, "θρ": 0.5, "φρ": 0.5, "χρ": 1, "βρ": 0.5}
ONSETS |= {"πλ": 1, "κλ": 1, "γλ": 0.5, "φλ": 0.5, "μπ": 1, "ντ": 1, "γκ": 0.5, "τσ": 1}
ONSETS |= {"τζ": 0.3, "σμ": 0.3, "χτ": 0.3, "φτ": 0.3}
NUCLEI: dict[str, float] = {
    "α": 10,
    "ε": 8,
    "ι": 8,
    "ο": 8,
    "η": 3,
    "ω": 2,
    "υ": 2,
    "ου": 3,
    "αι": 1.5,
}
NUCLEI |= {"ει": 1.5, "οι": 1, "αυ": 0.5, "ευ": 0.7}
TAILS: dict[str, float] = {
    "ν": 4,
    "λ": 3,
    "ρ": 4,
    "τ": 4,
    "κ": 3,
    "σ": 2,
    "μ": 2,
    "π": 1,
    "δ": 2,
    "θ": 1,
    "γ": 2,
}
TAILS |= {"χ": 1, "φ": 1, "ζ": 1, "στ": 2, "ντ": 2, "κτ": 1, "ρτ": 1, "λλ": 1, "ρρ": 0.3}
TAILS |= {"μμ": 0.5, "σσ": 0.5, "ργ": 1, "ρχ": 0.5, "λτ": 0.3, "μπ": 1, "γγ": 0.5, "χν": 0.3}
TAILS |= {"φτ": 0.3, "σκ": 1, "τρ": 1, "κρ": 0.3, "πρ": 0.3, "ικ": 2}
PREFIXES: tuple[str, ...] = (
    "απο",
    "προ",
    "συν",
    "επι",
    "κατα",
    "δια",
    "ανα",
    "παρα",
    "υπο",
    "εκ",
    "μετα",
)
PREFIXES += ("περι", "αντι", "υπερ")
PARTS = {"noun": 0.55, "adjective": 0.25, "verb": 0.2}


@dataclass(frozen=True)
class Unit:
    """What one draw gives: a word in one of its forms, or a collocation (several words)."""

    name: str
    kind: str
    """function, content, phrase or place."""
    forms: tuple[str, ...]
    inflection: Inflection | None = None


class Weighted:
    """Draws from a table of choices and weights."""

    def __init__(self, table: dict[str, float]) -> None:
        self.names = list(table)
        weights = np.array(list(table.values()), dtype=float)
        self.cumulative = np.cumsum(weights / weights.sum())

    def draw(self, rng: np.random.Generator, count: int) -> list[str]:
        found = np.searchsorted(self.cumulative, rng.random(count), side="right")
        return [self.names[min(int(i), len(self.names) - 1)] for i in found]


class StemMaker:
    """Made-up stems: 1–3 Greek syllables, perhaps after a prefix, ending in consonants (or in
    a vowel for classes that need it), each stem made once."""

    def __init__(self, rng: np.random.Generator, taken: set[str]) -> None:
        self.rng = rng
        self.taken = taken
        self.onsets, self.nuclei, self.tails = Weighted(ONSETS), Weighted(NUCLEI), Weighted(TAILS)

    def make(self, *, open_stem: bool) -> tuple[str, int]:
        """A new stem and its accented syllable (one of the last two of the stem)."""
        while True:
            syllables = int(self.rng.choice([1, 2, 3], p=[0.3, 0.5, 0.2]))
            onsets = self.onsets.draw(self.rng, syllables)
            vowels = self.nuclei.draw(self.rng, syllables)
            stem = "".join(onset + vowel for onset, vowel in zip(onsets, vowels, strict=True))
            if self.rng.random() < 0.3:
                stem = PREFIXES[int(self.rng.integers(len(PREFIXES)))] + stem
            if not open_stem:
                stem += self.tails.draw(self.rng, 1)[0]
            if stem not in self.taken and not _doubled_vowel(stem):
                self.taken.add(stem)
                groups = len(nuclei(stem))
                lowest = max(groups - 2, 0)
                return stem, int(self.rng.integers(lowest, groups)) if groups else 0


def _doubled_vowel(stem: str) -> bool:
    """A prefix meeting a vowel-initial syllable (`αποα`): not how Greek spells."""
    return any(
        a in VOWELS and b in VOWELS and a + b not in DIGRAPHS for a, b in itertools.pairwise(stem)
    )


def _made_up(rng: np.random.Generator, count: int, taken: set[str]) -> list[Unit]:
    maker = StemMaker(rng, taken)
    parts = rng.choice(list(PARTS), size=count, p=list(PARTS.values()))
    families = {"noun": (NOUNS, NOUN_WEIGHTS), "adjective": (ADJECTIVES, ADJECTIVE_WEIGHTS)}
    families["verb"] = (VERBS, VERB_WEIGHTS)
    units = []
    for part in parts:
        classes, weights = families[str(part)]
        chosen = np.array(weights, dtype=float)
        inflection = classes[int(rng.choice(len(classes), p=chosen / chosen.sum()))]
        stem, syllable = maker.make(open_stem=inflection.open_stem)
        forms = tuple(inflect(stem, inflection, syllable))
        units.append(Unit(forms[0], "content", forms, inflection))
    return units


def _real(taken: set[str]) -> list[Unit]:
    units = []
    for word, inflection in REAL_LEMMAS:
        stem, syllable = lemma_stem(word, inflection)
        taken.add(stem)
        units.append(Unit(word, "content", tuple(inflect(stem, inflection, syllable)), inflection))
    return units


def agreeing(adjective: Unit, noun: Unit) -> tuple[str, ...]:
    """An adjective and a noun in each slot, the adjective in the noun's gender."""
    assert noun.inflection is not None
    offset = "mfn".index(noun.inflection.gender) * len(SLOTS)
    pairs = zip(adjective.forms[offset : offset + len(SLOTS)], noun.forms, strict=True)
    return tuple(dict.fromkeys(f"{a} {n}" for a, n in pairs))


def _phrases(rng: np.random.Generator, units: Sequence[Unit], count: int) -> list[Unit]:
    """Real collocations and `count` made-up ones of an adjective and a noun among the most
    frequent lemmas (so that each word of a phrase is commoner than the phrase)."""
    by_name = {unit.name: unit for unit in units}
    found = [Unit(f"{a} {n}", "phrase", agreeing(by_name[a], by_name[n])) for a, n in REAL_PHRASES]
    found += [Unit(forms[0], "phrase", forms) for forms in FIXED_PHRASES]
    frequent = units[:3000]
    adjectives = [unit for unit in frequent if _part(unit) == "adjective"]
    nouns = [unit for unit in frequent if _part(unit) == "noun"]
    for _ in range(count):
        adjective = adjectives[int(rng.integers(len(adjectives)))]
        noun = nouns[int(rng.integers(len(nouns)))]
        forms = agreeing(adjective, noun)
        found.append(Unit(forms[0], "phrase", forms))
    return found


def _part(unit: Unit) -> str:
    return unit.inflection.part if unit.inflection is not None else ""


# --- the vocabulary -----------------------------------------------------------------------------


@dataclass
class Vocabulary:
    """Every unit a draw can give, and the probability of each per drawn word."""

    units: list[Unit]
    probabilities: np.ndarray
    forms: np.ndarray
    """Every form of every unit, flat (numpy strings as objects)."""
    offsets: np.ndarray
    counts: np.ndarray

    def draw(self, rng: np.random.Generator, count: int) -> list[str]:
        """`count` words (a collocation counts as one), each unit in one of its forms."""
        picked = rng.choice(len(self.units), size=count, p=self.probabilities)
        which = (rng.random(count) * self.counts[picked]).astype(np.int64)
        return self.forms[self.offsets[picked] + which].tolist()  # type: ignore[no-any-return]

    def word_probabilities(self) -> Iterator[tuple[str, float, str]]:
        """Each form's words with how likely a draw gives it, and its unit's kind."""
        for unit, probability in zip(self.units, self.probabilities, strict=True):
            share = float(probability) / len(unit.forms)
            for text in unit.forms:
                for word in text.split():
                    yield word, share, unit.kind


FUNCTION_SHARE = 0.38
PLACE_SHARE = 0.012
ZIPF_EXPONENT = 1.0
ZIPF_OFFSET = 20
"""Zipf–Mandelbrot: the content word of rank r has weight 1 / (r + ZIPF_OFFSET) ** exponent
(the function words come before it; the commonest content words are in about 40% of articles)."""


def vocabulary(seed: int = 11, *, made_up: int = 80_000, phrases: int = 400) -> Vocabulary:
    """The benchmark's vocabulary: function words, the region's places, real lemmas among the
    most frequent content, made-up lemmas and collocations ranked with Zipf-like weights."""
    rng = np.random.default_rng(seed)
    taken: set[str] = set()
    real = _real(taken)
    generated = _made_up(rng, made_up, taken)
    content: list[Unit] = list(generated)
    for unit, rank in zip(real, rng.permutation(600)[: len(real)], strict=True):
        content.insert(int(rank), unit)
    for unit in _phrases(rng, content, phrases):
        content.insert(int(rng.integers(40, 20_000)), unit)
    ranks = np.arange(1, len(content) + 1, dtype=float)
    zipf = (ranks + ZIPF_OFFSET) ** -ZIPF_EXPONENT
    content_share = 1 - FUNCTION_SHARE - PLACE_SHARE
    function = [Unit(word, "function", (word,)) for word, _ in FUNCTION_WORDS]
    places = [Unit(forms[0], "place", forms) for forms, _ in PLACES]
    parts = (
        (function, np.array([weight for _, weight in FUNCTION_WORDS]), FUNCTION_SHARE),
        (places, np.array([weight for _, weight in PLACES]), PLACE_SHARE),
        (content, zipf, content_share),
    )
    units = [unit for group, _, _ in parts for unit in group]
    probabilities = np.concatenate([w / w.sum() * share for _, w, share in parts])
    counts = np.array([len(unit.forms) for unit in units], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    forms = np.array([text for unit in units for text in unit.forms], dtype=object)
    return Vocabulary(units, probabilities / probabilities.sum(), forms, offsets, counts)


# --- articles -----------------------------------------------------------------------------------

SECTIONS: tuple[str, ...] = (
    "Τοπικά",
    "Κοινωνία",
    "Πολιτική",
    "Οικονομία",
    "Αθλητικά",
    "Πολιτισμός",
)
SECTIONS += ("Αγροτικά", "Περιφέρεια", "Υγεία", "Παιδεία", "Αυτοδιοίκηση", "Ελλάδα")
START = datetime(2021, 12, 1, tzinfo=ATHENS)
SPAN = timedelta(days=5 * 365)
UNDATED = 0.005
"""The share of articles without a date (pages that gave none)."""
HEADLINE_WORDS = (5, 12)
LEAD_WORDS = (15, 36)
BODY_SENTENCES = (6, 11)
SENTENCE_WORDS = (8, 23)
"""Ranges (numpy's: the high end excluded) of an article's parts, in draws of the vocabulary."""


def _mean(span: tuple[int, int]) -> float:
    return (span[0] + span[1] - 1) / 2


DRAWS_PER_ARTICLE = (
    _mean(HEADLINE_WORDS) + _mean(LEAD_WORDS) + _mean(BODY_SENTENCES) * _mean(SENTENCE_WORDS)
)
LOOKALIKES = str.maketrans("ΑΟ", "AO")
"""Greek capitals replaced by their Latin look-alikes in a headline typed that way."""


@dataclass(frozen=True)
class Text:
    """One synthetic article's text, site and time."""

    headline: str
    lead: str
    body: str
    site: str
    section: str
    published_at: datetime | None


def capitals(text: str) -> str:
    """Greek capitals as headlines are set: no accents (the diaeresis kept)."""
    return bare(text).upper()


def _sentence(words: list[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:]


class Articles:
    """Articles of a given count: sites, times spread over five years (oldest first), and
    headline (~8 words), lead (~25) and body (~120, in paragraphs) drawn from the vocabulary."""

    def __init__(self, words: Vocabulary, count: int, sites: Sequence[str], seed: int = 11) -> None:
        self.words = words
        self.count = count
        self.sites = tuple(sites)
        self.rng = np.random.default_rng([seed, count])
        weights = self.rng.uniform(0.3, 1.0, len(self.sites))
        self.site_weights = weights / weights.sum()

    def times(self) -> list[datetime | None]:
        seconds = np.sort(self.rng.uniform(0, SPAN.total_seconds(), self.count))
        undated = self.rng.random(self.count) < UNDATED
        return [
            None if none else START + timedelta(seconds=int(value))
            for value, none in zip(seconds, undated, strict=True)
        ]

    def chunks(self, size: int = 5000) -> Iterator[list[Text]]:
        """The articles, oldest first, `size` at a time."""
        times = self.times()
        for start in range(0, self.count, size):
            yield self._chunk(times[start : start + size])

    def _chunk(self, times: list[datetime | None]) -> list[Text]:
        rng = self.rng
        count = len(times)
        headline = rng.integers(*HEADLINE_WORDS, count)
        lead = rng.integers(*LEAD_WORDS, count)
        body = rng.integers(*BODY_SENTENCES, count)
        sentence = rng.integers(*SENTENCE_WORDS, int(body.sum()))
        words = self.words.draw(rng, int(headline.sum() + lead.sum() + sentence.sum()))
        sites = rng.choice(len(self.sites), size=count, p=self.site_weights)
        sections = rng.integers(len(SECTIONS), size=count)
        style = rng.random(count)
        made, cursor, used = [], 0, 0
        for number in range(count):
            title = _sentence(words[cursor : cursor + headline[number]])
            cursor += headline[number]
            if style[number] < 0.1:  # a site setting its headlines in capitals
                title = capitals(title)
                if style[number] < 0.02:  # … typed with Latin look-alike letters
                    title = title.translate(LOOKALIKES)
            first = _sentence(words[cursor : cursor + lead[number]]) + "."
            cursor += lead[number]
            sentences = []
            for length in sentence[used : used + body[number]]:
                sentences.append(_sentence(words[cursor : cursor + length]) + ".")
                cursor += length
            used += body[number]
            made.append(
                Text(
                    headline=title,
                    lead=first,
                    body=_paragraphs(sentences, rng),
                    site=self.sites[sites[number]],
                    section=SECTIONS[sections[number]],
                    published_at=times[number],
                )
            )
        return made


def _paragraphs(sentences: list[str], rng: np.random.Generator) -> str:
    paragraphs, start = [], 0
    while start < len(sentences):
        size = int(rng.integers(2, 5))
        paragraphs.append(" ".join(sentences[start : start + size]))
        start += size
    return "\n\n".join(paragraphs)


def document_share(probability: float, words: float) -> float:
    """The share of articles of `words` drawn words that hold a word of this probability."""
    return 1 - math.exp(-probability * words)

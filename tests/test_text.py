"""Text normalization, search folding and boilerplate stripping, with real Greek."""

from __future__ import annotations

import random
import unicodedata

import pytest

from newsarchive import text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Λάρισα", "λαρισα"),
        ("ΛΑΡΙΣΑ", "λαρισα"),
        ("λαρισα", "λαρισα"),
        ("ΠAPAΣKEYH", "παρασκευη"),  # A, P, K, E, H typed with Latin capitals
        ("Τρίκαλα  και   Καρδίτσα", "τρικαλα και καρδιτσα"),
        ("Βόλος", "βολοσ"),  # final sigma folds to σ
        ("Ιωάννης Ϊ ΰ", "ιωαννησ ι υ"),
        ("Λάρισα", "λαρισα"),  # decomposed accent (NFD) input
        ("Larissa FC", "larissa fc"),  # Latin words stay Latin
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert text.fold(raw) == expected


def test_fold_treats_nfd_and_nfc_alike() -> None:
    word = "Καρδίτσα"
    assert text.fold(unicodedata.normalize("NFD", word)) == text.fold(word)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Λάρισα", "Λάρισα"),  # NFD → NFC
        ("α\u00a0β\u200bγ", "α βγ"),
        ("  πρώτη \n\n\n\n δεύτερη  ", "πρώτη\n\nδεύτερη"),
        ("γραμμή\r\nγραμμή", "γραμμή\nγραμμή"),
        ("μαλακή\u00adπαύλα", "μαλακήπαύλα"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert text.normalize(raw) == expected


def _normalize_line_by_line(raw: str) -> str:
    """`normalize` as first written: each line's spaces collapsed and its ends stripped."""
    raw = unicodedata.normalize("NFC", raw)
    raw = text.INVISIBLE.sub("", raw).replace("\r\n", "\n").replace("\r", "\n")
    lines = (text.SPACES.sub(" ", line).strip() for line in raw.split("\n"))
    return text.BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


def test_normalize_is_the_line_by_line_cleanup_on_any_whitespace() -> None:
    pieces = [*"ab Λά\n\r\t", "\u00a0", "\u2028", "\x0b", "\x1c", "\x85", "\u1680", "\u200b"]
    pieces += ["\u00ad", "\u3000", "\u0301", "  ", "\r\n", " \n ", "\n\n\n"]
    draw = random.Random(7)
    for _ in range(20_000):
        raw = "".join(draw.choice(pieces) for _ in range(draw.randint(0, 24)))
        assert text.normalize(raw) == _normalize_line_by_line(raw), repr(raw)
        assert text.normalize_line(raw) == " ".join(_normalize_line_by_line(raw).split())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Λάρισα &#8211; Βόλος", "Λάρισα – Βόλος"),
        ("Τρίκαλα &amp; Καρδίτσα", "Τρίκαλα & Καρδίτσα"),
        ("Η ΑΕΛ&#x2019;s νίκη", "Η ΑΕΛ’s νίκη"),
        ("Και τέλος&amp;#8230; βροχή", "Και τέλος… βροχή"),  # escaped twice
        ("R&D &copy σημειώσεις", "R&D &copy σημειώσεις"),  # no `;`: no reference
        ("Q&A για τους ΟΤΑ", "Q&A για τους ΟΤΑ"),
        ("&#1;Λάρισα", "Λάρισα"),  # a reference to a control character spells nothing
    ],
)
def test_unescape_entities_decodes_references_written_out_in_full(raw: str, expected: str) -> None:
    assert text.unescape_entities(raw) == expected


def test_join_paragraphs_keeps_one_blank_line_between_paragraphs() -> None:
    joined = text.join_paragraphs(["  Πρώτη  παράγραφος. ", "", "Δεύτερη\nπαράγραφος."])
    assert joined == "Πρώτη παράγραφος.\n\nΔεύτερη παράγραφος."


CHROME_LINES = [
    "Διαβάστε επίσης: Νέα μέτρα για τους αγρότες της Λάρισας",
    "ΔΕΙΤΕ ΑΚΟΜΑ:",
    "Δες επίσης",
    "Διαβάστε ακόμη",
    "Σχετικά Νέα",
    "Σχετικά άρθρα",
    "ΔΙΑΒΑΖΟΝΤΑΙ ΤΩΡΑ",
    "Τα πιο δημοφιλή",
    "Προηγούμενο άρθρο Η ΑΕΛ νίκησε στο Αλκαζάρ",
    "Επόμενο άρθρο",
    "Ακολουθήστε το στο Google News και μάθετε πρώτοι όλες τις ειδήσεις.",
    "Ακολουθήστε μας στο Facebook και στο Instagram",
    "Ελάτε στην ομάδα μας στο viber για να ενημερώνεστε πρώτοι για τις σημαντικότερες ειδήσεις",
    "Εγγραφείτε στο newsletter μας",
    "Μοιραστείτε το άρθρο",
    "Share on FacebookShare on Twitter",
    "Facebook Twitter Youtube RSS Feed",
    "ΚΟΙΝΟΠΟΙΗΣΕΙΣ",
    "Αφήστε μια απάντηση",
    "Γράψτε σχόλιο",
    "Δεν υπάρχουν σχόλια",
    "Σχόλια (0)",
    "trikalavoice.gr © 2016 - 2017",
    "© 2026 Ελευθερία. Με την επιφύλαξη παντός δικαιώματος.",
    "Απαγορεύεται η αναδημοσίευση, η αναπαραγωγή, ολική ή μερική του περιεχομένου",
    "Χρησιμοποιούμε cookies για να σας προσφέρουμε καλύτερη εμπειρία.",
    "Αποδοχή",
    "Διαφήμιση",
    "Φόρτωση…",
    "Χρόνος ανάγνωσης: 4 Λεπτά",
    "3 Min Read",
    "Ετικέτες: Λάρισα, αγρότες",
    "Κατηγορία: Λάρισα",
    "ΚΑΤΗΓΟΡΙΕΣ: Τοπικά, Θεσσαλία",
    "Υποβλήθηκε από thessalianews στις Πέμ, 12/02/2026 - 09:14",
    "Submitted by admin on Thu, 02/12/2026 - 09:14",
    "ΦΩΤΟ- ΒΙΝΤΕΟ: Θ. Μπιάλας // LarissaPress",
    "Φωτογραφίες: Γιάννης Π.",
    "(φωτό αρχείου)",
    "Δείτε εικόνες:",
    "Δείτε φωτογραφίες:",
    "... Περισσότερα",
    "Διαβάστε περισσότερα...",
    "Διάβασε περισσότερα »",
    "Read more",
    "64",
    "Συνεχής ενημέρωση…",
    "Πρωτοσέλιδο",
]


@pytest.mark.parametrize("line", CHROME_LINES)
def test_chrome_lines_are_recognised(line: str) -> None:
    assert text.is_chrome_line(line)


ARTICLE_LINES = [
    "Ο δήμαρχος Λαρισαίων ανακοίνωσε ότι θα δοθούν 5.000 ευρώ σε κάθε σύλλογο.",
    "Σύμφωνα με τον δήμαρχο, η ανάρτηση στο Facebook έγινε το πρωί της Δευτέρας.",
    "Οι αγρότες θα ακολουθήσουν τις οδηγίες του υπουργείου για τις αποζημιώσεις.",
    "«Δείτε τι συμβαίνει στον κάμπο», είπε ο πρόεδρος του συλλόγου στους δημοσιογράφους.",
    "Περισσότερα από 300 τρακτέρ βρίσκονται στον κόμβο της Νίκαιας από το πρωί.",
    "Πηγή της ρύπανσης, σύμφωνα με την Περιφέρεια, είναι τα λύματα της βιομηχανικής περιοχής.",
    "Η εκδήλωση θα γίνει στις 20 Ιανουαρίου 2026 στο Δημοτικό Ωδείο Λάρισας.",
    "Για πληροφορίες οι ενδιαφερόμενοι μπορούν να καλούν στο 2410 123456.",
    "Η κατηγορία των αιτήσεων που υποβλήθηκε από τον δήμο στις 12 Φεβρουαρίου εγκρίθηκε.",
    "Υποβλήθηκε από τον σύλλογο στις αρχές του μήνα αίτημα για νέες θέσεις στάθμευσης στο κέντρο.",
]


@pytest.mark.parametrize("line", ARTICLE_LINES)
def test_article_sentences_are_kept(line: str) -> None:
    assert not text.is_chrome_line(line)
    assert text.strip_boilerplate(line) == line


SAMPLE_TICKER = """Η Περιφέρεια Θεσσαλίας ανακοίνωσε τις πληρωμές.

- ΚΑΡΔΙΤΣΑ | 09.02.2026 | 10:55
Συνάντηση για το αντιπλημμυρικό
- ΛΑΡΙΣΑ | 09.02.2026 | 10:40
Κλειστά τα σχολεία στον Τύρναβο

Οι δικαιούχοι θα ενημερωθούν με SMS."""


def test_strip_boilerplate_cuts_a_ticker_block_and_keeps_the_article() -> None:
    assert text.strip_boilerplate(SAMPLE_TICKER) == (
        "Η Περιφέρεια Θεσσαλίας ανακοίνωσε τις πληρωμές.\n\nΟι δικαιούχοι θα ενημερωθούν με SMS."
    )


def test_strip_boilerplate_drops_a_related_block_but_not_the_text_after_it() -> None:
    body = (
        "Πρώτη παράγραφος του άρθρου.\n\nΣχετικά άρθρα\n\nΝέο σχολείο στον Βόλο\n\n"
        "Κλειστός ο δρόμος στα Τέμπη\n\nΗ συνεδρίαση θα συνεχιστεί την Τρίτη."
    )
    assert text.strip_boilerplate(body) == (
        "Πρώτη παράγραφος του άρθρου.\n\nΗ συνεδρίαση θα συνεχιστεί την Τρίτη."
    )


def test_content_hash_changes_with_the_text_only() -> None:
    one = text.content_hash("Τίτλος", None, "Κείμενο")
    assert one == text.content_hash("Τίτλος", None, "Κείμενο")
    assert one != text.content_hash("Τίτλος", None, "Κείμενο.")
    assert one != text.content_hash("Τίτλος", "Κείμενο", "")


# --- Latin look-alikes in `fold`: one table with `dates.fold_for_dates` --------------------

LOOKALIKE_WORDS = [
    ("Λαpισα", "λαρισα"),  # a small Latin p looks like ρ, not π
    ("Λάpισα", "λαρισα"),
    ("ΛAΡIΣA", "λαρισα"),  # Latin capitals A, I
    ("ΛAPIΣA", "λαρισα"),  # and P, which is Ρ
    ("Kαρδίτσα", "καρδιτσα"),  # a Latin capital K
    ("KAPΔITΣA", "καρδιτσα"),
    ("Tpίκαλα", "τρικαλα"),
    ("TPIKAΛA", "τρικαλα"),
    ("BOΛOΣ", "βολοσ"),
    ("Φάpσαλα", "φαρσαλα"),
    ("Tύpναβος", "τυρναβοσ"),
    ("Eλασσóνα", "ελασσονα"),  # a Latin capital E and an accented Latin o
    ("Aγιά", "αγια"),
    ("Zαγορά", "ζαγορα"),
    ("Mουζάκι", "μουζακι"),
    ("Nίκαια", "νικαια"),
    ("Aλμυpός", "αλμυροσ"),
    ("Δoμoκός", "δομοκοσ"),  # small Latin o
    ("Kαλαμπάκα", "καλαμπακα"),
    ("Πήλιo", "πηλιο"),
    ("Μετέωpα", "μετεωρα"),
    ("Σκόπελoς", "σκοπελοσ"),
    ("Θεσσαλiα", "θεσσαλια"),  # small Latin i
    ("Ελασσόvα", "ελασσονα"),  # small Latin v looks like ν
    ("Tuρναβος", "τυρναβοσ"),  # small Latin u looks like υ
    ("Ayιά", "αγια"),  # small Latin y looks like γ
    ("Kυpιακή 5 Φεβρουαρίου", "κυριακη 5 φεβρουαριου"),
    ("ΔEYTEPA 1 OKTΩBPIOY", "δευτερα 1 οκτωβριου"),
]


@pytest.mark.parametrize(("raw", "expected"), LOOKALIKE_WORDS)
def test_fold_reads_latin_lookalikes_inside_greek_words(raw: str, expected: str) -> None:
    assert text.fold(raw) == expected


@pytest.mark.parametrize(
    "words",
    [
        ("Λάρισα", "Λαpισα", "ΛAΡIΣA", "ΛAPIΣA", "ΛΑΡΙΣΑ"),
        ("Καρδίτσα", "Kαρδίτσα", "KAPΔITΣA", "ΚΑΡΔΙΤΣΑ"),
    ],
)
def test_fold_makes_one_key_of_every_spelling(words: tuple[str, ...]) -> None:
    assert len({text.fold(word) for word in words}) == 1


@pytest.mark.parametrize(
    "word",
    ["Larisa", "LARISA", "PAOK", "Volos", "KAPA", "pop", "Trikala FC", "e-thessalia.gr", "Café"],
)
def test_fold_keeps_latin_words_latin(word: str) -> None:
    assert text.fold(word) == word.lower().replace("é", "e")


def test_lookalikes_are_one_table_of_letters_that_look_alike() -> None:
    table = text.LATIN_LOOKALIKES
    capitals = "".join(sorted(chr(key) for key in table if chr(key).isupper()))
    assert capitals == "ABEHIKMNOPTXYZ"
    assert capitals.translate(table) == "ΑΒΕΗΙΚΜΝΟΡΤΧΥΖ"
    assert "pao".translate(table) == "ραο"
    assert "behmntz".translate(table) == "behmntz"  # no small Greek letter looks like these
    assert not hasattr(text, "LATIN_LOOKALIKES_UPPER")


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("Πηγή: ΑΠΕ-ΜΠΕ", "ΑΠΕ-ΜΠΕ"),
        ("Source: Reuters.", "Reuters"),
        ("tirnavospress.gr", "tirnavospress.gr"),
        ("www.ertnews.gr", "ertnews.gr"),
        ("https://www.ertnews.gr/", "ertnews.gr"),
        ("12.30", None),
        ("π.χ.", None),
        ("e.g.", None),
        ("Ο δήμος ανακοίνωσε το πρόγραμμα.", None),
    ],
)
def test_credit_lines_name_their_source(line: str, source: str | None) -> None:
    assert text.credit_of(line) == source


def _is_chrome_folded_unfiltered(folded: str) -> bool:
    """`_is_chrome_folded` with every pattern searched on every line (no cheap pre-test)."""
    if text.CHROME_LINE.match(folded) or text.ANYWHERE_CHROME.search(folded):
        return True
    if text._is_social_line(folded) or text.BARE_NUMBER.match(folded):
        return True
    if len(folded) > text.SHORT_LINE:
        return False
    if text.SHORT_CHROME_LINE.match(folded) or text.CHROME_WORDS.search(folded):
        return True
    return len(folded) <= text.CREDIT_LINE_MAX and text.CREDIT_CHROME_LINE.match(folded) is not None


def _strip_boilerplate_as_first_written(raw: str) -> str:
    """`strip_boilerplate` with a ticker search per line and `normalize` again at the end."""
    lines = text.normalize(raw).split("\n")
    marked = [index for index, line in enumerate(lines) if text.TICKER_ITEM.search(line)]
    if len(marked) < 2:
        lines = [line for line in lines if not text.TICKER_ITEM.match(line)]
    else:
        end = marked[-1] + 1 + (marked[-1] + 1 < len(lines) and bool(lines[marked[-1] + 1].strip()))
        lines = lines[: marked[0]] + lines[end:]
    folded = text._drop_link_blocks([(line, text._fold_line(line)) for line in lines])
    kept = [
        line for line, key in folded if not (line and key and _is_chrome_folded_unfiltered(key))
    ]
    return text.normalize("\n".join(kept))


CHROME_PIECES = [
    "Ακολουθήστε μας",
    "follow",
    "Κάντε like",
    "Εγγραφείτε",
    "γραφτείτε",
    "subscribe",
    "sign up",
    "sign in",
    "newsletter",
    "©",
    "© 2026",
    "copyright",
    "All rights reserved",
    "Επιφύλαξη παντός δικαιώματος",
    "Χρησιμοποιούμε cookies",
    "uses cookies",
    "… Περισσότερα",
    "... περισσότερα",
    "- ΚΑΡΔΙΤΣΑ | 09.02.2026 | 10:55",
    "|",
    "Σχετικά άρθρα",
    "Το άρθρο.",
    "λέξη",
    "word",
    "12",
    "Tags: Λάρισα",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\u00a0",
    "\u2028",
    "\t",
]


def test_strip_boilerplate_is_the_unfiltered_cleanup() -> None:
    draw = random.Random(11)
    for _ in range(5_000):
        raw = " ".join(draw.choice(CHROME_PIECES) for _ in range(draw.randint(0, 12)))
        assert text.strip_boilerplate(raw) == _strip_boilerplate_as_first_written(raw), repr(raw)
        line = text._fold_line(" ".join(raw.split()))
        assert text._is_chrome_folded(line) == _is_chrome_folded_unfiltered(line), repr(line)

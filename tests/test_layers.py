"""The layers of DESIGN.md: the read side and the extraction core never import Scrapy."""

from __future__ import annotations

import subprocess
import sys

import pytest

SCRAPY_FREE = (
    "newsarchive.pages",
    "newsarchive.sites",
    "newsarchive.dates",
    "newsarchive.text",
    "newsarchive.urls",
    "newsarchive.encoding",
    "newsarchive.query",
    "newsarchive.archive",
    "newsarchive.extract",
    "newsarchive.items",
)


def modules_after(code: str) -> set[str]:
    """The top-level packages imported by `code`, run in a fresh interpreter."""
    probe = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize("module", SCRAPY_FREE)
def test_module_imports_no_scrapy_or_twisted(module: str) -> None:
    loaded = modules_after(f"import {module}")
    assert not loaded & {"scrapy", "twisted"}, module


def test_every_site_and_canonicalize_load_without_scrapy() -> None:
    loaded = modules_after(
        "from newsarchive import sites\n"
        "[site.page_class() for site in sites.all()]\n"
        "sites.canonicalize('https://www.thessaliatv.gr/news/185511/slug/')"
    )
    assert not loaded & {"scrapy", "twisted", "sqlalchemy"}


def test_extract_imports_no_scrapy_and_no_sqlalchemy() -> None:
    html = "<html><body><article><h1>Τίτλος</h1>" + "<p>Η Περιφέρεια ανακοίνωσε νέα μέτρα.</p>" * 9
    loaded = modules_after(
        "from newsarchive.extract import extract\n"
        f"extract({html + '</article></body></html>'!r}, 'https://www.thessaliatv.gr/news/1/')"
    )
    assert not loaded & {"scrapy", "twisted", "sqlalchemy"}


def test_an_extraction_process_imports_no_scrapy_and_no_sqlalchemy() -> None:
    loaded = modules_after(
        "from newsarchive import extraction_workers\nfrom newsarchive.archive import terms"
    )
    assert not loaded & {"scrapy", "twisted", "sqlalchemy"}

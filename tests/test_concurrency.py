"""Two crawls writing into one archive at once lose nothing and double nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from newsarchive.archive import Archive
from newsarchive.archive.models import AliasRow, ArticleRow, VersionRow
from newsarchive.fixture_server import serve


def crawl(db: str, mirror: str, cwd: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "newsarchive", "crawl", "--all", "--refresh"]
    return subprocess.Popen(
        [*command, "--db", db, "--mirror", mirror],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def contents(db: str) -> tuple[dict[str, str], int, int]:
    """Each archived article's content hash by URL; the number of versions and aliases."""
    with Archive(db, read_only=True) as archive:
        session = archive.session
        rows = session.execute(select(ArticleRow.canonical_url, ArticleRow.content_hash))
        hashes = {url: digest for url, digest in rows}
        versions = session.scalar(select(func.count()).select_from(VersionRow)) or 0
        aliases = session.scalar(select(func.count()).select_from(AliasRow)) or 0
    return hashes, versions, aliases


def test_two_crawls_at_once_store_what_one_crawl_stores(db_url: str, tmp_path: Path) -> None:
    alone = f"sqlite:///{tmp_path / 'alone.db'}"
    with serve() as server:
        first = crawl(alone, server.url, tmp_path)
        assert first.wait(timeout=300) == 0, first.communicate()
        together = [crawl(db_url, server.url, tmp_path) for _ in range(2)]
        for process in together:
            code = process.wait(timeout=300)
            out, err = process.communicate()
            assert code == 0, (out, err)
            assert "[FAILED]" not in out
    expected, expected_versions, expected_aliases = contents(alone)
    assert expected and expected_versions == len(expected)
    found, versions, aliases = contents(db_url)
    assert found == expected
    assert (versions, aliases) == (expected_versions, expected_aliases)

"""`newsarchive db upgrade`: an older archive upgraded explicitly, a current one left alone."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from newsarchive.cli import main
from tests.test_archive import _archive_at_revision_0001, article


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_db_upgrade_brings_an_old_archive_to_the_newest_revision(tmp_path: Path) -> None:
    path = tmp_path / "παλιό.db"
    _archive_at_revision_0001(f"sqlite:///{path}", [article()])
    code, _, error = run("search", "ημερίδα", "--db", str(path))
    assert code == 2 and "newsarchive db upgrade" in error
    code, out, _ = run("db", "upgrade", "--db", str(path))
    assert code == 0 and "upgraded from schema revision 0001" in out
    code, out, _ = run("db", "upgrade", "--db", str(path))
    assert code == 0 and "already at schema revision" in out
    code, out, _ = run("search", "ημερίδα", "--db", str(path), "--format", "jsonl")
    assert code == 0 and "Ημερίδα για την κοινωνική καινοτομία" in out


def test_db_upgrade_makes_no_archive_where_there_is_none(tmp_path: Path) -> None:
    code, out, error = run("db", "upgrade", "--db", str(tmp_path / "none.db"))
    assert (code, out) == (2, "") and "no archive at" in error
    assert list(tmp_path.iterdir()) == []


def test_the_schema_revisions_known_without_alembic_are_alembics() -> None:
    from alembic.script import ScriptDirectory

    from newsarchive.archive import store
    from newsarchive.archive.files import SCHEMA_HEAD, SCHEMA_REVISIONS
    from newsarchive.search import run

    script = ScriptDirectory.from_config(store._alembic_config())
    walked = [revision.revision for revision in script.walk_revisions()]
    assert walked == list(reversed(SCHEMA_REVISIONS)) == store.known_revisions()[0]
    assert script.get_current_head() == SCHEMA_HEAD == run.SCHEMA

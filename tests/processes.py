"""`newsarchive crawl` as a process of its own, for the tests that lock, kill and resume crawls."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def crawl(*args: str, cwd: Path) -> subprocess.Popen[str]:
    """`newsarchive crawl ARGS` started in `cwd`, its output captured as UTF-8 text."""
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "crawl", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def finished(process: subprocess.Popen[str], *, timeout: float = 300) -> tuple[int, str, str]:
    """The process's exit status, stdout and stderr, once it has ended."""
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err

"""newsarchive: crawler and searchable archive of the regional news of Thessaly."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _version() -> str:
    # Read from the installed package's metadata (written once, in pyproject.toml) when first
    # asked: importlib.metadata costs tens of milliseconds of every command's start otherwise.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsarchive")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'newsarchive' has no attribute {name!r}")

"""newsarchive: crawler and searchable archive of the regional news of Thessaly."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsarchive")  # written once, in pyproject.toml
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

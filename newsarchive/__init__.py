"""newsarchive: crawler and searchable archive of the regional news of Thessaly."""

__version__ = "0.1.0"

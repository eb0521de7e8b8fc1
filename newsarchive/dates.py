"""TEMPORARY stub written by the lead so other modules import; the dates engineer replaces this whole file."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

ATHENS = ZoneInfo("Europe/Athens")


def to_athens(dt: datetime, *, assume_local: bool = False) -> datetime:
    if dt.tzinfo is None or assume_local:
        return dt.replace(tzinfo=ATHENS)
    return dt.astimezone(ATHENS)


def parse_date(text: str, *, now: datetime | None = None) -> datetime | None:
    m = re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\s*\|\s*(\d{1,2}):(\d{2})", text)
    if m:
        return datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4]), int(m[5]), tzinfo=ATHENS)
    try:
        return to_athens(datetime.fromisoformat(text.strip()))
    except ValueError:
        return None

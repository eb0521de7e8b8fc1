"""`Found`: a field's value and the rule that produced it; `first` tries rules in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    """A field value and the rule that produced it (`Article.provenance`)."""

    value: T
    rule: str
    raw: str | None = None
    """The string a date was parsed from."""


def first(*candidates: Callable[[], Found[Any] | None]) -> Found[Any] | None:
    """The first rule that finds something, tried lazily in order."""
    for candidate in candidates:
        found = candidate()
        if found is not None:
            return found
    return None

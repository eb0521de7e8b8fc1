"""Golden pages: a saved page (`<slug>.html`) and what extraction must make of it (`<slug>.json`).

One format for every page the tests check: the fixture sites' articles
(`newsarchive/fixture_sites/<site>/articles/`) and the extraction corpus (`tests/fixtures/pages/`),
written by `newsarchive savefixture` and `tests/fixtures/build_corpus.py`. The JSON holds:

- `url`, `fetched_at`: where and when the page was fetched (ISO 8601 with an offset; the `now`
  of relative and year-less dates);
- `content_type` (optional): the `Content-Type` the server sends (it may lie about the charset);
- `modeled_on`: what the page is built or saved from (SITES.md rows, a reference file, a URL);
- `kind`: `article`, `teaser` (an aggregator's excerpt of another site's article) or
  `not_article` (a listing, a tag or author page, a gallery);
- `expected` (articles and teasers): the complete record, every `Article` field except `url`
  and `fetched_at` (top level) and `content_hash` (derived from headline, lead and body);
- `expected_reason` (optional, pages that are not articles): a substring of the
  `NotAnArticleError` message;
- `body_contains`, `body_excludes` (optional): sentences the body must hold (incl. traps that
  look like chrome), chrome phrases it must not;
- `known_bugs` (optional): field → what the extractor gets wrong there today; `expected` holds
  the true value, and the test expects that field to fail until the bug is fixed.

A record field missing from `expected`, or a key this module does not know, makes the page
unloadable: nothing a page states goes unchecked, and a new `Article` field needs every page.
No Scrapy, no SQLAlchemy.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from newsarchive.items import Article

KINDS = ("article", "teaser", "not_article")
TOP_LEVEL = (
    "url",
    "fetched_at",
    "content_type",
    "modeled_on",
    "kind",
    "expected_reason",
    "known_bugs",
    "expected",
    "body_contains",
    "body_excludes",
)
"""Every key of a golden page, in the order they are written."""
REQUIRED = ("url", "fetched_at", "modeled_on", "kind")
NOT_STORED = ("url", "fetched_at", "content_hash")
"""Article fields outside `expected`: the first two at the top level; the hash is derived."""
RECORD_FIELDS = tuple(f.name for f in fields(Article) if f.name not in NOT_STORED)
"""The fields of `expected`, in the order they are written (the order of `Article`)."""
DATETIME_FIELDS = ("published_at", "modified_at")
OPTIONAL_TEXT = ("region", "lead", "section", "published_raw", "modified_raw", "source_credit")
TEXT = ("canonical_url", "site", "headline", "body", "language")
TEXT_LISTS = ("tags", "authors", "body_contains", "body_excludes")


class FixtureError(ValueError):
    """A golden page that is incomplete or malformed."""


@dataclass(frozen=True)
class GoldenPage:
    """A saved page and what extraction must give for it."""

    path: Path
    """The `.json` file."""
    url: str
    fetched_at: datetime
    kind: str
    modeled_on: str
    expected: dict[str, Any] | None
    """The complete record (JSON form) for articles and teasers; None for other pages."""
    content_type: str | None = None
    expected_reason: str | None = None
    known_bugs: dict[str, str] = field(default_factory=dict)
    body_contains: tuple[str, ...] = ()
    body_excludes: tuple[str, ...] = ()

    @property
    def html_path(self) -> Path:
        return self.path.with_suffix(".html")

    def raw(self) -> bytes:
        """The page as the server sends it."""
        return self.html_path.read_bytes()

    def html(self) -> str:
        """The page's text, decoded as `from_response` decodes it."""
        from newsarchive.encoding import decode_html

        text = decode_html(self.raw(), self.content_type)
        if text is None:
            raise FixtureError(f"{self.html_path}: no encoding gives readable text")
        return text

    def extract(self, *, use_site_rules: bool = True) -> Article:
        """The page's record by the one record path (raises NotAnArticleError for non-articles)."""
        from newsarchive.extract import from_response

        return from_response(
            self.raw(),
            self.content_type,
            self.url,
            fetched_at=self.fetched_at,
            use_site_rules=use_site_rules,
        )

    def data(self) -> dict[str, Any]:
        """The page as JSON-ready data (what `dump` writes)."""
        values: dict[str, Any] = {
            "url": self.url,
            "fetched_at": self.fetched_at.isoformat(),
            "content_type": self.content_type,
            "modeled_on": self.modeled_on,
            "kind": self.kind,
            "expected_reason": self.expected_reason,
            "known_bugs": self.known_bugs,
            "expected": self.expected,
            "body_contains": list(self.body_contains),
            "body_excludes": list(self.body_excludes),
        }
        return _ordered(values)


# --- reading ---------------------------------------------------------------------------------


def load(path: Path | str) -> GoldenPage:
    """The golden page of `<slug>.json` (or of its `<slug>.html`); FixtureError if incomplete."""
    path = Path(path).with_suffix(".json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise FixtureError(f"{path}: {error}") from None
    problems = check(data)
    if not path.with_suffix(".html").exists():
        problems.append(f"no page beside it ({path.with_suffix('.html').name})")
    if problems:
        raise FixtureError(f"{path}: " + "; ".join(problems))
    return GoldenPage(
        path=path,
        url=data["url"],
        fetched_at=datetime.fromisoformat(data["fetched_at"]),
        kind=data["kind"],
        modeled_on=data["modeled_on"],
        expected=data.get("expected"),
        content_type=data.get("content_type"),
        expected_reason=data.get("expected_reason"),
        known_bugs=dict(data.get("known_bugs") or {}),
        body_contains=tuple(data.get("body_contains") or ()),
        body_excludes=tuple(data.get("body_excludes") or ()),
    )


def check(data: Any) -> list[str]:
    """What is wrong with a golden page's JSON data, one phrase per problem; empty if nothing."""
    if not isinstance(data, dict):
        return ["not a JSON object"]
    problems = [f"unknown key {key!r}" for key in data if key not in TOP_LEVEL]
    for key in ("url", "modeled_on"):
        if not _text(data.get(key)):
            problems.append(f"{key} missing or empty")
    problems += _check_moment("fetched_at", data.get("fetched_at"), required=True)
    for key in ("content_type", "expected_reason"):
        if data.get(key) is not None and not _text(data[key]):
            problems.append(f"{key} must be a non-empty string")
    for key in ("body_contains", "body_excludes"):
        if key in data and not _texts(data[key]):
            problems.append(f"{key} must be a list of non-empty strings")
    kind = data.get("kind")
    if kind not in KINDS:
        return [*problems, f"kind must be one of {', '.join(KINDS)}, not {kind!r}"]
    if kind == "not_article":
        problems += [
            f"{key} makes no sense for a page that is not an article"
            for key in ("expected", "known_bugs", "body_contains", "body_excludes")
            if key in data
        ]
        return problems
    if "expected_reason" in data:
        problems.append("expected_reason is for pages that are not articles")
    problems += check_expected(data.get("expected"))
    if isinstance(data.get("expected"), dict):
        if data["expected"].get("is_teaser") is not (kind == "teaser"):
            problems.append(f"a {kind} page must have is_teaser {kind == 'teaser'}")
        problems += _check_known_bugs(data.get("known_bugs", {}))
    return problems


def check_expected(expected: Any) -> list[str]:
    """What is wrong with an expected record: missing, unknown or mistyped fields."""
    if not isinstance(expected, dict):
        return ["expected must be the complete record (a JSON object)"]
    problems = []
    missing = [name for name in RECORD_FIELDS if name not in expected]
    if missing:
        problems.append("expected lacks " + ", ".join(missing))
    for name in expected:
        if name == "content_hash":
            problems.append("expected holds content_hash: it is derived, the test recomputes it")
        elif name in ("url", "fetched_at"):
            problems.append(f"expected holds {name}: it belongs at the top level")
        elif name not in RECORD_FIELDS:
            problems.append(f"expected holds {name!r}, which is no Article field")
    for name in RECORD_FIELDS:
        if name in expected and not _valid(name, expected[name]):
            problems.append(f"expected {name} is malformed: {expected[name]!r}")
    return problems


def _valid(name: str, value: Any) -> bool:
    if name in DATETIME_FIELDS:
        return value is None or not _check_moment(name, value, required=True)
    if name in TEXT:
        return isinstance(value, str)
    if name in OPTIONAL_TEXT:
        return value is None or isinstance(value, str)
    if name in TEXT_LISTS:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if name == "images":
        return isinstance(value, list) and all(_image(item) for item in value)
    if name == "provenance":
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    if name == "is_teaser":
        return isinstance(value, bool)
    return True  # a field added to Article since: present is all we can ask


def _image(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"url", "caption"}
        and isinstance(value["url"], str)
        and (value["caption"] is None or isinstance(value["caption"], str))
    )


def _check_moment(name: str, value: Any, *, required: bool) -> list[str]:
    if value is None and not required:
        return []
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return [f"{name} must be an ISO 8601 date and time, not {value!r}"]
    return [] if moment.tzinfo is not None else [f"{name} has no UTC offset: {value!r}"]


def _check_known_bugs(known: Any) -> list[str]:
    if not isinstance(known, dict):
        return ["known_bugs must map record fields to notes"]
    return [
        f"known_bugs names {name!r}, which is no expected field"
        for name in known
        if name not in RECORD_FIELDS
    ] + [f"known_bugs {name}: the note is empty" for name, note in known.items() if not _text(note)]


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(_text(item) for item in value)


# --- writing ---------------------------------------------------------------------------------


def expected_of(article: Article) -> dict[str, Any]:
    """The expected record of an article, as a golden page holds it (what savefixture writes)."""
    data = article.to_dict()
    return _ordered_record({name: data[name] for name in RECORD_FIELDS})


def fixture_of(
    article: Article, *, modeled_on: str, content_type: str | None = None
) -> dict[str, Any]:
    """A complete golden page for an extracted article: review it before committing it."""
    return {
        "url": article.url,
        "fetched_at": article.fetched_at.isoformat(),
        "content_type": content_type,
        "modeled_on": modeled_on,
        "kind": "teaser" if article.is_teaser else "article",
        "expected": expected_of(article),
    }


def not_article(
    url: str,
    fetched_at: datetime,
    *,
    modeled_on: str,
    reason: str | None = None,
    content_type: str | None = None,
) -> dict[str, Any]:
    """A golden page for a page that gives no record (a listing, a gallery)."""
    return {
        "url": url,
        "fetched_at": fetched_at.isoformat(),
        "content_type": content_type,
        "modeled_on": modeled_on,
        "kind": "not_article",
        "expected_reason": reason,
    }


def dump(data: Mapping[str, Any]) -> str:
    """The JSON text of a golden page: keys in a fixed order, Greek unescaped, indent 2.

    Empty optional keys (None, empty lists and maps) are left out. FixtureError if the page is
    incomplete, so no tool can write one that `load` would refuse.
    """
    values = _ordered(dict(data))
    problems = check(values)
    if problems:
        raise FixtureError("; ".join(problems))
    return json.dumps(values, ensure_ascii=False, indent=2) + "\n"


def write(path: Path | str, data: Mapping[str, Any], *, html: bytes | None = None) -> Path:
    """Write `<slug>.json` (and, given its bytes, the page as `<slug>.html`); the JSON's path."""
    path = Path(path).with_suffix(".json")
    text = dump(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    if html is not None:
        path.with_suffix(".html").write_bytes(html)
    path.write_text(text, encoding="utf-8")
    return path


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    """Known keys in `TOP_LEVEL` order, empty optional ones dropped; unknown keys kept last."""
    values: dict[str, Any] = {}
    for key in (*TOP_LEVEL, *(key for key in data if key not in TOP_LEVEL)):
        value = data.get(key)
        if key not in REQUIRED and value in (None, [], (), {}):
            continue
        if key == "expected" and isinstance(value, dict):
            value = _ordered_record(value)
        values[key] = list(value) if isinstance(value, tuple) else value
    return values


def _ordered_record(expected: dict[str, Any]) -> dict[str, Any]:
    """Fields in `Article` order; provenance keys in field order too (rules add them in any)."""
    order = {name: index for index, name in enumerate(RECORD_FIELDS)}
    record = {name: expected[name] for name in sorted(expected, key=lambda n: order.get(n, 99))}
    provenance = record.get("provenance")
    if isinstance(provenance, dict):
        record["provenance"] = {
            name: provenance[name]
            for name in sorted(provenance, key=lambda n: (order.get(n, 99), n))
        }
    return record


# --- comparing -------------------------------------------------------------------------------


def differences(
    article: Article, expected: Mapping[str, Any], *, only: Iterable[str] | None = None
) -> list[str]:
    """One line per field where the article differs from the expected record.

    Dates are compared as moments (`+00:00` and `+02:00` spellings of one instant agree); with
    `only`, just those fields.
    """
    got = expected_of(article)
    names: Collection[str] = tuple(only) if only is not None else RECORD_FIELDS
    lines = []
    for name in names:
        want = expected.get(name)
        if not _same(name, want, got[name]):
            lines.append(f"{name}: {_difference(want, got[name])}")
    return lines


def _same(name: str, want: Any, got: Any) -> bool:
    if name in DATETIME_FIELDS:
        return _moment(want) == _moment(got)
    return bool(want == got)


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _difference(want: Any, got: Any) -> str:
    if isinstance(want, str) and isinstance(got, str) and max(len(want), len(got)) > 80:
        at = next(
            (i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b),
            min(len(want), len(got)),
        )
        start = max(at - 30, 0)
        return (
            f"first difference at character {at} (expected {len(want)} characters, got "
            f"{len(got)}): expected …{want[start : at + 50]!r}…, got …{got[start : at + 50]!r}…"
        )
    return f"expected {want!r}, got {got!r}"

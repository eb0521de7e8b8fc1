"""Query-string parameters shared by the pages and the API: filters, paging, and the 400 error
that names a bad parameter."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from newsarchive.filters import BadFilterError, Filters

Sort = Literal["newest", "oldest", "relevance"]
"""`newsarchive.search.run.SORTS`: the orders search results come in."""
Every = Literal["day", "week", "month"]
"""`newsarchive.stats.EVERY`: the periods trends are counted in."""
By = Literal["", "site", "region", "section"]
"""`newsarchive.stats.BY`, or "" for one series of every article."""
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_OFFSET = 1_000_000


class BadParameter(Exception):
    """A parameter that cannot be used: a 400 `{"error": message, "parameter": name}`."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def filters(
    site: Annotated[
        list[str] | None, Query(description="Only this site's articles (repeatable).")
    ] = None,
    region: Annotated[
        str | None,
        Query(description="Only this region's: larisa, magnisia, trikala, karditsa, thessalia."),
    ] = None,
    section: Annotated[
        str | None, Query(description="Only this section (case and accents ignored).")
    ] = None,
    since: Annotated[
        str | None,
        Query(description="Published then or later (ISO 8601 date or datetime, Athens time)."),
    ] = None,
    until: Annotated[
        str | None,
        Query(description="Published then or earlier (a date: that whole day)."),
    ] = None,
    story: Annotated[
        str | None, Query(description="Only the copies of this story (its key).")
    ] = None,
) -> Filters:
    """The filters of the query string (empty values mean no restriction), or a BadParameter
    naming the one that is wrong."""
    try:
        return Filters.parse(
            sites=site or (),
            region=region,
            section=section,
            since=since,
            until=until,
            story=story,
        )
    except BadFilterError as error:
        raise BadParameter(error.parameter, str(error)) from None


Limit = Annotated[
    int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"At most this many (1 to {MAX_PAGE_SIZE}).")
]
Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description="How many to skip (paging), from 0.")
]

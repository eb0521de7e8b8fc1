"""The WordPress REST API as a discovery endpoint: `/wp-json/wp/v2/posts`, paged.

Only links and dates are asked for (`_fields=link,date_gmt,modified_gmt`): the records come
from the article pages, as for every other discovery method. WordPress answers at most 100
posts a page and says how many pages there are in `X-WP-TotalPages`; a page past the last is
an HTTP 400 (`rest_post_invalid_page_number`) or an empty list.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

POSTS = "/wp-json/wp/v2/posts"
ROOT = "/wp-json/"
PER_PAGE = 100
FIELDS = "link,date_gmt,modified_gmt"


class NotPostsError(ValueError):
    """A REST response that is not a list of posts: the reason, in a few words."""


def posts_url(
    base_url: str, page: int, *, since: date | None = None, until: date | None = None
) -> str:
    """The posts page `page` (from 1), published from `since` (inclusive) to `until`
    (inclusive) if given; WordPress reads both in the site's time zone."""
    query: list[tuple[str, Any]] = [("per_page", PER_PAGE), ("page", page), ("_fields", FIELDS)]
    if since is not None:
        query.append(("after", f"{since.isoformat()}T00:00:00"))
    if until is not None:
        query.append(("before", f"{(until + timedelta(days=1)).isoformat()}T00:00:00"))
    return f"{base_url.rstrip('/')}{POSTS}?{urlencode(query, safe=',:')}"


def parse_posts(body: bytes) -> dict[str, str | None]:
    """Each post's link and its `modified_gmt` as a lastmod (UTC, so with `+00:00`).

    NotPostsError for a body that is no JSON list of posts (HTML, an error object)."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        head = body.lstrip()[:1]
        raise NotPostsError("answered HTML" if head == b"<" else "answered no JSON") from None
    if not isinstance(data, list):
        code = data.get("code") if isinstance(data, dict) else None
        raise NotPostsError(f"answered {code or 'JSON that is not a list of posts'}")
    posts: dict[str, str | None] = {}
    for post in data:
        if isinstance(post, dict) and isinstance(post.get("link"), str):
            modified = post.get("modified_gmt") or post.get("date_gmt")
            posts[post["link"]] = f"{modified}+00:00" if isinstance(modified, str) else None
    return posts


def total_pages(header: bytes | None) -> int | None:
    """`X-WP-TotalPages` as a number, or None when absent or not one."""
    try:
        return int(header.decode("ascii")) if header else None
    except ValueError:
        return None


def is_wordpress_root(body: bytes) -> bool:
    """`/wp-json/` answered WordPress's index, with the `wp/v2` namespace."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return False
    return isinstance(data, dict) and "wp/v2" in (data.get("namespaces") or [])

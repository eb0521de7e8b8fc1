"""The web application: HTML pages in Greek and the JSON API, read-only over one archive.

Every page is a Jinja2 template (autoescaped: what the archive holds came from pages in the
wild); the one markup let through is the search's snippet HTML, escaped by
`newsarchive.search.run.snippet_html` itself. Pages are served with a Content-Security-Policy
allowing only this server's own CSS and images; nothing is fetched from elsewhere. A stored raw
page is served as plain text in a sandbox, never as a page of this origin.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from newsarchive import __version__
from newsarchive.archive import Archive, ArchiveError
from newsarchive.archive.warc import WarcError, warc_folder
from newsarchive.filters import Filters
from newsarchive.search.run import SearchError
from newsarchive.web import data
from newsarchive.web.params import (
    PAGE_SIZE,
    BadParameter,
    By,
    Every,
    Limit,
    Offset,
    Sort,
    filters,
)
from newsarchive.web.render import page, paging

if TYPE_CHECKING:
    from newsarchive.stats import Counts

HERE = Path(__file__).resolve().parent
PAGE_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
"""Pages load only this server's CSS and images, run no script, and cannot be framed."""
CHART_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
"""The chart's SVG styles itself inline (matplotlib) and may do nothing else."""
RAW_POLICY = "sandbox; default-src 'none'"
"""A stored page from the wild: shown as text, and even so in a sandbox of no origin."""


class GreekJSONResponse(JSONResponse):
    """JSON with Greek as it is written (no `\\u` escapes), UTF-8."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False).encode("utf-8")


# --- the archive, per request -------------------------------------------------------------------


def session(request: Request) -> Iterator[Session]:
    """A session of the archive for one request (read-only: the archive was opened so)."""
    archive: Archive = request.app.state.archive
    with Session(archive.engine) as opened:
        yield opened


Reading = Annotated[Session, Depends(session)]
Filtered = Annotated[Filters, Depends(filters)]
Q = Annotated[str, Query(max_length=10_000, description="The search, in the query language.")]


# --- errors -------------------------------------------------------------------------------------


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(
    request: Request, status: int, message: str, parameter: str | None = None
) -> Response:
    """A JSON error for the API (`{"error": …, "parameter": …}`), an error page otherwise."""
    if is_api(request) or request.url.path.startswith("/raw/"):
        body: dict[str, Any] = {"error": message}
        if parameter is not None:
            body["parameter"] = parameter
        return GreekJSONResponse(body, status_code=status)
    context = {"status": status, "message": message, "parameter": parameter}
    return page(request, "error.html", context, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    async def bad_parameter(request: Request, error: Exception) -> Response:
        assert isinstance(error, BadParameter)
        return error_response(request, 400, error.message, error.parameter)

    async def invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        first = error.errors()[0]
        location = [str(part) for part in first.get("loc", ())]
        parameter = location[-1] if location else None
        if location and location[0] == "query" and len(location) > 2:
            parameter = location[1]  # a repeated parameter: `site`, not its index
        return error_response(request, 400, str(first.get("msg", "bad parameter")), parameter)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        return error_response(request, error.status_code, str(error.detail))

    async def unreadable(request: Request, error: Exception) -> Response:
        archive: Archive = request.app.state.archive
        reason = str(getattr(error, "orig", None) or error).strip().splitlines() or ["?"]
        return error_response(request, 503, f"cannot read archive {archive.where}: {reason[0]}")

    async def search_failed(request: Request, error: Exception) -> Response:
        return error_response(request, 503, str(error))

    app.add_exception_handler(SearchError, search_failed)
    app.add_exception_handler(ArchiveError, search_failed)
    app.add_exception_handler(BadParameter, bad_parameter)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(SQLAlchemyError, unreadable)


async def security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


# --- the application ----------------------------------------------------------------------------


def create_app(db_url: str, *, warc_dir: Path | str | None = None) -> FastAPI:
    """The web UI and API over the archive at `db_url`, opened read-only now (raises
    ArchiveError when it is missing or not an archive: none is created). `warc_dir`: where the
    raw pages' WARC files are (default: as crawls put them, `warc_folder`)."""
    archive = Archive(db_url, read_only=True)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        archive.close()

    app = FastAPI(
        title="newsarchive",
        version=__version__,
        summary="Read-only search of the Thessaly news archive",
        description="The archive's articles, versions, stories and counts as JSON. Every "
        'endpoint takes GET; bad parameters get a 400 `{"error": …, "parameter": …}`.',
        default_response_class=GreekJSONResponse,
        docs_url=None,  # Swagger UI and ReDoc load their assets from a CDN: none is fetched
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.archive = archive
    app.state.db_url = db_url
    app.state.warc_folder = warc_folder(db_url, warc_dir).absolute()
    app.middleware("http")(security_headers)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    add_pages(app)
    add_api(app)
    return app


def searched(
    request: Request, q: str, found: Filters, *, sort: str, limit: int, offset: int
) -> dict[str, Any]:
    from newsarchive.query import BadQueryError

    try:
        return data.search_data(
            request.app.state.db_url, q, found, sort=sort, limit=limit, offset=offset
        )
    except BadQueryError as error:
        raise BadParameter("q", str(error)) from None


def counted(db: Session, *, every: str, by: str, q: str, found: Filters) -> Counts:
    """The counts of the trends page and `/api/stats`; a bad query or range is a 400."""
    from newsarchive.query import BadQueryError
    from newsarchive.stats import TooManyPeriodsError, counts

    try:
        return counts(db, every=every, by=by or None, query=q.strip() or None, filters=found)
    except BadQueryError as error:
        raise BadParameter("q", str(error)) from None
    except TooManyPeriodsError as error:
        raise BadParameter("every", str(error)) from None


def add_pages(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        db: Reading,
        found: Filtered,
        q: Q = "",
        sort: Sort = "newest",
        limit: Limit = PAGE_SIZE,
        offset: Offset = 0,
    ) -> Response:
        if not q.strip():
            shown = data.recent_data(db, found, limit=limit, offset=offset)
            links = paging(request, shown, more=shown["more"])
            return page(request, "search.html", {"results": None, "recent": shown, **links})
        results = searched(request, q, found, sort=sort, limit=limit, offset=offset)
        links = paging(request, results, more=offset + limit < results["total"])
        return page(request, "search.html", {"results": results, "recent": None, **links})

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, db: Reading, article_id: int) -> Response:
        shown = data.article_data(db, article_id)
        if shown is None:
            raise HTTPException(404, f"no article {article_id} in the archive")
        return page(request, "article.html", shown)

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        request: Request,
        db: Reading,
        found: Filtered,
        limit: Limit = PAGE_SIZE,
        offset: Offset = 0,
    ) -> Response:
        shown = data.stories_data(db, found, limit=limit, offset=offset)
        return page(
            request, "stories.html", {**shown, **paging(request, shown, more=shown["more"])}
        )

    @app.get("/trends", response_class=HTMLResponse, include_in_schema=False)
    def trends_page(
        request: Request,
        db: Reading,
        found: Filtered,
        q: Q = "",
        every: Every = "week",
        by: By = "",
    ) -> Response:
        shown = data.stats_data(counted(db, every=every, by=by, q=q, found=found))
        chart = "/api/stats/chart?" + urlencode(list(request.query_params.multi_items()))
        return page(request, "trends.html", {**shown, "chart": chart})

    @app.get("/raw/{raw_page_id}", response_class=PlainTextResponse, tags=["articles"])
    def raw_page(request: Request, db: Reading, raw_page_id: int) -> Response:
        """A stored raw page (the response a crawl fetched and kept in WARC): its source as
        the extractor decoded it, as plain UTF-8 text in a sandbox."""
        try:
            text = data.raw_page_text(db, request.app.state.warc_folder, raw_page_id)
        except WarcError as error:
            raise HTTPException(404, f"raw page {raw_page_id} cannot be read: {error}") from None
        if text is None:
            raise HTTPException(404, f"no raw page {raw_page_id} in the archive")
        return PlainTextResponse(text, headers={"Content-Security-Policy": RAW_POLICY})


def add_api(app: FastAPI) -> None:
    @app.get("/api/search", tags=["search"])
    def api_search(
        request: Request,
        found: Filtered,
        q: Annotated[str, Query(max_length=10_000, description="The search (required).")],
        sort: Sort = "newest",
        limit: Limit = PAGE_SIZE,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Articles matching the query within the filters: `total`, and `hits` from `offset`,
        each with its headline and snippet marked (`[text, is_a_match]` pairs and HTML)."""
        return searched(request, q, found, sort=sort, limit=limit, offset=offset)

    @app.get("/api/articles", tags=["articles"])
    def api_articles(
        db: Reading, found: Filtered, limit: Limit = PAGE_SIZE, offset: Offset = 0
    ) -> dict[str, Any]:
        """The newest articles within the filters (`more`: whether a next page has some)."""
        return data.recent_data(db, found, limit=limit, offset=offset)

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def api_article(
        db: Reading, article_id: Annotated[int, PathParam(description="The article's id.")]
    ) -> dict[str, Any]:
        """An article: its record (`article`), its versions with word diffs of what changed
        (`[-removed-]{+added+}`) and their raw pages, its aliases, and its story's copies."""
        shown = data.article_data(db, article_id)
        if shown is None:
            raise HTTPException(404, f"no article {article_id} in the archive")
        return shown

    @app.get("/api/stories", tags=["stories"])
    def api_stories(
        db: Reading, found: Filtered, limit: Limit = PAGE_SIZE, offset: Offset = 0
    ) -> dict[str, Any]:
        """Texts republished by several outlets with a copy within the filters, newest first,
        each with its first publisher and every copy."""
        return data.stories_data(db, found, limit=limit, offset=offset)

    @app.get("/api/stats", tags=["trends"])
    def api_stats(
        db: Reading, found: Filtered, q: Q = "", every: Every = "week", by: By = ""
    ) -> dict[str, Any]:
        """Articles per period (Athens time) and per site, region or section (`by`), of the
        whole archive or of a query's matches (`q`); periods without articles are 0."""
        return data.stats_data(counted(db, every=every, by=by, q=q, found=found))

    @app.get("/api/stats/chart", tags=["trends"], response_class=Response)
    def api_chart(
        db: Reading, found: Filtered, q: Q = "", every: Every = "week", by: By = ""
    ) -> Response:
        """The same counts as a line chart (SVG), a line per series."""
        from newsarchive.charts import chart_svg

        svg = chart_svg(counted(db, every=every, by=by, q=q, found=found))
        return Response(
            svg,
            media_type="image/svg+xml",
            headers={"Content-Security-Policy": CHART_POLICY},
        )

    @app.get("/api/sites", tags=["sites"])
    def api_sites() -> list[dict[str, Any]]:
        """The supported sources (as `newsarchive sites --format json` gives them)."""
        from newsarchive import sites
        from newsarchive.query import site_record

        return [site_record(site) for site in sites.all()]


__all__ = ["ArchiveError", "create_app"]

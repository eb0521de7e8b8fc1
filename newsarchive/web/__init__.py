"""`newsarchive serve`: the read-only web UI and JSON API over an archive (FastAPI).

`app.create_app(db_url)` builds the application: HTML pages (Jinja2, autoescaped, Greek
interface text) and `/api/` endpoints that return the same data as JSON, described at
`/openapi.json`. `data` makes that data from the read side (`newsarchive.query`, the search,
the stats); `params` turns query strings into `Filters` and 400 errors.
"""

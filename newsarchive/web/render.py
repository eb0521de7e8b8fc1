"""Pages: the Jinja2 environment (autoescaped, Greek names of what the archive codes), its
filters, and the responses of the templates in `templates/`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from newsarchive import __version__
from newsarchive.dates import ATHENS
from newsarchive.web.data import diff_parts

HERE = Path(__file__).resolve().parent
REGION_NAMES = {
    "larisa": "Λάρισα",
    "magnisia": "Μαγνησία",
    "trikala": "Τρίκαλα",
    "karditsa": "Καρδίτσα",
    "thessalia": "Θεσσαλία",
}
SORT_NAMES = {"newest": "νεότερα πρώτα", "oldest": "παλαιότερα πρώτα", "relevance": "συνάφεια"}
EVERY_NAMES = {"day": "ημέρα", "week": "εβδομάδα", "month": "μήνα"}
BY_NAMES = {"": "όλα μαζί", "site": "μέσο", "region": "περιοχή", "section": "κατηγορία"}
FIELD_NAMES = {
    "headline": "τίτλος",
    "lead": "εισαγωγή",
    "body": "κείμενο",
    "section": "κατηγορία",
    "tags": "ετικέτες",
    "authors": "συντάκτες",
}


def shown_time(value: str | datetime | None) -> str:
    """An ISO time as a Greek reader writes it: `19/01/2026 13:47` (Athens time)."""
    if not value:
        return "χωρίς ημερομηνία"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(ATHENS).strftime("%d/%m/%Y %H:%M")


def web_link(url: str | None) -> str | None:
    """A URL fit for a link: http(s) only (a `javascript:` URL stays text)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def paragraphs(text: str | None) -> list[str]:
    """A body's paragraphs (separated by a blank line in the record)."""
    return [part for part in (text or "").split("\n\n") if part.strip()]


def series_label(label: str, by: str | None, outlets: dict[str, str]) -> str:
    """A trends series as a column heading: an outlet's or region's name."""
    if not label:
        return "άρθρα"
    if by == "site":
        return outlets.get(label, label)
    return REGION_NAMES.get(label, label) if by == "region" else label


def site_names() -> dict[str, str]:
    from newsarchive import sites

    return {site.name: site.outlet for site in sites.all()}


def make_templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    outlets = site_names()
    environment.filters.update(
        when=shown_time,
        region=lambda value: REGION_NAMES.get(value, value or "-"),
        outlet=lambda value: outlets.get(value, value),
        field=lambda value: FIELD_NAMES.get(value, value),
        link=web_link,
        diff_parts=diff_parts,
        paragraphs=paragraphs,
        series=lambda label, by: series_label(label, by, outlets),
    )
    environment.globals.update(
        version=__version__,
        sites=outlets,
        regions=REGION_NAMES,
        sort_names=SORT_NAMES,
        every_names=EVERY_NAMES,
        by_names=BY_NAMES,
    )
    return Jinja2Templates(env=environment)


TEMPLATES = make_templates()


def page(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    form = request.query_params
    return TEMPLATES.TemplateResponse(
        request,
        name,
        {"form": form, "path": request.url.path, **context},
        status_code=status_code,
    )


def with_offset(request: Request, offset: int) -> str:
    """This page's URL at another offset (every other parameter kept)."""
    items = [(key, value) for key, value in request.query_params.multi_items() if key != "offset"]
    return request.url.path + "?" + urlencode([*items, ("offset", str(offset))])


def paging(request: Request, shown: dict[str, Any], *, more: bool) -> dict[str, str | None]:
    offset, limit = shown["offset"], shown["limit"]
    return {
        "previous": with_offset(request, max(offset - limit, 0)) if offset > 0 else None,
        "next": with_offset(request, offset + limit) if more else None,
    }

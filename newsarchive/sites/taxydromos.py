"""Ταχυδρόμος (taxydromos.gr), the Volos daily: http://www.taxydromos.gr, a custom PHP site.

SITES.md row 9 (2018 front-page HTML in `reference/html/`):
[seen] not a CMS of any family; article URLs `/<Category>/<id>-<greeklish-slug>.html`
(`/Topika/292531-ep-aoriston-apoxh-sta-ypothhkofylakeia-ths-magnhsias.html`); listings
`/<Category>/<page>` (`/Topika/1`) with category names holding spaces (`/Olympiakos Volou/1`,
`/Nikh Volou/1`: requested as `%20`) or Greek (`/Πληροφορίες/Φαρμακεία`, no articles); 13 RSS
feeds `/feed/<section>`; a mobile site under `/m/`; plain `http://`.
[unverified] the article page (no article page was archived: the generic rules read it, from
its `og:*` meta, the `<h1>`, the date line under it and the densest text block), the `a.next`
link of the listings and the date line's format (`dd/mm/yyyy HH:MM` assumed).
Not `taxidromos.gr` (with an i), an unrelated national aggregator that is no site here.
"""

from newsarchive.sites._site import DEFAULT_DENY, Site

FEEDS = (
    "home", "topika", "periferia", "ellada", "diethni", "ikonomia", "sports",
    "politismos", "perivalon", "texnologia", "t2fores", "synergates", "events",
)  # fmt: skip
"""The 13 feeds the 2018 home page links to (`<link rel=alternate>`) [seen]."""


SITE = Site(
    name="taxydromos",
    outlet="Ταχυδρόμος",
    names=("taxydromos.gr", "ΤΑΧΥΔΡΟΜΟΣ ΠΑΝΘΕΣΣΑΛΙΚΗ ΕΦΗΜΕΡΙΔΑ"),
    town="Volos",
    region="magnisia",
    base_url="http://www.taxydromos.gr",
    feeds=tuple(f"/feed/{feed}" for feed in FEEDS),
    listings=("/Topika/1", "/Olympiakos Volou/1"),
    article_url=r"^/[^/]+/\d+-[^/]+\.html$",
    deny_urls=(*DEFAULT_DENY, r"\.php(?:\?|$)", r"/(?:data|css|js|gallery|m)/"),
    unverified=("next_page_css",),
)

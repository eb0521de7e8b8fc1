"""What a page is: an article, an aggregator's teaser of one, or no article at all.

Aggregators (thessalianews, karditsa.online, taxidromos.gr; SITES.md §2, §7) show the first lines
of someone else's article and a `Περισσότερα`/`Διαβάστε περισσότερα` link to it; listings, tag
and author pages and galleries carry headlines and pictures but no article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.etree import _Element

from newsarchive import text, urls
from newsarchive.pages import dom
from newsarchive.pages.body import MIN_ARTICLE_CHARS, Body, prose_chars
from newsarchive.pages.document import Document

LISTING_URL_PROSE = 1500
"""A page at a listing-looking URL (`/page/2/`, `/topics/x`) with this much text is an article."""
PROSE_PER_TEASER = 400
"""A listing's excerpts run to a few lines each; an article's text is far longer per link."""
TEASER_MAX_CHARS = 700
"""Aggregators show about 150 characters; a republished article is far longer."""
LISTING_PATH = re.compile(
    r"^/(?:$|(?:category|categories|tag|tags|author|search|page|topics?|archives/"
    r"(?:category|tag|date|author))(?:/|$))|/page/\d+/?$|/feed/?$",
    re.IGNORECASE,
)
LISTING_QUERY = re.compile(r"(?:^|&)(?:s|q|page|start|paged|cat|tag)=", re.IGNORECASE)
WP_SHORTLINK = re.compile(r"(?:^|&)(?:p|page_id)=\d+(?:&|$)")
"""WordPress's `/?p=123` article links (myvolos)."""
READ_MORE = re.compile(
    r"^(?:\.\.\.|…)?\s*(?:διαβαστε |δειτε |διαβασε )?(?:περισσοτερα|τη συνεχεια|την συνεχεια|"
    r"ολοκληρο το αρθρο|το πληρεσ αρθρο|συνεχεια|read more|continue reading)\b"
    r"(?:\s+(?:στο|στην|στον|απο το|at|on)\s+(?P<site>[\w.-]+\.[a-z]{2,}))?\s*(?:\.\.\.|…|»|>>)?$"
)
"""A read-more link's text, folded; the site it names, if any (`Περισσότερα στο tanea.gr`)."""
READ_MORE_LINKS = etree.XPath(
    "//a[re:test(string(), 'περισσ|συν[εέ]χ|ολ[οό]κληρ|πλ[ηή]ρ|read|continue', 'i')]",
    namespaces={"re": "http://exslt.org/regular-expressions"},
)
"""Links whose text may be a read-more prompt, found in one pass before folding each."""


@dataclass(frozen=True)
class Verdict:
    """What a page is: `not_article` says why it is none; a teaser names its source."""

    not_article: str | None = None
    teaser: bool = False
    source_credit: str | None = None


def judge(doc: Document, found: Body | None, site_body: list[_Element]) -> Verdict:
    """Article, teaser or not an article, from the body found and the page's own signals."""
    body_text = found.text if found else ""
    short = len(body_text) <= TEASER_MAX_CHARS
    credit_link = read_more_credit(doc, site_body) if short else None
    if credit_link:
        return Verdict(teaser=True, source_credit=credit_link)
    credit = credit_line(found.paragraphs if found else [], urls.host_of(doc.url))
    prose = prose_chars(body_text)
    # A page the site's own body selector matches is one of its article pages.
    reason = None if found and found.rule == "selector" else listing_reason(doc, prose)
    if reason:
        return Verdict(not_article=reason)
    if prose < MIN_ARTICLE_CHARS and not declared_body(found):
        return Verdict(not_article=f"no article text ({prose} characters of sentences)")
    return Verdict(source_credit=credit)


def declared_body(found: Body | None) -> bool:
    """Whether the page's own markup names its article body (`itemprop=articleBody`) and it
    holds text: a schedule, a results table or a list of lines is an article's text there,
    however few of its lines end like sentences."""
    return found is not None and found.rule == "microdata" and len(found.text) >= MIN_ARTICLE_CHARS


def has_article_markup(doc: Document) -> bool:
    """JSON-LD or one microdata scope of an article type, or `og:type=article`."""
    if doc.jsonld.articles:
        return True
    if len(doc.microdata_scopes) == 1:
        return True
    return "article" in doc.meta.get("og:type", [])


def listing_reason(doc: Document, prose: int = 0) -> str | None:
    """Why the page looks like a listing of other articles, or None.

    `prose` is the body's sentence characters: an article with a few related-post cards (or
    a listicle whose items link to products) has far more text per linked headline than a
    listing's excerpts.
    """
    if has_article_markup(doc):
        return None
    parts = urlsplit(doc.url)
    shortlink = WP_SHORTLINK.search(parts.query)
    listing_url = LISTING_PATH.search(parts.path) or LISTING_QUERY.search(parts.query)
    if not shortlink and listing_url and prose < LISTING_URL_PROSE:
        return "listing page (URL)"
    containers = doc.body_candidates
    teasers = _teaser_count(doc, _teaser_scope(containers))
    if teasers < 3 or prose >= teasers * PROSE_PER_TEASER:
        return None
    # The text in a block of its own beside the list: an article (or a topic page) with links.
    if prose >= LISTING_URL_PROSE and containers and not _teaser_count(doc, containers):
        return None
    return f"listing page ({teasers} linked headlines in its main text)"


def _teaser_scope(containers: list[_Element]) -> list[_Element]:
    """Where a listing's teasers would be: the containers, or a lone container's parent.

    One container is one teaser of a listing, or the article: its neighbours tell which.
    """
    if len(containers) != 1:
        return containers
    return [parent for c in containers if (parent := c.getparent()) is not None] or containers


def _teaser_count(doc: Document, scope: list[_Element]) -> int:
    """Headlines linking to other pages of the site, or `<article>` items, in the scope."""
    count = 0
    for container in scope:
        count += sum(1 for heading in container.iter("h2", "h3", "h4") if _links_away(doc, heading))
        count = max(count, sum(1 for _ in container.iter("article")))
    return count


def _links_away(doc: Document, heading: _Element) -> bool:
    """Whether a heading links to another page of the site (a teaser), not to a section's own
    anchor; a headline linking to another site is an item of a list (products, events)."""
    if dom.in_chrome(heading):
        return False
    own = urlsplit(doc.url)._replace(fragment="").geturl()
    for link in heading.iter("a"):
        href = (link.get("href") or "").strip()
        target = urljoin(doc.url, href).split("#")[0] if href else ""
        if target and not href.startswith("#") and target != own and _same_site(target, own):
            return True
    return False


def _same_site(url: str, other: str) -> bool:
    """Whether two URLs are of one site (`www.` and subdomains of one another count)."""
    one, two = (urls.host_of(u).removeprefix("www.") for u in (url, other))
    return one == two or one.endswith(f".{two}") or two.endswith(f".{one}")


def read_more_credit(doc: Document, site_body: list[_Element]) -> str | None:
    """The site a read-more link sends the reader to, when it is not this site."""
    own = urls.host_of(doc.url).removeprefix("www.")
    for link in _xpath(doc.root, READ_MORE_LINKS):
        if dom.in_chrome(link) and not any(link in c.iter("a") for c in site_body):
            continue
        label = dom.text_of(link)
        match = READ_MORE.match(text.fold(label).strip(" :-–"))
        if not match:
            continue
        href = urljoin(doc.url, link.get("href") or "")
        host = urls.host_of(href).removeprefix("www.") if href.startswith("http") else ""
        if match["site"] and match["site"].removeprefix("www.") != own:
            return match["site"].removeprefix("www.")
        if host and host != own:
            return host
    return None


def credit_line(paragraphs: list[str], own_host: str) -> str | None:
    """The source a credit line at the end of the text names (never the site itself)."""
    own = own_host.removeprefix("www.").lower()
    for paragraph in paragraphs[-3:]:
        source = text.credit_of(paragraph)
        if source and source.lower().removeprefix("www.") != own:
            return source
    return None


def _xpath(root: _Element, query: etree.XPath) -> list[_Element]:
    return cast(list[_Element], query(root))

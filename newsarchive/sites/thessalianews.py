"""thessalianews.gr, a regional aggregator of Thessaly: https://www.thessalianews.gr (SITES.md
row 16, §4, §7).

An aggregator: its items are the first lines of other outlets' articles ending with a credit
(`Περισσότερα στο kosmoslarissa.gr`) or a read-more link to the source, so its pages are teasers
(`is_teaser`, `source_credit`), which the crawl drops with the reason `teaser`.
[seen] article URLs `/blog/<area>/<slug>` (`/blog/larisa/...`); listings
`/category/topika/trikala?page=29` and `/category/topika/perifereia?page=11`, paged by a
Drupal-style `?page=N` (which names a listing page, never an article); teasers of ~150
characters with `... Περισσότερα`.
[unverified] Drupal itself (the `?page=` pager suggests it), hence the node markup the page
object reads, the front-page feed `/rss.xml` and the pager (`li.pager-next`, or Bootstrap's
`li.next`); where the aggregator is based (it covers the whole region).
"""

from newsarchive.pages import ArticlePage
from newsarchive.sites._site import Site


class ThessalianewsPage(ArticlePage):
    """Drupal's node page: the body field, and the category term (the breadcrumb says only
    `Ιστολόγια`, the blog module's; the `Υποβλήθηκε από … στις …` line is no text)."""

    headline_css = "h1.page-header"
    body_css = ".node .field-name-body .field-item"
    date_css = ".node .submitted"
    section_css = ".node .field-type-taxonomy-term-reference .field-item a"


SITE = Site(
    name="thessalianews",
    outlet="thessalianews.gr",
    town="Larissa",
    region="thessalia",
    base_url="https://www.thessalianews.gr",
    feeds=("/rss.xml",),
    listings=("/category/topika/perifereia", "/category/topika/trikala"),
    article_url=r"^/blog/[a-z0-9-]+/[^/?]+/?$",
    next_page_css="a[rel~=next], link[rel~=next], li.pager-next a, ul.pagination li.next a",
    names=("Thessalia News",),
    page=ThessalianewsPage,
    unverified=("feeds", "next_page_css", "town", "page selectors"),
)

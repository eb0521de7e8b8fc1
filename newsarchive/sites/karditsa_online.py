"""karditsa.online, an aggregator of Karditsa: https://karditsa.online (SITES.md §2 note, §4, §7).

It carries other outlets' items and the Region's press releases: most are teasers (the first
lines, `… Διαβάστε περισσότερα...` linking to the source, `Πηγή: …`), which the crawl drops
with the reason `teaser`; a release it carries in full is an article crediting its source
(`source_credit`), and a copy in the release's story.
[seen] article URLs `/post/<uuid>/<slug>`; the teaser ending `… Διαβάστε περισσότερα...` and
`Πηγή: ΠΕΡΙΦΕΡΕΙΑ ΘΕΣΣΑΛΙΑΣ`; Region releases carried verbatim.
[unverified] the CMS (the uuid URLs suggest a custom application) and its markup,
the host without `www.`, the home page as the listing paged by `?page=N`, the sitemap
`/sitemap.xml`.
"""

from newsarchive.pages import ArticlePage
from newsarchive.sites._site import Site


class KarditsaOnlinePage(ArticlePage):
    """The post's text container, so that its own `Διαβάστε περισσότερα...` link (which the
    generic rules may take for chrome, a `read-more` link) marks the post as a teaser."""

    body_css = ".post-body"


UUID = r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"

SITE = Site(
    name="karditsa_online",
    outlet="karditsa.online",
    town="Karditsa",
    region="karditsa",
    base_url="https://karditsa.online",
    sitemaps=("/sitemap.xml",),
    listings=("/",),
    article_url=rf"^/post/{UUID}(?:/[^/?]*)?/?$",
    page=KarditsaOnlinePage,
    unverified=("page selectors", "sitemaps", "listings", "base_url (www or not)"),
)

"""TrikalaVoice, Trikala: https://trikalavoice.gr, WordPress (SITES.md row 12, §3, §4, §5, §7).

[seen] (2018 front page, `reference/html/trikalavoice.gr_homepage_2018-03-19.html`): WordPress
4.9.4 with the theme `trikalavoice2017` (built on the `_tk` Bootstrap starter: `bootstrap-wp.css`);
articles at `/<greek-category>/<greek-slug>/`, percent-encoded in lower case by WordPress and in
upper case elsewhere (one canonical form: `urls.canonicalize` upper-cases escapes); categories
`/category/<greek>/` with `/page/N/`, tags `/tag/<greek>/`, pages such as `/επικοινωνία/` (one
segment: not an article); the feed `/feed/`; the REST API advertised (`<link rel=api.w.org>
/wp-json/`, in 2018); a header date `19 Μαρτίου 2018 - 20:26` (`#headate`) that is the crawl
time, never the article's; the copyright footer `Απαγορεύεται η αναδημοσίευση…`.
[unverified] the article template (the `_tk` starter's `h1.page-title`, `.entry-meta`,
`.entry-content`), the sitemap (WordPress core's `/wp-sitemap.xml`), whether `/wp-json/` still
answers, and https (2018 served http).
"""

from newsarchive.pages.families import WordPressPage
from newsarchive.sites._site import DEFAULT_DENY, Site


class TrikalavoicePage(WordPressPage):
    headline_css = "h1.page-title, h1.entry-title"  # the `_tk` starter titles posts `page-title`


SITE = Site(
    name="trikalavoice",
    outlet="TrikalaVoice",
    town="Trikala",
    region="trikala",
    base_url="https://trikalavoice.gr",
    feeds=("/feed/",),
    sitemaps=("/wp-sitemap.xml",),
    # `/`, and `ΤΟΠΙΚΑ` (`/category/τοπικά/`) as the menu links it, escapes in lower case.
    listings=("/", "/category/%cf%84%ce%bf%cf%80%ce%b9%ce%ba%ce%ac/"),
    # `/<category>/<slug>/`: two segments, the first no WordPress listing, archive or file.
    article_url=(
        r"^/(?!(?:category|tag|author|page|feed|comments|search|wp-json|wp-content|wp-admin"
        r"|wp-includes|\d+)/)[^/?]+/[^/?]+/?$"
    ),
    deny_urls=(*DEFAULT_DENY, r"/wp-json/", r"/feed/"),
    names=("Trikala Voice", "trikalavoice.gr"),
    page=TrikalavoicePage,
    wp_rest=True,  # WordPress core's REST API, declared as for any WordPress site
    unverified=("wp_rest", "sitemaps", "page selectors"),
)

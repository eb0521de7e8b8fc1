"""Η Θεσσαλία (e-thessalia.gr), the Volos daily since 1898: https://e-thessalia.gr, WordPress.

SITES.md row 8 and §3 (2018 front-page HTML in `reference/html/`):
[seen] WordPress 4.9.4 with Yoast 7.0.3 and the mnky theme; article URLs at the root with no
date (`/chalkidiki-flamingko-pethainoyn-katapinontas-skagia/`, and one-word slugs for the
`Παραπολιτικά` column: `/kalt/`, `/ithika/`); categories at the root too (`/topika/`,
`/parapolitika/`, `/ellada/`, `/kosmos/`, `/athlitismos/`); AMP variants `<slug>/amp/`; the feed
`/feed/`; schema.org/Article microdata with `<time datetime="…+00:00">` whose clock is Athens
time (`18 Μαρτίου 2018, 16:05` shown for `16:05:59+00:00`), `dateModified` sometimes earlier
than `datePublished`; the events calendar `/ekdiloseis/?ical=1`.
[unverified] Yoast's sitemap index `/sitemap_index.xml`, the listings' `/page/N/` pagination,
the article markup (`h1.entry-title`, `.entry-content`), and the REST API `/wp-json/wp/v2/posts`
(standard for WordPress 4.7+, not seen advertised).
"""

from newsarchive.pages.families import WordPressPage
from newsarchive.sites._site import DEFAULT_DENY, Site

SECTIONS = r"topika|parapolitika|ellada|kosmos|athlitismos|ekdiloseis|oikonomia|politismos"
"""Root-level category slugs [seen: the first five]: listings, not articles."""
WORDPRESS_PATHS = r"category|tag|author|page|feed|amp|wp-json|wp-content|search|comments"
STATIC_PAGES = r"epikoinonia|oroi-xrisis|taftotita|politiki-aporritou|diafimisi"
"""The usual pages of a Greek news site (contact, terms, masthead, privacy, ads) [unverified]."""


class EThessaliaPage(WordPressPage):
    # `+00:00` labels Athens wall-clock time [seen]; an article page may show only the day.
    local_time_labeled_utc = True


SITE = Site(
    name="e_thessalia",
    outlet="e-thessalia.gr",
    names=("Η Θεσσαλία", "e-thessalia", "Εφημερίδα Η Θεσσαλία"),
    town="Volos",
    region="magnisia",
    base_url="https://e-thessalia.gr",
    feeds=("/feed/",),
    sitemaps=("/sitemap_index.xml",),
    listings=("/topika/",),
    article_url=rf"^/(?!(?:{SECTIONS}|{WORDPRESS_PATHS}|{STATIC_PAGES})/)[^/?]+/$",
    deny_urls=(*DEFAULT_DENY, r"[?&]ical=", r"/page/\d+/?$"),
    rewrites=(
        (r"^/([^/]+)/amp/?$", r"/\1/"),  # the AMP variant is the article
        (r"^/([^/.]+)$", r"/\1/"),  # WordPress permalinks end with a slash
    ),
    next_page_css="a.next.page-numbers, a[rel~=next], link[rel~=next]",
    page=EThessaliaPage,
    wp_rest=True,  # WordPress core's REST API, declared as for any WordPress site
    unverified=("wp_rest", "sitemaps", "listings", "page selectors"),
)

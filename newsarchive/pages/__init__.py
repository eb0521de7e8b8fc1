"""Page objects: a page's parsed views (`Document`), rules by topic, and `ArticlePage`.

Topic modules hold small pure rules: `headline` (and lead), `bylines`, `dating`, `taxonomy`
(section and tags), `images`, `body` (with the generic `density` rule), `kind` (article, teaser
or not an article). `families` has the CMS bases a site's page object starts from.
"""

from newsarchive.items import NotAnArticleError
from newsarchive.pages.article import ArticlePage, record_field
from newsarchive.pages.document import Document
from newsarchive.pages.found import Found

__all__ = ["ArticlePage", "Document", "Found", "NotAnArticleError", "record_field"]

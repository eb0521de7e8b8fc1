"""CMS family bases: the selectors every site of one CMS or theme shares.

A site's page object starts from its family and overrides what its own templates change (most
override 0–3 selectors). The selectors are the families' standard markup; every family still
falls back to the generic rules when one of them finds nothing.
"""

from __future__ import annotations

from typing import ClassVar

from newsarchive.pages.article import ArticlePage

WORDPRESS_CHROME: tuple[str, ...] = (
    ".sharedaddy",
    ".jp-relatedposts",
    ".addtoany_share_save_container",
    ".yarpp-related",
    ".wp-block-buttons",
)
"""Share bars and related-post blocks that WordPress plugins put inside `.entry-content`."""


class WordPressPage(ArticlePage):
    """WordPress with Yoast SEO: `.entry-title`, `.entry-content`, `rel=tag` links."""

    headline_css = "h1.entry-title"
    body_css = ".entry-content"
    date_css = ".entry-date"
    authors_css = ".entry-meta .author a, .byline .author a"
    # `rel="category tag"` is WordPress's link to the post's category, not one of its tags.
    tags_css = ".tags-links a, a[rel~=tag]:not([rel~=category])"
    remove_css: ClassVar[tuple[str, ...]] = WORDPRESS_CHROME


class TagDivPage(WordPressPage):
    """tagDiv's Newspaper theme: `.td-post-title`, `.td-post-content`, `.td-post-sub-title`."""

    headline_css = ".td-post-title .entry-title"
    lead_css = ".td-post-sub-title"
    body_css = ".td-post-content"
    date_css = ".td-post-date time"
    authors_css = ".td-post-author-name a"
    tags_css = ".td-tags a"
    picture_css = ".td-post-featured-image"
    remove_css = (*WORDPRESS_CHROME, ".td-post-sharing", ".td-a-rec", ".td-g-rec")


class JNewsPage(WordPressPage):
    """Jegtheme's JNews: `.jeg_post_title`, `.jeg_inner_content .content-inner`, `.jeg_meta_*`."""

    headline_css = ".jeg_post_title"
    lead_css = ".jeg_post_subtitle"
    body_css = ".jeg_inner_content .content-inner"
    date_css = ".jeg_meta_date"
    authors_css = ".jeg_meta_author a"
    tags_css = ".jeg_post_tags a"
    remove_css = (*WORDPRESS_CHROME, ".jeg_share_top_container", ".jeg_post_tags", ".jnews_ads")


class K2Page(ArticlePage):
    """Joomla with K2: `.itemTitle`, `.itemIntroText`, `.itemFullText`, `.itemDateCreated`."""

    headline_css = ".itemTitle"
    lead_css = ".itemIntroText"
    body_css = ".itemFullText"
    date_css = ".itemDateCreated"
    modified_css = ".itemDateModified"
    authors_css = ".itemAuthor a"
    tags_css = ".itemTags a"
    section_css = ".itemCategory a"
    picture_css = ".itemImageBlock"
    picture_caption_css = ".itemImageCaption"
    remove_css = (".itemSocialSharing", ".itemRelated", ".itemNavigation", ".itemImageCaption")

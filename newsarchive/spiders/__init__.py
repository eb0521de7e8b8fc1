"""Spiders, derived from the site declarations of `newsarchive.sites` (one per site)."""

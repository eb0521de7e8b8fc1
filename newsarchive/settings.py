"""Scrapy settings: only the deviations from Scrapy's defaults, each with its reason.

Per run, `newsarchive.crawl.crawl_settings` adds the archive (`NEWSARCHIVE_DATABASE_URL`), the
progress line (`NEWSARCHIVE_PROGRESS`), whether the log shows tracebacks
(`NEWSARCHIVE_TRACEBACKS`, with `-v`) and, with `--mirror`, the local mirror
(`NEWSARCHIVE_MIRROR` and its download handler); `newsarchive.crawl.run_spiders` (or, for a
plain `scrapy crawl`, `newsarchive.crawl.run_record`) adds the crawl run's id
(`NEWSARCHIVE_RUN_ID`).
"""

import os

from scrapy.settings import default_settings

from newsarchive import __version__

# Names the project in Scrapy's logs and stats instead of `scrapybot`.
BOT_NAME = "newsarchive"
# Where `scrapy list` and `scrapy crawl NAME` find the spiders (one derived per declared site).
SPIDER_MODULES = ["newsarchive.spiders"]

# Identify ourselves honestly; regional sites should know who reads them, which version, and
# where to read about the project and reach its maintainers (the URL). An operator replaces it
# with NEWSARCHIVE_USER_AGENT in the environment (e.g. to add their own contact address).
USER_AGENT = os.environ.get("NEWSARCHIVE_USER_AGENT", "").strip() or (
    f"newsarchive/{__version__} (+https://pypi.org/project/newsarchive/; research archive)"
)
# Politeness: small regional servers, read by a research archive, not a search engine.
ROBOTSTXT_OBEY = True  # their robots.txt decides what we may fetch
AUTOTHROTTLE_ENABLED = True  # slow down when a server answers slowly
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # not 8: two requests in flight per site at most
# Not 16: a crawler crawls one site, and every request queued in its downloader is sent even
# after the site says stop (Retry-After, challenge pages), so queue no more than a few.
CONCURRENT_REQUESTS = 4
DOWNLOAD_DELAY = 0.5  # not 0: at least half a second between a site's requests
# Not 100: an article page gives one record and a feed or listing only requests, so no response
# has items to process side by side, and Scrapy starts this many tasks for every response
# (100 cost 0.5 ms per response, a quarter of what a bare Scrapy crawl spends per page).
CONCURRENT_ITEMS = 1
# Scrapy's check that a generator callback returns no value parses the callback's source again
# whenever its cache lets the bound method go (about once in a dozen responses, 1 ms each);
# tests/test_crawl.py makes the check on every callback of the spiders instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Slow regional servers: give up a request after 30 s rather than 180 (then retried twice).
DOWNLOAD_TIMEOUT = 30

# What must never pass for a page: a body cut short (Scrapy would raise instead, and tell the
# operator to turn this off; newsarchive.crawl.checks retries it, then counts it as
# `truncated`, so it is never stored), challenge pages and empty bodies (checks, between
# decompression and meta refresh); Retry-After (before Scrapy's own retries).
DOWNLOAD_FAIL_ON_DATALOSS = False
DOWNLOADER_MIDDLEWARES = {
    # Before anything downloads (robots.txt included): articles archived and fresh are skipped.
    "newsarchive.crawl.freshness.FreshnessMiddleware": 40,
    "newsarchive.crawl.checks.ResponseCheckMiddleware": 585,
    "newsarchive.crawl.retry_after.RetryAfterMiddleware": 560,
    # Article responses kept as WARC records: after decompression (590), the checks (585) and
    # meta refresh (580), so only whole pages, as the spider reads them, are kept.
    "newsarchive.crawl.raw_pages.RawPagesMiddleware": 575,
}
# Keep every fetched article page as a gzipped WARC record (False: keep none).
NEWSARCHIVE_RAW_PAGES = True
# The WARC folder (NEWSARCHIVE_WARC_DIR, `crawl --warc-dir`) is unset by default: then
# $NEWSARCHIVE_WARC_DIR, else beside a SQLite archive (news.db: news-warc/).
# A WARC file is closed before it grows past this many bytes, and the next one started.
NEWSARCHIVE_WARC_MAX_BYTES = 100_000_000
# An archived article is fetched again this many days after its publication (first sighting
# when undated), and whenever its sitemap lastmod is newer than its last fetch; "" for lastmod
# only. Corrections come in the first hours and days, rarely after a week.
NEWSARCHIVE_REFETCH_DAYS = "1,3,7"
# A Retry-After longer than this (seconds) ends the site's crawl for this run: "gave up".
NEWSARCHIVE_RETRY_AFTER_MAX = 120
# After this many challenge pages (Cloudflare, captcha walls) the site's crawl ends: "gave up".
NEWSARCHIVE_BLOCKED_LIMIT = 5
# The spider reports every request it gave up on, on one line; Scrapy's ERROR would repeat it.
RETRY_GIVE_UP_LOG_LEVEL = "INFO"

# Article pages are extracted in worker processes, on the cores the crawl's own process leaves
# (`newsarchive.extraction_workers`): auto is one fewer than the CPUs, at most 4; 0 for none.
# The environment variable NEWSARCHIVE_EXTRACT_PROCESSES overrides it.
NEWSARCHIVE_EXTRACT_PROCESSES = "auto"
# Records are stored in batches, one transaction each (a commit costs about as much as storing
# ten records): when 200 wait, when the first has waited 1 s, and at the end. A killed crawl
# loses at most one batch, which the next crawl fetches again.
NEWSARCHIVE_STORE_BATCH = 200
NEWSARCHIVE_STORE_BATCH_SECONDS = 1.0
# Every record is validated, deduplicated and stored in the archive, in this order.
ITEM_PIPELINES = {
    "newsarchive.pipelines.ValidatePipeline": 100,
    "newsarchive.pipelines.DedupPipeline": 200,
    "newsarchive.pipelines.StorePipeline": 300,
}
# The one-line progress per site on stderr while a crawl runs.
EXTENSIONS = {
    "newsarchive.progress.ProgressLine": 500,
    # Redirect loops, which Scrapy's scheduler drops as duplicates, counted as errors.
    "newsarchive.crawl.redirects.RedirectLoops": 510,
    # Without -v, one line per failure and no tracebacks (newsarchive.crawl.logs).
    "newsarchive.crawl.logs.OneLineLog": 520,
    # A crawl_runs row for a plain `scrapy crawl NAME` (newsarchive crawl makes its own).
    "newsarchive.crawl.run_record.RunRecord": 530,
}
# Scrapy's own extensions but its telnet console and its remote control (an HTTP server running
# the Python sent to it, with a job file in the user's profile): both open a local door into a
# scheduled crawl that no one uses. Left out of the base rather than set to None in EXTENSIONS,
# which Scrapy would still import: the remote control's aiohttp cost 0.15 s of every start.
EXTENSIONS_BASE = {
    path: order
    for path, order in default_settings.EXTENSIONS_BASE.items()
    if path
    not in (
        "scrapy.extensions.telnet.TelnetConsole",
        "scrapy.extensions.remote_control.RemoteControl",
    )
}
# Dropped items are counted in the summary; Scrapy's per-item warning would flood the log. It
# also leaves out the per-page messages below LOG_LEVEL before they are made.
LOG_FORMATTER = "newsarchive.progress.QuietDropsFormatter"
# Greek unescaped in any feed export (`scrapy crawl NAME -o out.jsonl`).
FEED_EXPORT_ENCODING = "utf-8"

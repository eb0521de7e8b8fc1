"""Scrapy settings: only the deviations from Scrapy's defaults, each with its reason.

Per run, `newsarchive.crawl.crawl_settings` adds the archive (`NEWSARCHIVE_DATABASE_URL`), the
progress line (`NEWSARCHIVE_PROGRESS`) and, with `--mirror`, the local mirror
(`NEWSARCHIVE_MIRROR` and its download handler).
"""

from newsarchive import __version__

# Names the project in Scrapy's logs and stats instead of `scrapybot`.
BOT_NAME = "newsarchive"
# Where `scrapy list` and `scrapy crawl NAME` find the spiders (one derived per declared site).
SPIDER_MODULES = ["newsarchive.spiders"]

# Identify ourselves honestly; regional sites should know who reads them and which version.
USER_AGENT = f"newsarchive/{__version__} (+https://pypi.org/project/newsarchive/; research archive)"
# Politeness: small regional servers, read by a research archive, not a search engine.
ROBOTSTXT_OBEY = True  # their robots.txt decides what we may fetch
AUTOTHROTTLE_ENABLED = True  # slow down when a server answers slowly
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # not 8: two requests in flight per site at most
DOWNLOAD_DELAY = 0.5  # not 0: at least half a second between a site's requests
# Slow regional servers: give up a request after 30 s rather than 180 (then retried twice).
DOWNLOAD_TIMEOUT = 30

# Every record is validated, deduplicated and stored in the archive, in this order.
ITEM_PIPELINES = {
    "newsarchive.pipelines.ValidatePipeline": 100,
    "newsarchive.pipelines.DedupPipeline": 200,
    "newsarchive.pipelines.StorePipeline": 300,
}
# The one-line progress per site on stderr while a crawl runs.
EXTENSIONS = {"newsarchive.progress.ProgressLine": 500}
# Dropped items are counted in the summary; Scrapy's per-item warning would flood the log.
LOG_FORMATTER = "newsarchive.progress.QuietDropsFormatter"
# Greek unescaped in any feed export (`scrapy crawl NAME -o out.jsonl`).
FEED_EXPORT_ENCODING = "utf-8"

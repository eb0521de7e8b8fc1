"""Scrapy settings: only the deviations from Scrapy's defaults, each with its reason."""

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["newsarchive.spiders"]
NEWSPIDER_MODULE = "newsarchive.spiders"

# Identify ourselves honestly; regional sites should know who reads them.
USER_AGENT = "newsarchive/0.1 (+https://pypi.org/project/newsarchive/; research archive)"
# Politeness: obey robots.txt, adapt the pace to each server, at most 2 requests in flight per site.
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
# Slow regional servers: fail a request after 30 s rather than 180.
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2

ITEM_PIPELINES = {
    "newsarchive.pipelines.ValidatePipeline": 100,
    "newsarchive.pipelines.DedupPipeline": 200,
    "newsarchive.pipelines.StorePipeline": 300,
}
# Local fixture sites (demo, tests) are served through this handler when NEWSARCHIVE_MIRROR is set.
DOWNLOAD_HANDLERS = {
    "http": "newsarchive.mirror.MirrorDownloadHandler",
    "https": "newsarchive.mirror.MirrorDownloadHandler",
}
EXTENSIONS = {"newsarchive.progress.ProgressLine": 500}
# Dropped items are counted in the summary; Scrapy's per-item warning would flood the log.
LOG_FORMATTER = "newsarchive.progress.QuietDropsFormatter"

FEED_EXPORT_ENCODING = "utf-8"  # Greek unescaped in any feed export

NEWSARCHIVE_DATABASE_URL = None  # None: the environment's NEWSARCHIVE_DATABASE_URL or the default
NEWSARCHIVE_MIRROR = None  # {host: "http://127.0.0.1:PORT"} or one base URL for every site host

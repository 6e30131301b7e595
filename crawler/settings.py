"""Scrapy settings for Redline: polite, conditional, bounded. The comment beside each says why.

Redline's own settings start with REDLINE_ and are documented in the README; every one can be
overridden with `-s NAME=VALUE` on `scrapy crawl`.
"""

from scrapy.settings import default_settings


def _without(components: dict[str, int], *names: str) -> dict[str, int]:
    """One of Scrapy's default component lists without `names`."""
    return {name: order for name, order in components.items() if name not in names}


BOT_NAME = "redline"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"  # `crawl` exits 3 when a storage error stopped the round

# --- Redline ---------------------------------------------------------------------------------
REDLINE_DB = None  # database path; else the REDLINE_DB environment variable, else data/redline.db
# Several database files in one crawl (a cluster node's shards), separated by os.pathsep: each
# page is recorded in the file its article came from. Replaces REDLINE_DB when set.
REDLINE_DATABASES = None
# A file the crawl writes the shard files it left out to (another crawl held them), one a line:
# a cluster node sets it, so that their rounds are not counted as done.
REDLINE_LEFT_OUT = None
REDLINE_REVISIT = None  # e.g. "15m": one fixed revisit interval instead of the age-based tiers
REDLINE_MAX_AGE = "30d"  # stop checking articles first seen longer ago than this
REDLINE_ROUND_LIMIT = 500  # at most this many due articles per check round, most overdue first
# No request reaches a private, loopback, link-local or otherwise non-public address unless its
# host was named by the user (`redline add`, a source) or this is on; discovered links on such
# addresses are not tracked unless this is on (the demo and some tests turn it on for 127.0.0.1).
REDLINE_ALLOW_PRIVATE = False
REDLINE_SITEMAP_DEPTH = 3  # how many levels of sitemap indexes to follow
REDLINE_MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay is obeyed up to this many seconds
# Pages are extracted in this many worker processes, in parallel with the crawl (None: one per
# core, at most 4; 0: in the crawler's own process). A page taking longer than the timeout
# (seconds) is abandoned and recorded as an extraction failure.
REDLINE_EXTRACT_WORKERS = None
REDLINE_EXTRACT_TIMEOUT = 60.0
# A new version is compared with the latest one in those workers too, for at most this many
# seconds: past it the version is stored with a coarse "comparison timed out" summary and the
# round goes on. Needs workers: with 0 the comparison runs in the crawler, bounded in size only.
REDLINE_COMPARE_TIMEOUT = 20.0
REDLINE_RECORDS_IN_FLIGHT = 1024  # known pages on their way to the store, at most (crawler.config)
# The browser fetcher (crawler/browser.py), for sites and sources read with `render = browser`
# and static pages that turn out to be JavaScript shells: at most this many pages open at once
# (each a Chromium renderer of 50 to 150 MB), this many seconds per page, and a JavaScript heap
# of this many MB per page (a page past it crashes and its check is an error).
REDLINE_BROWSER_PAGES = 2
REDLINE_BROWSER_TIMEOUT = 20.0
REDLINE_BROWSER_MEMORY = 512

# --- Politeness ------------------------------------------------------------------------------
USER_AGENT = "Redline/0.1 (news edit monitor; +https://github.com/redline-news/redline)"
ROBOTSTXT_OBEY = True
DOWNLOADER_MIDDLEWARES = {
    # Every request, redirects included, is refused on a non-public address the user did not
    # name (crawler/guard.py); before robots.txt, so not even that is fetched from such a host.
    "crawler.guard.PrivateAddressMiddleware": 50,
    # The same robots.txt handling, plus its Crawl-delay (see crawler/middlewares.py).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsCrawlDelayMiddleware": 100,
    # A 429/503 with Retry-After holds its site for the rest of the round too (and is not
    # retried); sits before RetryMiddleware (550) on the way back from the downloader.
    "crawler.holds.SiteHoldMiddleware": 560,
}
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # also caps the decompressed size of gzip bodies
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 5

# Scrapy's own HTTP handler for every request, except those asking for the browser (started on
# the first such page only).
DOWNLOAD_HANDLERS = {
    "http": "crawler.browser.BrowserDownloadHandler",
    "https": "crawler.browser.BrowserDownloadHandler",
}

# The same check at connect time, on the address actually connected to (DNS rebinding).
TWISTED_DNS_RESOLVER = "crawler.guard.GuardedResolver"

# --- Off: state, consoles and downloads Redline does not want ---------------------------------
COOKIES_ENABLED = False  # also avoids fetching the public suffix list on first use
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19's code-executing localhost server
HTTPCACHE_ENABLED = False  # Redline sends its own conditional requests (If-None-Match)

# Scrapy imports every extension and middleware of its default lists at every crawl's start, even
# one its setting turns off or one mapped to None: the remote control's module imports aiohttp
# and builds a TLS context (about 0.23 s of CPU), the telnet console Twisted Conch, the cookies
# middleware tldextract (about 0.07 s). Left out of the lists, they are not imported.
EXTENSIONS_BASE = _without(
    default_settings.EXTENSIONS_BASE,
    "scrapy.extensions.remote_control.RemoteControl",  # REMOTE_CONTROL_ENABLED is off
    "scrapy.extensions.telnet.TelnetConsole",  # TELNETCONSOLE_ENABLED is off
)
DOWNLOADER_MIDDLEWARES_BASE = _without(
    default_settings.DOWNLOADER_MIDDLEWARES_BASE,
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",  # COOKIES_ENABLED is off
)

ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}
# Outputs of one response processed at once. A check yields one item per page and a discovery
# page one item and a few requests; Scrapy's default (100) starts 101 asyncio tasks for every
# response (about a tenth of an unchanged round's reactor time in a profile).
CONCURRENT_ITEMS = 1
LOG_LEVEL = "INFO"
# Scrapy's per-page DEBUG records ("Crawled", "Scraped from") made only when DEBUG is written.
LOG_FORMATTER = "crawler.logs.QuietLogFormatter"
# Scrapy re-parses a callback's source to warn about `return` in generators (0.4 ms a page).
WARN_ON_GENERATOR_RETURN_VALUE = False
FEED_EXPORT_ENCODING = "utf-8"

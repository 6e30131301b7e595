"""`scrapy crawl check`: fetch tracked articles, conditionally, and yield what came back.

scrapy crawl check                  the articles that are due (most overdue first)
scrapy crawl check -a all=true      every tracked article
scrapy crawl check -a url=URL       one URL (tracked first if new)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.browser import browser_meta, screenshot_of
from crawler.config import CrawlConfig, crawl_config
from crawler.databases import crawl_databases
from crawler.holds import HELD
from crawler.items import Examined, PageItem
from crawler.middlewares import FORBIDDEN
from monitor import store
from monitor.errors import RedlineError
from monitor.fetch.rendering import browser_problem, javascript_shell
from monitor.fetch.urls import check_url
from monitor.record.plan import headers_json
from monitor.store import rendering
from monitor.store.watch import watched_articles

if TYPE_CHECKING:
    from crawler.pipelines import StorePipeline

# Statuses the spider wants to see itself rather than have Scrapy drop; 3xx are left out so that
# redirects are still followed.
HANDLED_STATUSES = [304, *range(400, 600)]


class CheckSpider(scrapy.Spider):
    name = "check"

    def __init__(self, url: str | None = None, all: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target_url = url
        self.check_all = str(all or "").lower() in {"1", "true", "yes"}
        self.config: CrawlConfig | None = None
        self.browser_problem = browser_problem()  # why no page can be rendered here, or ""
        self.warned: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CheckSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.config = crawl_config(crawler.settings)
        return spider

    def _targets(self, db_path: Path) -> list[store.Row]:
        assert self.config is not None
        db = store.open_db(db_path)
        try:
            now = store.utc_now()
            if self.target_url:
                url = check_url(self.target_url)
                article, _ = store.track_article(db, url, now, fetch_url=self.target_url.strip())
                articles = [article]
            elif self.check_all:  # every article, except those paused or removed
                articles = watched_articles(db)
            else:
                articles = store.due_articles(db, now, limit=self.config.round_limit)
            # How each is read: its site's mode, else its source's (None: static, and a
            # JavaScript shell is read again in the browser).
            sites, sources = rendering.site_modes(db), rendering.browser_sources(db)
            shot_sites, shot_sources = (
                rendering.screenshot_sites(db),
                rendering.screenshot_sources(db),
            )
            for article in articles:
                browser = "browser" if article.get("source_id") in sources else None
                article["render"] = sites.get(article["site"]) or browser
                article["screenshot"] = (
                    article["site"] in shot_sites or article.get("source_id") in shot_sources
                )
            return articles
        finally:
            db.close()

    async def start(self) -> AsyncIterator[Any]:
        databases = crawl_databases(self.crawler)
        if databases.stopped:  # its one line is logged already
            return
        if not databases.paths:
            self.logger.error("nothing checked: %s", "; ".join(databases.busy))
            return
        paths = databases.paths
        if self.target_url:  # `-a url=` concerns one database: the first given, held or not
            assert self.config is not None
            first = self.config.db_paths[0]
            if first in databases.left_out:
                setattr(self.crawler, "redline_busy", True)  # noqa: B010
                why = databases.busy[databases.left_out.index(first)]
                self.logger.error("nothing checked: %s", why)
                return
            paths = (first,)
        try:
            rounds = [[(str(path), a) for a in self._targets(path)] for path in paths]
        except RedlineError as error:
            self.logger.error("nothing checked: %s", error)
            return
        targets = [pair for pairs in zip_longest(*rounds) for pair in pairs if pair is not None]
        self.logger.info("checking %d article(s)", len(targets))
        store = getattr(self.crawler, "redline_store", None)
        if store is not None and any(not article.get("last_checked") for _, article in targets):
            store.expect_extraction()  # a page never read is extracted, unless it fails
        for db_path, article in targets:  # the files' rounds interleaved: their sites mix
            yield self._check(db_path, article)

    def _check(self, db_path: str, article: store.Row) -> scrapy.Request | PageItem:
        """The request that checks one article (or, when it cannot be read here, why)."""
        if article.get("screenshot") and article.get("render") != "browser":
            if not self.browser_problem:  # a screenshot needs the page rendered
                article["render"] = "browser"
            elif self.browser_problem not in self.warned:
                self.warned.add(self.browser_problem)
                self.logger.warning("no screenshots this round: %s", self.browser_problem)
        headers = {}
        # Not for a page read in the browser: its document is a shell whose ETag stays the
        # same while the story its script fetches changes (a 304 would hide every edit).
        if article.get("etag") and article.get("render") != "browser":
            headers["If-None-Match"] = article["etag"]
        if article.get("last_modified") and article.get("render") != "browser":
            headers["If-Modified-Since"] = article["last_modified"]
        # Fetched as given or discovered: some servers answer the canonical form of a URL
        # (parameters sorted, `?id` as `?id=`, `%20` as `+`) with another page or a 404.
        fetch_url = article.get("fetch_url") or article["url"]
        meta = {
            "handle_httpstatus_list": HANDLED_STATUSES,
            "redline_url": article["url"],
            "redline_fetch_url": fetch_url,
            "redline_db": db_path,
            "redline_last_hash": article.get("last_page_hash") or "",
        }
        if article.get("render") == "browser":
            if self.browser_problem:
                reason = f"the site is read in a browser, but {self.browser_problem}"
                return PageItem(
                    url=article["url"],
                    status=0,
                    error=reason,
                    requested_url=fetch_url,
                    database=db_path,
                )
            meta.update(browser_meta(bool(article.get("screenshot"))), redline_render="browser")
        elif article.get("render") == "static":
            meta["redline_render"] = "static"
        return scrapy.Request(
            fetch_url,
            headers=headers,
            callback=self.parse,
            errback=self.failed,
            dont_filter=True,
            meta=meta,
        )

    def _render_again(self, response: Response, shell: str) -> scrapy.Request | None:
        """The same page once more, in the browser (no conditional headers: it is needed)."""
        url = response.meta["redline_url"]
        if self.browser_problem:
            self.logger.warning("%s is %s: it cannot be read: %s", url, shell, self.browser_problem)
            return None
        self.logger.info("%s is %s; fetching it again in the browser", url, shell)
        meta = {k: v for k, v in response.meta.items() if k.startswith(("redline_", "handle_"))}
        meta.update(browser_meta(), redline_render="auto", redline_shell=shell)
        return scrapy.Request(
            meta["redline_fetch_url"],
            callback=self.parse,
            errback=self.failed,
            dont_filter=True,
            meta=meta,
        )

    def _remember_browser_site(self, response: Response) -> None:
        """A site whose shell the browser could read is read in the browser from now on."""
        assert self.config is not None
        url = response.meta["redline_url"]
        db = store.open_db(response.meta.get("redline_db") or self.config.db_paths[0])
        try:
            reason = f"{response.meta['redline_shell']}, read in a browser"
            rendering.set_site_render(db, url, "browser", reason, store.utc_now())
        finally:
            db.close()
        self.logger.info("%s: its site is read in a browser from now on", url)

    def parse(self, response: Response) -> list[Any] | AsyncIterator[Any] | None:
        # A plain function: the pages of most rounds (a 304, the last page read again) give
        # Scrapy nothing to handle. Only when the store has no room for another page does it
        # return an asynchronous generator that waits (Scrapy reads a generator's output as it
        # is; a coroutine it would run as a task of its own and convert twice).
        meta = response.meta  # read once: each `Response.meta` goes through its request
        render = meta.get("redline_render")
        status = response.status
        pairs, last = _headers(response)
        item = PageItem(
            url=meta["redline_url"],
            status=status,
            body=response.body,
            final_url=response.url,
            etag=last.get("etag", ""),
            last_modified=last.get("last-modified", ""),
            content_type=last.get("content-type", ""),
            requested_url=meta.get("redline_fetch_url", ""),
            database=meta.get("redline_db", ""),
            retry_after=last.get("retry-after", ""),
            # Only a page read in the browser has one (never a static page: most pages).
            screenshot=screenshot_of(meta) if render is not None else b"",
            # A 304 has no page to keep, and headers are stored only with a kept page: most
            # pages of a 304 round, so not made (about 8 us a page of the reactor's thread).
            headers="" if status == 304 else headers_json(pairs),
            conditional=_sent_validator(response),
        )
        # Most pages of most rounds are a 304 or the last page read again: handed to the store's
        # writer without travelling through Scrapy's item machinery (spider middlewares, item
        # pipelines, signals, about a twentieth of the reactor's time a page), and without
        # waiting for the writer (the pipeline bounds the pages on their way).
        store = getattr(self.crawler, "redline_store", None)
        if status == 304 and store is not None:
            return _record_later(store, item)
        if status == 200 and render is None:
            # Hashed here (hashlib releases the GIL: the writer records meanwhile); the hash goes
            # on with the page.
            found = examine_page(item.body, meta.get("redline_last_hash", ""))
            item.sha256 = found.sha256
            if found.known and store is not None:
                return _record_later(store, item)
            again = self._render_again(response, found.shell) if found.shell else None
            if again is not None:
                return [again]
        elif render == "auto" and status == 200 and not javascript_shell(response.body):
            self._remember_browser_site(response)
        return [item]

    def failed(self, failure: Failure) -> Any:
        request = failure.request  # type: ignore[attr-defined]
        message = failure.getErrorMessage() or failure.type.__name__
        if failure.check(IgnoreRequest):
            if message == HELD:
                # Not a check: the article stays due, and its site's stored hold (written with
                # the check that asked us to wait) decides when it is fetched.
                self.logger.info("not fetched this round: %s: %s", HELD, request.url)
                return
            if message == FORBIDDEN:
                reason = "not fetched: disallowed by robots.txt"
            else:  # e.g. "robots.txt unreachable (HTTP 503)": retried later like any error
                reason = f"not fetched: {message}"
        else:
            reason = f"{failure.type.__name__}: {message}"
        yield PageItem(
            url=request.meta.get("redline_url", request.url),
            status=0,
            error=reason,
            requested_url=request.meta.get("redline_fetch_url", ""),
            database=request.meta.get("redline_db", ""),
        )


def _record_later(store: StorePipeline, item: PageItem) -> AsyncIterator[Any] | None:
    """Hand a known page to the store's writer; when the store has no room for it yet, an
    asynchronous generator (yielding nothing) that hands it over once there is."""
    if store.record_later(item):
        return None
    return _record_when_room(store, item)


async def _record_when_room(store: StorePipeline, item: PageItem) -> AsyncIterator[Any]:
    while not store.record_later(item):
        await store.room(len(item.body))
    return
    yield  # an asynchronous generator that yields nothing


def _sent_validator(response: Response) -> bool | None:
    """Whether the request of `response` carried a validator, which a 304 needs to mean
    "unchanged" (None when Scrapy did not keep the request)."""
    request = response.request
    if request is None:
        return None
    return b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers


def examine_page(body: bytes, last_hash: str) -> Examined:
    """A static page's examination: its SHA-256 (hashed here once: the writer needs it for any
    page it records, a new one included), and whether it is the last page its article was read
    from, byte for byte (a healthy extraction: not a JavaScript shell to render again, and not
    worth examining as one, about 0.3 ms a page against 0.2 for the hash); any other is checked
    for a JavaScript shell."""
    sha256 = store.page_hash(body)
    if last_hash and sha256 == last_hash:
        return Examined(sha256, True, "")
    return Examined(sha256, False, javascript_shell(body))


def _headers(response: Response) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The response's headers in the order received, and the last value of each by lower-case
    name (the one Scrapy's `Headers.get` gives), read from Scrapy's header dictionary once:
    its own accessors normalise the name again on every call (a third of the spider's time on
    a page that did not change)."""
    pairs = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in dict.items(response.headers)
        for value in values
    ]
    last = {name.lower(): value for name, value in pairs}
    return pairs, last

"""A polite HTTP client for one web archive: one request at a time, at most one per `interval`,
retries with exponential back-off on 429, 5xx and network errors, `Retry-After` honoured (capped),
bodies bounded, redirects never followed (a redirect is an answer: the capture is skipped).

Plain `urllib` rather than EDGI's `wayback` package: `wayback` 0.5.1 builds every URL on
web.archive.org with no setting for another host, so neither a mirror nor a loopback test archive
could be used without patching its transport; the two endpoints Redline needs (CDX search and
`id_` playback) are two GET requests.
"""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from monitor.errors import ArchiveError
from monitor.fetch.policy import parse_retry_after

__all__ = ["ArchiveClient", "ArchiveResponse"]

logger = logging.getLogger(__name__)

# The largest body read from the archive, as the crawler's DOWNLOAD_MAXSIZE: a page past it is
# not an article; an index past it is cut to its first rows by MAX_CDX_ROWS anyway.
MAX_BODY_BYTES = 10 * 1024 * 1024
# Statuses worth another try: the archive is busy (429, 503) or briefly failing (5xx).
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A Retry-After longer than this is not waited for: the backfill stops with the reason instead
# of hanging for an hour (the archive's own limit windows are a minute or so).
MAX_WAIT = timedelta(minutes=5)
USER_AGENT = "Redline backfill (+https://github.com/redline-news/redline)"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass(frozen=True)
class ArchiveResponse:
    url: str
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")


@dataclass
class ArchiveClient:
    """GET from the archive, politely. `sleep` and `clock` are the real ones outside tests of the
    pacing itself."""

    interval: timedelta = timedelta(seconds=1)
    retries: int = 3
    backoff: timedelta = timedelta(seconds=2)
    timeout: timedelta = timedelta(seconds=30)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    requests: int = 0  # sent, retries included
    _last: float | None = field(default=None, repr=False)
    _opener: urllib.request.OpenerDirector = field(
        default_factory=lambda: urllib.request.build_opener(_NoRedirect()), repr=False
    )

    def get(self, url: str) -> ArchiveResponse:
        """The archive's answer (any status but a retried one); `ArchiveError` when it cannot
        be had after the retries."""
        problem = ""
        for attempt in range(self.retries + 1):
            self._pace()
            response, problem = self._send(url)
            if response is not None and response.status not in RETRY_STATUSES:
                return response
            if attempt == self.retries:
                break
            wait = self.backoff.total_seconds() * 2**attempt
            if response is not None and response.header("Retry-After"):
                wait = max(wait, self._retry_after(response))
            logger.info("archive: %s, trying %s again in %.0f s", problem, url, wait)
            self.sleep(wait)
        raise ArchiveError(f"the archive did not answer {url}: {problem}")

    def _pace(self) -> None:
        now = self.clock()
        if self._last is not None:
            wait = self.interval.total_seconds() - (now - self._last)
            if wait > 0:
                self.sleep(wait)
        self._last = self.clock()
        self.requests += 1

    def _retry_after(self, response: ArchiveResponse) -> float:
        now = datetime.now(UTC)
        when = parse_retry_after(response.header("Retry-After"), now)
        if when is None:
            return 0.0
        wait = (when - now).total_seconds()
        if wait > MAX_WAIT.total_seconds():
            raise ArchiveError(
                f"the archive asks to wait {wait:.0f} s (Retry-After) before {response.url}"
            )
        return wait

    def _send(self, url: str) -> tuple[ArchiveResponse | None, str]:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with self._opener.open(request, timeout=self.timeout.total_seconds()) as answer:
                return self._read(url, answer.status, answer), ""
        except urllib.error.HTTPError as error:
            with error:
                response = self._read(url, error.code, error)
            return response, f"HTTP {error.code}"
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            return None, f"{reason}"

    @staticmethod
    def _read(url: str, status: int, answer: object) -> ArchiveResponse:
        body = answer.read(MAX_BODY_BYTES + 1)  # type: ignore[attr-defined]
        if len(body) > MAX_BODY_BYTES:
            raise ArchiveError(f"{url}: the archive's answer is larger than {MAX_BODY_BYTES} bytes")
        headers = tuple(answer.headers.items())  # type: ignore[attr-defined]
        return ArchiveResponse(url, status, body, headers)

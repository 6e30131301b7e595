"""The private-address guard: no request, on any hop, reaches a non-public address the user did
not name (server-side request forgery through a tracked page, a redirect, a sitemap or a feed).

Two checks, both deciding with `monitor.fetch.addresses.AddressPolicy`:

- `PrivateAddressMiddleware`, a downloader middleware, sees every request before it is sent:
  the start requests of both spiders, every redirect (Scrapy sends a redirect through the
  middlewares again), sitemap children, robots.txt `Sitemap:` lines, feeds, and robots.txt itself.
  It resolves the host (in a thread, cached per host for the crawl) and refuses with
  `AddressRefused` and the reason; a name that does not resolve is refused too.
- `GuardedResolver`, installed as Scrapy's `TWISTED_DNS_RESOLVER`, checks the address the
  connection is actually made to, at connect time: a name that resolved to a public address for
  the middleware and to a private one a moment later (DNS rebinding) still fails, as a DNS
  failure, with a warning saying why. IP literals are never looked up, so the middleware's
  check is the one that holds for them.

A non-public address is allowed when `REDLINE_ALLOW_PRIVATE` is on, or on a host and port the user
named at an address they vouched for (`named_hosts`, `monitor.fetch.addresses.NamedHost`: the host
and port of each article added with `redline add` or `-a url=` and of each source, and the IP
literal written or the non-public addresses the name had then). A name that rebinds to another
private address, or a redirect to another port of a named host, is refused like any other. The
named hosts are read once per crawl, on the first request, after the spider has tracked any
`-a url=` it was given.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError
from twisted.internet.threads import deferToThread

from crawler.config import db_paths_from
from monitor import store
from monitor.errors import RefusedDatabaseError
from monitor.fetch.addresses import (
    AddressPolicy,
    NamedHost,
    host_of,
    is_ip_literal,
    port_of,
    resolve_host,
)

logger = logging.getLogger(__name__)


class AddressRefused(IgnoreRequest):
    """The request's host is, or resolves to, an address the crawler must not reach."""


class _Policy:
    """The crawl's `AddressPolicy`, its named hosts read from the database on first use."""

    def __init__(self, settings: BaseSettings) -> None:
        self.allow_private = settings.getbool("REDLINE_ALLOW_PRIVATE", False)
        self.db_paths = db_paths_from(settings)
        self._policy: AddressPolicy | None = None

    def get(self) -> AddressPolicy:
        if self._policy is None:
            named: frozenset[NamedHost] = frozenset()
            for path in () if self.allow_private else self.db_paths:
                try:
                    db = store.open_db(path)
                except RefusedDatabaseError:  # left out of the crawl, said once there
                    continue  # (`crawler.databases`); the others' pages still go out
                try:
                    named |= store.named_hosts(db)
                finally:
                    db.close()
            self._policy = AddressPolicy(self.allow_private, named)
        return self._policy


class PrivateAddressMiddleware:
    """Refuses every request whose host is, or resolves to, a non-public address the user did
    not vouch for on that host and port. Runs before robots.txt is fetched (priority 50)."""

    def __init__(self, crawler: Crawler) -> None:
        self.policy = _Policy(crawler.settings)
        # (host, port) -> reason refused, or None
        self.verdicts: dict[tuple[str, int | None], str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        host, port = host_of(request.url), port_of(request.url)
        key = (host, port)
        if key not in self.verdicts:
            policy = self.policy.get()
            if policy.allow_private:
                self.verdicts[key] = None
            elif is_ip_literal(host):
                self.verdicts[key] = policy.refusal(host, [host], port)
            else:
                addresses = await maybe_deferred_to_future(deferToThread(resolve_host, host))
                self.verdicts[key] = policy.refusal(host, addresses, port)
        reason = self.verdicts[key]
        if reason is not None:
            raise AddressRefused(f"refused {request.url}: {reason}")


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing at connect time a name whose address is not public
    unless the user vouched for that address of that name (see the module's docstring)."""

    def __init__(self, reactor: Any, cache_size: int, timeout: float, policy: _Policy) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> GuardedResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), _Policy(settings))

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        return super().getHostByName(name, timeout).addCallback(self._checked, name)

    def _checked(self, address: str, name: str) -> str:
        reason = self.policy.get().refusal(name, [address])
        if reason is not None:
            logger.warning("refused to connect to %s at connect time: %s", name, reason)
            raise DNSLookupError(f"refused: {reason}")
        return address

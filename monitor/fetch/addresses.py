"""Which network addresses the crawler may reach, and the look-ups that find them.

A tracked page, a redirect or a discovered link must not turn the crawler against the machine it
runs on or its local network (server-side request forgery). `address_refusal` is pure and
table-driven: an address is refused when it is, or embeds, a non-public IPv4 or IPv6 address,
including the IPv6 forms that carry an IPv4 address inside them (IPv4-mapped `::ffff:a.b.c.d`,
IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96` and 6to4 `2002::/16`), which a dual-stack host
or a NAT64 gateway turns back into that IPv4 address. `resolve_host` is the one DNS look-up (I/O);
`host_refusal` combines the two, failing closed: a name that does not resolve is refused too.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], list[str]]

# Named ranges first (their name is the reason given); anything else that is not globally
# reachable (documentation, benchmarking, protocol assignments...) is refused as "not public".
_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network
NAMED_RANGES: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = (
    (_V4("0.0.0.0/8"), "unspecified"),
    (_V4("127.0.0.0/8"), "loopback"),
    (_V4("10.0.0.0/8"), "private"),
    (_V4("172.16.0.0/12"), "private"),
    (_V4("192.168.0.0/16"), "private"),
    (_V4("169.254.0.0/16"), "link-local"),
    (_V4("100.64.0.0/10"), "carrier-grade NAT"),
    (_V4("224.0.0.0/4"), "multicast"),
    (_V4("240.0.0.0/4"), "reserved"),
    (_V6("::/128"), "unspecified"),
    (_V6("::1/128"), "loopback"),
    (_V6("fc00::/7"), "private"),
    (_V6("fe80::/10"), "link-local"),
    (_V6("fec0::/10"), "site-local"),
    (_V6("ff00::/8"), "multicast"),
)
NAT64 = _V6("64:ff9b::/96")
SIX_TO_FOUR = _V6("2002::/16")
IPV4_COMPATIBLE = _V6("::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64 or (ip in IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(address: str | IPAddress) -> str | None:
    """Why the crawler must not connect to this address ("loopback", "private"...), or None when
    it is a public unicast address. A string that is not an IP address is refused."""
    try:
        ip = ipaddress.ip_address(str(address).split("%", 1)[0].strip("[]"))
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None:
            reason = address_refusal(inner)
            return f"{reason} (inside {ip})" if reason else None
    for network, name in NAMED_RANGES:
        if ip.version == network.version and ip in network:
            return name
    if not ip.is_global or ip.is_multicast:
        return "not public"
    return None


def host_of(url: str) -> str:
    """A URL's host as the guard compares it: lower case, no brackets, no port."""
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def resolve_host(host: str) -> list[str]:
    """Every address a host name resolves to (empty when it does not resolve)."""
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})
    except (socket.gaierror, UnicodeError, OSError):
        return []


def resolved_beforehand(urls: Iterable[str], resolve: Resolver = resolve_host) -> Resolver:
    """A resolver answering from look-ups made now, one per distinct host name of `urls` (IP
    literals need none): a bulk add names its hosts inside one write transaction, which must not
    wait on DNS. A host not among `urls` is looked up when asked."""
    hosts = {host_of(url) for url in urls}
    found = {host: resolve(host) for host in sorted(hosts) if host and not is_ip_literal(host)}

    def lookup(host: str) -> list[str]:
        return found[host] if host in found else resolve(host)

    return lookup


def addresses_refusal(host: str, addresses: Iterable[str]) -> str | None:
    """Why `host`, which resolved to `addresses`, must not be reached; None when every address
    is public. No address at all is refused (fail closed)."""
    found = list(addresses)
    if not found:
        return f"{host} does not resolve"
    for address in found:
        reason = address_refusal(address)
        if reason:
            shown = host if host == address else f"{host} ({address})"
            return f"{shown} is a {reason} address"
    return None


def host_refusal(host: str, resolve: Resolver = resolve_host) -> str | None:
    """Why the crawler must not reach `host` (an IP literal, or a name looked up with `resolve`),
    or None when it and every address it resolves to are public."""
    if not host:
        return "no host"
    if is_ip_literal(host):
        return addresses_refusal(host, [host])
    return addresses_refusal(host, resolve(host))


def is_private_url(url: str, resolve: Resolver = resolve_host) -> bool:
    """True when the URL's host is, or resolves to, a non-public address, or does not resolve: a
    discovered link must not turn the crawler against the local network."""
    return host_refusal(host_of(url), resolve) is not None


DEFAULT_PORTS = {"http": 80, "https": 443}


def port_of(url: str) -> int | None:
    """The port a URL is fetched on (the scheme's default when none is written), or None when
    it has none that makes sense (no scheme we fetch, a port out of range)."""
    try:
        parts = urlsplit(url)
        return parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None


def canonical_address(address: str) -> str:
    """An IP address in one spelling (`::FFFF:7F00:1` and `::ffff:127.0.0.1` are one address)."""
    try:
        return str(ipaddress.ip_address(address.split("%", 1)[0].strip("[]")))
    except ValueError:
        return address


def private_addresses(host: str, resolve: Resolver = resolve_host) -> tuple[str, ...]:
    """The non-public addresses `host` is at now: itself for an IP literal, else those among
    what its name resolves to. What a user who names the host vouches for (`NamedHost`)."""
    found = [host] if is_ip_literal(host) else resolve(host)
    return tuple(sorted({canonical_address(a) for a in found if address_refusal(a)}))


@dataclass(frozen=True)
class NamedHost:
    """A host the user named (`redline add`, a source), on the port they named, and the
    non-public addresses they vouched for: the IP literal they wrote, or those the name resolved
    to when they named it. A name that resolved to public addresses then vouches for none."""

    host: str
    port: int
    addresses: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses the crawler may reach: any public one; a non-public one only on a host and
    port the user named, at an address they vouched for (`NamedHost`), or when private addresses
    are allowed altogether. A name that rebinds to a private address, or a redirect to another
    port of a named host, is refused like any other private address."""

    allow_private: bool = False
    named: frozenset[NamedHost] = frozenset()

    def refusal(self, host: str, addresses: Iterable[str], port: int | None = None) -> str | None:
        """Why the crawler must not reach `host` on `port`, which resolved to `addresses`; None if
        it may. Without a port (at connect time, where Scrapy gives none) a vouched-for address on
        any port of the host passes: the request check has judged the port."""
        if self.allow_private:
            return None
        host = host.lower().rstrip(".")
        found = list(addresses)
        reason = addresses_refusal(host, found)
        if reason is None:
            return None
        named = [entry for entry in self.named if entry.host == host]
        if not named:
            return f"{reason}, and not a host you added"
        if not found:
            return reason
        on_port = [entry for entry in named if port is None or entry.port == port]
        if not on_port:
            ports = ", ".join(str(p) for p in sorted({entry.port for entry in named}))
            return f"{reason}, on port {port}: you added {host} on port {ports} only"
        vouched = frozenset().union(*(entry.addresses for entry in on_port))
        for address in found:
            if address_refusal(address) and canonical_address(address) not in vouched:
                shown = host if host == address else f"{host} ({address})"
                return (
                    f"{shown} is a {address_refusal(address)} address, and not one {host} had "
                    "when you added it"
                )
        return None

"""Which addresses the crawler may reach: every non-public range, including the IPv6 forms that
carry an IPv4 address, is refused; a name that does not resolve is refused too."""

from __future__ import annotations

import pytest

from monitor.fetch.addresses import (
    AddressPolicy,
    NamedHost,
    address_refusal,
    host_of,
    host_refusal,
    private_addresses,
)

REFUSED = [
    ("0.0.0.0", "unspecified"),
    ("127.0.0.1", "loopback"),
    ("127.0.0.2", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.255", "private"),
    ("192.168.0.10", "private"),
    ("169.254.169.254", "link-local"),  # cloud metadata
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("192.0.2.1", "not public"),  # documentation
    ("198.18.0.1", "not public"),  # benchmarking
    ("::", "unspecified"),
    ("::1", "loopback"),
    ("fc00::1", "private"),
    ("fd12:3456::1", "private"),
    ("fe80::1", "link-local"),
    ("fe80::1%eth0", "link-local"),
    ("fec0::1", "site-local"),
    ("ff02::1", "multicast"),
    ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
    ("::ffff:10.0.0.1", "private"),
    ("::ffff:169.254.169.254", "link-local"),
    ("::127.0.0.1", "loopback"),  # IPv4-compatible
    ("::10.0.0.1", "private"),
    ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1
    ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of 169.254.169.254
    ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
    ("2002:c0a8:1::1", "private"),  # 6to4 of 192.168.0.1
    ("2002:6440:1::", "carrier-grade NAT"),  # 6to4 of 100.64.0.1
    ("not-an-address", "not an IP address"),
]

PUBLIC = [
    "8.8.8.8",
    "93.184.216.34",
    "100.128.0.1",  # just past CGNAT
    "172.32.0.1",  # just past 172.16/12
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::",
]


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_non_public_addresses_are_refused_with_their_range(address: str, reason: str) -> None:
    refusal = address_refusal(address)
    assert refusal is not None and refusal.startswith(reason)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert address_refusal(address) is None


NAMES = {"news.example": ["93.184.216.34"], "intranet.example": ["10.0.0.5"]}


@pytest.mark.parametrize(
    ("host", "refused"),
    [
        ("news.example", None),
        ("intranet.example", "intranet.example (10.0.0.5) is a private address"),
        ("nowhere.example", "nowhere.example does not resolve"),  # fails closed
        ("127.0.0.1", "127.0.0.1 is a loopback address"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1 is a loopback (inside ::ffff:7f00:1) address"),
    ],
)
def test_a_host_is_judged_by_every_address_it_resolves_to(host: str, refused: str | None) -> None:
    assert host_refusal(host, resolve=lambda name: NAMES.get(name, [])) == refused


def test_a_host_with_one_private_address_among_public_ones_is_refused() -> None:
    assert host_refusal("mixed.example", lambda _: ["8.8.8.8", "127.0.0.1"]) is not None


INTRANET = NamedHost("intranet.example", 80, frozenset({"10.0.0.5"}))
CONSOLE = NamedHost("10.0.0.9", 8080, frozenset({"10.0.0.9"}))
PUBLIC_WHEN_ADDED = NamedHost("news.example", 80)


@pytest.mark.parametrize(
    ("host", "port", "addresses", "refused"),
    [
        ("intranet.example", 80, ["10.0.0.5"], None),  # the address it had when named
        ("Intranet.Example.", 80, ["10.0.0.5"], None),
        ("intranet.example", None, ["10.0.0.5"], None),  # at connect time: no port known
        ("10.0.0.9", 8080, ["10.0.0.9"], None),  # the IP literal the user wrote
        ("news.example", 80, ["93.184.216.34"], None),  # public: no trust needed
        (
            "intranet.example",
            6379,
            ["10.0.0.5"],
            "intranet.example (10.0.0.5) is a private address, on port 6379: "
            "you added intranet.example on port 80 only",
        ),
        (
            "10.0.0.9",
            22,
            ["10.0.0.9"],
            "10.0.0.9 is a private address, on port 22: you added 10.0.0.9 on port 8080 only",
        ),
        (
            "intranet.example",
            80,
            ["10.0.0.5", "10.0.0.6"],
            "intranet.example (10.0.0.6) is a private address, "
            "and not one intranet.example had when you added it",
        ),
        (
            "news.example",  # DNS rebinding: public when added, loopback now
            80,
            ["127.0.0.1"],
            "news.example (127.0.0.1) is a loopback address, "
            "and not one news.example had when you added it",
        ),
        (
            "other.example",
            80,
            ["10.0.0.6"],
            "other.example (10.0.0.6) is a private address, and not a host you added",
        ),
    ],
)
def test_a_named_host_is_trusted_only_on_its_port_at_the_addresses_it_had(
    host: str, port: int | None, addresses: list[str], refused: str | None
) -> None:
    policy = AddressPolicy(named=frozenset({INTRANET, CONSOLE, PUBLIC_WHEN_ADDED}))
    assert policy.refusal(host, addresses, port) == refused


@pytest.mark.parametrize(
    ("url", "resolved", "vouched"),
    [
        ("http://10.0.0.9:8080/a", [], ("10.0.0.9",)),
        ("http://intranet.example/a", ["10.0.0.5", "8.8.8.8"], ("10.0.0.5",)),
        ("http://news.example/a", ["93.184.216.34"], ()),
        ("http://[::ffff:127.0.0.1]/a", [], ("::ffff:7f00:1",)),
    ],
)
def test_naming_a_host_vouches_for_its_literal_or_the_private_addresses_it_has_now(
    url: str, resolved: list[str], vouched: tuple[str, ...]
) -> None:
    assert private_addresses(host_of(url), lambda _: resolved) == vouched


def test_allow_private_trusts_every_host() -> None:
    assert AddressPolicy(allow_private=True).refusal("x.example", ["127.0.0.1"]) is None
